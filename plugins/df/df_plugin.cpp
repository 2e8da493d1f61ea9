// The df plugin: disk space and inodes of mounted filesystems, from `df`.
//
//   - name: disk
//     plugin: df
//     options: {local_only: true, exclude_fs_types: [tmpfs], exclude_mountpoints: "^/run($|/)"}
//
// With `names: node_exporter` the series take node_exporter's filesystem
// collector's names and HELP (node_filesystem_*), its free_bytes,
// readonly (from /proc/self/mounts) and device_error too, so that
// node-mixin's alerts and dashboards read them unchanged.

#include <re2/re2.h>

#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "plugins/df/df_output.h"
#include "plugins/df/mount_table.h"
#include "common/metrics/names.h"
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
const std::vector<int> kSuccessOnly = {0};
const std::vector<std::string> kMountTableArgv = {"cat", "--", "/proc/self/mounts"};

// The series' names: gleaner's own, or node_exporter's.
enum class Names { gleaner, node_exporter };

struct DfOptions {
  Names names = Names::gleaner;
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
    std::map<MountKey, bool> read_only;
    if (options_.names == Names::node_exporter) {
      if (auto failure = co_await read_mount_table(context, read_only)) co_return std::move(*failure);
    }
    co_return CollectOutcome::success(to_families(blocks, inodes, read_only));
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

  // The mount table, read by `cat` through the runner like df: the loop
  // never reads a file itself.
  boost::asio::awaitable<std::optional<CollectOutcome>> read_mount_table(CollectContext& context,
                                                                         std::map<MountKey, bool>& read_only) const {
    const auto command = command_for(settings_, kMountTableArgv);
    auto run = co_await run_command(context, command, kSuccessOnly);
    if (!run.ok()) co_return std::move(run.failure);
    read_only = parse_mount_table(run.result.stdout_data);
    co_return std::nullopt;
  }

  metrics::Families to_families(const DfTable& blocks, const DfTable& inodes,
                                const std::map<MountKey, bool>& read_only) const {
    std::map<Key, const DfRow*> inode_rows;
    for (const auto& row : inodes.rows) inode_rows.emplace(Key{row.device, row.mountpoint}, &row);

    const bool node = options_.names == Names::node_exporter;
    // node_exporter's names and HELP texts, word for word; gleaner's are the
    // same without node_ (and it reports used rather than free space).
    const char* size = node ? "node_filesystem_size_bytes" : "filesystem_size_bytes";
    const char* used = "filesystem_used_bytes";
    const char* free = "node_filesystem_free_bytes";
    const char* avail = node ? "node_filesystem_avail_bytes" : "filesystem_avail_bytes";
    const char* files = node ? "node_filesystem_files" : "filesystem_files";
    const char* files_free = node ? "node_filesystem_files_free" : "filesystem_files_free";
    const char* readonly = "node_filesystem_readonly";
    const char* device_error = "node_filesystem_device_error";

    metrics::FamilyBuilder builder;
    builder.family(size, MetricType::gauge, "Filesystem size in bytes.");
    if (node) {
      builder.family(free, MetricType::gauge, "Filesystem free space in bytes.");
    } else {
      builder.family(used, MetricType::gauge, "Filesystem space used in bytes.");
    }
    builder.family(avail, MetricType::gauge, "Filesystem space available to non-root users in bytes.");
    builder.family(files, MetricType::gauge, "Filesystem total file nodes.");
    builder.family(files_free, MetricType::gauge, node ? "Filesystem total free file nodes." : "Filesystem free file nodes.");
    if (node) {
      builder.family(readonly, MetricType::gauge, "Filesystem read-only status.");
      builder.family(device_error, MetricType::gauge,
                     "Whether an error occurred while getting statistics for the given device.");
    }

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
      add(size, row.total);
      if (node) {
        // Free space counts the blocks reserved for root; df's "used" is
        // exactly the size less it.
        if (row.total && row.used) add(free, *row.total - *row.used);
      } else {
        add(used, row.used);
      }
      add(avail, row.available);
      if (const auto it = inode_rows.find(Key{row.device, row.mountpoint}); it != inode_rows.end()) {
        add(files, it->second->total);
        add(files_free, it->second->available);
      }
      if (node) {
        const auto mount = read_only.find(MountKey{row.device, row.fstype, row.mountpoint});
        if (mount != read_only.end()) add(readonly, mount->second ? 1.0 : 0.0);
        // df reported this one, so statistics were had; of those it could
        // not read, df names none in a form to label.
        add(device_error, 0.0);
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
        {"options.names", "default gleaner: filesystem_*; node_exporter: node_exporter's node_filesystem_* series"},
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
      if (auto names = reader.string("names")) {
        if (*names == "node_exporter") {
          options.names = Names::node_exporter;
        } else if (*names != "gleaner") {
          errors.add(reader.value("names"), "options.names: \"" + *names + "\" is neither gleaner nor node_exporter");
        }
      }
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
