#pragma once
// A fresh directory under /tmp for a test's files (passwords, certificates),
// removed with everything in it when the test ends.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace gleaner::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gleaner-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

  // The whole of a file, bytes as they are.
  static std::string read(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }

  // Writes content to name (readable by the owner only, as secrets are);
  // returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::string target = file(name);
    std::ofstream(target, std::ios::binary | std::ios::trunc) << content;
    ::chmod(target.c_str(), 0600);
    return target;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace gleaner::testing
