#include "common/subprocess/run_operation.h"

#include <signal.h>
#include "common/subprocess/pidfd.h"
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/subprocess/duration_text.h"
#include "common/subprocess/spawn.h"

namespace gleaner::subprocess {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::size_t kStderrTail = 4096;
constexpr std::size_t kReadPerWakeup = 256 * 1024;
constexpr std::chrono::milliseconds kOutputWatchDelay{10};
constexpr std::size_t kMaxStderrDrain = 4 * 1024 * 1024;
// A stream's share of the thread per wake-up: one pipe's worth. Its stderr
// waits this long after a wake-up that took a whole share (a command
// writing stderr faster than 640 KiB/s waits on its pipe).
constexpr std::size_t kStreamReadPerWakeup = 64 * 1024;
constexpr std::chrono::milliseconds kStreamStderrPause{100};
// How long a stream that closed its stdout may take to exit before it is
// ended: a command that closes its output and exits right after is a
// clean end, and the pipe's EOF may be seen before the leader's exit.
constexpr std::chrono::milliseconds kClosedOutputGrace{1000};

}  // namespace

RunOperation::RunOperation(std::shared_ptr<RunnerCore> core, Command command,
                           std::optional<Framing> framing, ProcessRunner::RecordHandler on_record,
                           ProcessRunner::CompletionHandler handler)
    : core_(std::move(core)),
      command_(std::move(command)),
      framing_(framing),
      on_record_(std::move(on_record)),
      handler_(std::move(handler)),
      timeout_timer_(core_->executor()),
      kill_timer_(core_->executor()),
      stdout_pause_timer_(core_->executor()),
      stderr_pause_timer_(core_->executor()),
      closed_output_timer_(core_->executor()) {
  if (framing_) {
    splitter_.emplace(*framing_, command_.max_output);
    throttle_.emplace(command_.max_records_per_second, std::chrono::steady_clock::now());
  }
}

RunOperation::~RunOperation() {
  // Only reached unfinished when the executor is destroyed under us: leave
  // no process running, even if it cannot be waited for any more.
  if (started_ && !completed_) {
    if (!leader_exited_) signal_group(SIGKILL);
    core_->wakeups().forget_exit(pidfd_.get(), exit_watch_);
    core_->forget(*this);
  }
}

void RunOperation::connect_cancellation() {
  auto slot = asio::get_associated_cancellation_slot(handler_);
  if (!slot.is_connected()) return;
  slot.assign([weak = weak_from_this()](asio::cancellation_type) {
    if (auto self = weak.lock()) self->cancel();
  });
}

void RunOperation::start() {
  started_ = true;
  start_time_ = std::chrono::steady_clock::now();
  result_.started_at = start_time_;
  auto attempt = spawn_process(command_, core_->dev_null(), core_->executables(), core_->spawn_setups());
  if (command_.on_started) command_.on_started(start_time_);
  if (!attempt.ok()) {
    fail(RunFailure::spawn, std::move(attempt.message));
    finish();
    return;
  }
  auto& process = attempt.process;
  pid_ = process.pid;
  core_->reaper().track_leader(pid_);
  pidfd_ = std::move(process.pidfd);
  stdout_ = LazyDescriptor(std::move(process.stdout_pipe));
  stderr_ = LazyDescriptor(std::move(process.stderr_pipe));
  if (process.stdin_pipe) stdin_.emplace(core_->executor(), process.stdin_pipe.release());

  if (!wait_for_exit()) return;
  watch_output();
  if (stdin_) write_stdin();
  arm_timeout();
}

// False if the exit cannot be waited for (the kernel refused to add the
// pidfd to the watcher's set): the child, just started, is then killed and
// reaped at once, and the run fails.
bool RunOperation::wait_for_exit() {
  exit_watch_ = core_->wakeups().watch_exit(pidfd_.get(), [self = shared_from_this()] {
    self->exit_watch_ = 0;
    if (!self->completed_) self->on_leader_exit();
  });
  if (exit_watch_ != 0) return true;
  const int error = errno;
  kill_and_reap_now(pid_);
  leader_exited_ = true;
  core_->reaper().leader_reaped(pid_);
  fail(RunFailure::spawn, std::string("cannot wait for its exit: ") + std::strerror(error));
  finish();
  return false;
}

