#pragma once
// Bounds how many records a stream hands over a second. A stream's record
// replaces everything its collector showed before, so of records that come
// faster than they are worth handling, only the latest matters: the excess
// is coalesced to the latest and counted, never queued. Pure (time comes in
// as an argument), so its tests need no clock.
//
// A token bucket: `per_second` tokens a second, at most `per_second` saved,
// one spent per record handed over. A stream within the rate (bursts
// included) sees every record at once; a faster one sees at most
// `per_second` a second, each the latest of its moment.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gleaner::subprocess {

class RecordThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  // A record handed over, and how many records before it were coalesced
  // away since the previous one.
  using Emit = std::function<void(std::string_view record, std::uint64_t coalesced)>;

  RecordThrottle(std::size_t per_second, TimePoint now);

  // A record arrived: handed over at once when a token is free and none is
  // held back, else held back in place of the one held before.
  void offer(std::string_view record, TimePoint now, const Emit& emit);

  // After a batch of offers: hands over the record held back if a token is
  // free now. Returns when the next token comes if no token is left: the
  // reader should stop reading until then (anything read sooner would only
  // be held back), so that a flooding command waits on its full pipe
  // instead of costing CPU.
  std::optional<TimePoint> flush(TimePoint now, const Emit& emit);

  // At the end of the stream: the record held back is the command's last
  // word, handed over whatever the rate.
  void finish(const Emit& emit);

  bool holding() const { return holding_; }

 private:
  void refill(TimePoint now);
  bool take_token(TimePoint now);
  void emit_held(const Emit& emit);

  double per_second_;
  double tokens_;
  TimePoint refilled_at_;
  bool holding_ = false;
  bool paced_ = false;  // over its rate: records wait for flush()
  std::string held_;
  std::uint64_t coalesced_ = 0;
};

}  // namespace gleaner::subprocess
