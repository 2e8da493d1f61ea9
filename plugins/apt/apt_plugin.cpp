// The apt plugin: Debian's apt_info.py (prometheus-node-exporter-collectors)
// in gleaner, with its metric names, labels and help texts.
//
//   - name: apt
//     plugin: apt
//     interval: 5m
//
// Five short commands, one after the other, each through the runner:
// apt-get's simulations of a dist-upgrade (holds ignored, so that held
// packages are counted too, as apt_info.py counts them) and of an
// autoremove, `apt-cache policy` for the releases' origins and codenames,
// `apt-mark showhold`, and `stat` for the package cache's age and
// /run/reboot-required. None needs root or takes apt's lock.

#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "plugins/apt/apt_output.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"

namespace gleaner::plugins::apt {
namespace {

// The commands, at namespace scope: GCC 12 cannot keep braced lists of
// string literals across a co_await.
const std::vector<std::string> kDistUpgrade = {"apt-get", "-s", "--ignore-hold", "dist-upgrade"};
const std::vector<std::string> kAutoremove = {"apt-get", "-s", "autoremove"};
const std::vector<std::string> kPolicy = {"apt-cache", "policy"};
const std::vector<std::string> kShowHold = {"apt-mark", "showhold"};
const std::vector<std::string> kStat = {"stat", "-c", "%.9Y %n", "--", kPeriodicStamp, kListsPartial, kRebootRequired};
const std::vector<int> kSuccess = {0};
// stat exits 1 when a file is missing, which is an answer here.
const std::vector<int> kSuccessOrMissing = {0, 1};

class AptCollector final : public Collector {
 public:
  explicit AptCollector(CollectorSettings settings) : settings_(std::move(settings)) {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    AptState state;
    std::string text;
    if (auto failure = co_await run(context, kDistUpgrade, kSuccess, text)) {
      co_return std::move(*failure);
    }
    state.upgrade = parse_simulation(text);
    if (!state.upgrade.ok()) co_return parse_failure("apt-get -s dist-upgrade", state.upgrade.error);
    if (auto failure = co_await run(context, kAutoremove, kSuccess, text)) {
      co_return std::move(*failure);
    }
    state.autoremove = parse_simulation(text);
    if (!state.autoremove.ok()) co_return parse_failure("apt-get -s autoremove", state.autoremove.error);
    if (auto failure = co_await run(context, kPolicy, kSuccess, text)) co_return std::move(*failure);
    state.releases = parse_policy_releases(text);
    if (auto failure = co_await run(context, kShowHold, kSuccess, text)) co_return std::move(*failure);
    state.holds = parse_holds(text);
    if (auto failure = co_await run(context, kStat, kSuccessOrMissing, text)) {
      co_return std::move(*failure);
    }
    apply_file_times(parse_modification_times(text), state);
    co_return CollectOutcome::success(apt_families(state));
  }

 private:
  // Runs argv into text; a failure when that did not work.
  boost::asio::awaitable<std::optional<CollectOutcome>> run(CollectContext& context,
                                                            const std::vector<std::string>& argv,
                                                            const std::vector<int>& accepted, std::string& text) const {
    auto done = co_await run_command(context, command_for(settings_, argv), accepted);
    if (!done.ok()) co_return std::move(done.failure);
    text = std::move(done.result.stdout_data);
    co_return std::nullopt;
  }

  static CollectOutcome parse_failure(const char* command, const std::string& error) {
    return CollectOutcome::failed(FailureReason::parse, std::string(command) + ": " + error);
  }

  CollectorSettings settings_;
};

class AptFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "apt"; }
  std::string_view description() const override {
    return "pending and held upgrades, packages to autoremove and a reboot required, as apt_info.py reports them";
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    // Nothing to choose: what apt_info.py reports, it reports for the host.
    const std::size_t errors_before = entry.errors().size();
    if (entry.has("options")) {
      config::MapReader reader(entry.value("options"), "options", entry.errors());
      reader.reject_unknown_keys();
    }
    if (entry.errors().size() != errors_before) return nullptr;
    return std::make_unique<AptCollector>(settings);
  }
};

GLEANER_REGISTER_PLUGIN(AptFactory)

}  // namespace
}  // namespace gleaner::plugins::apt
