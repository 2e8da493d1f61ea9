#include "common/subprocess/process_runner.h"

#include <signal.h>

#include "common/subprocess/run_operation.h"
#include "common/subprocess/runner_core.h"

namespace gleaner::subprocess {
namespace {

// Writing to a pipe whose reader has gone (a command that exits without
// reading its stdin) must give EPIPE, not kill the daemon.
void ignore_sigpipe() {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    ::signal(SIGPIPE, SIG_IGN);
  }
}

}  // namespace

ProcessRunner::ProcessRunner(boost::asio::any_io_executor executor, Options options)
    : core_(std::make_shared<RunnerCore>(std::move(executor), options.max_concurrent)) {
  ignore_sigpipe();
}

ProcessRunner::~ProcessRunner() { core_->shutdown(); }

void ProcessRunner::launch(Command command, std::optional<Framing> framing, RecordHandler on_record,
                           CompletionHandler handler) {
  auto run = std::make_shared<RunOperation>(core_, std::move(command), framing, std::move(on_record),
                                            std::move(handler));
  run->connect_cancellation();
  core_->submit(run);
}

std::shared_ptr<InteractiveProcess> ProcessRunner::start_interactive(Command command) {
  auto process = std::make_shared<InteractiveProcess>(core_, std::move(command));
  process->start();
  return process;
}

void ProcessRunner::shutdown() { core_->shutdown(); }

void ProcessRunner::set_max_concurrent(std::size_t max_concurrent) {
  core_->set_max_concurrent(max_concurrent);
}

std::size_t ProcessRunner::running() const { return core_->running(); }
std::size_t ProcessRunner::queued() const { return core_->queued(); }
ChildReaper& ProcessRunner::reaper() { return core_->reaper(); }

}  // namespace gleaner::subprocess
