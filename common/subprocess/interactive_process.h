#pragma once
// A child kept running to answer requests, one at a time: the daemon writes
// a request to its standard input and reads the lines it prints back, up to
// a blank line or `# EOF`, or until no new line has come for a quiet period
// (for programs that print no terminator), or the timeout. This is how
// long-lived plugins are driven (Telegraf's execd with signal = "STDIN").
//
//   auto child = runner.start_interactive(command);
//   Result answer = co_await child->async_ask("\n", timing, use_awaitable);
//
// The guarantees of every run hold: its own process group; SIGTERM to the
// group, SIGKILL after the grace; the group's leftovers killed when the
// leader exits; always reaped; output bounded (max_output bounds one
// answer, and what it prints between answers); nothing blocks the
// executor's thread, and the write of a request is asynchronous and never
// queued twice, so a child that does not read its stdin cannot hold the
// daemon. Any failed answer (timeout, too long, exit, closed output) ends
// the child for good: a new one is started for the next request.

#include <sys/types.h>

#include <array>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/subprocess/answer_assembler.h"
#include "common/subprocess/command.h"
#include "common/subprocess/run_wakeups.h"
#include "common/subprocess/result.h"
#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

class RunnerCore;

class InteractiveProcess : public std::enable_shared_from_this<InteractiveProcess> {
 public:
  using AnswerHandler = boost::asio::any_completion_handler<void(Result)>;

  struct Timing {
    std::chrono::milliseconds timeout{10'000};  // for the whole answer
    // Ends an answer once it has begun and no line has come for this long;
    // zero: only a terminator (or the timeout) ends it.
    std::chrono::milliseconds quiet_period{100};
  };

  // Use ProcessRunner::start_interactive().
  InteractiveProcess(std::shared_ptr<RunnerCore> core, Command command);
  ~InteractiveProcess();
  InteractiveProcess(const InteractiveProcess&) = delete;
  InteractiveProcess& operator=(const InteractiveProcess&) = delete;

  // Writes request and completes with the answer in stdout_data, or with
  // why there is none (failure; exit_code or term_signal once it exited).
  // One request at a time. Cancellation ends the child.
  template <typename CompletionToken>
  auto async_ask(std::string_view request, Timing timing, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(Result)>(
        [this](auto handler, std::string_view request, Timing timing) {
          ask(request, timing, AnswerHandler(std::move(handler)));
        },
        token, request, timing);
  }

  // Ends the child: SIGTERM to its group, SIGKILL after the grace; reaped.
  void close();

  // Still running and able to answer.
  bool alive() const { return !ended_; }
  pid_t pid() const { return pid_; }
  // Lines printed while no answer was awaited, since the last call: they
  // are dropped; the first is kept for the log.
  std::string take_strays(std::size_t* count) { return assembler_.take_strays(count); }
  std::size_t stray_lines() const { return assembler_.stray_lines(); }

  // Internal: spawns; called once by ProcessRunner right after make_shared.
  void start();

 private:
  using Descriptor = boost::asio::posix::stream_descriptor;

  void ask(std::string_view request, Timing timing, AnswerHandler handler);
  void write_request();
  void wait_for_exit();
  void watch_stdout();
  void watch_stderr();
  void read_stderr(std::size_t budget);
  void read_stdout(std::size_t budget);
  void take_output(std::string_view data);
  void arm_quiet_timer();
  void on_stdout_closed();
  void on_leader_exit();

  void answer(RunFailure failure, std::string message);  // completes the request in flight
  void end(RunFailure failure, std::string message);     // the child can answer no more
  void terminate();
  void signal_group(int signal);
  void released();  // exited or given to the reaper: nothing of ours runs

  std::shared_ptr<RunnerCore> core_;
  Command command_;
  Timing timing_;
  AnswerAssembler assembler_;
  std::optional<AnswerHandler> handler_;
  std::string request_;
  bool write_pending_ = false;

  pid_t pid_ = -1;
  bool ended_ = false;     // answers no more: why is in end_
  bool exited_ = false;    // the leader is reaped (or given away): never signal it again
  bool terminating_ = false;
  Result end_;             // the failure, exit code and signal every later request gets
  std::string stderr_tail_;
  std::chrono::steady_clock::time_point asked_at_;

  UniqueFd pidfd_;
  RunWakeups::Id exit_watch_ = 0;  // until the exit is seen or given up
  std::optional<Descriptor> stdin_;
  std::optional<Descriptor> stdout_;
  std::optional<Descriptor> stderr_;
  boost::asio::steady_timer answer_timer_;
  boost::asio::steady_timer quiet_timer_;
  boost::asio::steady_timer kill_timer_;
  std::array<char, 16384> buffer_;
};

}  // namespace gleaner::subprocess
