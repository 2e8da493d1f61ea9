#include "common/subprocess/interactive_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

#include "common/subprocess/duration_text.h"
#include "common/subprocess/pidfd.h"
#include "common/subprocess/runner_core.h"
#include "common/subprocess/spawn.h"

namespace gleaner::subprocess {

namespace asio = boost::asio;
using boost::system::error_code;
using std::chrono::steady_clock;

namespace {

constexpr std::size_t kStderrTail = 4096;
// At most this much of a dead child's unread stderr is read for its tail.
constexpr std::size_t kMaxStderrDrain = 4 * 1024 * 1024;
// One pipe's worth a wake-up, as for streams: a flood cannot keep the
// thread here, and what it prints is bounded by max_output anyway.
constexpr std::size_t kReadPerWakeup = 64 * 1024;
// A child that closed its stdout may be about to exit; if it is still
// running this much later, it can answer nothing and is ended.
constexpr std::chrono::milliseconds kClosedOutputGrace{1000};

}  // namespace

InteractiveProcess::InteractiveProcess(std::shared_ptr<RunnerCore> core, Command command)
    : core_(std::move(core)),
      command_(std::move(command)),
      assembler_(command_.max_output),
      answer_timer_(core_->executor()),
      quiet_timer_(core_->executor()),
      kill_timer_(core_->executor()) {
  if (!command_.stdin_data) command_.stdin_data.emplace();  // a pipe, kept open
}

InteractiveProcess::~InteractiveProcess() {
  // Only reached running when the executor is destroyed under us (the
  // wait for its exit holds the object otherwise): leave no process running.
  if (pid_ > 0 && !exited_) {
    ::kill(-pid_, SIGKILL);
    core_->wakeups().forget_exit(pidfd_.get(), exit_watch_);
    core_->forget(*this);
  }
}

void InteractiveProcess::start() {
  if (core_->is_shut_down()) {
    end_.failure = RunFailure::cancelled;
    end_.failure_message = "the runner is shutting down";
    ended_ = exited_ = true;
    return;
  }
  auto attempt = spawn_process(command_, core_->dev_null(), core_->executables(), core_->spawn_setups());
  if (!attempt.ok()) {
    end_.failure = RunFailure::spawn;
    end_.failure_message = std::move(attempt.message);
    ended_ = exited_ = true;
    return;
  }
  auto& process = attempt.process;
  pid_ = process.pid;
  end_.started_at = steady_clock::now();
  core_->reaper().track_leader(pid_);
  core_->adopt(*this);
  const auto& executor = core_->executor();
  pidfd_ = std::move(process.pidfd);
  stdin_.emplace(executor, process.stdin_pipe.release());
  stdout_.emplace(executor, process.stdout_pipe.release());
  stderr_.emplace(executor, process.stderr_pipe.release());
  wait_for_exit();
  watch_stdout();
  watch_stderr();
}

void InteractiveProcess::ask(std::string_view request, Timing timing, AnswerHandler handler) {
  if (handler_) {  // the caller broke the one-at-a-time rule: refuse, keep the child
    Result refused;
    refused.failure = RunFailure::cancelled;
    refused.failure_message = "another request is still waiting for its answer";
    asio::post(core_->executor(), asio::append(std::move(handler), std::move(refused)));
    return;
  }
  handler_.emplace(std::move(handler));
  asked_at_ = steady_clock::now();
  if (ended_) {
    answer(end_.failure, end_.failure_message);
    return;
  }
  auto slot = asio::get_associated_cancellation_slot(*handler_);
  if (slot.is_connected()) {
    // Posted: ending completes the request, which clears this very slot,
    // and a slot's handler must not be destroyed while it runs.
    slot.assign([weak = weak_from_this(), executor = core_->executor()](asio::cancellation_type) {
      asio::post(executor, [weak] {
        if (auto self = weak.lock()) self->end(RunFailure::cancelled, "cancelled");
      });
    });
  }
  timing_ = timing;
  assembler_.begin();
  // A child that has not read the last request yet gets no second one: at
  // most one request is ever waiting in its pipe.
  if (!write_pending_) {
    request_.assign(request);
    write_request();
  }
  answer_timer_.expires_after(timing.timeout);
  answer_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || !self->handler_) return;
    self->end(RunFailure::timeout, "no answer within " + milliseconds_text(self->timing_.timeout));
  });
}

