// The collectors' part of the exposition, compressed in chunks so that the
// next version reuses every chunk whose text did not change.

#include "daemon/http/stable_part.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>

#include "tests/support/http_client.h"

namespace gleaner::http {
namespace {

using gleaner::testing::gunzip;

// Lines like a collector's: one family, labels that differ, values.
std::string series_text(int collectors, int lines_each, unsigned seed) {
  std::mt19937 random(seed);
  std::string text = "# HELP bench_value A value.\n# TYPE bench_value gauge\n";
  for (int c = 0; c < collectors; ++c) {
    for (int i = 0; i < lines_each; ++i) {
      text += "bench_value{collector=\"c" + std::to_string(c) + "\",device=\"/dev/sd" + std::to_string(i) +
              "\",mountpoint=\"/srv/" + std::to_string(i) + "\"} " + std::to_string(random()) + "\n";
    }
  }
  return text;
}

// Replaces the values of collector c's lines, as its next run would.
std::string with_new_values(std::string text, int collector, unsigned seed) {
  std::mt19937 random(seed);
  const std::string mark = "{collector=\"c" + std::to_string(collector) + "\",";
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start) + 1;
    std::string line = text.substr(start, end - start);
    if (line.find(mark) != std::string::npos) line = line.substr(0, line.rfind(' ') + 1) + std::to_string(random()) + "\n";
    out += line;
    start = end;
  }
  return out;
}

std::shared_ptr<const StablePart> part_of(const std::string& text, std::shared_ptr<const StablePart> previous = nullptr) {
  return std::make_shared<StablePart>(std::make_shared<const std::string>(text), std::move(previous));
}

std::string gzip_of(const StablePart& part, GzipCompressor& compressor, std::string_view tail = "") {
  const GzipPrefix* prefix = part.gzip(compressor);
  if (!prefix) return "zlib failed";
  return gunzip(compressor.compress(*prefix, tail).value_or("no member")).value_or("not gzip");
}

TEST(SplitIntoChunks, ChunksAreWholeLinesThatMakeTheTextAgain) {
  const std::string text = series_text(10, 1000, 1);
  const auto chunks = split_into_chunks(text);
  ASSERT_GT(chunks.size(), 2u);
  std::string joined;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    joined += chunks[i];
    EXPECT_EQ(chunks[i].back(), '\n') << i;
    EXPECT_LE(chunks[i].size(), kMaxChunkBytes + 200) << i;  // plus at most the line that crossed it
    if (i + 1 < chunks.size()) {
      EXPECT_GE(chunks[i].size(), kMinChunkBytes) << i;
    }
  }
  EXPECT_EQ(joined, text);
  EXPECT_TRUE(split_into_chunks("").empty());
  const auto unterminated = split_into_chunks("a 1\nb 2");
  ASSERT_EQ(unterminated.size(), 1u);
  EXPECT_EQ(unterminated[0], "a 1\nb 2");
}

TEST(SplitIntoChunks, OneLongLineIsOneChunk) {
  const std::string line = "m{l=\"" + std::string(600 * 1024, 'v') + "\"} 1\n";
  const std::string text = line + line;
  const auto chunks = split_into_chunks(text);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0], line);
}

TEST(StablePart, ItsGzipJoinsAnyTail) {
  GzipCompressor compressor(1);
  for (const std::string& text : {std::string(), std::string("one 1\n"), series_text(10, 1000, 2)}) {
    const auto part = part_of(text);
    EXPECT_EQ(gzip_of(*part, compressor), text);
    EXPECT_EQ(gzip_of(*part, compressor, "gleaner_up 1\n"), text + "gleaner_up 1\n");  // kept, not made again
  }
}

TEST(StablePart, OnlyTheChunksOfTheCollectorThatChangedAreCompressedAgain) {
  GzipCompressor compressor(1);
  const std::string first = series_text(10, 1000, 3);
  const auto before = part_of(first);
  ASSERT_EQ(gzip_of(*before, compressor), first);
  EXPECT_EQ(before->chunks_reused(), 0u);

  const std::string second = with_new_values(first, 4, 99);  // one collector of ten
  ASSERT_NE(second, first);
  const auto after = part_of(second, before);
  EXPECT_EQ(gzip_of(*after, compressor, "tail 1\n"), second + "tail 1\n");
  // Collector 4's lines are a tenth of the text, two or three chunks of
  // some 50 KB, plus a chunk on either side whose cut may move (5 of 24 when
  // this was written): far from all of them.
  const std::size_t changed = after->chunk_count() - after->chunks_reused();
  EXPECT_GE(changed, 1u);
  EXPECT_LE(changed, after->chunk_count() / 3) << after->chunk_count() << " chunks";
}

TEST(StablePart, APartNobodyCompressedPassesOnTheChunksBeforeIt) {
  GzipCompressor compressor(1);
  const std::string first = series_text(10, 1000, 4);
  const auto compressed = part_of(first);
  ASSERT_EQ(gzip_of(*compressed, compressor), first);
  const auto skipped = part_of(with_new_values(first, 1, 5), compressed);  // no gzip asked of it
  const std::string third = with_new_values(first, 8, 6);
  const auto latest = part_of(third, skipped);
  EXPECT_EQ(gzip_of(*latest, compressor), third);
  EXPECT_GT(latest->chunks_reused(), latest->chunk_count() / 2);
}

TEST(StablePart, TheSameTextReusesEveryChunk) {
  GzipCompressor compressor(1);
  const std::string text = series_text(5, 1000, 7);
  const auto first = part_of(text);
  ASSERT_EQ(gzip_of(*first, compressor), text);
  const auto again = part_of(text, first);
  EXPECT_EQ(gzip_of(*again, compressor), text);
  EXPECT_EQ(again->chunks_reused(), again->chunk_count());
}

}  // namespace
}  // namespace gleaner::http
