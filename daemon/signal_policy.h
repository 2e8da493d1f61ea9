#pragma once
// What each signal does to the daemon (README, "Command line"). Every signal
// whose default action would end the process is either a way to stop it
// cleanly, as SIGTERM does (its commands' process groups ended first), or
// logged and otherwise without effect: none may end the daemon silently and
// orphan the commands it runs. Program faults (SIGSEGV, SIGBUS, SIGILL,
// SIGFPE, SIGABRT, SIGTRAP, SIGSYS) keep their default, a core dump: a
// handler that returned would run the faulting instruction again.

#include <string>
#include <vector>

namespace gleaner::daemon {

enum class SignalAction {
  reload,  // SIGHUP
  stop,    // as SIGTERM: end the commands, then exit 0
  log,     // a log line, nothing else
};

// Every signal the daemon handles.
std::vector<int> handled_signals();

// What a handled signal does.
SignalAction signal_action(int number);

// "SIGUSR1", "SIGRTMIN+3".
std::string signal_name(int number);

// SIGPIPE is ignored, not handled: a write to a closed pipe or socket (the
// log's stderr after journald restarts, a command that stopped reading its
// stdin) must fail with EPIPE, and a handler that logged it would write to
// that same closed pipe again. Commands get their default back at spawn.
void ignore_broken_pipes();

}  // namespace gleaner::daemon
