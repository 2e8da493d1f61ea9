#include "record_throttle.h"

#include <algorithm>

namespace gleaner::subprocess {

RecordThrottle::RecordThrottle(std::size_t per_second, TimePoint now)
    : per_second_(static_cast<double>(std::max<std::size_t>(per_second, 1))),
      tokens_(per_second_),
      refilled_at_(now) {}

void RecordThrottle::offer(std::string_view record, TimePoint now, const Emit& emit) {
  // While one is held back, a newer record takes its place: handing the
  // newer one over first would publish values older than what is shown.
  if (!holding_ && take_token(now)) {
    emit(record, coalesced_);
    coalesced_ = 0;
    return;
  }
  if (holding_) ++coalesced_;
  held_.assign(record);
  holding_ = true;
}

std::optional<RecordThrottle::TimePoint> RecordThrottle::flush(TimePoint now, const Emit& emit) {
  if (!holding_) return std::nullopt;
  if (take_token(now)) {
    emit_held(emit);
    return std::nullopt;
  }
  const auto wait = std::chrono::duration<double>((1.0 - tokens_) / per_second_);
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait) +
         std::chrono::microseconds(1);  // rounding must not wake it a hair too early
}

void RecordThrottle::finish(const Emit& emit) {
  if (holding_) emit_held(emit);
}

bool RecordThrottle::take_token(TimePoint now) {
  if (now > refilled_at_) {
    tokens_ = std::min(per_second_, tokens_ + std::chrono::duration<double>(now - refilled_at_).count() * per_second_);
    refilled_at_ = now;
  }
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
