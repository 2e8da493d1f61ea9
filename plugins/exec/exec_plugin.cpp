// The exec plugin: any command becomes metrics. It runs the command (argv,
// or a shell script when asked), optionally feeds it stdin, and parses what
// it prints with the configured parser; in stream mode it parses each line
// or block as the command prints it; in persistent mode the command stays
// up and answers a newline on its stdin at every tick (README "The exec
// plugin").

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "plugins/command_run.h"
#include "plugins/off_loop.h"
#include "plugins/exec/exec_settings.h"
#include "plugins/plugin_api.h"

namespace gleaner::plugins::exec {
namespace {

namespace asio = boost::asio;

class ExecCollector final : public Collector {
 public:
  explicit ExecCollector(ExecSettings settings) : settings_(std::move(settings)) {}
  ~ExecCollector() override { stop(); }

  void stop() override {
    if (process_) process_->close();
    process_.reset();
  }

  CollectorMode mode() const override { return settings_.mode; }

  asio::awaitable<CollectOutcome> collect(CollectContext& context) override {
    if (settings_.mode == CollectorMode::stream) co_return co_await first_record(context);
    if (settings_.mode == CollectorMode::persistent) co_return co_await ask(context);
    auto run = co_await run_command(context, settings_.command, settings_.accept_exit_codes);
    if (!run.ok()) co_return std::move(*run.failure);
    co_return co_await parse_output(context, run.result.stdout_data, run.result.exit_code.value_or(0),
                                    std::move(run.result.stderr_tail));
  }

  asio::awaitable<CollectOutcome> stream(CollectContext& context, Publish publish) override {
    std::uint64_t skipped = 0;
    const auto result = co_await context.runner.async_stream(
        settings_.command, settings_.framing,
        [this, &publish, &skipped](const subprocess::StreamRecord& record) {
          skipped += record.coalesced;
          // A record with nothing in it (a header line, say) leaves the
          // latest values as they are.
          auto outcome = parse(record.text, 0, {});
          if (!outcome.ok() || !outcome.families.empty()) {
            outcome.records_skipped = std::exchange(skipped, 0);
            publish(std::move(outcome));
          }
        },
        asio::use_awaitable);
    if (auto failure = judge(settings_.command, result, settings_.accept_exit_codes)) co_return std::move(*failure);
    co_return CollectOutcome::success({});
  }

 private:
  // A very large output is parsed off the daemon's loop, so that a million
  // lines cannot keep scrapes and other collectors waiting for seconds.
  // Parsers are pure and const: safe on another thread. The text stays in
  // this coroutine's frame, which waits for the parse.
  asio::awaitable<CollectOutcome> parse_output(CollectContext& context, const std::string& text, int exit_code,
                                               std::string stderr_tail) const {
    constexpr std::size_t kOffLoopBytes = 1024 * 1024;
    if (text.size() < kOffLoopBytes || !context.off_loop) co_return parse(text, exit_code, std::move(stderr_tail));
    // Everything the work needs lives in this frame, which waits for it:
    // captured by reference, nothing moved into the closure.
    const auto caller = co_await asio::this_coro::executor;
    auto work = [this, &text, exit_code, &stderr_tail] { return parse(text, exit_code, std::move(stderr_tail)); };
    co_return co_await run_off_loop(context.off_loop, caller, work);
  }

  CollectOutcome parse(std::string_view text, int exit_code, std::string stderr_tail) const {
    auto parsed = settings_.parser->parse(parsers::ParseInput{text, exit_code});
    if (!parsed.ok()) {
      return CollectOutcome::failed(FailureReason::parse, settings_.command.display() + ": " + parsed.error,
                                    std::move(stderr_tail));
    }
    auto outcome = CollectOutcome::success(std::move(parsed.families));
    outcome.skipped = parsed.skipped;
    outcome.first_skipped = std::move(parsed.first_skipped);
    outcome.skipped_duplicates = parsed.duplicates;
    return outcome;
  }

