#include "common/subprocess/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include "common/subprocess/pidfd.h"
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/subprocess/executable_lookup.h"
#include "common/subprocess/spawn_setup.h"

namespace gleaner::subprocess {
namespace {

struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

// Both ends close on exec, and both block: the child's must (a child given
// a non-blocking stdout would see EAGAIN where it expects to wait), and the
// daemon's may, since the loop reads a pipe only when it is readable or
// asks first how much it holds (RunOperation::drain); Asio makes a pipe
// non-blocking itself when it first waits on it. One fcntl() per pipe
// saved on every run.
int make_pipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return errno;
  pipe.read_end.reset(fds[0]);
  pipe.write_end.reset(fds[1]);
  return 0;
}

std::vector<char*> as_c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

SpawnAttempt failed(int error, std::string message) {
  SpawnAttempt attempt;
  attempt.error = error;
  attempt.message = std::move(message);
  return attempt;
}

int check_working_dir(const std::string& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) return errno;
  return S_ISDIR(info.st_mode) ? 0 : ENOTDIR;
}

// Why exec failed, in words: the working directory, or the program.
std::string explain_spawn_error(int error, const std::string& path, const std::string& working_dir) {
  if (const int dir_error = check_working_dir(working_dir); dir_error != 0) {
    return "working_dir " + working_dir + ": " + std::strerror(dir_error);
  }
  if (const int exe_error = check_executable(path); exe_error != 0) return path + ": " + std::strerror(exe_error);
  return path + ": " + std::strerror(error);
}

}  // namespace

SpawnAttempt spawn_process(const Command& command, int dev_null, ExecutableCache& executables,
                           SpawnSetups& setups) {
  if (command.argv.empty()) return failed(EINVAL, "empty command");
  const auto environment = build_environment(command);
  const auto path_value = path_of(environment);
  auto lookup = executables.find(command.argv.front(), path_value);
  if (!lookup.found()) return failed(lookup.error, std::move(lookup.message));

  Pipe in, out, err;
  const bool feeds_stdin = command.stdin_data.has_value();
  int error = feeds_stdin ? make_pipe(in) : 0;
  if (!error) error = make_pipe(out);
  if (!error) error = make_pipe(err);
  if (error) return failed(error, std::string("cannot create pipes: ") + std::strerror(error));

  const SpawnSetup* setup = setups.find(feeds_stdin ? in.read_end.get() : dev_null, out.write_end.get(),
                                        err.write_end.get(), command.working_dir, error);
  if (!setup) return failed(error, std::string("cannot prepare spawn: ") + std::strerror(error));

  const auto argv = as_c_strings(command.argv);
  const auto envp = as_c_strings(environment);
  pid_t pid = -1;
  // Checks before the spawn would cost every run; exec reports the problem
  // anyway, and only then is it worth finding out which one it was.
  error = ::posix_spawn(&pid, lookup.path.c_str(), setup->actions(), setup->attributes(),
                        argv.data(), envp.data());
  if (error) {
    executables.forget(command.argv.front(), path_value);
    return failed(error, explain_spawn_error(error, lookup.path, command.working_dir));
  }

  SpawnAttempt attempt;
  attempt.process.pid = pid;
  attempt.process.pidfd.reset(::pidfd_open(pid, 0));
  if (!attempt.process.pidfd) {
    // Without a pidfd the child cannot be waited for asynchronously; end it
    // now rather than leave it unattended (needs Linux 5.3 or later).
    const int open_error = errno;
    kill_and_reap_now(pid);
    return failed(open_error, std::string("pidfd_open: ") + std::strerror(open_error));
  }
  if (feeds_stdin) attempt.process.stdin_pipe = std::move(in.write_end);
  attempt.process.stdout_pipe = std::move(out.read_end);
  attempt.process.stderr_pipe = std::move(err.read_end);
  return attempt;
}

void kill_and_reap_now(pid_t pid) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);  // also if it has left its group
  ::waitpid(pid, nullptr, 0);
}

}  // namespace gleaner::subprocess
