#pragma once
// What the configuration fuzz targets assert about reported errors: each
// one points at a place, FILE:LINE:COLUMN, in a file that was read, and
// ErrorList::format() keeps its promise of one error per line, so that every
// line a user sees starts with its place.

#include <string>
#include <string_view>

#include "common/config/config_error.h"
#include "tests/fuzz/fuzz_checks.h"

namespace gleaner::fuzz {

// Errors in `main_file` (the fuzzed text) have a line and a column from 1.
// Errors in files under `include_dir` (when not empty) may instead be about
// the whole file (0:0: "cannot read …", "… is a directory, not a regular
// file").
inline void check_config_errors(const config::ErrorList& errors, std::string_view main_file,
                                std::string_view include_dir = {}) {
  for (const auto& error : errors.errors()) {
    const std::string text = error.format();
    const auto& mark = error.mark;
    const bool in_main = mark.file == main_file;
    const bool in_include = !include_dir.empty() && mark.file.starts_with(std::string(include_dir) + "/");
    if (!in_main && !in_include) violated("an error names a file that was read", text);
    const bool has_place = mark.line >= 1 && mark.column >= 1;
    const bool whole_file = in_include && mark.line == 0 && mark.column == 0;
    if (!has_place && !whole_file) violated("an error has its FILE:LINE:COLUMN, both numbers from 1", text);
    if (error.message.empty()) violated("an error says what is wrong", text);
    if (text.find_first_of("\r\n") != std::string::npos) violated("one error per line (ErrorList::format)", text);
  }
}

}  // namespace gleaner::fuzz
