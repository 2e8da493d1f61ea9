// The nvme plugin: Debian's nvme_metrics.sh (prometheus-node-exporter-
// collectors) in gleaner, with its metric names, labels and help texts.
//
//   - name: nvme
//     plugin: nvme
//     interval: 1m
//
// As the script: `nvme version`, `nvme list -o json` for the devices, then
// `nvme smart-log -o json DEVICE` for each, one after the other, through the
// runner (no shell, no jq). A device whose log cannot be read is left out
// and counted, the others are kept (README "The nvme plugin").

#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "plugins/nvme/nvme_output.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"
#include "plugins/program_option.h"

namespace gleaner::plugins::nvme {
namespace {

const std::vector<int> kSuccess = {0};
// nvme list exits 1 on a host without the nvme driver (below).
const std::vector<int> kSuccessOrNoDriver = {0, 1};

// Built outside the coroutine: GCC 12 cannot keep braced lists of strings
// across a co_await.
std::vector<std::string> version_argv(const std::string& nvme) { return {nvme, "version"}; }
std::vector<std::string> list_argv(const std::string& nvme) { return {nvme, "list", "-o", "json"}; }
std::vector<std::string> smart_log_argv(const std::string& nvme, const std::string& path) {
  return {nvme, "smart-log", "-o", "json", path};
}

// nvme-cli 2.x scans /sys/class/nvme-subsystem, which only exists once the
// nvme driver is loaded: without it there is no NVMe device, which is an
// answer, as a missing /proc/mdstat is to the mdraid plugin.
bool no_nvme_driver(const subprocess::Result& result) {
  return result.stderr_tail.find("Failed to scan topology: No such file or directory") != std::string::npos;
}

// ": " and the last line a failed command printed on stderr, if any: why
// nvme could not read a device ("Permission denied").
std::string last_words(std::string_view stderr_tail) {
  while (!stderr_tail.empty() && (stderr_tail.back() == '\n' || stderr_tail.back() == ' ')) stderr_tail.remove_suffix(1);
  if (stderr_tail.empty()) return {};
  const auto newline = stderr_tail.rfind('\n');
  return ": " + std::string(newline == std::string_view::npos ? stderr_tail : stderr_tail.substr(newline + 1));
}

class NvmeCollector final : public Collector {
 public:
  NvmeCollector(CollectorSettings settings, std::string nvme)
      : settings_(std::move(settings)), nvme_(std::move(nvme)), version_argv_(version_argv(nvme_)),
        list_argv_(list_argv(nvme_)) {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    auto version = co_await run_command(context, command_for(settings_, version_argv_), kSuccess);
    if (!version.ok()) co_return std::move(*version.failure);
    const auto list_command = command_for(settings_, list_argv_);
    auto list = co_await run_command(context, list_command, kSuccessOrNoDriver);
    if (!list.ok()) co_return std::move(*list.failure);
    DeviceList devices;
    if (list.result.exit_code != 0) {
      if (!no_nvme_driver(list.result)) {
        co_return CollectOutcome::failed(FailureReason::exit_code,
                                         list_command.display() + ": " + list.result.describe(),
                                         list.result.stderr_tail);
      }
    } else {
      devices = parse_device_list(list.result.stdout_data);
      if (!devices.ok()) {
        co_return CollectOutcome::failed(FailureReason::parse, list_command.display() + ": " + devices.error);
      }
    }

    std::vector<DeviceLog> logs;
    std::optional<CollectOutcome> first_failure;
    for (const auto& path : devices.paths) {
      const auto command = command_for(settings_, smart_log_argv(nvme_, path));
      auto run = co_await run_command(context, command, kSuccess);
      std::optional<CollectOutcome> failure;
      if (!run.ok()) {
        failure = std::move(run.failure);
      } else if (auto log = parse_smart_log(run.result.stdout_data); !log.ok()) {
        failure = CollectOutcome::failed(FailureReason::parse, command.display() + ": " + log.error);
      } else {
        logs.push_back(DeviceLog{device_label(path), std::move(log)});
      }
      if (failure && !first_failure) first_failure = std::move(failure);
    }
    // Every device failed: that is the run's failure. Some did: theirs
    // are left out, counted and named (README "The nvme plugin").
    if (first_failure && logs.empty()) co_return std::move(*first_failure);
    auto outcome = CollectOutcome::success(nvme_families(parse_version(version.result.stdout_data), logs));
    if (first_failure) {
      outcome.skipped = devices.paths.size() - logs.size();
      outcome.first_skipped = first_failure->message + last_words(first_failure->stderr_tail);
    }
    co_return outcome;
  }

 private:
  CollectorSettings settings_;
  std::string nvme_;
  std::vector<std::string> version_argv_;
  std::vector<std::string> list_argv_;
};

class NvmeFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "nvme"; }
  std::string_view description() const override {
    return "NVMe devices' SMART / health log (temperature, spare, wear, errors) from nvme-cli, as nvme_metrics.sh "
           "reports it";
  }

  std::vector<PluginOption> options() const override {
    return {{"options.nvme", "default nvme (found on the commands' PATH): the nvme-cli program to run"}};
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    // As the script: every device nvme list shows; only the program is
    // chosen.
    auto nvme = program_option(entry, "nvme");
    if (!nvme) return nullptr;
    return std::make_unique<NvmeCollector>(settings, std::move(*nvme));
  }
};

GLEANER_REGISTER_PLUGIN(NvmeFactory)

}  // namespace
}  // namespace gleaner::plugins::nvme
