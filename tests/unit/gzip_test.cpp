// gzip of response bodies, including a prefix compressed once and joined
// with many different tails: each result must be one valid gzip member.

#include "daemon/http/gzip.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/support/http_client.h"

namespace gleaner::http {
namespace {

std::string sample_text(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string text;
  while (text.size() < size) {
    text += "bench_value{device=\"/dev/sd" + std::to_string(random() % 100) + "\"} " + std::to_string(random()) + "\n";
  }
  return text;
}

TEST(Gzip, AWholeBodyRoundTrips) {
  GzipCompressor compressor(1);
  const auto text = sample_text(300'000, 1);
  const auto compressed = compressor.compress(text);
  ASSERT_TRUE(compressed);
  EXPECT_LT(compressed->size(), text.size() / 3);
  EXPECT_EQ(gleaner::testing::gunzip(*compressed), text);
  EXPECT_EQ(gleaner::testing::gunzip(*compressor.compress("")), "");
}

// The checker itself: "one gzip member" is only checked if two members, or
// bytes after the first, are refused rather than decoded up to the first end.
TEST(Gzip, TheTestDecoderRefusesASecondMemberOrTrailingBytes) {
  GzipCompressor compressor(1);
  const auto member = compressor.compress("a_value 1\n");
  ASSERT_TRUE(member);
  ASSERT_EQ(gleaner::testing::gunzip(*member), "a_value 1\n");
  EXPECT_EQ(gleaner::testing::gunzip(*member + *member), std::nullopt);
  EXPECT_EQ(gleaner::testing::gunzip(*member + "x"), std::nullopt);
  EXPECT_EQ(gleaner::testing::gunzip(member->substr(0, member->size() - 1)), std::nullopt);
}

TEST(Gzip, APrefixCompressedOnceJoinsAnyTail) {
  GzipCompressor compressor(1);
  const auto prefix_text = sample_text(200'000, 2);
  const auto prefix = compressor.compress_prefix(prefix_text);
  ASSERT_TRUE(prefix);
  for (unsigned seed = 0; seed < 5; ++seed) {
    const auto tail = sample_text(seed * 3000, 10 + seed);  // the first is empty
    const auto compressed = compressor.compress(*prefix, tail);
    ASSERT_TRUE(compressed);
    EXPECT_EQ(gleaner::testing::gunzip(*compressed), prefix_text + tail) << seed;
  }
}

TEST(Gzip, AnEmptyPrefixIsAPlainMember) {
  GzipCompressor compressor(6);
  const auto prefix = compressor.compress_prefix("");
  ASSERT_TRUE(prefix);
  EXPECT_EQ(gleaner::testing::gunzip(*compressor.compress(*prefix, "tail only\n")), "tail only\n");
}

TEST(Gzip, TheGzipToolAgrees) {
  // An independent decoder: gzip(1) checks the CRC and the length too.
  GzipCompressor compressor(1);
  const auto prefix_text = sample_text(100'000, 3);
  const auto tail = sample_text(5'000, 4);
  const auto compressed = compressor.compress(*compressor.compress_prefix(prefix_text), tail);
  ASSERT_TRUE(compressed);
  char path[] = "/tmp/gleaner-gzip-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_EQ(::write(fd, compressed->data(), compressed->size()), static_cast<ssize_t>(compressed->size()));
  ::close(fd);
  const std::string command = std::string("gzip -t < ") + path;
  EXPECT_EQ(std::system(command.c_str()), 0);
  ::unlink(path);
}

}  // namespace
}  // namespace gleaner::http
