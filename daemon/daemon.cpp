#include "daemon/daemon.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/config/config_loader.h"
#include "daemon/http/listen_address.h"
#include "daemon/once_report.h"
#include "daemon/signal_policy.h"
#include "daemon/version.h"
#include "common/logging/logging.h"

namespace gleaner::daemon {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> describe_endpoints(const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  std::vector<std::string> described;
  for (const auto& endpoint : endpoints) described.push_back(http::describe_endpoint(endpoint));
  return described;
}

// Whether `listen` names one of the sockets systemd passed.
bool listen_matches(const std::string& listen, const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  std::string ignored;
  const auto wanted = http::parse_listen_address(listen, &ignored);
  if (!wanted) return false;
  for (const auto& endpoint : endpoints) {
    if (endpoint.port() != wanted->port) continue;
    if (wanted->ip ? endpoint.address() == *wanted->ip : endpoint.address().is_unspecified()) return true;
  }
  return false;
}

// Leaves time for SIGTERM, the one-second grace, SIGKILL and giving up on
// an unkillable child, within the five seconds the contract allows.
constexpr auto kShutdownDeadline = 4500ms;

void log_orphan_ended(pid_t pid, std::string_view command_name) {
  logging::event(spdlog::level::info,
                 fmt::format("ending process {} ({}): a command left it running outside its run", pid, command_name),
                 {{"event", "orphan_ended"}, {"pid", pid}, {"command", command_name}});
}

}  // namespace

Daemon::Daemon(DaemonConfig config, std::string config_path, Overrides overrides, std::vector<int> passed_sockets)
    : config_(std::move(config)),
      config_path_(std::move(config_path)),
      overrides_(std::move(overrides)),
      passed_sockets_(std::move(passed_sockets)),
      runner_(io_.get_executor(), {.max_concurrent = config_.limits.max_concurrent}),
      scheduler_(io_.get_executor(), runner_, store_),
      server_(io_.get_executor(), http::HttpServerOptions{}, nullptr),
      signals_(io_),
      shutdown_timer_(io_),
      notifier_(io_.get_executor()) {
  apply_overrides(config_);
  ignore_broken_pipes();
  // From here on no signal ends the daemon without ending its commands.
  for (const int number : handled_signals()) {
    boost::system::error_code error;
    signals_.add(number, error);
    if (error) spdlog::warn("cannot handle {}: {}", signal_name(number), error.message());
  }
}

Daemon::~Daemon() = default;

void Daemon::apply_overrides(DaemonConfig& config) const {
  if (overrides_.listen) config.listen = *overrides_.listen;
  if (overrides_.log_level) config.log_level = *overrides_.log_level;
  if (overrides_.log_format) config.log_format = *overrides_.log_format;
  logging::set_level(logging::parse_level(config.log_level).value_or(spdlog::level::info));
  logging::set_format(logging::parse_format(config.log_format).value_or(logging::Format::text));
}

void Daemon::install_routes() {
  WebContext context{config_.metrics_path, &store_, &scheduler_, [this] {
                       return DaemonState{.commands_running = runner_.running(),
                                          .last_reload_successful = last_reload_successful_,
                                          .last_reload_failed_at = last_reload_failed_at_,
                                          .last_reload_error = last_reload_error_,
                                          .orphans_killed = orphans_killed_,
                                          .basic_auth = basic_auth_statistics()};
                     }};
  server_.set_handler([context = std::move(context)](const http::HttpRequest& request) {
    return handle_request(context, request);
  });
}

std::optional<http::AuthStatistics> Daemon::basic_auth_statistics() const {
  const auto& security = config_.web.security;
  if (!security || !security->basic_auth()) return std::nullopt;
  return server_.auth_statistics();
}

// What a command leaves running outside its process group comes back to
// us, not to PID 1, and is ended (unless its collector allows it).
void Daemon::contain_orphans() {
  runner_.reaper().on_orphan_ended([this](pid_t pid, std::string_view command_name) {
    ++orphans_killed_;
    log_orphan_ended(pid, command_name);
  });
  runner_.reaper().adopt_orphans();
}

int Daemon::run() {
  contain_orphans();
  install_routes();
  server_.set_security(config_.web.security);
  if (const auto error = open_sockets(); !error.empty()) {
    spdlog::error("{}", error);
    return 2;
  }
  logging::event(spdlog::level::info,
                 fmt::format("gleaner {} listening on {}{}: {} collectors from {}, metrics at {}", kVersion,
                             fmt::join(serving_on_, ", "), passed_sockets_.empty() ? "" : " (passed by systemd)",
                             config_.collectors.size(), config_.source, config_.metrics_path),
                 {{"event", "started"},
                  {"version", kVersion},
                  {"listen", fmt::format("{}", fmt::join(serving_on_, ","))},
                  {"collectors", config_.collectors.size()},
                  {"config", config_.source}});
  scheduler_.apply(std::move(config_.collectors), config_.limits);
  config_.collectors.clear();
  wait_for_signals();
  notifier_.ready(status_line());
  notifier_.start_watchdog();
  io_.run();
  logging::event(spdlog::level::info, "stopped", {{"event", "stopped"}});
  return 0;
}

