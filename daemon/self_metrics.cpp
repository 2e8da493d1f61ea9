#include "daemon/self_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string_view>
#include <fstream>
#include <sstream>

#include "common/metrics/exposition.h"
#include "common/metrics/sample_text.h"
#include "daemon/version.h"

namespace gleaner::daemon {
namespace {

using metrics::Label;
using metrics::MetricFamily;
using metrics::MetricType;
using metrics::Sample;

double unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

MetricFamily family(std::string name, MetricType type, std::string help) {
  return MetricFamily{std::move(name), type, std::move(help), {}};
}

void add(MetricFamily& family, metrics::Labels labels, double value) {
  family.samples.push_back(Sample{family.name, std::move(labels), value});
}

double boot_time_seconds() {
  static const double boot_time = [] {
    std::ifstream stat("/proc/stat");
    std::string key;
    double value = 0;
    while (stat >> key) {
      if (key == "btime") {
        stat >> value;
        break;
      }
      stat.ignore(1 << 20, '\n');
    }
    return value;
  }();
  return boot_time;
}

int open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return 0;
  int count = 0;
  while (auto* entry = ::readdir(dir)) count += entry->d_name[0] != '.';
  ::closedir(dir);
  return count - 1;  // the directory stream itself
}

// Named for what an operator alerts on: refusals by reason (a flood of 401s
// is someone guessing or a scraper with the wrong password; any 503 means a
// scraper may be refused too), and the bcrypt work they cost.
void add_basic_auth_metrics(const http::AuthStatistics& auth, metrics::Families& families) {
  auto refused = family("gleaner_basic_auth_refused_total", MetricType::counter,
                        "Requests refused by basic auth, by reason: credentials (401) or busy (503).");
  add(refused, {Label{"reason", "credentials"}}, static_cast<double>(auth.refused_credentials));
  add(refused, {Label{"reason", "busy"}}, static_cast<double>(auth.refused_busy));
  auto remembered = family("gleaner_basic_auth_remembered_total", MetricType::counter,
                           "Requests answered at once by a verdict bcrypt gave recently, by verdict.");
  add(remembered, {Label{"verdict", "accepted"}}, static_cast<double>(auth.cache_hits));
  add(remembered, {Label{"verdict", "refused"}}, static_cast<double>(auth.remembered_refusals));
  auto checks = family("gleaner_basic_auth_bcrypt_checks_total", MetricType::counter,
                       "bcrypt hashes computed to check credentials.");
  add(checks, {}, static_cast<double>(auth.bcrypt_checks));
  auto pending = family("gleaner_basic_auth_bcrypt_checks_pending", MetricType::gauge,
                        "bcrypt checks waiting or running now.");
  add(pending, {}, static_cast<double>(auth.pending_checks));
  for (auto* f : {&refused, &remembered, &checks, &pending}) families.push_back(std::move(*f));
}

}  // namespace

void write_collector_metrics(std::string& out, const std::vector<const CollectorStatus*>& collectors,
                             metrics::TextFormat format) {
  using Status = CollectorStatus;
  using Value = std::optional<double>;
  std::string lines;  // one family's, its room kept for the next
  const auto line = [&](std::string_view name, const Status& status, std::string_view reason, double value) {
    if (reason.empty()) {
      metrics::append_sample_line(lines, name, {{"collector", status.name}}, value);
    } else {
      metrics::append_sample_line(lines, name, {{"collector", status.name}, {"reason", reason}}, value);
    }
  };
  const auto end_family = [&](std::string_view name, MetricType type, std::string_view help) {
    if (!lines.empty()) metrics::append_own_family(out, name, type, help, lines, format);
    lines.clear();
  };
  // One series per collector that `value` gives one for.
  const auto per_collector = [&](std::string_view name, MetricType type, std::string_view help, auto value) {
    for (const auto* status : collectors) {
      if (const Value v = value(*status)) line(name, *status, {}, *v);
    }
    end_family(name, type, help);
  };
  // One counter per collector and reason.
  const auto per_reason = [&](std::string_view name, std::string_view help, const auto& reasons, auto count) {
    for (const auto* status : collectors) {
      for (const auto reason : reasons) line(name, *status, to_string(reason), static_cast<double>(count(*status, reason)));
    }
    end_family(name, MetricType::counter, help);
  };

  per_collector("gleaner_collector_up", MetricType::gauge, "Whether the collector's last run succeeded.",
                [](const Status& s) -> Value { return s.up ? 1 : 0; });
  per_collector("gleaner_collector_duration_seconds", MetricType::gauge, "How long the collector's last run took.",
                [](const Status& s) -> Value { return std::chrono::duration<double>(s.last_duration).count(); });
  per_collector("gleaner_collector_last_success_timestamp_seconds", MetricType::gauge,
                "Unix time of the collector's last successful run.", [](const Status& s) -> Value {
                  if (!s.last_success) return std::nullopt;
                  return unix_seconds(*s.last_success);
                });
  per_collector("gleaner_collector_runs_total", MetricType::counter, "Runs the collector started.",
                [](const Status& s) -> Value { return static_cast<double>(s.runs_total); });
  per_reason("gleaner_collector_failures_total", "Failed runs of the collector, by reason.",
             plugins::kAllFailureReasons, [](const Status& s, plugins::FailureReason reason) {
               return s.failures_total[static_cast<std::size_t>(reason)];
             });
  per_collector("gleaner_collector_skipped_total", MetricType::counter,
                "Ticks skipped because the collector's previous run was still going, or a stream's records "
                "coalesced away.",
                [](const Status& s) -> Value { return static_cast<double>(s.skipped_total); });
  per_collector("gleaner_collector_series", MetricType::gauge, "Series the collector exposes now.",
                [](const Status& s) -> Value { return static_cast<double>(s.series); });
  per_reason("gleaner_collector_dropped_series_total",
             "Series the collector's commands printed that were not exposed, by reason.", metrics::kAllDropReasons,
             [](const Status& s, metrics::DropReason reason) { return s.dropped_total[static_cast<std::size_t>(reason)]; });
  per_collector("gleaner_collector_restarts_total", MetricType::counter,
                "Restarts of a stream or persistent collector's command after it ended.", [](const Status& s) -> Value {
                  if (!s.streaming && !s.persistent) return std::nullopt;
                  return static_cast<double>(s.restarts_total);
                });
  // What an alert on gleaner_collector_last_success_timestamp_seconds needs
  // to know: how often a success is due. A stream has no ticks, so none.
  per_collector("gleaner_collector_interval_seconds", MetricType::gauge,
                "The collector's configured interval between ticks.", [](const Status& s) -> Value {
                  if (s.streaming) return std::nullopt;
                  return std::chrono::duration<double>(s.interval).count();
                });
}

