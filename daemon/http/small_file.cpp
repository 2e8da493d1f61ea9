#include "http/small_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace gleaner::http {
namespace {

std::string system_reason(int error) { return std::system_category().message(error); }

// Closes the descriptor on every way out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

SmallFileRead read_small_file(const std::string& path, std::size_t max_bytes) {
  SmallFileRead result;
  if (path.empty()) {
    result.error = "no file is named";
    return result;
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (file.get() < 0) {
    result.error = "cannot read " + path + ": " + system_reason(errno);
    return result;
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    result.error = "cannot read " + path + ": " + system_reason(errno);
    return result;
  }
  if (!S_ISREG(status.st_mode)) {
    result.error = path + " is not a regular file";
    return result;
  }
  // One byte more than allowed tells "too large" from "exactly the limit",
  // whatever the size stat() reported (the file may change meanwhile).
  std::string content(max_bytes + 1, '\0');
  std::size_t size = 0;
  while (size < content.size()) {
    const ssize_t got = ::read(file.get(), content.data() + size, content.size() - size);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      result.error = "cannot read " + path + ": " + system_reason(errno);
      return result;
    }
    size += static_cast<std::size_t>(got);
  }
  if (size > max_bytes) {
    result.error = path + " is larger than " + std::to_string(max_bytes) + " bytes, too large for what it should hold";
    return result;
  }
  content.resize(size);
  result.content = std::move(content);
  return result;
}

}  // namespace gleaner::http
