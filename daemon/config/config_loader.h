#pragma once
// Loading the configuration: the YAML file, its includes, every
// collector's plugin keys. All errors at once, each as FILE:LINE:COLUMN.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/config/config_error.h"
#include "daemon/config/daemon_config.h"

namespace gleaner::daemon {

// Used when there is no configuration file: one df collector on localhost.
extern const std::string_view kBuiltinConfig;
inline constexpr std::string_view kBuiltinConfigName = "built-in default";

// The largest configuration file, main or included, that is read: far more
// than any real one, far less than a device or a runaway file could give.
inline constexpr std::size_t kMaxConfigFileBytes = 16 * 1024 * 1024;

struct LoadResult {
  std::optional<DaemonConfig> config;  // set when there were no errors
  config::ErrorList errors;
};

// web_config_file: --web.config.file, which replaces the file's `web:`.
LoadResult load_config_file(const std::string& path, const plugins::ValidationOptions& options,
                            const std::optional<std::string>& web_config_file = std::nullopt);

// text as if read from `file`; includes are relative to base_dir.
LoadResult load_config_text(std::string_view text, const std::string& file, const std::string& base_dir,
                            const plugins::ValidationOptions& options,
                            const std::optional<std::string>& web_config_file = std::nullopt);

}  // namespace gleaner::daemon
