#include "plugins/textfile/prom_listing.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>

namespace gleaner::plugins::textfile {

bool is_prom_name(const std::string& name) {
  constexpr std::string_view kSuffix = ".prom";
  return name.size() >= kSuffix.size() && std::string_view(name).substr(name.size() - kSuffix.size()) == kSuffix;
}

PromListing list_prom_files(const std::string& directory) {
  PromListing listing;
  const std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(directory.c_str()), ::closedir);
  const auto failed = [&] {
    listing.names.clear();
    listing.error = "cannot list " + directory + ": " + std::system_category().message(errno);
    return listing;
  };
  if (!dir) return failed();
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return failed();
      break;
    }
    std::string name = entry->d_name;
    if (is_prom_name(name)) listing.names.push_back(std::move(name));
  }
  std::sort(listing.names.begin(), listing.names.end());
  return listing;
}

}  // namespace gleaner::plugins::textfile
