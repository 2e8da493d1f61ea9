#include "subprocess/record_splitter.h"

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

}  // namespace
}  // namespace gleaner::subprocess
