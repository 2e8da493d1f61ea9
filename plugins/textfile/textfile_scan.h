#pragma once
// One pass over a textfile directory: list the `*.prom` files, read each
// whole (textfile_read.h), parse it with the prometheus parser, leave out
// the files that are too old, unreadable, malformed, carry timestamps or
// disagree with an earlier file (textfile_merge.h), and build the result:
// the plugin's own series about every file, then the files' families.
//
// A file is published whole or not at all; every file listed gets
// textfile_scrape_error{file} (0 or 1), and textfile_mtime_seconds{file}
// when its series are published or max_age left it out (so that a file
// that failed never looks fresh). Blocking: run it off the daemon's loop.

#include <chrono>
#include <string>
#include <vector>

#include "common/metrics/sample.h"
#include "plugins/textfile/textfile_options.h"

namespace gleaner::plugins::textfile {

inline constexpr const char* kMtimeFamily = "textfile_mtime_seconds";
inline constexpr const char* kErrorFamily = "textfile_scrape_error";

struct FileReport {
  std::string name;
  std::string error;  // "" when its series are published; else why not, for the log
  std::size_t bytes = 0;   // read (0 when it could not be)
  std::size_t series = 0;  // published from it
};

struct TextfileScan {
  std::string directory_error;  // the directory could not be listed: the run fails
  std::vector<FileReport> files;
  metrics::Families families;
};

TextfileScan scan_textfiles(const TextfileOptions& options, std::chrono::system_clock::time_point now);

}  // namespace gleaner::plugins::textfile