  // One tick of a persistent command: a newline on its stdin, its answer
  // parsed. Any failure ends the command; the next tick after the restart
  // backoff starts it again (the scheduler keeps the backoff).
  asio::awaitable<CollectOutcome> ask(CollectContext& context) {
    const bool starting = !process_ || !process_->alive();
    if (starting) process_ = context.runner.start_interactive(settings_.command);
    if (context.on_command_started) context.on_command_started(std::chrono::steady_clock::now());
    // Held by this frame: stop() may drop the collector's handle meanwhile.
    const auto process = process_;
    const subprocess::InteractiveProcess::Timing timing{settings_.wait_timeout, settings_.quiet_period};
    const auto answer = co_await process->async_ask("\n", timing, asio::use_awaitable);
    if (context.on_command_finished) context.on_command_finished(settings_.command, answer);
    std::size_t strays = 0;
    const std::string first_stray = process->take_strays(&strays);
    CollectOutcome outcome;
    if (answer.failure != subprocess::RunFailure::none) {
      outcome = std::move(*judge(settings_.command, answer, {}));
    } else {
      outcome = co_await parse_output(context, answer.stdout_data, 0, {});
    }
    if (outcome.ok() && strays > 0) {
      // Lines printed after an answer ended belong to none: dropped, and
      // counted as malformed lines of the next answer.
      if (outcome.skipped == 0) outcome.first_skipped = "printed between answers: " + first_stray;
      outcome.skipped += strays;
    }
    outcome.command_started = starting;
    if (!outcome.ok()) {
      process->close();
      if (process_ == process) process_.reset();
      outcome.command_ended = true;
    }
    co_return outcome;
  }

  // A stream command run just long enough for its first record with
  // values (--once).
  asio::awaitable<CollectOutcome> first_record(CollectContext& context) {
    std::optional<CollectOutcome> first;
    asio::cancellation_signal stop;
    auto command = settings_.command;
    command.timeout = settings_.wait_timeout;
    const auto result = co_await context.runner.async_stream(
        command, settings_.framing,
        [&](const subprocess::StreamRecord& record) {
          if (first) return;
          auto outcome = parse(record.text, 0, {});
          if (outcome.ok() && outcome.families.empty()) return;  // as in stream()
          first = std::move(outcome);
          stop.emit(asio::cancellation_type::terminal);
        },
        asio::bind_cancellation_slot(stop.slot(), asio::use_awaitable));
    if (first) co_return std::move(*first);
    if (auto failure = judge(command, result, settings_.accept_exit_codes)) co_return std::move(*failure);
    co_return CollectOutcome::failed(FailureReason::parse, command.display() + ": ended without printing a record");
  }

  ExecSettings settings_;
  std::shared_ptr<subprocess::InteractiveProcess> process_;  // mode: persistent, while it runs
};

class ExecFactory final : public PluginFactory {
 public:
  std::string_view name() const override { return "exec"; }
  std::string_view description() const override {
    return "runs a command (or a shell script) and parses what it prints into metrics";
  }
  std::vector<PluginOption> options() const override {
    return {
        {"command", "argv list; the program is found on the command's own PATH; no shell"},
        {"shell", "a script run by /bin/sh -c, instead of command"},
        {"stdin", "text written to standard input (default: /dev/null)"},
        {"env", "extra environment variables"},
        {"inherit_env", "default false: the command gets only PATH, LC_ALL=C and env"},
        {"working_dir", "default /"},
        {"accept_exit_codes", "default [0] ([0, 1, 2, 3] with the nagios parser): exit codes that succeed"},
        {"mode", "default periodic; stream: the command runs for ever, each record parsed as it comes; "
                 "persistent: the command stays up and answers a newline on its stdin at each tick"},
        {"quiet_period", "default 100ms, with mode: persistent: an answer without a terminator ends this long "
                         "after its last line"},
        {"framing", "default lines; blocks (separated by blank lines), with mode: stream"},
        {"parser", "default {type: prometheus}; also value, keyvalue, table, regex, json, nagios, influx"},
        {"allow_background", "default false: what the command leaves running is ended"},
    };
  }

  std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                    const ValidationOptions& options) const override {
    auto exec = read_exec_settings(settings, entry, options);
    if (!exec) return nullptr;
    return std::make_unique<ExecCollector>(std::move(*exec));
  }
};

GLEANER_REGISTER_PLUGIN(ExecFactory)

}  // namespace
}  // namespace gleaner::plugins::exec
