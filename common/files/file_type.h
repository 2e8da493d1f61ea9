#pragma once
// What kind of file a mode says, in words for an error message.

#include <sys/types.h>

#include <string>

namespace gleaner::files {

// "a FIFO", "a directory", "a character device", … ; "a regular file".
std::string file_type_name(mode_t mode);

}  // namespace gleaner::files
