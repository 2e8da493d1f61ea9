#pragma once
// The asynchronous subprocess layer: the C++ counterpart of asyncio's
// create_subprocess_exec() + communicate(), and of reading a process's
// output line by line, done the Asio way.
//
//   runner.async_run(command, [](Result r) { ... });            // callback
//   Result r = co_await runner.async_run(command, use_awaitable);  // coroutine
//   co_await runner.async_stream(command, Framing::lines, on_line, use_awaitable);
//   co_await runner.start_interactive(command)->async_ask("\n", timing, use_awaitable);
//
// Every run: its own process group; SIGTERM to the group at the timeout and
// SIGKILL after the grace; the group's leftovers killed when the leader
// exits (so a background grandchild holding stdout cannot hold the run);
// output bounded; always reaped; nothing blocks the executor's thread.
// With reaper().adopt_orphans(), what escapes the group (setsid, double
// forks) is ended too once it loses its parent, unless
// Command::allow_background.
// At most max_concurrent runs are in flight; the rest wait in order.
// Cancellation (asio per-operation cancellation) terminates the group.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "common/subprocess/child_reaper.h"
#include "common/subprocess/command.h"
#include "common/subprocess/interactive_process.h"
#include "common/subprocess/record_splitter.h"
#include "common/subprocess/result.h"

namespace gleaner::subprocess {

class RunnerCore;

// A stream's record, and how many records that came before it were
// coalesced away since the previous one (Command::max_records_per_second).
struct StreamRecord {
  std::string_view text;
  std::uint64_t coalesced = 0;
};

class ProcessRunner {
 public:
  using CompletionHandler = boost::asio::any_completion_handler<void(Result)>;
  using RecordHandler = std::function<void(const StreamRecord& record)>;

  struct Options {
    std::size_t max_concurrent = 16;
  };

  ProcessRunner(boost::asio::any_io_executor executor, Options options);
  ~ProcessRunner();  // shuts down; runs still going complete as cancelled
  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  // Runs a command to its end and collects its output.
  template <typename CompletionToken>
  auto async_run(Command command, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(Result)>(
        [this](auto handler, Command command) {
          launch(std::move(command), std::nullopt, nullptr, CompletionHandler(std::move(handler)));
        },
        token, std::move(command));
  }

  // Runs a command and hands each record (line or block) to on_record as it
  // arrives; completes when the command ends. Streams do not take one of the
  // max_concurrent places, since they are meant to run for ever. max_output
  // bounds one record. A stream gets a fair share of the thread: at most
  // max_records_per_second records a second (the excess coalesced to the
  // latest), a bounded read per wake-up, and no reading while a record waits
  // for its turn, so that a command printing faster blocks on its pipe.
  template <typename CompletionToken>
  auto async_stream(Command command, Framing framing, RecordHandler on_record,
                    CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(Result)>(
        [this](auto handler, Command command, Framing framing, RecordHandler on_record) {
          launch(std::move(command), framing, std::move(on_record),
                 CompletionHandler(std::move(handler)));
        },
        token, std::move(command), framing, std::move(on_record));
  }

  // Starts a child that stays up to answer requests one at a time (see
  // InteractiveProcess). If it cannot start, its first answer says why.
  // Like streams, it does not take one of the max_concurrent places.
  std::shared_ptr<InteractiveProcess> start_interactive(Command command);

  // No new runs (they complete as cancelled); queued ones are cancelled and
  // running ones terminated (SIGTERM to each group, SIGKILL after its grace);
  // with the reaper adopting orphans, the orphans are ended too (see
  // reaper().orphans_being_ended() for when that is done).
  void shutdown();

  void set_max_concurrent(std::size_t max_concurrent);

  std::size_t running() const;  // started and not yet finished
  std::size_t queued() const;   // waiting for a place

  ChildReaper& reaper();

 private:
  void launch(Command command, std::optional<Framing> framing, RecordHandler on_record,
              CompletionHandler handler);

  std::shared_ptr<RunnerCore> core_;
};

}  // namespace gleaner::subprocess