void InteractiveProcess::write_request() {
  if (!stdin_ || !stdin_->is_open() || request_.empty()) return;
  write_pending_ = true;
  // EPIPE (SIGPIPE is ignored by the runner) means the child is going: its
  // exit or closed output says so, with its exit code.
  asio::async_write(*stdin_, asio::buffer(request_), [self = shared_from_this()](const error_code&, std::size_t) {
    self->write_pending_ = false;
  });
}

void InteractiveProcess::wait_for_exit() {
  exit_watch_ = core_->wakeups().watch_exit(pidfd_.get(), [self = shared_from_this()] {
    self->exit_watch_ = 0;
    if (!self->exited_) self->on_leader_exit();
  });
  if (exit_watch_ == 0) {  // the set refused it: end the child, just started, now
    const int error = errno;
    kill_and_reap_now(pid_);
    core_->reaper().leader_reaped(pid_);
    end_.failure = RunFailure::spawn;
    end_.failure_message = std::string("cannot wait for its exit: ") + std::strerror(error);
    ended_ = exited_ = true;
    released();
  }
}

void InteractiveProcess::watch_stdout() {
  stdout_->async_wait(Descriptor::wait_read, [self = shared_from_this()](const error_code& error) {
    if (error || self->exited_ || !self->stdout_->is_open()) return;
    self->read_stdout(kReadPerWakeup);
    if (self->stdout_->is_open()) self->watch_stdout();
  });
}

void InteractiveProcess::watch_stderr() {
  stderr_->async_wait(Descriptor::wait_read, [self = shared_from_this()](const error_code& error) {
    if (error || self->exited_ || !self->stderr_->is_open()) return;
    self->read_stderr(kReadPerWakeup);
    if (self->stderr_->is_open()) self->watch_stderr();
  });
}

// Only its tail is kept: the last words of a child that fails.
void InteractiveProcess::read_stderr(std::size_t budget) {
  for (std::size_t taken = 0; taken < budget && stderr_->is_open();) {
    const ssize_t size = ::read(stderr_->native_handle(), buffer_.data(), buffer_.size());
    if (size < 0 && errno == EINTR) continue;
    if (size < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (size <= 0) {
      stderr_->close();
      return;
    }
    taken += static_cast<std::size_t>(size);
    stderr_tail_.append(buffer_.data(), static_cast<std::size_t>(size));
    if (stderr_tail_.size() > 2 * kStderrTail) stderr_tail_.erase(0, stderr_tail_.size() - kStderrTail);
  }
}

// Output is read as it comes, between answers too, so that a child is
// never blocked on its pipe while no answer is awaited; what comes then is
// counted and dropped (bounded: more than max_output between two answers
// ends the child).
void InteractiveProcess::read_stdout(std::size_t budget) {
  for (std::size_t taken = 0; taken < budget && stdout_->is_open();) {
    const ssize_t size = ::read(stdout_->native_handle(), buffer_.data(), buffer_.size());
    if (size < 0 && errno == EINTR) continue;
    if (size < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (size <= 0) {
      stdout_->close();
      on_stdout_closed();
      return;
    }
    taken += static_cast<std::size_t>(size);
    take_output(std::string_view(buffer_.data(), static_cast<std::size_t>(size)));
  }
}

void InteractiveProcess::take_output(std::string_view data) {
  while (!data.empty() && !ended_) {
    std::size_t consumed = 0;
    const auto progress = assembler_.feed(data, &consumed);
    data.remove_prefix(consumed);
    if (progress == AnswerAssembler::Progress::complete) {
      answer(RunFailure::none, {});
    } else if (progress == AnswerAssembler::Progress::too_long) {
      end(RunFailure::output_limit, assembler_.answering()
                                        ? "an answer longer than max_output (" + std::to_string(command_.max_output) + " bytes)"
                                        : "more than max_output (" + std::to_string(command_.max_output) +
                                              " bytes) printed between answers");
      if (stdout_->is_open()) stdout_->close();  // a flood stops here
    }
  }
  if (assembler_.answering() && assembler_.answer_started()) arm_quiet_timer();
}

void InteractiveProcess::arm_quiet_timer() {
  if (timing_.quiet_period.count() <= 0) return;
  quiet_timer_.expires_after(timing_.quiet_period);
  quiet_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || !self->handler_ || self->ended_ || !self->assembler_.answering()) return;
    if (self->assembler_.mid_line()) {  // a line is still being printed: wait for its end
      self->arm_quiet_timer();
      return;
    }
    self->answer(RunFailure::none, {});
  });
}

