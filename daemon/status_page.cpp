#include "daemon/status_page.h"

#include <chrono>
#include <ctime>

#include "daemon/version.h"
#include "units/units.h"

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
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

std::string state_of(const CollectorStatus& status) {
  if (status.runs_total == 0 || (status.running && status.runs_total == 1)) return "starting";
  return status.up ? "up" : "down";
}

}  // namespace

std::string render_status_page(const std::vector<const CollectorStatus*>& collectors, const std::string& metrics_path) {
  std::string page = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>gleaner</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d232a;background:#fafbfc}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid #e3e7eb;vertical-align:top}
th{background:#f0f3f6;font-weight:600}
.up{color:#17803d;font-weight:600}.down{color:#c0262d;font-weight:600}.starting{color:#8a6d00}
.error{font-family:ui-monospace,monospace;font-size:.9em;white-space:pre-wrap;word-break:break-word}
</style></head><body>
<h1>gleaner</h1>
)";
  page += "<p>Version " + escape_html(kVersion) + ". Metrics: <a href=\"" + escape_html(metrics_path) + "\">" +
          escape_html(metrics_path) + "</a></p>\n";
  page += "<table><thead><tr><th>Collector</th><th>Plugin</th><th>Interval</th><th>State</th><th>Last run</th>"
          "<th>Duration</th><th>Series</th><th>Last error</th></tr></thead><tbody>\n";
  for (const auto* status : collectors) {
    const auto state = state_of(*status);
    const double seconds = std::chrono::duration<double>(status->last_duration).count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f s", seconds);
    page += "<tr><td>" + escape_html(status->name) + "</td><td>" + escape_html(status->plugin) + "</td><td>" +
            units::format_duration(status->interval) + "</td><td class=\"" + state + "\">" + state + "</td><td>" +
            (status->last_run_start ? utc_time(*status->last_run_start) : "never") + "</td><td>" +
            (status->runs_total > 0 ? std::string(duration) : "") + "</td><td>" + std::to_string(status->series) +
            "</td><td class=\"error\">" + (status->up ? "" : escape_html(status->last_error)) + "</td></tr>\n";
  }
  page += "</tbody></table>\n</body></html>\n";
  return page;
}

}  // namespace gleaner::daemon
