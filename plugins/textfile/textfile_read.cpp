#include "plugins/textfile/textfile_read.h"

#include <cerrno>
#include <thread>

#include "common/files/bounded_file.h"

namespace gleaner::plugins::textfile {

TextfileRead read_textfile(const std::string& path, const ReadPolicy& policy) {
  TextfileRead out;
  std::string unsettled;
  auto pause = policy.pause;
  for (int attempt = 1; attempt <= policy.attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(pause);
      pause *= 2;
    }
    auto read = files::read_bounded_file(path, policy.max_bytes);
    if (!read.error.empty()) {
      // Removed since the directory was listed (its writer cleaned up):
      // not there, so nothing to report, as if it had never been listed.
      if (read.system_error == ENOENT) {
        out.status = TextfileRead::Status::gone;
        return out;
      }
      // Not a regular file, too large, not readable: reading again would
      // tell the same.
      out.status = TextfileRead::Status::error;
      out.error = std::move(read.error);
      return out;
    }
    if (read.before != read.after || static_cast<long long>(read.content.size()) != read.after.size) {
      unsettled = "its size or modification time changed while it was read";
    } else if (!read.content.empty() && read.content.back() != '\n') {
      unsettled = "it does not end with a newline";
    } else {
      out.content = std::move(read.content);
      out.mtime_seconds = read.after.mtime_ns / 1'000'000'000LL;
      return out;
    }
  }
  out.status = TextfileRead::Status::error;
  out.error = "still being written? " + unsettled + ", " + std::to_string(policy.attempts) +
              " times; write it elsewhere and rename it into place";
  return out;
}

}  // namespace gleaner::plugins::textfile
