#pragma once
// Internal: one run of one command, from spawn to the completion handler.

#include <sys/types.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/subprocess/lazy_descriptor.h"
#include "common/subprocess/process_runner.h"
#include "common/subprocess/record_splitter.h"
#include "common/subprocess/record_throttle.h"
#include "common/subprocess/runner_core.h"

namespace gleaner::subprocess {

class RunOperation : public std::enable_shared_from_this<RunOperation> {
 public:
  RunOperation(std::shared_ptr<RunnerCore> core, Command command, std::optional<Framing> framing,
               ProcessRunner::RecordHandler on_record, ProcessRunner::CompletionHandler handler);
  ~RunOperation();
  RunOperation(const RunOperation&) = delete;
  RunOperation& operator=(const RunOperation&) = delete;

  // Hooks up the caller's cancellation slot; call once, right after make_shared.
  void connect_cancellation();
  // Whether it holds one of the max_concurrent places while it runs.
  bool takes_place() const { return !framing_.has_value(); }
  // Spawns and starts watching; completes at once if the spawn fails.
  void start();
  // Terminates the group (or completes at once if not started yet).
  void cancel();
  // Completes without ever having started.
  void complete_unstarted(RunFailure failure, std::string message);

 private:
  enum class Termination { none, term_sent, kill_sent };
  using Descriptor = boost::asio::posix::stream_descriptor;

  void watch_output();
  void watch(LazyDescriptor& pipe, bool is_stdout);
  std::size_t read_available(LazyDescriptor& pipe, bool is_stdout, std::size_t budget);
  void drain(LazyDescriptor& pipe, bool is_stdout, std::size_t budget);
  void on_stream_readable(bool is_stdout);
  void resume_stream_at(bool is_stdout, std::chrono::steady_clock::time_point when);
  void hand_over(std::string_view record, std::uint64_t coalesced);
  void write_stdin();
  bool wait_for_exit();
  void arm_timeout();

  void on_stdout(const char* data, std::size_t size);
  void on_stderr(const char* data, std::size_t size);
  void on_leader_exit();

  void fail(RunFailure failure, std::string message);
  void terminate();  // SIGTERM now, SIGKILL after the grace, then give up
  void end_if_still_running_after(std::chrono::milliseconds grace);
  void kill_now();   // SIGKILL now, then give up after the grace
  void signal_group(int signal);
  void give_up_after_grace();
  void finish();

  std::shared_ptr<RunnerCore> core_;
  Command command_;
  std::optional<Framing> framing_;
  std::optional<RecordSplitter> splitter_;
  std::optional<RecordThrottle> throttle_;
  ProcessRunner::RecordHandler on_record_;
  ProcessRunner::CompletionHandler handler_;

  pid_t pid_ = -1;
  bool started_ = false;
  bool leader_exited_ = false;  // once true, the group is never signalled again
  bool completed_ = false;
  Termination termination_ = Termination::none;
  std::chrono::steady_clock::time_point start_time_;

  UniqueFd pidfd_;
  RunWakeups::Id exit_watch_ = 0;  // until the exit is seen or given up
  RunWakeups::Deadline watch_delay_;  // until the pipes are watched
  std::optional<Descriptor> stdin_;
  LazyDescriptor stdout_;
  LazyDescriptor stderr_;
  boost::asio::steady_timer timeout_timer_;
  boost::asio::steady_timer kill_timer_;
  // A stream's pipes, not watched for a while (see on_stream_readable).
  boost::asio::steady_timer stdout_pause_timer_;
  boost::asio::steady_timer stderr_pause_timer_;
  boost::asio::steady_timer closed_output_timer_;
  bool closed_output_armed_ = false;

  Result result_;
  // No read buffer here: a run waiting for its place (max_concurrent) would
  // hold one for nothing; see read_available.
};

}  // namespace gleaner::subprocess
