// The ipmi plugin: Debian's ipmitool awk script (prometheus-node-exporter-
// collectors) in gleaner, with its metric names, labels and help texts.
//
//   - name: ipmi
//     plugin: ipmi
//     interval: 1m
//     timeout: 1m
//
// The script reads `ipmitool sensor` on its standard input; gleaner runs
// that command itself, through the runner (no shell, no awk). ipmitool
// prints "na" for a sensor it could not read and goes on with the others
// (its exit status stays 0); gleaner leaves that one out, as the script.

#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "plugins/ipmi/ipmitool_sensor.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"
#include "plugins/program_option.h"

namespace gleaner::plugins::ipmi {
namespace {

const std::vector<int> kSuccess = {0};

class IpmiCollector final : public Collector {
 public:
  IpmiCollector(CollectorSettings settings, std::string ipmitool)
      : settings_(std::move(settings)), argv_{std::move(ipmitool), "sensor"} {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    auto run = co_await run_command(context, command_for(settings_, argv_), kSuccess);
    if (!run.ok()) co_return std::move(*run.failure);
    const auto readings = parse_sensors(run.result.stdout_data);
    auto outcome = CollectOutcome::success(ipmi_families(readings));
    // A reading that is not a number is left out and counted (README "The
    // ipmi plugin"); the script would have printed it as 0.
    outcome.skipped = readings.unreadable;
    outcome.first_skipped = readings.first_unreadable;
    co_return outcome;
  }

 private:
  CollectorSettings settings_;
  std::vector<std::string> argv_;
};

class IpmiFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "ipmi"; }
  std::string_view description() const override {
    return "the BMC's temperature, voltage, power, fan and discrete sensors from ipmitool sensor, as the ipmitool "
           "script reports them";
  }

  std::vector<PluginOption> options() const override {
    return {{"options.ipmitool", "default ipmitool (found on the commands' PATH): the ipmitool program to run"}};
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    // As the script: the local BMC's every sensor; only the program is
    // chosen.
    auto ipmitool = program_option(entry, "ipmitool");
    if (!ipmitool) return nullptr;
    return std::make_unique<IpmiCollector>(settings, std::move(*ipmitool));
  }
};

GLEANER_REGISTER_PLUGIN(IpmiFactory)

}  // namespace
}  // namespace gleaner::plugins::ipmi
