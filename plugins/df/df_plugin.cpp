// The df plugin: disk space and inodes of mounted filesystems, from `df`.
//
//   - name: disk
//     plugin: df
//     options: {local_only: true, exclude_fs_types: [tmpfs], exclude_mountpoints: "^/run($|/)"}

#include <re2/re2.h>

#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "df_output.h"
#include "metrics/names.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"

namespace gleaner::plugins::df {
namespace {

using metrics::Label;
using metrics::MetricType;
using metrics::Sample;

// df exits 1 when it could not read some filesystem (a stale mount, one it
// may not stat) but still reports the others.
const std::vector<int> kAcceptedExitCodes = {0, 1};

struct DfOptions {
  bool local_only = true;
  std::vector<std::string> include_fs_types;
  std::vector<std::string> exclude_fs_types;
  std::unique_ptr<RE2> exclude_mountpoints;  // partial match, as node_exporter's
};

// `df -P -T` plus the filters df can apply itself; `mode` is -B1 or -i.
std::vector<std::string> df_argv(const DfOptions& options, const char* mode) {
  std::vector<std::string> argv = {"df", "-P", "-T", mode};
  if (options.local_only) argv.emplace_back("-l");
  for (const auto& type : options.include_fs_types) argv.push_back("-t" + type);
  for (const auto& type : options.exclude_fs_types) argv.push_back("-x" + type);
  return argv;
}

class DfCollector final : public Collector {
 public:
  DfCollector(CollectorSettings settings, DfOptions options)
      : settings_(std::move(settings)), options_(std::move(options)) {}

  boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    DfTable blocks, inodes;
    if (auto failure = co_await run_df(context, "-B1", blocks)) co_return std::move(*failure);
    if (auto failure = co_await run_df(context, "-i", inodes)) co_return std::move(*failure);
    co_return CollectOutcome::success(to_families(blocks, inodes));
  }

 private:
  using Key = std::tuple<std::string, std::string>;  // device, mount point

  // Runs one df command into table; a failure when that did not work.
  boost::asio::awaitable<std::optional<CollectOutcome>> run_df(CollectContext& context, const char* mode,
                                                               DfTable& table) const {
    const auto command = command_for(settings_, df_argv(options_, mode));
    auto run = co_await run_command(context, command, kAcceptedExitCodes);
    if (!run.ok()) co_return std::move(run.failure);
    table = parse_df_output(run.result.stdout_data);
    // The filters left nothing to report (a container with only /dev, say):
    // no series, but nothing wrong either.
    if (run.result.exit_code == 1 && table.rows.empty() &&
        run.result.stderr_tail.find("no file systems processed") != std::string::npos) {
      table = DfTable{};
      co_return std::nullopt;
    }
    if (run.result.exit_code != 0 && table.rows.empty()) {
      co_return CollectOutcome::failed(FailureReason::exit_code, command.display() + ": " + run.result.describe(),
                                       run.result.stderr_tail);
    }
    if (!table.ok()) {
      co_return CollectOutcome::failed(FailureReason::parse, command.display() + ": " + table.error,
                                       run.result.stderr_tail);
    }
    co_return std::nullopt;
  }

  metrics::Families to_families(const DfTable& blocks, const DfTable& inodes) const {
    std::map<Key, const DfRow*> inode_rows;
    for (const auto& row : inodes.rows) inode_rows.emplace(Key{row.device, row.mountpoint}, &row);

    metrics::FamilyBuilder builder;
    builder.family("filesystem_size_bytes", MetricType::gauge, "Filesystem size in bytes.");
    builder.family("filesystem_used_bytes", MetricType::gauge, "Filesystem space used in bytes.");
    builder.family("filesystem_avail_bytes", MetricType::gauge,
                   "Filesystem space available to non-root users in bytes.");
    builder.family("filesystem_files", MetricType::gauge, "Filesystem total file nodes.");
    builder.family("filesystem_files_free", MetricType::gauge, "Filesystem free file nodes.");

    std::set<Key> seen;
    for (const auto& row : blocks.rows) {
      if (options_.exclude_mountpoints && RE2::PartialMatch(row.mountpoint, *options_.exclude_mountpoints)) {
        continue;
      }
      // One series per filesystem, even if df lists a mount point twice.
      if (!seen.insert(Key{row.device, row.mountpoint}).second) continue;
      const metrics::Labels labels = {
          Label{"device", metrics::sanitize_utf8(row.device)},
          Label{"fstype", metrics::sanitize_utf8(row.fstype)},
          Label{"mountpoint", metrics::sanitize_utf8(row.mountpoint)},
      };
      const auto add = [&](const char* name, const std::optional<double>& value) {
        if (value) builder.add(name, MetricType::gauge, Sample{name, labels, *value});
      };
      add("filesystem_size_bytes", row.total);
      add("filesystem_used_bytes", row.used);
      add("filesystem_avail_bytes", row.available);
      if (const auto it = inode_rows.find(Key{row.device, row.mountpoint}); it != inode_rows.end()) {
        add("filesystem_files", it->second->total);
        add("filesystem_files_free", it->second->available);
      }
    }
    auto families = builder.take();
    std::erase_if(families, [](const auto& family) { return family.samples.empty(); });
    return families;
  }

  CollectorSettings settings_;
  DfOptions options_;
};

class DfFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "df"; }
  std::string_view description() const override {
    return "size, use and inodes of mounted filesystems, from df -P -T";
  }
  std::vector<PluginOption> options() const override {
    return {
        {"options.local_only", "default true: local filesystems only (df -l)"},
        {"options.include_fs_types", "filesystem types to report (df -t)"},
        {"options.exclude_fs_types", "filesystem types to leave out (df -x)"},
        {"options.exclude_mountpoints", "an RE2 regex; mount points it matches anywhere are left out"},
    };
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions&) const override {
    auto& errors = entry.errors();
    const std::size_t errors_before = errors.size();
    DfOptions options;
    if (entry.has("options")) {
      config::MapReader reader(entry.value("options"), "options", errors);
      options.local_only = reader.boolean("local_only").value_or(true);
      options.include_fs_types = reader.string_list("include_fs_types").value_or(std::vector<std::string>{});
      options.exclude_fs_types = reader.string_list("exclude_fs_types").value_or(std::vector<std::string>{});
      for (const auto* list : {&options.include_fs_types, &options.exclude_fs_types}) {
        for (const auto& type : *list) {
          if (type.empty() || type.find_first_of(" \t\n,") != std::string::npos || type.front() == '-') {
            errors.add(reader.node(), "options: \"" + type + "\" is not a filesystem type");
          }
        }
      }
      if (auto pattern = reader.string("exclude_mountpoints")) {
        options.exclude_mountpoints = std::make_unique<RE2>(*pattern, RE2::Quiet);
        if (!options.exclude_mountpoints->ok()) {
          errors.add(reader.value("exclude_mountpoints"),
                     "options.exclude_mountpoints: bad regex: " + options.exclude_mountpoints->error());
        }
      }
      reader.reject_unknown_keys();
    }
    if (errors.size() != errors_before) return nullptr;
    return std::make_unique<DfCollector>(settings, std::move(options));
  }
};

GLEANER_REGISTER_PLUGIN(DfFactory)

}  // namespace
}  // namespace gleaner::plugins::df
