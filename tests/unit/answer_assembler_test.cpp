// Cutting a long-lived child's output into answers: terminators, lines
// split across reads, strays between answers, the size bound.

#include "common/subprocess/answer_assembler.h"

#include <gtest/gtest.h>

#include <string>

namespace gleaner::subprocess {
namespace {

using Progress = AnswerAssembler::Progress;

// Feeds all of data; returns the last progress and how much was taken.
Progress feed_all(AnswerAssembler& assembler, std::string_view data, std::size_t* taken = nullptr) {
  std::size_t consumed = 0;
  const auto progress = assembler.feed(data, &consumed);
  if (taken) *taken = consumed;
  return progress;
}

TEST(AnswerAssemblerTest, ABlankLineOrEofEndsAnAnswerAndIsLeftOut) {
  for (const std::string terminator : {"\n", "# EOF\n", "  \r\n", "# EOF\r\n"}) {
    AnswerAssembler assembler(1000);
    assembler.begin();
    EXPECT_EQ(feed_all(assembler, "a 1\nb 2\n" + terminator), Progress::complete) << terminator;
    EXPECT_EQ(assembler.take_answer(), "a 1\nb 2\n");
    EXPECT_FALSE(assembler.answering());
  }
}

TEST(AnswerAssemblerTest, ALineSplitAcrossReadsIsOneLine) {
  AnswerAssembler assembler(1000);
  assembler.begin();
  EXPECT_EQ(feed_all(assembler, "a "), Progress::waiting);
  EXPECT_TRUE(assembler.mid_line());
  EXPECT_FALSE(assembler.answer_started());
  EXPECT_EQ(feed_all(assembler, "1\n# E"), Progress::waiting);
  EXPECT_TRUE(assembler.answer_started());
  EXPECT_EQ(feed_all(assembler, "OF\n"), Progress::complete);
  EXPECT_EQ(assembler.take_answer(), "a 1\n");
}

TEST(AnswerAssemblerTest, WhatFollowsATerminatorIsLeftForTheCallerAndThenAStray) {
  AnswerAssembler assembler(1000);
  assembler.begin();
  std::size_t taken = 0;
  const std::string data = "a 1\n\nlate 2\n\nlate 3\n";
  EXPECT_EQ(feed_all(assembler, data, &taken), Progress::complete);
  EXPECT_EQ(taken, 5u);
  EXPECT_EQ(assembler.take_answer(), "a 1\n");
  // Not awaited: counted and dropped; a terminator among them says nothing.
  EXPECT_EQ(feed_all(assembler, std::string_view(data).substr(taken)), Progress::waiting);
  std::size_t strays = 0;
  EXPECT_EQ(assembler.take_strays(&strays), "late 2");
  EXPECT_EQ(strays, 2u);
  EXPECT_EQ(assembler.stray_lines(), 0u);
}

TEST(AnswerAssemblerTest, AnAnswerOrStraysPastTheBoundAreTooLong) {
  AnswerAssembler answer(10);
  answer.begin();
  EXPECT_EQ(feed_all(answer, "a 1\nb 2\nc 3\n"), Progress::too_long);
  AnswerAssembler line(10);
  line.begin();
  EXPECT_EQ(feed_all(line, "a_very_long_line_without_end"), Progress::too_long);
  AnswerAssembler strays(10);
  EXPECT_EQ(feed_all(strays, "x 1\ny 2\nz 3\n"), Progress::too_long);
}

}  // namespace
}  // namespace gleaner::subprocess