// Most commands a collector runs are done within a few milliseconds, and
// then their whole output is taken at their exit: watching the pipes from
// the start would cost the host a wake-up for the output and another for
// the exit. So the pipes are watched only once a command has run for
// kOutputWatchDelay (a pipe holds 64 KiB meanwhile; a command printing more
// waits at most that long). A stream's records are read as they come.
void RunOperation::watch_output() {
  if (framing_) {
    watch(stdout_, true);
    watch(stderr_, false);
    return;
  }
  // Not an Asio timer: cancelling one at the exit would still wake the
  // loop at its expiry (see RunWakeups).
  watch_delay_ = core_->wakeups().call_at(std::chrono::steady_clock::now() + kOutputWatchDelay,
                                          [self = shared_from_this()] {
                                            self->watch_delay_ = {};
                                            if (self->completed_ || self->leader_exited_) return;
                                            if (self->stdout_.is_open()) self->watch(self->stdout_, true);
                                            if (self->stderr_.is_open()) self->watch(self->stderr_, false);
                                          });
}

// Output is read by this class alone, synchronously, when Asio says a pipe
// is readable: every byte is appended the moment it leaves the pipe. (With
// async reads, a chunk read ahead could still be waiting in the queue when
// the leader's exit drains the rest, and the output would come out of order.)
void RunOperation::watch(LazyDescriptor& pipe, bool is_stdout) {
  pipe.watched(core_->executor())
      .async_wait(Descriptor::wait_read, [self = shared_from_this(), &pipe, is_stdout](const error_code& error) {
        if (self->completed_ || error || !pipe.is_open()) return;
        if (self->framing_) {
          self->on_stream_readable(is_stdout);
          return;
        }
        // Bounded, so that a flood cannot keep the thread here.
        self->read_available(pipe, is_stdout, kReadPerWakeup);
        if (pipe.is_open()) self->watch(pipe, is_stdout);
      });
}

// A stream runs for ever, so its share of the thread must be bounded, not
// only its memory: each wake-up reads at most one pipe's worth, the
// throttle hands over at most max_records_per_second records a second, and
// while a record waits for its turn the pipe is not read at all. A command
// printing faster than that then blocks on its full pipe and costs neither
// the daemon nor the host anything; what is published is the latest record
// read, at most about one turn (1 / max_records_per_second) old.
void RunOperation::on_stream_readable(bool is_stdout) {
  auto& descriptor = is_stdout ? stdout_ : stderr_;
  const std::size_t taken =
      descriptor.is_open() ? read_available(descriptor, is_stdout, kStreamReadPerWakeup) : 0;
  if (completed_ || result_.failure != RunFailure::none) return;
  if (!is_stdout) {
    if (!descriptor.is_open()) return;
    if (taken >= kStreamReadPerWakeup) {
      resume_stream_at(false, std::chrono::steady_clock::now() + kStreamStderrPause);
    } else {
      watch(descriptor, false);
    }
    return;
  }
  // A stream that closed its stdout can print no more records; were it left
  // running, its last values would stay published for ever.
  if (!descriptor.is_open() && !leader_exited_) end_if_still_running_after(kClosedOutputGrace);
  const auto turn = throttle_->flush(std::chrono::steady_clock::now(),
                                     [this](std::string_view record, std::uint64_t coalesced) {
                                       hand_over(record, coalesced);
                                     });
  if (completed_ || result_.failure != RunFailure::none) return;
  if (turn) {
    resume_stream_at(true, *turn);  // reads the newest at its turn, then hands it over
  } else if (descriptor.is_open()) {
    watch(descriptor, true);
  }
}

void RunOperation::end_if_still_running_after(std::chrono::milliseconds grace) {
  if (closed_output_armed_) return;
  closed_output_armed_ = true;
  closed_output_timer_.expires_after(grace);
  closed_output_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || self->completed_ || self->leader_exited_ || self->result_.failure != RunFailure::none) return;
    self->fail(RunFailure::output_closed, "closed its standard output but kept running; ended");
    self->terminate();
  });
}

void RunOperation::resume_stream_at(bool is_stdout, std::chrono::steady_clock::time_point when) {
  auto& timer = is_stdout ? stdout_pause_timer_ : stderr_pause_timer_;
  timer.expires_at(when);
  timer.async_wait([self = shared_from_this(), is_stdout](const error_code& error) {
    if (error || self->completed_) return;
    self->on_stream_readable(is_stdout);
  });
}

void RunOperation::hand_over(std::string_view record, std::uint64_t coalesced) {
  on_record_(StreamRecord{record, coalesced});
}

