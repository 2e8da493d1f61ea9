// The smartmon plugin: Debian's smartmon.sh (prometheus-node-exporter-
// collectors) in gleaner, from smartctl's JSON output.
//
//   - name: smartmon
//     plugin: smartmon
//     interval: 5m
//     options: {devices: [/dev/sda, {path: /dev/bus/0, type: "megaraid,0"}]}
//
// Without `devices`, `smartctl --json --scan-open` lists them, as the script
// does with --scan-open. Then one `smartctl --json --info --health
// --attributes --nocheck=standby` per device, one after the other, each
// through the runner with the collector's timeout. smartctl's exit status is
// a bit mask: a device it could not read (bits 0-1) or a failing disk (bits
// 2-7) is that device's series, never the other devices' loss.

#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <numeric>
#include <set>

#include "common/files/trusted_file.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"
#include "plugins/smartmon/smartctl_output.h"
#include "common/subprocess/executable_lookup.h"

namespace gleaner::plugins::smartmon {
namespace {

const std::vector<int> kSuccess = {0};
// Every exit status of a device's run is an answer about the device.
const std::vector<int> kAnyStatus = [] {
  std::vector<int> codes(256);
  std::iota(codes.begin(), codes.end(), 0);
  return codes;
}();

struct SmartmonOptions {
  std::string smartctl = "smartctl";
  std::vector<ScannedDevice> devices;  // empty: scan
  bool wakeup_disks = false;
};

// Whole seconds, as the script's `date +%s`.
double seconds_since_epoch() {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

class SmartmonCollector final : public Collector {
 public:
  SmartmonCollector(CollectorSettings settings, SmartmonOptions options)
      : settings_(std::move(settings)), options_(std::move(options)) {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    // The version, and the devices unless they are configured.
    // --json first: smartctl prints --version's text as soon as it reads it.
    const auto first =
        command_for(settings_, {options_.smartctl, "--json", options_.devices.empty() ? "--scan-open" : "--version"});
    auto listed = co_await run_command(context, first, kSuccess);
    if (!listed.ok()) co_return std::move(*listed.failure);
    const auto scan = parse_scan(listed.result.stdout_data);
    if (!scan.ok()) {
      co_return CollectOutcome::failed(FailureReason::parse, first.display() + ": " + scan.error,
                                       listed.result.stderr_tail);
    }
    const auto& devices = options_.devices.empty() ? scan.devices : options_.devices;
    std::vector<DeviceRun> runs;
    for (const auto& device : devices) {
      DeviceRun run{device, {}, seconds_since_epoch()};
      const auto command = command_for(settings_, device_argv(device));
      auto done = co_await run_command(context, command, kAnyStatus);
      // A spawn failure or a timeout: smartctl itself is missing or hung,
      // which the run's failure reports (a hung disk must be noticed).
      if (!done.ok()) co_return std::move(*done.failure);
      run.report = parse_device(done.result.stdout_data, done.result.exit_code);
      if (!run.report.ok()) {
        co_return CollectOutcome::failed(FailureReason::parse, command.display() + ": " + run.report.error,
                                         done.result.stderr_tail);
      }
      runs.push_back(std::move(run));
    }
    co_return CollectOutcome::success(smartmon_families(scan.version, runs));
  }

 private:
  std::vector<std::string> device_argv(const ScannedDevice& device) const {
    std::vector<std::string> argv = {options_.smartctl, "--json", "--info", "--health", "--attributes"};
    // Asleep, a disk is left so (device_active 0), as the script leaves it.
    if (!options_.wakeup_disks) argv.emplace_back("--nocheck=standby");
    if (!device.type.empty()) argv.insert(argv.end(), {"--device", device.type});
    argv.push_back(device.name);
    return argv;
  }

  CollectorSettings settings_;
  SmartmonOptions options_;
};

// One entry of `devices`: a path, or {path: PATH, type: TYPE}.
std::optional<ScannedDevice> read_device(const YAML::Node& node, config::ErrorList& errors) {
  ScannedDevice device;
  if (node.IsMap()) {
    config::MapReader reader(node, "options.devices entry", errors);
    auto path = reader.required_string("path");
    if (!path) return std::nullopt;  // reported
    device.name = *path;
    device.type = reader.string("type").value_or("");
    if (reader.has("type") && (device.type.empty() || device.type.front() == '-')) {
      errors.add(reader.value("type"),
                 "options.devices: type must be one of smartctl's -d types (\"sat\", \"megaraid,0\")");
      return std::nullopt;
    }
    reader.reject_unknown_keys();
  } else if (auto path = config::read_string(node, "options.devices entry", errors)) {
    device.name = *path;
  } else {
    return std::nullopt;
  }
  if (device.name.empty() || device.name.front() != '/') {
    errors.add(node, "options.devices: a device is an absolute path (\"/dev/sda\") or {path: PATH, type: TYPE}");
    return std::nullopt;
  }
  return device;
}

class SmartmonFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "smartmon"; }
  std::string_view description() const override {
    return "disks' SMART health, attributes and identity from smartctl --json, as smartmon.sh reports them";
  }
  std::vector<PluginOption> options() const override {
    return {{"options.devices", "default: what smartctl --scan-open finds; a list of paths or {path, type}"},
            {"options.smartctl", "default smartctl (from PATH): an absolute path to smartctl"},
            {"options.wakeup_disks", "default false: leave sleeping disks asleep (--nocheck=standby)"}};
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions& validation) const override {
    auto& errors = entry.errors();
    const std::size_t errors_before = errors.size();
    SmartmonOptions options;
    if (entry.has("options")) {
      config::MapReader reader(entry.value("options"), "options", errors);
      if (reader.has("devices")) {
        const auto list = reader.value("devices");
        if (!list.IsSequence() || list.size() == 0) {
          errors.add(list, "options.devices: expected a list of devices (leave it out to scan)");
        } else {
          std::set<std::pair<std::string, std::string>> seen;
          for (const auto& node : list) {
            auto device = read_device(node, errors);
            if (!device) continue;
            // The same disk twice would be the same series twice.
            if (!seen.emplace(device->name, device->type).second) {
              errors.add(node, "options.devices: " + device->name + " is listed twice");
            }
            options.devices.push_back(std::move(*device));
          }
        }
      }
      if (auto smartctl = reader.string("smartctl")) {
        check_smartctl(*smartctl, reader.value("smartctl"), validation, errors);
        options.smartctl = *smartctl;
      }
      options.wakeup_disks = reader.boolean("wakeup_disks").value_or(false);
      reader.reject_unknown_keys();
    }
    if (errors.size() != errors_before) return nullptr;
    return std::make_unique<SmartmonCollector>(settings, std::move(options));
  }

 private:
  // As an exec command's program: absolute, trusted when it is there, and
  // when it is not, what the validation level says.
  static void check_smartctl(const std::string& path, const YAML::Node& where, const ValidationOptions& validation,
                             config::ErrorList& errors) {
    if (path.empty() || path.front() != '/') {
      errors.add(where, "options.smartctl: must be an absolute path");
      return;
    }
    const auto lookup = subprocess::find_executable(path, "");
    if (lookup.found()) {
      if (auto problem = files::check_trusted_file(lookup.path); !problem.empty()) errors.add(where, problem);
    } else if (validation.missing_executable == MissingExecutable::error) {
      errors.add(where, lookup.message);
    } else if (validation.missing_executable == MissingExecutable::warning) {
      errors.warn(where, lookup.message + " (its runs fail with reason spawn until it is installed)");
    }
  }
};

GLEANER_REGISTER_PLUGIN(SmartmonFactory)

}  // namespace
}  // namespace gleaner::plugins::smartmon
