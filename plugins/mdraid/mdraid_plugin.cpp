// The mdraid plugin: Linux software RAID arrays from /proc/mdstat, as
// node_exporter's mdadm collector reports them.
//
//   - name: mdraid
//     plugin: mdraid
//     options: {path: /proc/mdstat}
//
// The file is read by `cat` through the runner: a read of /proc never
// blocks for long, but the daemon's loop must never wait on one at all.

#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "plugins/mdraid/md_metrics.h"
#include "plugins/mdraid/mdstat.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"

namespace gleaner::plugins::mdraid {
namespace {

// cat exits 1 when the file is missing, which is an answer here.
const std::vector<int> kSuccessOrMissing = {0, 1};

class MdraidCollector final : public Collector {
 public:
  MdraidCollector(CollectorSettings settings, std::string path)
      : settings_(std::move(settings)), path_(std::move(path)), argv_{"cat", "--", path_} {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    const auto command = command_for(settings_, argv_);
    auto run = co_await run_command(context, command, kSuccessOrMissing);
    if (!run.ok()) co_return std::move(*run.failure);
    if (run.result.exit_code != 0) {
      // Without the md module loaded there is no /proc/mdstat: no arrays,
      // nothing wrong (node_exporter reports nothing either).
      if (run.result.stderr_tail.find("No such file or directory") != std::string::npos) {
        co_return CollectOutcome::success({});
      }
      co_return CollectOutcome::failed(FailureReason::exit_code, command.display() + ": " + run.result.describe(),
                                       run.result.stderr_tail);
    }
    const auto mdstat = parse_mdstat(run.result.stdout_data);
    if (!mdstat.ok()) co_return CollectOutcome::failed(FailureReason::parse, path_ + ": " + mdstat.error);
    co_return CollectOutcome::success(md_families(mdstat.arrays));
  }

 private:
  CollectorSettings settings_;
  std::string path_;
  std::vector<std::string> argv_;
};

class MdraidFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "mdraid"; }
  std::string_view description() const override {
    return "md RAID arrays' state, disks and sync progress from /proc/mdstat, as node_exporter's node_md_* series";
  }
  std::vector<PluginOption> options() const override {
    return {{"options.path", "default /proc/mdstat: an absolute path to a file in mdstat's format"}};
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    auto& errors = entry.errors();
    const std::size_t errors_before = errors.size();
    std::string path = "/proc/mdstat";
    if (entry.has("options")) {
      config::MapReader reader(entry.value("options"), "options", errors);
      // Another file in mdstat's format: a copy taken elsewhere, a test's.
      if (auto configured = reader.string("path")) {
        if (configured->empty() || configured->front() != '/') {
          errors.add(reader.value("path"), "options.path: must be an absolute path");
        }
        path = *configured;
      }
      reader.reject_unknown_keys();
    }
    if (errors.size() != errors_before) return nullptr;
    return std::make_unique<MdraidCollector>(settings, std::move(path));
  }
};

GLEANER_REGISTER_PLUGIN(MdraidFactory)

}  // namespace
}  // namespace gleaner::plugins::mdraid
