#pragma once
// Where a scheduled collector hands what its runs came to. The collector
// decides when runs happen; what becomes of their outcomes is the sink's
// (OutcomeRecorder in the daemon, a recording fake in tests).

#include "plugins/plugin_api.h"

namespace gleaner::daemon {

class ScheduledCollector;

class RunOutcomeSink {
 public:
  virtual ~RunOutcomeSink() = default;

  // A run ended, or a stream printed a record. may_defer: the outcome may
  // be admitted off the loop (never a stream's records, which must keep
  // their order).
  virtual void finished(ScheduledCollector& collector, plugins::CollectOutcome outcome, bool may_defer) = 0;

  // A stream collector's command ended, cleanly or not; it restarts later.
  virtual void stream_ended(ScheduledCollector& collector, plugins::CollectOutcome end) = 0;
};

}  // namespace gleaner::daemon
