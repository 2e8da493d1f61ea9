#pragma once
// Cuts a byte stream into records as it arrives: lines, or blocks of lines
// separated by blank lines (how vmstat-like tools and many status commands
// print). Pure: no I/O, so the stream mode and its tests share it.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace gleaner::subprocess {

enum class Framing { lines, blocks };

class RecordSplitter {
 public:
  using Emit = std::function<void(std::string_view record)>;

  RecordSplitter(Framing framing, std::size_t max_record) : framing_(framing), max_record_(max_record) {}

  // Emits every record completed by data. Returns false once a record has
  // grown past max_record (it is not emitted; the caller ends the stream).
  bool feed(std::string_view data, const Emit& emit);

  // Emits what is left as a last record, at the end of the stream.
  void finish(const Emit& emit);

 private:
  void emit_line(std::string_view line, const Emit& emit);
  void emit_block(const Emit& emit);

  Framing framing_;
  std::size_t max_record_;
  std::string partial_line_;
  std::string block_;
  bool overflow_ = false;
};

}  // namespace gleaner::subprocess
