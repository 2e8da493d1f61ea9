// Reading a named file whole: what is not a regular file is refused
// without ever being opened for reading, since opening a device or a FIFO
// already acts on it (see README "What gleaner trusts").

#include "common/files/bounded_file.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/scratch_dir.h"

namespace gleaner::files {
namespace {

using ::testing::HasSubstr;
using gleaner::testing::ScratchDir;

#if defined(__x86_64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kAuditArch = 0;
#endif

// Makes every open() and openat() of this process that is more than an
// O_PATH lookup fail with EPERM, so that a reader which opens a file for
// reading is told apart from one that only looks at it.
bool forbid_opening_for_reading() {
  constexpr auto flags_of_openat = offsetof(struct seccomp_data, args[2]);  // low word on little-endian
  struct sock_filter program[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),  // falls back to openat
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 2),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, flags_of_openat),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_PATH, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
  };
  // Every other system call, and openat with O_PATH, reach "allow"; glibc's
  // open() is openat.
  struct sock_fprog filter = {.len = sizeof(program) / sizeof(program[0]), .filter = program};
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) == 0;
}

// What read_bounded_file says of path in a child process that may only
// look at files, never open them for reading; the child writes it to out,
// a file opened before.
void read_in_a_child_that_cannot_open_files(const std::string& path, int out) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (!forbid_opening_for_reading()) ::_exit(3);
    const std::string error = read_bounded_file(path, 1024).error;
    ::_exit(::write(out, error.data(), error.size()) == static_cast<ssize_t>(error.size()) ? 0 : 4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child ended with status " << status;
}

class BoundedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kAuditArch == 0) GTEST_SKIP() << "no seccomp architecture known for this machine";
  }

  // read_bounded_file(path)'s error, from a child that may not open files for reading.
  std::string refusal_without_opening(const std::string& path) {
    const std::string answer = dir_.file("answer");
    const int out = ::open(answer.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) return "cannot create " + answer;
    read_in_a_child_that_cannot_open_files(path, out);
    ::close(out);
    std::ifstream in(answer);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  ScratchDir dir_;
};

TEST_F(BoundedFileTest, TheSandboxItselfStopsAReaderThatOpensFiles) {
  // The check below is only worth something if opening for reading really
  // fails in the sandboxed child: a regular file, which must be opened to
  // be read, shows it.
  { std::ofstream(dir_.file("plain.yaml")) << "a: 1\n"; }
  EXPECT_THAT(refusal_without_opening(dir_.file("plain.yaml")), HasSubstr("Operation not permitted"));
}

TEST_F(BoundedFileTest, AFifoIsRefusedWithoutBeingOpened) {
  ASSERT_EQ(::mkfifo(dir_.file("pipe").c_str(), 0600), 0);
  std::filesystem::create_symlink(dir_.file("pipe"), dir_.file("pipe.yaml"));
  EXPECT_THAT(refusal_without_opening(dir_.file("pipe.yaml")),
              HasSubstr("(which leads to " + dir_.file("pipe") + ") is a FIFO, not a regular file"));
}

TEST_F(BoundedFileTest, ADeviceIsRefusedWithoutBeingOpened) {
  // Opening some devices acts on the machine (/dev/watchdog arms the
  // watchdog); /dev/null stands for them here.
  std::filesystem::create_symlink("/dev/null", dir_.file("device.crt"));
  EXPECT_THAT(refusal_without_opening(dir_.file("device.crt")),
              HasSubstr("(which leads to /dev/null) is a character device, not a regular file"));
}

TEST_F(BoundedFileTest, ARegularFileIsReadWholeThroughItsLink) {
  { std::ofstream(dir_.file("real.yaml")) << "key: value\n"; }
  std::filesystem::create_symlink(dir_.file("real.yaml"), dir_.file("link.yaml"));
  const FileRead read = read_bounded_file(dir_.file("link.yaml"), 1024);
  EXPECT_EQ(read.error, "");
  EXPECT_EQ(read.content, "key: value\n");
  EXPECT_EQ(read.before.size, 11);
}

TEST_F(BoundedFileTest, MoreThanTheLimitIsRefused) {
  { std::ofstream(dir_.file("big.yaml")) << std::string(2048, 'x'); }
  EXPECT_THAT(read_bounded_file(dir_.file("big.yaml"), 1024).error, HasSubstr("is larger than 1024 bytes"));
  EXPECT_EQ(read_bounded_file(dir_.file("big.yaml"), 2048).content.size(), 2048U);
}

}  // namespace
}  // namespace gleaner::files
