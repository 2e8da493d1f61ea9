#pragma once
// Runs a real client (curl, openssl) as a child of the test and collects
// what it printed. No wait lasts past a deadline: a child still running then
// is killed, and the result says so.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/io_wait.h"

extern char** environ;

namespace gleaner::testing {

struct ChildResult {
  int exit_code = -1;  // -1 when it did not exit by itself
  bool timed_out = false;
  std::string out;
  std::string err;
};

// argv[0] is looked up on PATH. input goes to the child's standard input,
// which is then closed.
inline ChildResult run_child(const std::vector<std::string>& argv, const std::string& input = "",
                             std::chrono::steady_clock::duration patience = kPatience) {
  ChildResult result;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.err = "pipe2 failed";
    return result;
  }
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<char*> pointers;
  for (const std::string& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, pointers[0], &actions, nullptr, pointers.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = "cannot run " + argv[0];
    return result;
  }

  std::size_t written = 0;
  int input_fd = in_pipe[1];
  ::fcntl(input_fd, F_SETFL, O_NONBLOCK);
  if (input.empty()) {
    ::close(input_fd);
    input_fd = -1;
  }
  int open_outputs[2] = {out_pipe[0], err_pipe[0]};
  std::string* sinks[2] = {&result.out, &result.err};
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (open_outputs[0] >= 0 || open_outputs[1] >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd entries[3] = {{open_outputs[0], POLLIN, 0}, {open_outputs[1], POLLIN, 0}, {input_fd, POLLOUT, 0}};
    if (::poll(entries, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (entries[i].revents == 0) continue;
      char chunk[65536];
      const ssize_t got = ::read(open_outputs[i], chunk, sizeof chunk);
      if (got > 0) {
        sinks[i]->append(chunk, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(open_outputs[i]);
        open_outputs[i] = -1;
      }
    }
    if (input_fd >= 0 && entries[2].revents != 0) {
      const ssize_t sent = ::write(input_fd, input.data() + written, input.size() - written);
      if (sent > 0) written += static_cast<std::size_t>(sent);
      if ((sent < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        ::close(input_fd);
        input_fd = -1;
      }
    }
  }
  for (int fd : {open_outputs[0], open_outputs[1], input_fd}) {
    if (fd >= 0) ::close(fd);
  }
  // A child may close its outputs and still run: its exit is waited for
  // under the same deadline.
  int status = 0;
  for (;;) {
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == pid || (reaped < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() > deadline && !result.timed_out) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace gleaner::testing
