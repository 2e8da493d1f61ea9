#pragma once
// Where a path really leads: absolute, every symbolic link followed.

#include <optional>
#include <string>

namespace gleaner::files {

// nullopt with errno set when some part of path does not exist or cannot
// be searched.
std::optional<std::string> real_path(const std::string& path);

// The folder holding path's last component, as written: "conf.d" for
// "conf.d/x.yaml", "." for "x.yaml", "/" for "/x".
std::string folder_of(const std::string& path);

// The last component of path: "x.yaml" for "conf.d/x.yaml".
std::string name_in_folder(const std::string& path);

}  // namespace gleaner::files
