#pragma once
// The long-running daemon: one io_context running the scheduler, the
// subprocess layer and the HTTP server; signals for reload and stop.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config/daemon_config.h"
#include "daemon/http/http_server.h"
#include "daemon/scheduler/scheduler.h"
#include "daemon/systemd_notifier.h"
#include "daemon/web_routes.h"
#include "common/metrics/metric_store.h"
#include "common/subprocess/process_runner.h"

namespace gleaner::daemon {

struct Overrides {
  std::optional<std::string> listen;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;
  std::optional<std::string> web_config_file;  // --web.config.file, read again at every reload
};

class Daemon {
 public:
  // config_path empty: the configuration is the built-in default.
  // passed_sockets: listening sockets systemd passed (take_passed_sockets());
  // when there are any, gleaner serves on them and binds nothing itself.
  Daemon(DaemonConfig config, std::string config_path, Overrides overrides, std::vector<int> passed_sockets = {});
  ~Daemon();

  // Serves until SIGTERM or SIGINT. Returns the exit code: 0 after a clean
  // stop, 2 when the listening socket cannot be opened.
  int run();

 private:
  void apply_overrides(DaemonConfig& config) const;
  void wait_for_signals();
  void reload();
  void begin_shutdown();
  void wait_until_drained(std::chrono::steady_clock::time_point deadline);
  void install_routes();
  void contain_orphans();
  // Basic auth's counts for gleaner's own metrics; nothing when it is not configured.
  std::optional<http::AuthStatistics> basic_auth_statistics() const;
  std::string open_sockets();
  std::string status_line() const;

  DaemonConfig config_;
  std::string config_path_;
  Overrides overrides_;
  std::vector<int> passed_sockets_;
  std::vector<std::string> serving_on_;  // where it listens: "127.0.0.1:9947", "[::1]:9947"
  bool last_reload_successful_ = true;
  std::optional<std::chrono::system_clock::time_point> last_reload_failed_at_;
  std::string last_reload_error_;  // the failed reload's first error, "" after a good one
  bool stopping_ = false;
  std::uint64_t orphans_killed_ = 0;

  boost::asio::io_context io_;
  subprocess::ProcessRunner runner_;
  metrics::MetricStore store_;
  Scheduler scheduler_;
  http::HttpServer server_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_timer_;
  SystemdNotifier notifier_;
};

struct OnceOptions {
  std::vector<std::string> collectors;  // only these; all when empty
  bool verbose = false;                 // each command's run and each outcome, on `report`
};

// --once: runs every collector (or those named) once and prints the
// exposition to out. Returns 0 if every run succeeded, else 1; 2 (with the
// known names on `report`) when a name matches no collector.
int run_once(DaemonConfig config, const OnceOptions& options, std::FILE* out, std::FILE* report);

}  // namespace gleaner::daemon
