#pragma once
// Configuration errors that point at the place in the file: FILE:LINE:COLUMN.

#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace gleaner::config {

struct Mark {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

struct ConfigError {
  Mark mark;
  std::string message;
  // "FILE:LINE:COLUMN: message"
  std::string format() const;
};

// Collects every error of a load, so that a user sees them all at once.
class ErrorList {
 public:
  explicit ErrorList(std::string file = {}) : file_(std::move(file)) {}

  // The file that marks of YAML nodes refer to from now on.
  void set_file(std::string file) { file_ = std::move(file); }
  const std::string& file() const { return file_; }

  // Line breaks and control characters in the message (quoted from the
  // file) are escaped: "\n", "\r", "\x1b".
  void add(const YAML::Node& node, std::string message);
  void add(Mark mark, std::string message);
  void append(const ErrorList& other);

  // What does not stop a load but should be heard of (--check-config prints
  // it): formatted "FILE:LINE:COLUMN: warning: message". Not an error:
  // empty() and size() count errors only.
  void warn(const YAML::Node& node, std::string message);
  const std::vector<ConfigError>& warnings() const { return warnings_; }
  // Every warning, one per line.
  std::string format_warnings() const;

  Mark mark_of(const YAML::Node& node) const;
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  const std::vector<ConfigError>& errors() const { return errors_; }
  // Every error, one per line.
  std::string format() const;

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
  std::vector<ConfigError> warnings_;
};

}  // namespace gleaner::config
