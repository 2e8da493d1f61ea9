#pragma once
// A real node_exporter (Debian's prometheus-node-exporter, the binary that
// .ci/install-deps takes out of its package) with only its textfile
// collector, reading a directory, on loopback; stopped when the object goes.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "child_command.h"
#include "io_wait.h"
#include "prometheus_server.h"
#include "scratch_dir.h"

extern char** environ;

namespace gleaner::testing {

inline constexpr const char* kNodeExporter = "prometheus-node-exporter";

inline bool node_exporter_installed() { return run_child({kNodeExporter, "--version"}).exit_code == 0; }

class NodeExporter {
 public:
  explicit NodeExporter(const std::string& textfile_directory) : directory_(textfile_directory) {
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
    const std::vector<std::string> argv = {
        kNodeExporter,
        "--collector.disable-defaults",
        "--collector.textfile",
        "--collector.textfile.directory=" + directory_,
        "--web.listen-address=127.0.0.1:" + std::to_string(port_),
    };
    std::vector<char*> pointers;
    for (const auto& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
    pointers.push_back(nullptr);
    const int log = ::open(log_dir_.file("node_exporter.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, log, 1);
    ::posix_spawn_file_actions_adddup2(&actions, log, 2);
    if (::posix_spawnp(&pid_, kNodeExporter, &actions, nullptr, pointers.data(), environ) != 0) pid_ = -1;
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(log);
  }

  bool exited() {
    if (pid_ <= 0) return true;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
    return pid_ <= 0;
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!eventually([&] { return exited(); }, std::chrono::seconds(10))) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

  std::string directory_;
  ScratchDir log_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool ready_ = false;
};

}  // namespace gleaner::testing
