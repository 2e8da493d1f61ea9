#pragma once
// Which files of a directory the textfile plugin reads: every entry whose
// name ends in ".prom", as node_exporter's textfile collector takes them
// (hidden ones included; a writer's temporary "x.prom.tmp" or "x.prom.$$"
// is not one), in byte order of their names, not recursing.
//
// Blocking (the directory may sit on a slow or hung filesystem): call it
// off the daemon's loop.

#include <string>
#include <vector>

namespace gleaner::plugins::textfile {

struct PromListing {
  std::vector<std::string> names;  // sorted
  std::string error;               // "" or why the directory could not be listed
};

bool is_prom_name(const std::string& name);

PromListing list_prom_files(const std::string& directory);

}  // namespace gleaner::plugins::textfile
