#pragma once
// Durations, sizes and numbers with units, as users write them in the
// configuration and as commands print them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gleaner::units {

// The longest duration gleaner reads: 100 years. Timers add durations to
// steady_clock::now() in nanoseconds, whose 64 bits hold 292 years; beyond
// this a conversion could overflow and a timeout expire at once. The clock's
// own value (the time since boot) keeps more than a century of room.
inline constexpr std::chrono::milliseconds kLongestDuration{36'500LL * 86'400'000};
static_assert(std::chrono::steady_clock::duration::max() -
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(kLongestDuration) >
              std::chrono::hours(24 * 36'525));

struct DurationReading {
  std::optional<std::chrono::milliseconds> value;  // set when well formed and in range
  bool too_long = false;  // well formed but longer than kLongestDuration
};

// "250ms", "15s", "1m", "1h30m", "2d"; units us, ms, s, m, h, d; at least
// one part; no sign; at most kLongestDuration.
DurationReading read_duration(std::string_view text);
// read_duration's value: nullopt when malformed or out of range.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// "15s", "250ms", "1h30m": the shortest form that parse_duration reads back.
std::string format_duration(std::chrono::milliseconds duration);

// "4096", "64KiB", "1MiB", "10MB", "2G": B, KiB/MiB/GiB/TiB (1024-based),
// kB/KB/MB/GB/TB (1000-based), K/M/G/T (1024-based). nullopt when malformed.
std::optional<std::uint64_t> parse_size(std::string_view text);

// A number as a command prints it, possibly with a unit: "42", "-1.5e3",
// "233Gi", "1.5K", "48%" (a ratio: 0.48), "12MB". Single-letter and "i"
// suffixes are 1024-based, as coreutils' -h output is; "kB", "MB", … are
// 1000-based; "%" divides by 100. nullopt when it is not such a number.
std::optional<double> parse_quantity(std::string_view text);

// A plain number (no unit): decimal, exponent, "NaN", "+Inf", "-Inf".
std::optional<double> parse_number(std::string_view text);

}  // namespace gleaner::units
