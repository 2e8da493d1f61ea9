#include "common/subprocess/record_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gleaner::subprocess {
namespace {

struct Collected {
  std::vector<std::string> records;
  RecordSplitter::Emit emit() {
    return [this](std::string_view record) { records.emplace_back(record); };
  }
};

TEST(RecordSplitter, LinesAcrossChunkBoundaries) {
  Collected out;
  RecordSplitter splitter(Framing::lines, 100);
  EXPECT_TRUE(splitter.feed("al", out.emit()));
  EXPECT_TRUE(splitter.feed("pha\nbe", out.emit()));
  EXPECT_TRUE(splitter.feed("ta\n\ngam", out.emit()));
  EXPECT_EQ(out.records, (std::vector<std::string>{"alpha", "beta", ""}));
  splitter.finish(out.emit());
  EXPECT_EQ(out.records.back(), "gam");
}

TEST(RecordSplitter, BlocksSeparatedByBlankLines) {
  Collected out;
  RecordSplitter splitter(Framing::blocks, 100);
  splitter.feed("a 1\nb 2\n\n", out.emit());
  EXPECT_EQ(out.records, (std::vector<std::string>{"a 1\nb 2\n"}));
  splitter.feed("\n \t\nc 3\r\n\r\nd", out.emit());
  EXPECT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[1], "c 3\r\n");
  splitter.finish(out.emit());
  EXPECT_EQ(out.records.back(), "d\n");
}

TEST(RecordSplitter, FinishWithNothingPendingEmitsNothing) {
  Collected out;
  RecordSplitter splitter(Framing::blocks, 100);
  splitter.feed("x\n\n", out.emit());
  splitter.finish(out.emit());
  EXPECT_EQ(out.records.size(), 1u);
}

TEST(RecordSplitter, ALineLongerThanTheLimitStopsIt) {
  Collected out;
  RecordSplitter splitter(Framing::lines, 4);
  EXPECT_TRUE(splitter.feed("1234\n", out.emit()));
  EXPECT_FALSE(splitter.feed("12345\n", out.emit()));
  EXPECT_FALSE(splitter.feed("ok\n", out.emit()));
  EXPECT_EQ(out.records, (std::vector<std::string>{"1234"}));
}

TEST(RecordSplitter, AnUnfinishedLineGrowingPastTheLimitStopsIt) {
  Collected out;
  RecordSplitter splitter(Framing::lines, 8);
  EXPECT_TRUE(splitter.feed("12345", out.emit()));
  EXPECT_FALSE(splitter.feed("6789", out.emit()));
  EXPECT_TRUE(out.records.empty());
}

TEST(RecordSplitter, ABlockGrowingPastTheLimitStopsIt) {
  Collected out;
  RecordSplitter splitter(Framing::blocks, 8);
  EXPECT_TRUE(splitter.feed("abc\n", out.emit()));
  EXPECT_FALSE(splitter.feed("defgh\n", out.emit()));
  splitter.finish(out.emit());
  EXPECT_TRUE(out.records.empty());
}

// Found by tests/fuzz (fuzz_record_splitter): a block whose last line is
// unfinished at the end of the stream and fits the limit only without the
// newline finish() gives it passed feed() and was then dropped at finish(),
// with no overflow said. feed() counts that newline now.
TEST(RecordSplitter, AnUnfinishedLastLineCountsTheNewlineItWillGet) {
  Collected out;
  RecordSplitter splitter(Framing::blocks, 8);
  EXPECT_TRUE(splitter.feed("abc\n", out.emit()));
  EXPECT_FALSE(splitter.feed("defg", out.emit())) << "abc\ndefg\n is 9 bytes, over 8";
  Collected whole;
  RecordSplitter fits(Framing::blocks, 8);
  EXPECT_TRUE(fits.feed("abc\ndef", whole.emit()));
  fits.finish(whole.emit());
  EXPECT_EQ(whole.records, (std::vector<std::string>{"abc\ndef\n"}));
}

// Found by tests/fuzz (fuzz_record_splitter): where the pipe cut a stream
// changed its records. A block near the limit followed by a blank line that
// arrived in two reads ("\r", then "\n", as CRLF output may) counted the
// unfinished blank line into the block and stopped the stream; arriving
// whole, the same bytes were a block and its end.
TEST(RecordSplitter, ABlankLineCutByThePipeEndsItsBlockAsAWholeOneDoes) {
  Collected whole, pieces;
  RecordSplitter one(Framing::blocks, 9);  // "abc\r\nde\r\n" is 9 bytes
  RecordSplitter cut(Framing::blocks, 9);
  EXPECT_TRUE(one.feed("abc\r\nde\r\n\r\nf\n", whole.emit()));
  EXPECT_TRUE(cut.feed("abc\r\nde\r\n\r", pieces.emit()));
  EXPECT_TRUE(cut.feed("\nf\n", pieces.emit()));
  one.finish(whole.emit());
  cut.finish(pieces.emit());
  EXPECT_EQ(whole.records, (std::vector<std::string>{"abc\r\nde\r\n", "f\n"}));
  EXPECT_EQ(pieces.records, whole.records);
}

}  // namespace
}  // namespace gleaner::subprocess
