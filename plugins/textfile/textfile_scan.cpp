#include "plugins/textfile/textfile_scan.h"

#include <ctime>
#include <optional>

#include "common/metrics/names.h"
#include "common/parsers/prometheus_parser.h"
#include "plugins/textfile/prom_listing.h"
#include "plugins/textfile/textfile_merge.h"
#include "plugins/textfile/textfile_read.h"
#include "common/units/units.h"

namespace gleaner::plugins::textfile {
namespace {

using metrics::MetricType;

struct FileState {
  std::string name;
  std::string error;
  std::optional<long long> mtime;  // shown when set
  std::size_t bytes = 0;           // read
  std::size_t series = 0;          // parsed from it
};

// "2026-11-30T01:00:00Z": the same text on every run, so that the log
// line about an old file is written once, not on each run as an age would.
std::string utc_time(long long seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  char text[32] = "?";
  if (::gmtime_r(&time, &parts) != nullptr) std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

metrics::Families own_families(const std::vector<FileState>& states) {
  metrics::MetricFamily mtimes{kMtimeFamily,
                               MetricType::gauge,
                               "Unix time (whole seconds) of the last change of each textfile whose series are "
                               "published, or that max_age left out.",
                               {}};
  metrics::MetricFamily errors{kErrorFamily,
                               MetricType::gauge,
                               "1 if the textfile was left out (unreadable, malformed, too old, still being "
                               "written, or disagreeing with an earlier file; see the log), 0 if its series are "
                               "published.",
                               {}};
  for (const auto& state : states) {
    const metrics::Labels labels = {{"file", metrics::sanitize_utf8(state.name)}};
    if (state.mtime) mtimes.samples.push_back({kMtimeFamily, labels, static_cast<double>(*state.mtime)});
    errors.samples.push_back({kErrorFamily, labels, state.error.empty() ? 0.0 : 1.0});
  }
  metrics::Families families;
  if (!mtimes.samples.empty()) families.push_back(std::move(mtimes));
  if (!errors.samples.empty()) families.push_back(std::move(errors));
  return families;
}

}  // namespace

TextfileScan scan_textfiles(const TextfileOptions& options, std::chrono::system_clock::time_point now) {
  TextfileScan scan;
  auto listing = list_prom_files(options.directory);
  if (!listing.error.empty()) {
    scan.directory_error = std::move(listing.error);
    return scan;
  }
  // Strict per file: one bad line leaves the whole file out, as
  // node_exporter does, rather than publishing part of what its writer meant.
  // The text format alone, as node_exporter reads it: OpenMetrics' types
  // are bad lines there, its `# UNIT` and `# EOF` mere comments.
  const parsers::PrometheusParser parser(
      parsers::PrometheusOptions{.on_error = parsers::OnError::fail, .refuse_timestamps = true, .openmetrics = false});
  const ReadPolicy policy{.max_bytes = options.max_file_size, .attempts = 3, .pause = std::chrono::milliseconds(20)};
  const long long now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();

  std::vector<FileState> states;
  std::vector<ParsedTextfile> parsed;
  std::vector<std::size_t> state_of_parsed;
  for (const auto& name : listing.names) {
    const std::string path = options.directory == "/" ? "/" + name : options.directory + "/" + name;
    auto read = read_textfile(path, policy);
    if (read.status == TextfileRead::Status::gone) continue;
    FileState state{name, {}, std::nullopt, read.content.size(), 0};
    if (read.status == TextfileRead::Status::error) {
      state.error = std::move(read.error);
      states.push_back(std::move(state));
      continue;
    }
    if (options.max_age) {
      const auto age = std::chrono::seconds(now_seconds - read.mtime_seconds);
      if (age > *options.max_age) {
        state.error = "last written at " + utc_time(read.mtime_seconds) + ", longer ago than max_age " +
                      units::format_duration(*options.max_age);
        state.mtime = read.mtime_seconds;
        states.push_back(std::move(state));
        continue;
      }
    }
    auto output = parser.parse(parsers::ParseInput{read.content, 0});
    if (!output.ok()) {
      state.error = std::move(output.error);
      states.push_back(std::move(state));
      continue;
    }
    state.mtime = read.mtime_seconds;
    state.series = metrics::count_samples(output.families);
    state_of_parsed.push_back(states.size());
    states.push_back(std::move(state));
    parsed.push_back(ParsedTextfile{name, path, std::move(output.families)});
  }

  auto merged = merge_textfiles(std::move(parsed), {kMtimeFamily, kErrorFamily});
  for (auto& rejected : merged.rejected) {
    auto& state = states[state_of_parsed[rejected.file]];
    state.error = std::move(rejected.why);
    state.mtime.reset();
  }
  scan.families = own_families(states);
  for (auto& family : merged.families) scan.families.push_back(std::move(family));
  for (auto& state : states) {
    const auto series = state.error.empty() ? state.series : 0;
    scan.files.push_back(FileReport{std::move(state.name), std::move(state.error), state.bytes, series});
  }
  return scan;
}

}  // namespace gleaner::plugins::textfile
