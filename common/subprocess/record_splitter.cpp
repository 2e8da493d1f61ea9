#include "common/subprocess/record_splitter.h"

namespace gleaner::subprocess {
namespace {

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

bool RecordSplitter::feed(std::string_view data, const Emit& emit) {
  while (!data.empty()) {
    const auto newline = data.find('\n');
    if (newline == std::string_view::npos) {
      partial_line_.append(data);
      break;
    }
    if (partial_line_.empty()) {
      emit_line(data.substr(0, newline), emit);
    } else {
      partial_line_.append(data.substr(0, newline));
      emit_line(partial_line_, emit);
      partial_line_.clear();
    }
    data.remove_prefix(newline + 1);
  }
  // What the unfinished line will make of the record, so that the answer
  // does not depend on where the pipe cut the stream. In blocks, a line that
  // is not blank joins its block with a newline (finish() adds it at the end
  // of the stream), so that newline counts; a blank one ends the block and
  // adds nothing, unless it alone is longer than a record (refused, as when
  // it arrives whole).
  if (framing_ == Framing::lines || is_blank(partial_line_)) {
    if (partial_line_.size() > max_record_) overflow_ = true;
  } else if (partial_line_.size() + 1 + block_.size() > max_record_) {
    overflow_ = true;
  }
  return !overflow_;
}

void RecordSplitter::finish(const Emit& emit) {
  if (!partial_line_.empty()) {
    std::string last = std::move(partial_line_);
    partial_line_.clear();
    emit_line(last, emit);
  }
  emit_block(emit);
}

void RecordSplitter::emit_line(std::string_view line, const Emit& emit) {
  if (overflow_) return;
  if (framing_ == Framing::lines) {
    if (line.size() > max_record_) {
      overflow_ = true;
      return;
    }
    emit(line);
    return;
  }
  if (is_blank(line)) {
    if (line.size() > max_record_) {
      overflow_ = true;
      return;
    }
    emit_block(emit);
    return;
  }
  block_.append(line);
  block_.push_back('\n');
  if (block_.size() > max_record_) overflow_ = true;
}

void RecordSplitter::emit_block(const Emit& emit) {
  if (block_.empty() || overflow_) return;
  emit(block_);
  block_.clear();
}

}  // namespace gleaner::subprocess
