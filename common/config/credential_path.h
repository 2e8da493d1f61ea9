#pragma once
// A file path in the configuration may name a systemd credential:
// "${CREDENTIALS_DIRECTORY}/NAME" is the file NAME in the directory that
// systemd's LoadCredential= (or SetCredential=) fills for the service and
// names in $CREDENTIALS_DIRECTORY. So a secret can stay root's, mode 0600,
// while the service reads its copy as its own user (README "Secrets from
// systemd credentials").
//
// Only that exact prefix is expanded: no other variable, no other place in
// the path. Any path key may call this before it resolves the path:
//
//   const auto expanded = config::expand_credential_path(written);
//   if (!expanded.error.empty()) errors.add(node, expanded.error);

#include <optional>
#include <string>
#include <string_view>

namespace gleaner::config {

inline constexpr std::string_view kCredentialsPrefix = "${CREDENTIALS_DIRECTORY}/";

struct ExpandedPath {
  std::string path;   // the path to use: as written when it names no credential
  std::string error;  // "" or why it cannot be used; then path is empty
};

// credentials_directory: the variable's value, nullopt when it is unset.
ExpandedPath expand_credential_path(std::string_view written, std::optional<std::string_view> credentials_directory);

// The same with $CREDENTIALS_DIRECTORY from the process's environment.
ExpandedPath expand_credential_path(std::string_view written);

}  // namespace gleaner::config
