#include "common/subprocess/answer_assembler.h"

namespace gleaner::subprocess {
namespace {

constexpr std::size_t kStrayKept = 200;  // characters of the first stray line, for the log

bool is_terminator(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line.find_first_not_of(" \t") == std::string_view::npos || line == "# EOF";
}

}  // namespace

void AnswerAssembler::begin() {
  answering_ = true;
  answer_.clear();
  lines_ = 0;
  stray_bytes_ = 0;
}

std::string AnswerAssembler::take_answer() {
  answering_ = false;
  lines_ = 0;
  std::string answer = std::move(answer_);
  answer_.clear();
  return answer;
}

std::string AnswerAssembler::take_strays(std::size_t* count) {
  *count = stray_lines_;
  stray_lines_ = 0;
  std::string first = std::move(first_stray_);
  first_stray_.clear();
  return first;
}

AnswerAssembler::Progress AnswerAssembler::feed(std::string_view data, std::size_t* consumed) {
  const std::size_t size = data.size();
  while (!data.empty()) {
    const auto newline = data.find('\n');
    if (newline == std::string_view::npos) {
      partial_.append(data);
      data = {};
      // A line longer than an answer may be can never become one.
      if (partial_.size() > max_answer_) {
        *consumed = size;
        return Progress::too_long;
      }
      break;
    }
    Progress progress;
    if (partial_.empty()) {
      progress = on_line(data.substr(0, newline));
    } else {
      partial_.append(data.substr(0, newline));
      const std::string line = std::move(partial_);
      partial_.clear();
      progress = on_line(line);
    }
    data.remove_prefix(newline + 1);
    if (progress != Progress::waiting) {
      *consumed = size - data.size();
      return progress;
    }
  }
  *consumed = size;
  return Progress::waiting;
}

AnswerAssembler::Progress AnswerAssembler::on_line(std::string_view line) {
  if (!answering_) {
    if (is_terminator(line)) return Progress::waiting;  // a second terminator says nothing
    ++stray_lines_;
    if (first_stray_.empty()) first_stray_ = std::string(line.substr(0, kStrayKept));
    stray_bytes_ += line.size() + 1;
    return stray_bytes_ > max_answer_ ? Progress::too_long : Progress::waiting;
  }
  if (is_terminator(line)) return Progress::complete;
  answer_.append(line);
  answer_.push_back('\n');
  ++lines_;
  return answer_.size() > max_answer_ ? Progress::too_long : Progress::waiting;
}

}  // namespace gleaner::subprocess
