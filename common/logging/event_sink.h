#pragma once
// Where every log event goes: the spdlog sink of the default logger, which
// call sites without fields reach through spdlog::info() and the like, and
// logging::event() directly with its fields. One place writes, under one
// lock, in the format chosen: text, json or logfmt on standard error, or
// natively to journald.

#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>

#include "common/logging/log_event.h"
#include "common/logging/log_formats.h"

namespace gleaner::logging {

// Where the lines go.
enum class Output {
  lines,           // out, in the format set
  journal_stream,  // out is journald's stream: "<4>message", whatever the format
  journal,         // journald natively (journal_socket.h), else as journal_stream
};

class EventSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit EventSink(Output output, std::FILE* out = stderr);

  void write(const Event& event);
  void set_format(Format format);

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override;

 private:
  void write_locked(const Event& event);
  void write_line(const std::string& line);
  bool send_to_journal(const Event& event);

  const Output output_;
  std::FILE* out_;
  Format format_ = Format::text;
  std::unique_ptr<spdlog::formatter> text_formatter_;     // today's line: time, level, message
  std::unique_ptr<spdlog::formatter> journal_formatter_;  // "<4>message", should journald not answer
  spdlog::memory_buf_t buffer_;
};

}  // namespace gleaner::logging
