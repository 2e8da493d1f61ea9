#include "daemon/status_page.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <numeric>

#include "daemon/version.h"
#include "common/units/units.h"

namespace gleaner::daemon {
namespace {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string utc_time(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &parts);
  return text;
}

std::string state_of(const CollectorStatus& status) {
  if (status.runs_total == 0 || (status.running && status.runs_total == 1)) return "starting";
  return status.up ? "up" : "down";
}

// A failed run's error; for a successful one, what it printed that is not
// exposed (README "What a collector may expose").
std::string problem_of(const CollectorStatus& status) {
  if (!status.up) return escape_html(status.last_error);
  if (status.last_drop.empty()) return "";
  return "<span class=\"reason\">series dropped: </span>" + escape_html(status.last_drop);
}

// Failing first: the page is opened when something is wrong.
int rank_of(const std::string& state) { return state == "down" ? 0 : state == "starting" ? 1 : 2; }

std::vector<const CollectorStatus*> failing_first(std::vector<const CollectorStatus*> collectors) {
  std::stable_sort(collectors.begin(), collectors.end(), [](const auto* a, const auto* b) {
    return rank_of(state_of(*a)) < rank_of(state_of(*b));
  });
  return collectors;
}

std::uint64_t failures_of(const CollectorStatus& status) {
  return std::accumulate(status.failures_total.begin(), status.failures_total.end(), std::uint64_t{0});
}

// "3 (timeout 2, exit_code 1)", or "0".
std::string failures_cell(const CollectorStatus& status) {
  std::string by_reason;
  for (const auto reason : plugins::kAllFailureReasons) {
    const auto count = status.failures_total[static_cast<std::size_t>(reason)];
    if (count == 0) continue;
    by_reason += (by_reason.empty() ? "" : ", ") + std::string(plugins::to_string(reason)) + " " + std::to_string(count);
  }
  const std::string total = std::to_string(failures_of(status));
  return by_reason.empty() ? total : total + " <span class=\"reason\">(" + by_reason + ")</span>";
}

std::string reload_banner(const DaemonState& state) {
  if (state.last_reload_successful || !state.last_reload_failed_at) return "";
  return "<p class=\"alert\">The last reload, at " + utc_time(*state.last_reload_failed_at) +
         ", failed; the previous configuration still runs. <span class=\"error\">" +
         escape_html(state.last_reload_error) + "</span></p>\n";
}

}  // namespace

std::string render_status_page(const std::vector<const CollectorStatus*>& collectors, const std::string& metrics_path,
                               const DaemonState& state) {
  std::size_t up = 0, down = 0;
  for (const auto* status : collectors) {
    const auto state = state_of(*status);
    up += state == "up";
    down += state == "down";
  }
  std::string page = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15">
<title>gleaner</title>
<style>
:root{color-scheme:light dark;--fg:#1d232a;--bg:#f7f9fb;--card:#fff;--line:#e3e7eb;--head:#eef2f6;--muted:#5b6672}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ed;--bg:#14171b;--card:#1c2026;--line:#2c323a;--head:#232830;--muted:#98a2ad}}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:var(--fg);background:var(--bg)}
h1{margin:0 0 .3rem;font-size:1.6rem}
.summary{color:var(--muted);margin:0 0 1.2rem}
table{border-collapse:collapse;width:100%;background:var(--card);box-shadow:0 1px 2px rgba(0,0,0,.06)}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--head);font-weight:600;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
.state{font-weight:600;white-space:nowrap}
.up{color:#17803d}.down{color:#c0262d}.starting{color:#8a6d00}
.error{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;white-space:pre-wrap;word-break:break-word}
.reason{font-weight:400;color:var(--muted)}
.alert{border-left:4px solid #c0262d;background:var(--card);padding:.6rem .9rem;margin:0 0 1.2rem}
</style></head><body>
<h1>gleaner</h1>
)";
  page += "<p class=\"summary\">" + std::to_string(collectors.size()) +
          (collectors.size() == 1 ? " collector: " : " collectors: ") + std::to_string(up) +
          " up, " + std::to_string(down) + " down. Version " + escape_html(kVersion) + ". Metrics: <a href=\"" +
          escape_html(metrics_path) + "\">" + escape_html(metrics_path) + "</a></p>\n";
  page += reload_banner(state);
  page += "<table><thead><tr><th>Collector</th><th>Plugin</th><th>Interval</th><th>State</th><th>Last run</th>"
          "<th>Last success</th><th>Duration</th><th>Series</th><th>Failures</th><th>Last error or dropped series</th>"
          "</tr></thead><tbody>\n";
  for (const auto* status : failing_first(collectors)) {
    const auto state = state_of(*status);
    const double seconds = std::chrono::duration<double>(status->last_duration).count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f s", seconds);
    std::string state_cell = "<span class=\"" + state + "\">" + state + "</span>";
    if (state == "down" && status->last_failure) {
      state_cell += " <span class=\"reason\">(" + std::string(plugins::to_string(*status->last_failure)) + ")</span>";
    }
    page += "<tr><td>" + escape_html(status->name) + "</td><td>" + escape_html(status->plugin) + "</td><td>" +
            (status->streaming ? std::string("stream") : units::format_duration(status->interval)) +
            "</td><td class=\"state\">" + state_cell + "</td><td class=\"time\">" +
            (status->last_run_start ? utc_time(*status->last_run_start) : "never") + "</td><td class=\"time\">" +
            (status->last_success ? utc_time(*status->last_success) : "never") + "</td><td class=\"num\">" +
            (status->runs_total > 0 && !status->streaming ? std::string(duration) : "") + "</td><td class=\"num\">" +
            std::to_string(status->series) + "</td><td class=\"num\">" + failures_cell(*status) +
            "</td><td class=\"error\">" + problem_of(*status) + "</td></tr>\n";
  }
  page += "</tbody></table>\n</body></html>\n";
  return page;
}

}  // namespace gleaner::daemon
