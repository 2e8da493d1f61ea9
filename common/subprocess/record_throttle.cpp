#include "common/subprocess/record_throttle.h"

#include <algorithm>

namespace gleaner::subprocess {

RecordThrottle::RecordThrottle(std::size_t per_second, TimePoint now)
    : per_second_(static_cast<double>(std::max<std::size_t>(per_second, 1))),
      tokens_(per_second_),
      refilled_at_(now) {}

void RecordThrottle::offer(std::string_view record, TimePoint now, const Emit& emit) {
  // While one is held back, a newer record takes its place: handing the
  // newer one over first would publish values older than what is shown.
  // Once paced, records are only handed over by flush(): one a turn, the
  // latest of what was read at it.
  if (!holding_ && !paced_ && take_token(now)) {
    emit(record, coalesced_);
    coalesced_ = 0;
    return;
  }
  if (holding_) ++coalesced_;
  held_.assign(record);
  holding_ = true;
}

std::optional<RecordThrottle::TimePoint> RecordThrottle::flush(TimePoint now, const Emit& emit) {
  if (holding_ && take_token(now)) emit_held(emit);
  refill(now);
  if (tokens_ >= 1.0) {
    if (!holding_) paced_ = false;  // it has slowed down: records pass at once again
    return std::nullopt;
  }
  // With no token left, whatever is read before the next one comes would
  // only be held back: reading it then instead reads newer records, once.
  paced_ = true;
  const auto wait = std::chrono::duration<double>((1.0 - tokens_) / per_second_);
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait) +
         std::chrono::microseconds(1);  // rounding must not wake it a hair too early
}

void RecordThrottle::finish(const Emit& emit) {
  if (holding_) emit_held(emit);
}

void RecordThrottle::refill(TimePoint now) {
  if (now <= refilled_at_) return;
  tokens_ = std::min(per_second_, tokens_ + std::chrono::duration<double>(now - refilled_at_).count() * per_second_);
  refilled_at_ = now;
}

bool RecordThrottle::take_token(TimePoint now) {
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

void RecordThrottle::emit_held(const Emit& emit) {
  holding_ = false;
  const auto coalesced = coalesced_;
  coalesced_ = 0;
  // Moved out first: emit may run long enough to see the next record offered.
  const std::string record = std::move(held_);
  held_.clear();
  emit(record, coalesced);
}

}  // namespace gleaner::subprocess