// Binds `listen`, or serves on the sockets systemd passed; "" or what went wrong.
std::string Daemon::open_sockets() {
  if (passed_sockets_.empty()) {
    if (auto error = server_.listen(config_.listen); !error.empty()) return "cannot listen on " + error;
    serving_on_ = describe_endpoints(server_.local_endpoints());
    return {};
  }
  for (const int fd : passed_sockets_) {
    if (auto error = server_.serve_on(fd); !error.empty()) {
      return "cannot serve on the socket systemd passed (descriptor " + std::to_string(fd) + "): " + error;
    }
  }
  const auto endpoints = server_.local_endpoints();
  serving_on_ = describe_endpoints(endpoints);
  // Not an error: the .socket unit decides where gleaner listens (a
  // privileged port, say), and `listen` may still say the default.
  if (!listen_matches(config_.listen, endpoints)) {
    spdlog::info("listen \"{}\" is not bound: serving on the socket{} systemd passed ({}) instead", config_.listen,
                 endpoints.size() == 1 ? "" : "s", fmt::join(serving_on_, ", "));
  }
  return {};
}

void Daemon::wait_for_signals() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    switch (signal_action(signal)) {
      case SignalAction::reload:
        reload();
        break;
      case SignalAction::stop:
        logging::event(spdlog::level::info, fmt::format("received {}, stopping", signal_name(signal)),
                       {{"event", "stopping"}, {"signal", signal_name(signal)}});
        begin_shutdown();
        return;
      case SignalAction::log:
        logging::event(
            spdlog::level::warn,
            fmt::format("received {}: no action (SIGHUP reloads the configuration, SIGTERM stops)",
                        signal_name(signal)),
            {{"event", "signal_ignored"}, {"signal", signal_name(signal)}});
        break;
    }
    wait_for_signals();
  });
}

void Daemon::reload() {
  if (config_path_.empty()) {
    logging::event(spdlog::level::info, "reload: running on the built-in default, nothing to read",
                   {{"event", "reload_skipped"}});
    return;
  }
  logging::event(spdlog::level::info, "reloading " + config_path_, {{"event", "reloading"}, {"config", config_path_}});
  notifier_.reloading();
  auto loaded = load_config_file(config_path_, plugins::ValidationOptions{}, overrides_.web_config_file);
  if (!loaded.config) {
    last_reload_successful_ = false;
    last_reload_failed_at_ = std::chrono::system_clock::now();
    const auto& errors = loaded.errors.errors();
    last_reload_error_ = errors.empty() ? "" : errors.front().format();
    if (errors.size() > 1) last_reload_error_ += " (and " + std::to_string(errors.size() - 1) + " more)";
    for (const auto& error : loaded.errors.errors()) {
      logging::event(spdlog::level::err, "reload failed: " + error.format(),
                     {{"event", "reload_error"}, {"config", config_path_}, {"error", error.format()}});
    }
    logging::event(spdlog::level::err, "reload failed: keeping the previous configuration",
                   {{"event", "reload_failed"}, {"config", config_path_}, {"errors", loaded.errors.size()}});
    notifier_.ready(status_line() + "; the last reload failed");
    return;
  }
  auto config = std::move(*loaded.config);
  apply_overrides(config);
  if (config.listen != config_.listen && !passed_sockets_.empty()) {
    spdlog::info("reload: listen changed to {}; still serving on the sockets systemd passed", config.listen);
    config.listen = config_.listen;
  } else if (config.listen != config_.listen) {
    spdlog::warn("reload: listen changed from {} to {}; this takes a restart, still listening on {}",
                 config_.listen, config.listen, config_.listen);
    config.listen = config_.listen;
  }
  const auto collectors = config.collectors.size();
  scheduler_.apply(std::move(config.collectors), config.limits);
  config.collectors.clear();
  config_ = std::move(config);
  install_routes();
  server_.set_security(config_.web.security);
  last_reload_successful_ = true;
  last_reload_error_.clear();
  logging::event(spdlog::level::info, fmt::format("reloaded {}: {} collectors", config_path_, collectors),
                 {{"event", "reloaded"}, {"config", config_path_}, {"collectors", collectors}});
  notifier_.ready(status_line());
}

