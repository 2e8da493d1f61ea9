#include "daemon/signal_policy.h"

#include <signal.h>

namespace gleaner::daemon {
namespace {

struct NamedSignal {
  int number;
  const char* name;
  SignalAction action;
};

// The classic signals whose default action ends the process, bar the
// program faults (see the header).
constexpr NamedSignal kClassicSignals[] = {
    {SIGHUP, "SIGHUP", SignalAction::reload},
    {SIGTERM, "SIGTERM", SignalAction::stop},
    {SIGINT, "SIGINT", SignalAction::stop},
    // A user's "quit" (Ctrl-\): a stop like any other, without the core dump
    // and with the commands ended.
    {SIGQUIT, "SIGQUIT", SignalAction::stop},
    // The soft CPU limit is passed and SIGKILL comes at the hard one: better
    // to stop now, ending the commands, than to be killed with them running.
    {SIGXCPU, "SIGXCPU", SignalAction::stop},
    // Power failing: init asks processes to shut down.
    {SIGPWR, "SIGPWR", SignalAction::stop},
    // Nothing in gleaner uses these; sent by mistake (a `kill -USR1` meant
    // for another daemon), they must not cost the metrics.
    {SIGUSR1, "SIGUSR1", SignalAction::log},
    {SIGUSR2, "SIGUSR2", SignalAction::log},
    {SIGALRM, "SIGALRM", SignalAction::log},
    {SIGVTALRM, "SIGVTALRM", SignalAction::log},
    {SIGPROF, "SIGPROF", SignalAction::log},
    {SIGIO, "SIGIO", SignalAction::log},
    {SIGSTKFLT, "SIGSTKFLT", SignalAction::log},
    // gleaner writes no regular file: past a file size limit a write fails
    // with EFBIG, which is handled where it happens.
    {SIGXFSZ, "SIGXFSZ", SignalAction::log},
};

}  // namespace

std::vector<int> handled_signals() {
  std::vector<int> result;
  for (const auto& signal : kClassicSignals) result.push_back(signal.number);
  // Real-time signals end a process by default too; gleaner uses none.
  for (int number = SIGRTMIN; number <= SIGRTMAX; ++number) result.push_back(number);
  return result;
}

SignalAction signal_action(int number) {
  for (const auto& signal : kClassicSignals) {
    if (signal.number == number) return signal.action;
  }
  return SignalAction::log;
}

std::string signal_name(int number) {
  for (const auto& signal : kClassicSignals) {
    if (signal.number == number) return signal.name;
  }
  if (number == SIGRTMIN) return "SIGRTMIN";
  if (number == SIGRTMAX) return "SIGRTMAX";
  if (number > SIGRTMIN && number < SIGRTMAX) return "SIGRTMIN+" + std::to_string(number - SIGRTMIN);
  return "signal " + std::to_string(number);
}

void ignore_broken_pipes() { ::signal(SIGPIPE, SIG_IGN); }

}  // namespace gleaner::daemon
