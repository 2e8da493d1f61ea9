// The stream's rate bound, on a clock of its own: which records are handed
// over, which are coalesced, and when the reader is told to come back.

#include "common/subprocess/record_throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gleaner::subprocess {
namespace {

using namespace std::chrono_literals;
using TimePoint = RecordThrottle::TimePoint;

struct Handed {
  std::string record;
  std::uint64_t coalesced;
  bool operator==(const Handed&) const = default;
};

class RecordThrottleTest : public ::testing::Test {
 protected:
  RecordThrottle::Emit emit() {
    return [this](std::string_view record, std::uint64_t coalesced) { handed.push_back({std::string(record), coalesced}); };
  }
  const TimePoint t0{std::chrono::seconds(1000)};
  std::vector<Handed> handed;
};

TEST_F(RecordThrottleTest, AStreamWithinTheRateSeesEveryRecordAtOnce) {
  RecordThrottle throttle(10, t0);
  for (int i = 0; i < 30; ++i) {
    const auto now = t0 + i * 200ms;  // 5 a second
    throttle.offer("r" + std::to_string(i), now, emit());
    EXPECT_FALSE(throttle.flush(now, emit()).has_value());
  }
  ASSERT_EQ(handed.size(), 30u);
  for (const auto& h : handed) EXPECT_EQ(h.coalesced, 0u);
  EXPECT_FALSE(throttle.holding());
}

TEST_F(RecordThrottleTest, ABurstUpToTheRateIsHandedOverWhole) {
  RecordThrottle throttle(10, t0);
  for (int i = 0; i < 9; ++i) throttle.offer("r" + std::to_string(i), t0, emit());
  EXPECT_FALSE(throttle.flush(t0, emit()).has_value());
  EXPECT_EQ(handed.size(), 9u);
  // The tenth takes the last token: the reader is told to wait for the next.
  throttle.offer("r9", t0, emit());
  const auto turn = throttle.flush(t0, emit());
  EXPECT_EQ(handed.size(), 10u);
  ASSERT_TRUE(turn.has_value());
  EXPECT_FALSE(throttle.holding());
  EXPECT_LE(*turn, t0 + 101ms);
}

TEST_F(RecordThrottleTest, AFloodIsCoalescedToTheLatestAndTheReaderToldWhenToComeBack) {
  RecordThrottle throttle(10, t0);
  for (int i = 0; i < 1000; ++i) throttle.offer("r" + std::to_string(i), t0, emit());
  const auto turn = throttle.flush(t0, emit());
  ASSERT_EQ(handed.size(), 10u);  // the burst
  EXPECT_EQ(handed.back(), (Handed{"r9", 0}));
  ASSERT_TRUE(turn.has_value());
  EXPECT_GT(*turn, t0 + 99ms);
  EXPECT_LE(*turn, t0 + 101ms);
  EXPECT_TRUE(throttle.holding());

  // At its turn the reader offers what it read meanwhile: the newest wins,
  // and the count says how many were passed over since the last one handed.
  throttle.offer("r1000", *turn, emit());
  throttle.offer("r1001", *turn, emit());
  const auto next_turn = throttle.flush(*turn, emit());
  ASSERT_EQ(handed.size(), 11u);
  EXPECT_EQ(handed.back(), (Handed{"r1001", 991}));  // r10 … r1000 coalesced
  // That took the token: the reader is told to come back at the next turn,
  // and then too only the latest of what it reads is handed over.
  ASSERT_TRUE(next_turn.has_value());
  EXPECT_GT(*next_turn, *turn + 99ms);
  throttle.offer("r1002", *next_turn, emit());
  throttle.offer("r1003", *next_turn, emit());
  EXPECT_TRUE(throttle.flush(*next_turn, emit()).has_value());
  EXPECT_EQ(handed.back(), (Handed{"r1003", 1}));
  EXPECT_EQ(handed.size(), 12u);
}

TEST_F(RecordThrottleTest, AStreamThatSlowsDownIsHandedOverAtOnceAgain) {
  RecordThrottle throttle(10, t0);
  for (int i = 0; i < 100; ++i) throttle.offer("flood", t0, emit());
  auto turn = throttle.flush(t0, emit());
  ASSERT_TRUE(turn.has_value());
  throttle.flush(*turn, emit());  // the held one goes at its turn
  EXPECT_FALSE(throttle.holding());
  // A quiet second, then one record: handed over as it comes.
  const auto later = t0 + 2s;
  EXPECT_FALSE(throttle.flush(later, emit()).has_value());
  handed.clear();
  throttle.offer("calm", later, emit());
  EXPECT_EQ(handed, (std::vector<Handed>{{"calm", 0}}));
}

TEST_F(RecordThrottleTest, UnderAFloodTheRateHoldsOverTime) {
  RecordThrottle throttle(10, t0);
  std::uint64_t offered = 0, coalesced = 0;
  TimePoint now = t0;
  const TimePoint end = t0 + 60s;
  while (now < end) {
    for (int i = 0; i < 100; ++i) throttle.offer("r" + std::to_string(offered++), now, emit());
    const auto turn = throttle.flush(now, emit());
    now = turn ? *turn : now + 1ms;
  }
  // A burst of 10, then 10 a second.
  EXPECT_LE(handed.size(), 10u + 10u * 60u + 1u);
  EXPECT_GE(handed.size(), 10u * 60u);
  // Every record offered was either handed over or counted as coalesced.
  throttle.finish(emit());
  for (const auto& h : handed) coalesced += h.coalesced;
  EXPECT_EQ(handed.size() + coalesced, offered);
}

TEST_F(RecordThrottleTest, TheLastWordIsHandedOverWhateverTheRate) {
  RecordThrottle throttle(1, t0);
  throttle.offer("first", t0, emit());
  throttle.offer("second", t0, emit());
  throttle.offer("last", t0, emit());
  ASSERT_TRUE(throttle.flush(t0, emit()).has_value());
  throttle.finish(emit());
  EXPECT_EQ(handed, (std::vector<Handed>{{"first", 0}, {"last", 1}}));
  EXPECT_FALSE(throttle.holding());
}

TEST_F(RecordThrottleTest, TokensSavedDuringAQuietSpellAreCappedAtOneSecondsWorth) {
  RecordThrottle throttle(10, t0);
  const auto later = t0 + 1h;
  for (int i = 0; i < 100; ++i) throttle.offer("r", later, emit());
  EXPECT_TRUE(throttle.flush(later, emit()).has_value());
  EXPECT_EQ(handed.size(), 10u);
}

}  // namespace
}  // namespace gleaner::subprocess
