#pragma once
// The real gleaner binary as a child of the test: started with arguments,
// its log captured, its port read from its own log line, stopped by signal.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/io_wait.h"

#ifndef GLEANER_BINARY
#error "integration tests must be built with GLEANER_BINARY"
#endif

extern char** environ;

namespace gleaner::testing {

// Runs a command to its end; returns its exit status and output.
struct CommandOutput {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  bool timed_out = false;  // killed after the patience it was given
};

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The gleaner binary with args; stdout and stderr captured through files.
// Given a patience, a run that lasts longer is killed and marked timed_out:
// for what must end (--check-config), so that a hang fails the test instead
// of stalling it.
inline CommandOutput run_gleaner(const std::vector<std::string>& args,
                                 std::optional<std::chrono::steady_clock::duration> patience = std::nullopt) {
  char out_path[] = "/tmp/gleaner-out-XXXXXX";
  char err_path[] = "/tmp/gleaner-err-XXXXXX";
  const int out = ::mkstemp(out_path);
  const int err = ::mkstemp(err_path);
  std::vector<std::string> argv = {GLEANER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> pointers;
  for (auto& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out, 1);
  ::posix_spawn_file_actions_adddup2(&actions, err, 2);
  pid_t pid = -1;
  CommandOutput result;
  if (::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, pointers.data(), environ) == 0) {
    int status = 0;
    if (patience && !eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, *patience)) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    } else if (!patience) {
      ::waitpid(pid, &status, 0);
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out);
  ::close(err);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  ::unlink(out_path);
  ::unlink(err_path);
  return result;
}

class DaemonProcess {
 public:
  // Starts gleaner with args and extra "NAME=value" environment entries;
  // its stdout and stderr (the log) go to a file. A launcher is a command
  // that execs gleaner in its own place, found on PATH
  // ({"systemd-socket-activate", "-l", "127.0.0.1:9947"}): pid() is then gleaner's.
  explicit DaemonProcess(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {},
                         const std::vector<std::string>& launcher = {}) {
    char log_path[] = "/tmp/gleaner-log-XXXXXX";
    const int log = ::mkstemp(log_path);
    log_path_ = log_path;
    std::vector<std::string> argv = launcher;
    argv.push_back(GLEANER_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> pointers;
    for (auto& arg : argv) pointers.push_back(arg.data());
    pointers.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, log, 1);
    ::posix_spawn_file_actions_adddup2(&actions, log, 2);
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
    environment.insert(environment.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> env_pointers;
    for (auto& entry : environment) env_pointers.push_back(entry.data());
    env_pointers.push_back(nullptr);
    const int error = ::posix_spawnp(&pid_, argv[0].c_str(), &actions, nullptr, pointers.data(), env_pointers.data());
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(log);
    if (error != 0) throw std::runtime_error("cannot start " + argv[0]);
  }

  ~DaemonProcess() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::unlink(log_path_.c_str());
  }

  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string log() const { return read_file(log_path_); }
  void signal(int number) const { ::kill(pid_, number); }

  // The port from the "listening on HOST:PORT" log line; 0 if it never came.
  int port() {
    if (port_ == 0) {
      const std::regex listening("listening on [^ ,]*:([0-9]+)");
      eventually([&] {
        std::smatch match;
        const auto text = log();
        if (std::regex_search(text, match, listening)) port_ = std::stoi(match[1]);
        return port_ != 0 || exited();
      });
    }
    return port_;
  }

  // Whether it has exited (reaps it if so).
  bool exited() {
    if (exit_status_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) exit_status_ = status;
    return exit_status_.has_value();
  }

  // The exit code once it has exited within the patience, else nullopt.
  std::optional<int> wait_for_exit(std::chrono::steady_clock::duration patience = kPatience) {
    if (!eventually([&] { return exited(); }, patience)) return std::nullopt;
    return WIFEXITED(*exit_status_) ? WEXITSTATUS(*exit_status_) : 128 + WTERMSIG(*exit_status_);
  }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  int port_ = 0;
  std::optional<int> exit_status_;
};

}  // namespace gleaner::testing