// Reads what the pipe holds now, up to `budget` bytes; returns how much it
// took. The descriptor is closed on EOF, an error, or the output limit.
// Only for a pipe the loop has watched, which Asio made non-blocking (see
// drain for the others).
std::size_t RunOperation::read_available(LazyDescriptor& descriptor, bool is_stdout, std::size_t budget) {
  // One buffer for every run on this thread: what is read is copied out
  // (on_stdout, on_stderr) before the next read, and a run is only ever
  // read on its executor's thread. Kept in each run, 20 KiB apiece would
  // wait with every run queued for its place (1,000 collectors starting at
  // once: 20 MiB).
  thread_local std::array<char, 16384> buffer;
  std::size_t taken = 0;
  while (taken < budget) {
    const ssize_t size = ::read(descriptor.native_handle(), buffer.data(), std::min(buffer.size(), budget - taken));
    if (size < 0 && errno == EINTR) continue;
    if (size < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return taken;
    if (size <= 0) {  // EOF (the leader's exit decides the end) or an error
      descriptor.close();
      return taken;
    }
    taken += static_cast<std::size_t>(size);
    if (is_stdout) {
      on_stdout(buffer.data(), static_cast<std::size_t>(size));
      if (!descriptor.is_open()) return taken;  // killed for its output
    } else {
      on_stderr(buffer.data(), static_cast<std::size_t>(size));
    }
  }
  return taken;
}

// Takes what the pipe holds at the leader's exit, up to `budget` bytes. It
// asks how much that is (FIONREAD) rather than reading until EAGAIN: a pipe
// never watched is still blocking (see spawn.cpp), and a process left in
// the background may hold its other end open, so a read past what is there
// could wait for ever.
void RunOperation::drain(LazyDescriptor& pipe, bool is_stdout, std::size_t budget) {
  int held = 0;
  if (::ioctl(pipe.native_handle(), FIONREAD, &held) != 0 || held <= 0) return;
  read_available(pipe, is_stdout, std::min(static_cast<std::size_t>(held), budget));
}

void RunOperation::write_stdin() {
  // A command that exits without reading gives EPIPE (SIGPIPE is ignored by
  // the runner): that is the command's business, not a failure of the run.
  asio::async_write(*stdin_, asio::buffer(*command_.stdin_data),
                    [self = shared_from_this()](const error_code&, std::size_t) {
                      if (self->stdin_->is_open()) self->stdin_->close();
                    });
}

void RunOperation::arm_timeout() {
  if (command_.timeout.count() <= 0) return;
  timeout_timer_.expires_after(command_.timeout);
  timeout_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || self->completed_ || self->leader_exited_) return;
    self->fail(RunFailure::timeout, "timeout after " + milliseconds_text(self->command_.timeout));
    self->terminate();
  });
}

void RunOperation::on_stdout(const char* data, std::size_t size) {
  if (result_.failure != RunFailure::none) return;  // being killed: ignore the rest
  if (splitter_) {
    const auto now = std::chrono::steady_clock::now();
    const auto offer = [this, now](std::string_view record) {
      throttle_->offer(record, now, [this](std::string_view r, std::uint64_t coalesced) { hand_over(r, coalesced); });
    };
    if (!splitter_->feed(std::string_view(data, size), offer)) {
      fail(RunFailure::output_limit,
           "a record longer than max_output (" + std::to_string(command_.max_output) + " bytes)");
      kill_now();
    }
    return;
  }
  if (result_.stdout_data.size() + size > command_.max_output) {
    fail(RunFailure::output_limit,
         "more than max_output (" + std::to_string(command_.max_output) + " bytes) on stdout");
    kill_now();
    return;
  }
  result_.stdout_data.append(data, size);
}

void RunOperation::on_stderr(const char* data, std::size_t size) {
  auto& tail = result_.stderr_tail;
  tail.append(data, size);
  // Trim in batches, so that a chatty command costs amortised O(1) a byte.
  if (tail.size() > 2 * kStderrTail) tail.erase(0, tail.size() - kStderrTail);
}

void RunOperation::on_leader_exit() {
  // The leader is a zombie now, so its pid (the group id) cannot have been
  // reused: this is the last moment the group may safely be signalled. End
  // whatever it left behind, so a background child holding the pipes can
  // neither hold this run open nor outlive it. (Only the group: the leader
  // itself is past signals.) Unless the command may leave processes behind:
  // the run does not wait for its pipes to close, so they cannot hold it.
  if (!command_.allow_background) ::kill(-pid_, SIGKILL);
  leader_exited_ = true;
  // What the leader wrote is all in the pipes by now: take it without
  // waiting. Bounded: a process that left the group could write for ever.
  if (stdout_.is_open()) drain(stdout_, true, command_.max_output + kReadPerWakeup);
  if (stderr_.is_open()) drain(stderr_, false, kMaxStderrDrain);

  int status = 0;
  const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
  if (reaped == pid_) {
    if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result_.term_signal = WTERMSIG(status);
  } else if (result_.failure == RunFailure::none) {
    // Someone else in this process reaped our child (waitpid(-1) elsewhere).
    fail(RunFailure::spawn, "the exit status was lost: the child was reaped elsewhere");
  }
  core_->reaper().leader_reaped(pid_);
  if (splitter_ && result_.failure == RunFailure::none) {
    const auto emit = [this](std::string_view record, std::uint64_t coalesced) { hand_over(record, coalesced); };
    splitter_->finish([&](std::string_view record) { throttle_->offer(record, std::chrono::steady_clock::now(), emit); });
    throttle_->finish(emit);  // its last word, whatever the rate
  }
  finish();
}

