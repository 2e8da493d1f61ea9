#include "common/config/credential_path.h"

#include <cstdlib>

namespace gleaner::config {
namespace {

// systemd's own limit for a credential name (a file name: NAME_MAX).
constexpr std::size_t kMaxCredentialName = 255;

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

ExpandedPath expand_credential_path(std::string_view written, std::optional<std::string_view> credentials_directory) {
  if (!written.starts_with('$')) return {std::string(written), ""};
  // A path starting with "$" is a variable meant to be expanded: one spelt
  // otherwise would be looked for as a file literally named "$…".
  if (!written.starts_with(kCredentialsPrefix)) {
    return {"", quoted(written) + ": only " + std::string(kCredentialsPrefix) +
                    "NAME is expanded in a path (a credential that systemd's LoadCredential= passes)"};
  }
  const std::string_view name = written.substr(kCredentialsPrefix.size());
  // The name must stay a file directly in the directory: nothing above it,
  // nothing below another name.
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos ||
      name.size() > kMaxCredentialName) {
    return {"", quoted(written) + ": " + quoted(name) +
                    " is not a credential name (one file name, not empty, not . or .., without /)"};
  }
  if (!credentials_directory || credentials_directory->empty()) {
    return {"", quoted(written) + ": $CREDENTIALS_DIRECTORY is " + (credentials_directory ? "empty" : "not set") +
                    " (systemd sets it for a service with LoadCredential=)"};
  }
  if (!credentials_directory->starts_with('/')) {
    return {"", quoted(written) + ": $CREDENTIALS_DIRECTORY " + quoted(*credentials_directory) +
                    " is not an absolute path"};
  }
  std::string path(*credentials_directory);
  if (!path.ends_with('/')) path += '/';
  return {path + std::string(name), ""};
}

ExpandedPath expand_credential_path(std::string_view written) {
  const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
  return expand_credential_path(written, directory ? std::optional<std::string_view>(directory) : std::nullopt);
}

}  // namespace gleaner::config