void InteractiveProcess::on_stdout_closed() {
  if (ended_ || exited_) return;
  kill_timer_.expires_after(kClosedOutputGrace);
  kill_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || self->exited_) return;
    self->end(RunFailure::output_closed, "closed its standard output but kept running; ended");
  });
}

void InteractiveProcess::on_leader_exit() {
  // The last moment its group may be signalled (see RunOperation): end
  // what it left in it, unless the command may leave processes behind.
  if (!command_.allow_background) ::kill(-pid_, SIGKILL);
  // Its last lines are in the pipe: an answer may yet complete with them.
  if (stdout_->is_open()) read_stdout(command_.max_output + kReadPerWakeup);
  // And its last words (a traceback, say) may not have been read yet: they
  // are what the failure's log line shows.
  if (stderr_->is_open()) read_stderr(kMaxStderrDrain);
  int status = 0;
  const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
  Result exit;
  if (reaped == pid_) {
    if (WIFEXITED(status)) exit.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) exit.term_signal = WTERMSIG(status);
  }
  core_->reaper().leader_reaped(pid_);
  exited_ = true;
  end_.exit_code = exit.exit_code;
  end_.term_signal = exit.term_signal;
  end(RunFailure::output_closed, "exited (" + exit.describe() + ")");
  released();
}

void InteractiveProcess::answer(RunFailure failure, std::string message) {
  if (!handler_) return;
  answer_timer_.cancel();
  quiet_timer_.cancel();
  Result result;
  result.started_at = asked_at_;
  result.duration = steady_clock::now() - asked_at_;
  result.stdout_data = assembler_.take_answer();
  result.failure = failure;
  result.failure_message = std::move(message);
  if (failure != RunFailure::none) {
    result.stdout_data.clear();
    result.exit_code = end_.exit_code;
    result.term_signal = end_.term_signal;
    result.stderr_tail = stderr_tail_.size() > kStderrTail ? stderr_tail_.substr(stderr_tail_.size() - kStderrTail)
                                                           : stderr_tail_;
  }
  auto handler = std::move(*handler_);
  handler_.reset();
  auto slot = asio::get_associated_cancellation_slot(handler);
  if (slot.is_connected()) slot.clear();
  // Never inline: the caller may be inside its own initiation.
  asio::post(core_->executor(), asio::append(std::move(handler), std::move(result)));
}

void InteractiveProcess::end(RunFailure failure, std::string message) {
  if (ended_) return;
  ended_ = true;
  end_.failure = failure;
  end_.failure_message = std::move(message);
  answer(end_.failure, end_.failure_message);
  terminate();
}

void InteractiveProcess::close() { end(RunFailure::cancelled, "closed"); }

void InteractiveProcess::signal_group(int signal) {
  if (pid_ <= 0 || exited_) return;
  ::kill(-pid_, signal);
  // Also the leader itself, through its pidfd, in case it left its group.
  if (pidfd_) ::pidfd_send_signal(pidfd_.get(), signal, nullptr, 0);
}

// SIGTERM, SIGKILL after the grace, and after another grace the leader is
// handed to the reaper (a process stuck in the kernel dies when it can).
void InteractiveProcess::terminate() {
  if (exited_ || terminating_) return;
  terminating_ = true;
  if (stdin_ && stdin_->is_open()) stdin_->close();
  signal_group(SIGTERM);
  kill_timer_.expires_after(command_.kill_grace);
  kill_timer_.async_wait([self = shared_from_this()](const error_code& error) {
    if (error || self->exited_) return;
    self->signal_group(SIGKILL);
    self->kill_timer_.expires_after(self->command_.kill_grace);
    self->kill_timer_.async_wait([self](const error_code& error) {
      if (error || self->exited_) return;
      self->core_->wakeups().forget_exit(self->pidfd_.get(), std::exchange(self->exit_watch_, 0));
      self->core_->reaper().reap_when_exited(self->pid_, std::move(self->pidfd_));
      self->exited_ = true;  // given away: never signal it again
      self->released();
    });
  });
}

void InteractiveProcess::released() {
  answer_timer_.cancel();
  quiet_timer_.cancel();
  kill_timer_.cancel();
  core_->wakeups().forget_exit(pidfd_.get(), std::exchange(exit_watch_, 0));
  pidfd_.reset();
  for (auto* descriptor : {&stdin_, &stdout_, &stderr_}) {
    if (*descriptor && (*descriptor)->is_open()) (*descriptor)->close();
  }
  core_->forget(*this);
}

}  // namespace gleaner::subprocess