std::string Daemon::status_line() const {
  const auto others = serving_on_.size() > 1 ? serving_on_.size() - 1 : 0;
  const auto more = others == 0 ? "" : " (and " + std::to_string(others) + " more socket" + (others == 1 ? ")" : "s)");
  const auto collectors = scheduler_.statuses().size();
  return std::to_string(collectors) + (collectors == 1 ? " collector" : " collectors") + ", metrics at " +
         (serving_on_.empty() ? config_.listen : serving_on_.front()) + config_.metrics_path + more;
}

void Daemon::begin_shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notifier_.stopping();
  notifier_.stop_watchdog();
  signals_.cancel();
  scheduler_.stop();
  runner_.shutdown();
  server_.stop();
  wait_until_drained(std::chrono::steady_clock::now() + kShutdownDeadline);
}

// Polls rather than counting completions: simple, and the shutdown is rare.
void Daemon::wait_until_drained(std::chrono::steady_clock::time_point deadline) {
  const auto orphans = runner_.reaper().orphans_being_ended();
  if (runner_.running() == 0 && scheduler_.runs_in_flight() == 0 && orphans == 0) {
    io_.stop();
    return;
  }
  if (std::chrono::steady_clock::now() >= deadline) {
    // Whatever is left gets SIGKILL when the runner goes.
    logging::event(spdlog::level::warn,
                   fmt::format("stopping with {} commands and {} orphans still running", runner_.running(), orphans),
                   {{"event", "stop_deadline"}, {"commands", runner_.running()}, {"orphans", orphans}});
    io_.stop();
    return;
  }
  shutdown_timer_.expires_after(20ms);
  shutdown_timer_.async_wait([this, deadline](const boost::system::error_code&) { wait_until_drained(deadline); });
}

namespace {

// Keeps the collectors named; false (and a line naming the known ones on
// report) when one of the names is none of them.
bool keep_named(std::vector<CollectorConfig>& collectors, const std::vector<std::string>& names, std::FILE* report) {
  if (names.empty()) return true;
  std::vector<std::string> unknown;
  for (const auto& name : names) {
    const bool known = std::any_of(collectors.begin(), collectors.end(),
                                   [&](const CollectorConfig& c) { return c.settings.name == name; });
    if (!known) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::vector<std::string> known;
    for (const auto& c : collectors) known.push_back(c.settings.name);
    std::sort(known.begin(), known.end());
    if (known.empty()) known.push_back("none");
    const auto line = fmt::format("gleaner: --collector: no collector named {} (the collectors: {})\n",
                                  fmt::join(unknown, ", "), fmt::join(known, ", "));
    std::fputs(line.c_str(), report);
    return false;
  }
  std::erase_if(collectors, [&](const CollectorConfig& c) {
    return std::find(names.begin(), names.end(), c.settings.name) == names.end();
  });
  return true;
}

}  // namespace

int run_once(DaemonConfig config, const OnceOptions& options, std::FILE* out, std::FILE* report) {
  if (!keep_named(config.collectors, options.collectors, report)) return 2;
  asio::io_context io;
  subprocess::ProcessRunner runner(io.get_executor(), {.max_concurrent = config.limits.max_concurrent});
  runner.reaper().on_orphan_ended(log_orphan_ended);
  runner.reaper().adopt_orphans();
  metrics::MetricStore store;
  Scheduler scheduler(io.get_executor(), runner, store);
  if (options.verbose) {
    // Written as each arrives: a run that hangs has shown what came before.
    const auto write = [report](const std::string& text) {
      std::fputs(text.c_str(), report);
      std::fflush(report);
    };
    scheduler.observe({
        [write](const std::string& collector, const subprocess::Command& command, const subprocess::Result& result) {
          write(describe_command_run(collector, command, result));
        },
        [write](const std::string& collector, const plugins::CollectOutcome& outcome) {
          write(describe_outcome(collector, outcome));
        },
        [write](const std::string& collector, const std::string& line) {
          write(describe_detail(collector, line));
        },
    });
  }
  scheduler.apply(std::move(config.collectors), config.limits, /*start=*/false);
  bool done = false;
  scheduler.run_each_once([&] { done = true; });
  while (!done && io.run_one() > 0) {
  }
  const auto body = render_exposition(store, scheduler, DaemonState{});
  std::fwrite(body.data(), 1, body.size(), out);
  std::fflush(out);
  bool all_up = true;
  for (const auto* status : scheduler.statuses()) all_up = all_up && status->up;
  return all_up ? 0 : 1;
}

}  // namespace gleaner::daemon
