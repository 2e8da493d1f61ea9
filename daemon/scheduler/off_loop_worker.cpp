#include "daemon/scheduler/off_loop_worker.h"

namespace gleaner::daemon {

OffLoopWorker::SignalsBlocked::SignalsBlocked() {
  sigset_t all;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, &previous);
}

void OffLoopWorker::SignalsBlocked::restore() { ::pthread_sigmask(SIG_SETMASK, &previous, nullptr); }

// The pool's thread inherits the mask of the thread that starts it: every
// signal blocked while it starts, the caller's mask restored after.
OffLoopWorker::OffLoopWorker() : pool_(1) { blocked_while_starting_.restore(); }

OffLoopWorker::~OffLoopWorker() {
  pool_.stop();
  pool_.join();
}

}  // namespace gleaner::daemon
