#pragma once
// Keeps a warning that a client can trigger at will (connections turned
// away, accept failures) from flooding the log: at most one line per
// interval, which tells how many events it stands for.

#include <chrono>
#include <cstddef>
#include <optional>

namespace gleaner::http {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogThrottle(Clock::duration interval = std::chrono::minutes(1)) : interval_(interval) {}

  // Counts one event. Returns nothing when it should not be logged, else
  // how many events happened since the last line (this one included).
  std::optional<std::size_t> admit(Clock::time_point now = Clock::now()) {
    ++events_;
    if (logged_once_ && now - last_logged_ < interval_) return std::nullopt;
    logged_once_ = true;
    last_logged_ = now;
    const std::size_t events = events_;
    events_ = 0;
    return events;
  }

 private:
  Clock::duration interval_;
  Clock::time_point last_logged_{};
  bool logged_once_ = false;
  std::size_t events_ = 0;
};

}  // namespace gleaner::http
