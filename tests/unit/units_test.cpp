#include "common/units/units.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gleaner::units {
namespace {

using std::chrono::milliseconds;

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("15s"), milliseconds(15'000));
  EXPECT_EQ(parse_duration("1m"), milliseconds(60'000));
  EXPECT_EQ(parse_duration("1h30m"), milliseconds(5'400'000));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1'500));
  EXPECT_EQ(parse_duration("2d"), milliseconds(172'800'000));
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
  for (const char* bad : {"", "15", "s", "-1s", "1x", "1h 30m", "ms5", "1.2.3s", "15sec"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

// The scheduler and the subprocess layer add durations to
// steady_clock::now() in nanoseconds: whatever parse_duration accepts must
// fit there with room left for the clock's own value (a century of uptime).
TEST(Units, DurationsTheClockCannotHoldAreRefused) {
  using namespace std::chrono;
  const double clock_limit_ms = duration<double, std::milli>(steady_clock::duration::max()).count();
  const double century_ms = duration<double, std::milli>(hours(24 * 36525)).count();
  for (const char* text : {"9999999h", "106752d", "1000000d", "3000000000000000ms", "99999999999999999999s"}) {
    const auto parsed = parse_duration(text);
    EXPECT_FALSE(parsed.has_value()) << text << " read as " << (parsed ? parsed->count() : 0) << "ms";
  }
  // The longest accepted is still a useful value, and it fits with margin.
  const auto longest = parse_duration("36500d");
  ASSERT_TRUE(longest.has_value());
  EXPECT_LT(static_cast<double>(longest->count()), clock_limit_ms - century_ms);
  EXPECT_FALSE(parse_duration("36500d1ms").has_value());
}

TEST(Units, FormatDurationReadsBack) {
  for (long long ms : {0LL, 250LL, 15'000LL, 60'000LL, 5'400'000LL, 90'061'001LL}) {
    const auto text = format_duration(milliseconds(ms));
    EXPECT_EQ(parse_duration(text), milliseconds(ms)) << text;
  }
  EXPECT_EQ(format_duration(milliseconds(5'400'000)), "1h30m");
}

TEST(Units, Sizes) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("64KiB"), 65536u);
  EXPECT_EQ(parse_size("1MiB"), 1048576u);
  EXPECT_EQ(parse_size("10MB"), 10'000'000u);
  EXPECT_EQ(parse_size("2G"), 2ull << 30);
  for (const char* bad : {"", "MiB", "1.5MiB", "-1", "1 parsec", "99999999999999999999TiB"}) {
    EXPECT_FALSE(parse_size(bad).has_value()) << bad;
  }
}

TEST(Units, Quantities) {
  EXPECT_EQ(parse_quantity("42"), 42);
  EXPECT_EQ(parse_quantity("-1.5e3"), -1500);
  EXPECT_EQ(parse_quantity("233Gi"), 233.0 * (1ull << 30));
  EXPECT_EQ(parse_quantity("1.5K"), 1536);
  EXPECT_DOUBLE_EQ(*parse_quantity("48%"), 0.48);
  EXPECT_EQ(parse_quantity("12MB"), 12e6);
  EXPECT_EQ(parse_quantity("3kB"), 3000);
  EXPECT_EQ(parse_quantity(" 7 "), 7);
  EXPECT_TRUE(std::isnan(*parse_quantity("NaN")));
  EXPECT_EQ(parse_quantity("+Inf"), INFINITY);
  for (const char* bad : {"", "abc", "12 apples", "1.2.3", "%", "G", "--1"}) {
    EXPECT_FALSE(parse_quantity(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace gleaner::units
