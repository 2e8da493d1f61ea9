#pragma once
// The daemon's whole configuration, typed and validated: what
// load_config() returns and what a reload swaps in.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config/config_error.h"
#include "daemon/http/web_security.h"
#include "plugins/plugin_api.h"

namespace gleaner::daemon {

struct Defaults {
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_output = 1024 * 1024;
};

struct Limits {
  std::size_t max_concurrent = 16;
  std::size_t max_series = 10'000;
};

// The optional `web:` block: who may scrape, and over what.
struct WebConfig {
  struct BasicAuth {
    std::string username;
    std::string password_file;  // absolute, or relative to the file that names it
  };
  struct Tls {
    std::string cert_file;
    std::string key_file;
  };
  std::optional<BasicAuth> basic_auth;
  std::optional<Tls> tls;
  // Loaded when the configuration is (password, certificate and key read,
  // checked; or exporter-toolkit's web configuration file, web.config_file
  // or --web.config.file, instead of both): what the HTTP server applies.
  // Null without `web:`.
  std::shared_ptr<const http::WebSecurity> security;
};

// One `collectors:` entry, ready to run.
struct CollectorConfig {
  plugins::CollectorSettings settings;
  // Equal for two loads exactly when nothing about this collector changed
  // (its own entry or the defaults it took): a reload keeps such a
  // collector, its schedule and its series.
  std::string fingerprint;
  std::shared_ptr<plugins::Collector> collector;
  config::Mark mark;  // where it was defined
};

struct DaemonConfig {
  std::string source;  // the file it came from, or "built-in default"
  std::string listen = "127.0.0.1:9947";
  std::string metrics_path = "/metrics";
  std::string log_level = "info";
  std::string log_format = "text";  // README "What is logged"
  Defaults defaults;
  Limits limits;
  WebConfig web;
  std::vector<CollectorConfig> collectors;
};

}  // namespace gleaner::daemon
