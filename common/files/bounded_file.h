#pragma once
// Reading a file the configuration names (the configuration itself, an
// included file, a password, a certificate, a key) whole, with a message a
// user can act on when that fails. It never blocks and never grows without
// end: what is not a regular file (a FIFO would wait for a writer, a device
// could be endless) is refused at once, and so is more than max_bytes.
// For configuration loading, never for the io thread: reading a regular file
// still takes the disk's time.

#include <cstddef>
#include <string>

namespace gleaner::files {

// A file's size and modification time, as fstat() gave them.
struct FileStamp {
  long long size = 0;
  long long mtime_ns = 0;  // since the Unix epoch
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

struct FileRead {
  std::string content;
  std::string error;  // "" or, e.g., "cannot read /etc/gleaner/web.pass: Permission denied"
  int system_error = 0;  // the errno when the system refused (ENOENT, EACCES, …), else 0
  // The open file before and after its content was read: a reader that
  // cares whether the file was being written meanwhile compares them.
  FileStamp before;
  FileStamp after;
};

// The file path leads to (symbolic links followed), if it is a regular
// file of at most max_bytes.
FileRead read_bounded_file(const std::string& path, std::size_t max_bytes);

// The same, and only if gleaner may trust it (see trusted_file.h): the
// open file itself is judged, so it cannot be swapped after the check.
FileRead read_trusted_file(const std::string& path, std::size_t max_bytes);

}  // namespace gleaner::files
