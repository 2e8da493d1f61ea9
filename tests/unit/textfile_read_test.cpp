// Reading one textfile whole: real files, FIFOs, devices, symbolic links
// and a file still being written.

#include "plugins/textfile/textfile_read.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/scratch_dir.h"

namespace gleaner::plugins::textfile {
namespace {

using ::testing::HasSubstr;
using Status = TextfileRead::Status;

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(TextfileRead, ReadsASettledFileWithItsMtime) {
  testing::ScratchDir dir;
  const auto path = dir.file("a.prom");
  write_file(path, "a 1\n");
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  const auto read = read_textfile(path, ReadPolicy{});
  EXPECT_EQ(read.status, Status::ok) << read.error;
  EXPECT_EQ(read.content, "a 1\n");
  EXPECT_EQ(read.mtime_seconds, status.st_mtim.tv_sec);
}

TEST(TextfileRead, AnEmptyFileIsFine) {
  testing::ScratchDir dir;
  write_file(dir.file("empty.prom"), "");
  EXPECT_EQ(read_textfile(dir.file("empty.prom"), ReadPolicy{}).status, Status::ok);
}

TEST(TextfileRead, FollowsASymbolicLinkToARegularFile) {
  testing::ScratchDir dir;
  write_file(dir.file("real"), "a 1\n");
  std::filesystem::create_symlink(dir.file("real"), dir.file("link.prom"));
  const auto read = read_textfile(dir.file("link.prom"), ReadPolicy{});
  EXPECT_EQ(read.status, Status::ok) << read.error;
  EXPECT_EQ(read.content, "a 1\n");
}

TEST(TextfileRead, RefusesAFifoAtOnce) {
  testing::ScratchDir dir;
  ASSERT_EQ(::mkfifo(dir.file("fifo.prom").c_str(), 0600), 0);
  const auto read = read_textfile(dir.file("fifo.prom"), ReadPolicy{});
  EXPECT_EQ(read.status, Status::error);
  EXPECT_THAT(read.error, HasSubstr("is a FIFO, not a regular file"));
}

TEST(TextfileRead, RefusesALinkToDevZero) {
  testing::ScratchDir dir;
  std::filesystem::create_symlink("/dev/zero", dir.file("zero.prom"));
  const auto read = read_textfile(dir.file("zero.prom"), ReadPolicy{});
  EXPECT_EQ(read.status, Status::error);
  EXPECT_THAT(read.error, HasSubstr("(which leads to /dev/zero) is a character device, not a regular file"));
}

TEST(TextfileRead, RefusesADirectoryNamedLikeATextfile) {
  testing::ScratchDir dir;
  std::filesystem::create_directory(dir.file("x.prom"));
  const auto read = read_textfile(dir.file("x.prom"), ReadPolicy{});
  EXPECT_EQ(read.status, Status::error);
  EXPECT_THAT(read.error, HasSubstr("is a directory"));
}

TEST(TextfileRead, RefusesAFileLargerThanTheLimit) {
  testing::ScratchDir dir;
  write_file(dir.file("big.prom"), std::string(2000, '#') + "\n");
  const auto read = read_textfile(dir.file("big.prom"), ReadPolicy{.max_bytes = 1000});
  EXPECT_EQ(read.status, Status::error);
  EXPECT_THAT(read.error, HasSubstr("larger than 1000 bytes"));
}

TEST(TextfileRead, AFileRemovedSinceTheListingIsGone) {
  testing::ScratchDir dir;
  EXPECT_EQ(read_textfile(dir.file("never.prom"), ReadPolicy{}).status, Status::gone);
}

TEST(TextfileRead, AFileWithoutItsLastNewlineIsAnErrorAfterRetrying) {
  testing::ScratchDir dir;
  write_file(dir.file("half.prom"), "a 1\nb 2");
  const auto started = std::chrono::steady_clock::now();
  const auto read =
      read_textfile(dir.file("half.prom"), ReadPolicy{.attempts = 3, .pause = std::chrono::milliseconds(10)});
  EXPECT_EQ(read.status, Status::error);
  EXPECT_THAT(read.error, HasSubstr("does not end with a newline, 3 times"));
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(30));  // 10 + 20 ms of pauses
}

TEST(TextfileRead, AFileFinishedWhileRetryingIsRead) {
  testing::ScratchDir dir;
  const auto path = dir.file("slow.prom");
  write_file(path, "a 1\nb 2");
  // The writer finishes its line 50 ms later; the reader retries for far
  // longer than that (200 ms, then doubling, eight times: some 25 s).
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ofstream(path, std::ios::app) << "\n";
  });
  const auto read = read_textfile(path, ReadPolicy{.attempts = 8, .pause = std::chrono::milliseconds(200)});
  writer.join();
  EXPECT_EQ(read.status, Status::ok) << read.error;
  EXPECT_EQ(read.content, "a 1\nb 2\n");
}

}  // namespace
}  // namespace gleaner::plugins::textfile
