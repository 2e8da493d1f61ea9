// The chrony plugin: Debian's chrony.py (prometheus-node-exporter-collectors)
// in gleaner, from `chronyc -c tracking`.
//
//   - name: chrony
//     plugin: chrony
//     options: {host: /run/chrony/chronyd.sock}

#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "plugins/chrony/chrony_tracking.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"

namespace gleaner::plugins::chrony {
namespace {

const std::vector<int> kSuccess = {0};

class ChronyCollector final : public Collector {
 public:
  ChronyCollector(CollectorSettings settings, std::vector<std::string> argv)
      : settings_(std::move(settings)), argv_(std::move(argv)) {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    const auto command = command_for(settings_, argv_);
    auto run = co_await run_command(context, command, kSuccess);
    if (!run.ok()) co_return std::move(*run.failure);
    const auto tracking = parse_tracking(run.result.stdout_data);
    if (!tracking.ok()) {
      co_return CollectOutcome::failed(FailureReason::parse, command.display() + ": " + tracking.error,
                                       run.result.stderr_tail);
    }
    co_return CollectOutcome::success(tracking_families(tracking));
  }

 private:
  CollectorSettings settings_;
  std::vector<std::string> argv_;
};

class ChronyFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "chrony"; }
  std::string_view description() const override {
    return "chronyd's tracking (offset, frequency, stratum, ...) from chronyc -c tracking, as chrony.py reports it";
  }
  std::vector<PluginOption> options() const override {
    return {{"options.host", "default chronyc's own: chronyd's command socket, host name or address (chronyc -h)"}};
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    auto& errors = entry.errors();
    const std::size_t errors_before = errors.size();
    std::vector<std::string> argv = {"chronyc"};
    if (entry.has("options")) {
      config::MapReader reader(entry.value("options"), "options", errors);
      // chronyc's -h: chronyd's command socket, or a host name or address.
      if (auto host = reader.string("host")) {
        if (host->empty() || host->front() == '-') {
          errors.add(reader.value("host"), "options.host: expected a socket path, host name or address");
        }
        argv.insert(argv.end(), {"-h", *host});
      }
      reader.reject_unknown_keys();
    }
    argv.insert(argv.end(), {"-c", "tracking"});
    if (errors.size() != errors_before) return nullptr;
    return std::make_unique<ChronyCollector>(settings, std::move(argv));
  }
};

GLEANER_REGISTER_PLUGIN(ChronyFactory)

}  // namespace
}  // namespace gleaner::plugins::chrony
