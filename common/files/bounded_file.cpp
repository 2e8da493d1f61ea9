#include "common/files/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>

#include "common/files/file_type.h"
#include "common/files/real_path.h"
#include "common/files/trusted_file.h"

namespace gleaner::files {
namespace {

FileStamp stamp_of(const struct stat& status) {
  return FileStamp{
      .size = static_cast<long long>(status.st_size),
      .mtime_ns = static_cast<long long>(status.st_mtim.tv_sec) * 1'000'000'000LL + status.st_mtim.tv_nsec};
}

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

enum class Trust { any, required };

FileRead failed(std::string error) {
  return FileRead{.content = {}, .error = std::move(error), .system_error = 0, .before = {}, .after = {}};
}

FileRead refused_by_system(const std::string& path) {
  const int error = errno;
  return FileRead{.content = {},
                  .error = "cannot read " + path + ": " + std::system_category().message(error),
                  .system_error = error,
                  .before = {},
                  .after = {}};
}

FileRead read(const std::string& path, std::size_t max_bytes, Trust trust) {
  if (path.empty()) return failed("no file is named");
  // Links are followed once, here, and the file is opened where they lead
  // with O_NOFOLLOW: a link put in place after this is refused, not followed.
  const auto resolved = real_path(path);
  if (!resolved) return refused_by_system(path);
  // Looked at before it is opened: opening is itself an act for a device
  // (opening /dev/watchdog arms the machine's watchdog) or a FIFO (it wakes
  // a writer), so what is not a regular file is never opened for reading.
  // O_PATH opens nothing, and reopening that descriptor through /proc
  // reaches the very file judged, not whatever the name leads to by then.
  const FileDescriptor located(::open(resolved->c_str(), O_PATH | O_CLOEXEC | O_NOFOLLOW));
  if (located.get() < 0) return refused_by_system(path);
  struct stat status {};
  if (::fstat(located.get(), &status) != 0) return refused_by_system(path);
  if (!S_ISREG(status.st_mode)) {
    const std::string where = *resolved == path ? path : path + " (which leads to " + *resolved + ")";
    return failed(where + " is " + file_type_name(status.st_mode) + ", not a regular file");
  }
  const FileDescriptor file(
      ::open(("/proc/self/fd/" + std::to_string(located.get())).c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (file.get() < 0 && errno == ENOENT) return failed("cannot read " + path + ": /proc is not mounted");
  if (file.get() < 0) return refused_by_system(path);
  if (trust == Trust::required) {
    if (auto problem = check_trusted_opened_file(path, *resolved, status); !problem.empty()) return failed(problem);
  }
  const auto too_large = [&] {
    return failed(path + " is larger than " + std::to_string(max_bytes) + " bytes, too large for what it should hold");
  };
  if (status.st_size > 0 && static_cast<std::size_t>(status.st_size) > max_bytes) return too_large();
  // Read to one byte more than allowed: that tells "too large" from "exactly
  // the limit", whatever size fstat() reported (the file may grow meanwhile).
  // Room for the size fstat() reported, not for the whole limit; and a secret
  // read at that size is never copied by the string growing.
  std::string content;
  content.reserve(std::min(static_cast<std::size_t>(std::max<off_t>(status.st_size, 0)), max_bytes) + 1);
  constexpr std::size_t kPiece = 64 * 1024;
  std::size_t size = 0;
  while (size <= max_bytes) {
    const std::size_t room = content.capacity() > size ? content.capacity() - size : kPiece;
    const std::size_t wanted = std::min(room, max_bytes + 1 - size);
    content.resize(size + wanted);
    const ssize_t got = ::read(file.get(), content.data() + size, wanted);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return refused_by_system(path);
    size += static_cast<std::size_t>(got);
    content.resize(size);
    if (got == 0) break;
  }
  if (size > max_bytes) return too_large();
  struct stat after {};
  if (::fstat(file.get(), &after) != 0) return refused_by_system(path);
  return FileRead{.content = std::move(content),
                  .error = {},
                  .system_error = 0,
                  .before = stamp_of(status),
                  .after = stamp_of(after)};
}

}  // namespace

FileRead read_bounded_file(const std::string& path, std::size_t max_bytes) { return read(path, max_bytes, Trust::any); }

FileRead read_trusted_file(const std::string& path, std::size_t max_bytes) {
  return read(path, max_bytes, Trust::required);
}

}  // namespace gleaner::files
