// SeriesKeySet keeps copies of its keys in blocks: a key must be found
// again whatever block it went to, and the caller's buffer may change after
// an insert (the parsers reuse one string for every key).

#include "common/metrics/series_key_set.h"

#include <gtest/gtest.h>

#include <string>

namespace gleaner::metrics {
namespace {

TEST(SeriesKeySet, FindsEachKeyAgainAcrossManyBlocks) {
  using namespace std::string_literals;
  SeriesKeySet keys;
  std::string key;  // one buffer, overwritten for every key, as the parsers do
  constexpr int kKeys = 200'000;  // some 90 blocks, most of 64 KiB
  for (int i = 0; i < kKeys; ++i) {
    key = "body_value\0device\0/dev/sd"s + std::to_string(i);
    ASSERT_TRUE(keys.insert(key)) << i;
  }
  for (int i = 0; i < kKeys; i += 997) {
    key = "body_value\0device\0/dev/sd"s + std::to_string(i);
    EXPECT_FALSE(keys.insert(key)) << i;
  }
  EXPECT_TRUE(keys.insert("body_value\0device\0/dev/sd"s + std::to_string(kKeys)));
}

TEST(SeriesKeySet, KeysDifferingOnlyAfterANulAreTwo) {
  SeriesKeySet keys;
  using namespace std::string_literals;
  EXPECT_TRUE(keys.insert("a\0b\0c"s));
  EXPECT_TRUE(keys.insert("a\0b\0d"s));
  EXPECT_TRUE(keys.insert("a\0b"s));
  EXPECT_FALSE(keys.insert("a\0b\0c"s));
}

TEST(SeriesKeySet, AKeyLongerThanABlockAndTheEmptyKey) {
  SeriesKeySet keys;
  const std::string long_key(200'000, 'x');  // a label value of 200 KB
  EXPECT_TRUE(keys.insert(long_key));
  EXPECT_TRUE(keys.insert("after the long one"));
  EXPECT_FALSE(keys.insert(long_key));
  EXPECT_FALSE(keys.insert(std::string(long_key)));
  EXPECT_TRUE(keys.insert(""));
  EXPECT_FALSE(keys.insert(""));
  EXPECT_FALSE(keys.insert("after the long one"));
}

}  // namespace
}  // namespace gleaner::metrics
