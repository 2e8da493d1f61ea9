// The textfile plugin: the series other programs leave in `*.prom` files of
// a directory, as node_exporter's textfile collector reads them, one file's
// trouble costing that file alone (README "The textfile plugin").
//
//   - name: textfile
//     plugin: textfile
//     options: {directory: /var/lib/gleaner/textfile, max_age: 1h}

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>

#include "plugins/plugin_api.h"
#include "plugins/textfile/blocking_job.h"
#include "plugins/textfile/textfile_options.h"
#include "common/logging/logging.h"
#include "plugins/textfile/textfile_scan.h"
#include "common/units/units.h"

namespace gleaner::plugins::textfile {
namespace {

using Jobs = BlockingJobs<TextfileScan>;

std::string seconds_words(std::chrono::steady_clock::duration duration) {
  return units::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(duration));
}

class TextfileCollector final : public Collector {
 public:
  TextfileCollector(CollectorSettings settings, TextfileOptions options)
      : settings_(std::move(settings)), options_(std::move(options)) {}

  bool runs_commands() const override { return false; }  // it reads files

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    // The directory may sit on a filesystem that hangs: listing and reading
    // happen on a thread of their own, bounded by the collector's timeout.
    auto job = co_await Jobs::run(options_.directory, make_work(), settings_.timeout);
    switch (job.end) {
      case JobEnd::finished:
        break;
      case JobEnd::timed_out:
        co_return CollectOutcome::failed(FailureReason::timeout,
                                         "reading " + options_.directory + " took longer than the timeout (" +
                                             units::format_duration(settings_.timeout) +
                                             "); a hung filesystem? No other read of it starts until this one returns");
      case JobEnd::previous_still_running:
        co_return CollectOutcome::failed(FailureReason::timeout,
                                         "an earlier read of " + options_.directory + " has not returned for " +
                                             seconds_words(job.busy_for) + "; a hung filesystem?");
      case JobEnd::cancelled:
        co_return CollectOutcome::failed(FailureReason::timeout, "reading " + options_.directory + " was cancelled");
      case JobEnd::no_thread:
        co_return CollectOutcome::failed(FailureReason::spawn,
                                         "no thread could be started to read " + options_.directory);
      case JobEnd::failed:
        co_return CollectOutcome::failed(FailureReason::internal, "reading " + options_.directory + " failed");
    }
    auto& scan = job.result;
    // A directory that cannot be listed is like a program that cannot be
    // started: nothing could be looked at.
    if (!scan.directory_error.empty()) co_return CollectOutcome::failed(FailureReason::spawn, scan.directory_error);
    log_changes(scan.files);
    if (context.on_detail) show_files(context, scan.files);
    co_return CollectOutcome::success(std::move(scan.families));
  }

 private:
  // The closure owns copies of what it needs: it may outlive this
  // collector (a reload while a read hangs).
  std::function<TextfileScan()> make_work() const {
    return [options = options_] { return scan_textfiles(options, std::chrono::system_clock::now()); };
  }

  // For --verbose: each file and what came of it.
  void show_files(CollectContext& context, const std::vector<FileReport>& files) const {
    if (files.empty()) context.on_detail("no *.prom file in " + options_.directory);
    for (const auto& file : files) {
      const std::string what = options_.directory + "/" + file.name + ": " + std::to_string(file.bytes) + " bytes, ";
      context.on_detail(file.error.empty() ? what + std::to_string(file.series) + " series published"
                                           : what + "left out: " + file.error);
    }
  }

  // A file's trouble is logged when it starts or changes, and its end once;
  // a file that stays bad costs no line per run (README "What is logged").
  void log_changes(const std::vector<FileReport>& files) {
    std::map<std::string, std::string> now;
    for (const auto& file : files) {
      const auto before = last_errors_.find(file.name);
      const bool was_bad = before != last_errors_.end();
      if (!file.error.empty()) {
        if (!was_bad || before->second != file.error) {
          logging::event(spdlog::level::warn,
                         fmt::format("collector {}: textfile {}/{} left out: {}", settings_.name, options_.directory,
                                     file.name, file.error),
                         {{"event", "textfile_left_out"},
                          {"collector", settings_.name},
                          {"file", options_.directory + "/" + file.name},
                          {"error", file.error}});
        }
        now.emplace(file.name, file.error);
      } else if (was_bad) {
        logging::event(spdlog::level::info,
                       fmt::format("collector {}: textfile {}/{} is published again", settings_.name,
                                   options_.directory, file.name),
                       {{"event", "textfile_published_again"},
                        {"collector", settings_.name},
                        {"file", options_.directory + "/" + file.name}});
      }
    }
    last_errors_ = std::move(now);
  }

  CollectorSettings settings_;
  TextfileOptions options_;
  std::map<std::string, std::string> last_errors_;  // file name -> its error, as last logged
};

class TextfileFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "textfile"; }
  std::string_view description() const override {
    return "the series other programs leave in *.prom files of a directory, as node_exporter's textfile collector";
  }
  std::vector<PluginOption> options() const override {
    return {
        {"options.directory", "required: an absolute path; every *.prom file in it is read"},
        {"options.max_age", "default none: a file modified longer ago is left out and flagged"},
        {"options.max_file_size", "default 16MiB: a larger file is left out and flagged"},
    };
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    auto options = read_textfile_options(entry);
    if (!options) return nullptr;
    return std::make_unique<TextfileCollector>(settings, std::move(*options));
  }
};

GLEANER_REGISTER_PLUGIN(TextfileFactory)

}  // namespace
}  // namespace gleaner::plugins::textfile
