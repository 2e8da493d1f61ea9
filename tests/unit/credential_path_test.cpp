// "${CREDENTIALS_DIRECTORY}/NAME" in a configured path: expanded from the
// variable systemd sets with LoadCredential=, refused when the variable is
// missing or the name would leave the directory.

#include "common/config/credential_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gleaner::config {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kDirectory = "/run/credentials/gleaner.service";

TEST(CredentialPath, OtherPathsAreLeftAsWritten) {
  for (const char* path : {"/etc/gleaner/web.pass", "web.pass", "conf/${CREDENTIALS_DIRECTORY}/x", ""}) {
    const auto expanded = expand_credential_path(path, kDirectory);
    EXPECT_EQ(expanded.path, path);
    EXPECT_EQ(expanded.error, "");
  }
}

TEST(CredentialPath, ANameInTheDirectoryIsExpanded) {
  EXPECT_EQ(expand_credential_path("${CREDENTIALS_DIRECTORY}/web.pass", kDirectory).path,
            "/run/credentials/gleaner.service/web.pass");
  EXPECT_EQ(expand_credential_path("${CREDENTIALS_DIRECTORY}/tls.key", "/run/creds/").path, "/run/creds/tls.key");
  EXPECT_EQ(expand_credential_path("${CREDENTIALS_DIRECTORY}/..hidden", kDirectory).path,
            "/run/credentials/gleaner.service/..hidden");
}

TEST(CredentialPath, AMissingVariableIsAnError) {
  const auto unset = expand_credential_path("${CREDENTIALS_DIRECTORY}/web.pass", std::nullopt);
  EXPECT_EQ(unset.path, "");
  EXPECT_THAT(unset.error, HasSubstr("$CREDENTIALS_DIRECTORY is not set"));
  EXPECT_THAT(unset.error, HasSubstr("LoadCredential="));
  EXPECT_THAT(expand_credential_path("${CREDENTIALS_DIRECTORY}/web.pass", "").error,
              HasSubstr("$CREDENTIALS_DIRECTORY is empty"));
  EXPECT_THAT(expand_credential_path("${CREDENTIALS_DIRECTORY}/web.pass", "run/creds").error,
              HasSubstr("is not an absolute path"));
}

TEST(CredentialPath, ANameLeavingTheDirectoryIsRefused) {
  for (const char* path : {"${CREDENTIALS_DIRECTORY}/..", "${CREDENTIALS_DIRECTORY}/.", "${CREDENTIALS_DIRECTORY}/",
                           "${CREDENTIALS_DIRECTORY}/../web.pass", "${CREDENTIALS_DIRECTORY}/sub/web.pass",
                           "${CREDENTIALS_DIRECTORY}//etc/shadow"}) {
    const auto expanded = expand_credential_path(path, kDirectory);
    EXPECT_EQ(expanded.path, "") << path;
    EXPECT_THAT(expanded.error, HasSubstr("is not a credential name")) << path;
  }
  EXPECT_THAT(expand_credential_path("${CREDENTIALS_DIRECTORY}/" + std::string(256, 'x'), kDirectory).error,
              HasSubstr("is not a credential name"));
}

TEST(CredentialPath, OtherVariablesAreNotExpanded) {
  for (const char* path : {"$CREDENTIALS_DIRECTORY/web.pass", "${HOME}/web.pass", "${CREDENTIALS_DIRECTORY}"}) {
    const auto expanded = expand_credential_path(path, kDirectory);
    EXPECT_EQ(expanded.path, "") << path;
    EXPECT_THAT(expanded.error, HasSubstr("only ${CREDENTIALS_DIRECTORY}/NAME is expanded")) << path;
  }
}

}  // namespace
}  // namespace gleaner::config
