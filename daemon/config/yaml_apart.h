#pragma once
// yaml-cpp's tree of a configuration is many times the size of its text:
// about 4 KiB of nodes for a collector entry of five keys, all freed once
// the configuration is loaded. Made on the daemon's thread, as it was, the
// nodes were interleaved with what lives on (the collectors and their
// settings, allocated while the tree is read), and the holes they left
// stayed resident: with 1,000 collectors, 2.7 MB of a heap of 6.6 MB.
//
// Made on a thread of its own, the tree takes an arena of glibc's malloc
// to itself, and once it is freed, release_freed_memory() can hand every
// page of it back (README "Performance").

#include <string_view>
#include <yaml-cpp/yaml.h>

namespace gleaner::daemon {

// YAML::Load(text) on a short-lived thread; throws what YAML::Load throws.
// Where no thread can be had (RLIMIT_NPROC), it parses on the caller's.
YAML::Node parse_yaml_apart(std::string_view text);

// Gives back to the system the free pages of every arena (malloc_trim).
void release_freed_memory();

}  // namespace gleaner::daemon
