#pragma once
// Reading one textfile whole and consistent. A script should write its
// file elsewhere and rename it into place, but many write in place
// (`script > x.prom`); a file caught half written must not be published
// as if it were the whole. So a read counts only when the file's size and
// modification time were the same before and after it, the size matches
// what was read, and the text ends with a newline (or is empty). Otherwise
// it is read again, a few times after a short pause, and when it is still
// not settled the file is an error for this run.
//
// Regular files only, up to a size (files/bounded_file.h): a FIFO, a
// device, a symbolic link to /dev/zero or a directory named x.prom is an
// error of that file, found without waiting. Blocking (a read on a hung
// filesystem waits in the kernel): call it off the daemon's loop.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace gleaner::plugins::textfile {

struct ReadPolicy {
  std::size_t max_bytes = 16 * 1024 * 1024;
  int attempts = 3;
  std::chrono::milliseconds pause{20};  // before the 2nd read; doubled before each later one
};

struct TextfileRead {
  enum class Status { ok, gone, error };
  Status status = Status::ok;
  std::string content;
  std::string error;            // Status::error: why, for the log
  long long mtime_seconds = 0;  // Status::ok: whole seconds since the epoch, as node_exporter reports it
};

TextfileRead read_textfile(const std::string& path, const ReadPolicy& policy);

}  // namespace gleaner::plugins::textfile