void RunOperation::cancel() {
  if (completed_) return;
  if (!started_) {
    core_->withdraw(*this);
    complete_unstarted(RunFailure::cancelled, "cancelled before it started");
    return;
  }
  if (leader_exited_) return;
  fail(RunFailure::cancelled, "cancelled");
  terminate();
}

void RunOperation::fail(RunFailure failure, std::string message) {
  if (result_.failure != RunFailure::none) return;  // the first reason stands
  result_.failure = failure;
  result_.failure_message = std::move(message);
}

void RunOperation::signal_group(int signal) {
  if (pid_ <= 0 || leader_exited_) return;
  ::kill(-pid_, signal);
  // Also the leader itself, through its pidfd, in case it left its group.
  if (pidfd_) ::pidfd_send_signal(pidfd_.get(), signal, nullptr, 0);
}

void RunOperation::terminate() {
  if (termination_ != Termination::none) return;
  termination_ = Termination::term_sent;
  signal_group(SIGTERM);
  kill_timer_.expires_after(command_.kill_grace);
  kill_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || self->completed_ || self->leader_exited_) return;
    self->termination_ = Termination::kill_sent;
    self->signal_group(SIGKILL);
    self->give_up_after_grace();
  });
}

void RunOperation::kill_now() {
  if (termination_ != Termination::kill_sent) {
    termination_ = Termination::kill_sent;
    signal_group(SIGKILL);
    give_up_after_grace();
  }
  if (stdout_.is_open()) stdout_.close();  // a flood stops here
}

// SIGKILL cannot be ignored, but a process stuck in the kernel (a hung NFS
// mount, say) dies only when the kernel lets it. Do not wait for that: hand
// the leader to the reaper and complete, so nothing else is held up.
void RunOperation::give_up_after_grace() {
  kill_timer_.expires_after(command_.kill_grace);
  kill_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || self->completed_ || self->leader_exited_) return;
    if (self->result_.failure == RunFailure::none) {
      self->fail(RunFailure::timeout, "did not exit after SIGKILL");
    }
    self->result_.failure_message += " (the process did not die after SIGKILL; reaped when it does)";
    self->core_->wakeups().forget_exit(self->pidfd_.get(), std::exchange(self->exit_watch_, 0));
    self->core_->reaper().reap_when_exited(self->pid_, std::move(self->pidfd_));
    self->leader_exited_ = true;  // given away: never signal it again
    self->finish();
  });
}

void RunOperation::complete_unstarted(RunFailure failure, std::string message) {
  fail(failure, std::move(message));
  finish();
}

void RunOperation::finish() {
  if (completed_) return;
  completed_ = true;
  if (started_) result_.duration = std::chrono::steady_clock::now() - start_time_;
  timeout_timer_.cancel();
  kill_timer_.cancel();
  core_->wakeups().cancel(std::exchange(watch_delay_, {}));
  stdout_pause_timer_.cancel();
  stderr_pause_timer_.cancel();
  closed_output_timer_.cancel();
  core_->wakeups().forget_exit(pidfd_.get(), std::exchange(exit_watch_, 0));
  pidfd_.reset();
  if (stdin_ && stdin_->is_open()) stdin_->close();
  stdout_.close();
  stderr_.close();
  if (result_.stderr_tail.size() > kStderrTail) {
    result_.stderr_tail.erase(0, result_.stderr_tail.size() - kStderrTail);
  }
  if (started_) core_->finished(*this);

  auto slot = asio::get_associated_cancellation_slot(handler_);
  if (slot.is_connected()) slot.clear();
  // Never inline: the caller may be inside its own initiation. post() runs
  // the handler on its own associated executor.
  asio::post(core_->executor(), asio::append(std::move(handler_), std::move(result_)));
}

}  // namespace gleaner::subprocess
