#pragma once
// The web configuration file of Prometheus' exporter-toolkit (the
// `web-config.yml` that node_exporter and Prometheus take with
// --web.config.file), read as they read it: the same keys, defaults and
// checks, unknown keys refused, relative paths taken from the file's own
// folder. README "The web configuration" says what is accepted.

#include <memory>
#include <string>

#include "common/config/config_error.h"
#include "daemon/http/web_security.h"

namespace gleaner::daemon {

// Reads path (through the trust checks, bounded) and every file it names.
// Errors go to errors, at FILE:LINE:COLUMN of the web configuration file
// (errors' own file is the same afterwards); null when there are any.
std::shared_ptr<const http::WebSecurity> load_web_config_file(const std::string& path, config::ErrorList& errors);

}  // namespace gleaner::daemon
