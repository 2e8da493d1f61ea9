#pragma once
// A real node_exporter (Debian's prometheus-node-exporter, the binary that
// .ci/install-deps takes out of its package) with only its textfile
// collector, reading a directory, on loopback; stopped when the object goes.

#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/child_command.h"
#include "tests/support/io_wait.h"
#include "tests/support/prometheus_server.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/server_process.h"

namespace gleaner::testing {

inline constexpr const char* kNodeExporter = "prometheus-node-exporter";

inline bool node_exporter_installed() { return run_child({kNodeExporter, "--version"}).exit_code == 0; }

class NodeExporter {
 public:
  // node_exporter with only the collectors these flags turn on, e.g.
  // {"--collector.textfile", "--collector.textfile.directory=DIR"}.
  explicit NodeExporter(std::vector<std::string> collector_flags) : collector_flags_(std::move(collector_flags)) {
    // The port was free when chosen; another process may take it first, so
    // a start that fails is tried again.
    for (int attempt = 0; attempt < 3 && !ready_; ++attempt) {
      stop();
      port_ = free_loopback_port();
      spawn();
      ready_ = eventually([&] { return exited() || !metrics().empty(); }, std::chrono::seconds(30)) && !exited();
    }
  }
  ~NodeExporter() { stop(); }
  NodeExporter(const NodeExporter&) = delete;
  NodeExporter& operator=(const NodeExporter&) = delete;

  bool ready() const { return ready_; }
  std::string log() const { return ScratchDir::read(log_dir_.file("node_exporter.log")); }

  // One scrape of its /metrics ("" when it does not answer), by curl: the
  // reply is chunked.
  std::string metrics() const {
    const auto result = run_child(
        {"curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + std::to_string(port_) + "/metrics"}, "",
        std::chrono::seconds(15));
    return result.exit_code == 0 ? result.out : "";
  }

 private:
  void spawn() {
    std::vector<std::string> argv = {kNodeExporter, "--collector.disable-defaults",
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port_)};
    argv.insert(argv.end(), collector_flags_.begin(), collector_flags_.end());
    process_.start(argv, log_dir_.file("node_exporter.log"));
  }

  bool exited() { return process_.exited(); }
  void stop() { process_.stop(); }

  std::vector<std::string> collector_flags_;
  ScratchDir log_dir_;
  ServerProcess process_;
  int port_ = 0;
  bool ready_ = false;
};

}  // namespace gleaner::testing