metrics::Families self_metrics(const DaemonState& state, const metrics::MetricFamily& lateness) {
  auto running = family("gleaner_commands_running", MetricType::gauge, "Commands running now.");
  add(running, {}, static_cast<double>(state.commands_running));
  auto reload = family("gleaner_config_last_reload_successful", MetricType::gauge,
                       "Whether the last configuration reload succeeded.");
  add(reload, {}, state.last_reload_successful ? 1 : 0);
  auto orphans = family("gleaner_orphans_killed_total", MetricType::counter,
                        "Processes that commands left running outside their runs, ended by gleaner.");
  add(orphans, {}, static_cast<double>(state.orphans_killed));
  auto build = family("gleaner_build_info", MetricType::gauge, "gleaner's version; always 1.");
  add(build, {Label{"version", std::string(kVersion)}}, 1);

  metrics::Families families = {std::move(running), std::move(reload), std::move(orphans), std::move(build), lateness};
  if (state.basic_auth) add_basic_auth_metrics(*state.basic_auth, families);
  for (auto& process : process_metrics()) families.push_back(std::move(process));
  return families;
}

metrics::Families process_metrics() {
  metrics::Families families;
  std::ifstream stat_file("/proc/self/stat");
  std::string stat;
  std::getline(stat_file, stat);
  const auto after_name = stat.rfind(')');
  if (after_name != std::string::npos) {
    std::istringstream fields(stat.substr(after_name + 2));
    // Fields 3.. of proc(5): state ppid pgrp session tty_nr tpgid flags
    // minflt cminflt majflt cmajflt utime stime cutime cstime priority nice
    // num_threads itrealvalue starttime vsize rss
    std::string field;
    std::vector<std::string> values;
    while (fields >> field) values.push_back(field);
    if (values.size() > 21) {
      const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
      const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
      auto cpu = family("process_cpu_seconds_total", MetricType::counter,
                        "Total user and system CPU time spent in seconds.");
      add(cpu, {}, (std::stod(values[11]) + std::stod(values[12])) / ticks);
      auto start = family("process_start_time_seconds", MetricType::gauge,
                          "Start time of the process since unix epoch in seconds.");
      add(start, {}, boot_time_seconds() + std::stod(values[19]) / ticks);
      auto virtual_memory = family("process_virtual_memory_bytes", MetricType::gauge, "Virtual memory size in bytes.");
      add(virtual_memory, {}, std::stod(values[20]));
      auto resident = family("process_resident_memory_bytes", MetricType::gauge, "Resident memory size in bytes.");
      add(resident, {}, std::stod(values[21]) * page);
      for (auto* f : {&cpu, &start, &virtual_memory, &resident}) families.push_back(std::move(*f));
    }
  }
  auto fds = family("process_open_fds", MetricType::gauge, "Number of open file descriptors.");
  add(fds, {}, open_fds());
  families.push_back(std::move(fds));
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    auto max_fds = family("process_max_fds", MetricType::gauge, "Maximum number of open file descriptors.");
    add(max_fds, {}, static_cast<double>(limit.rlim_cur));
    families.push_back(std::move(max_fds));
  }
  return families;
}

}  // namespace gleaner::daemon
