#include "common/logging/event_sink.h"

#include <string>

#include "common/logging/journal_socket.h"
#include "common/logging/logging.h"

namespace gleaner::logging {
namespace {

spdlog::details::log_msg as_log_msg(const Event& event) {
  return spdlog::details::log_msg(event.time, spdlog::source_loc{}, "gleaner", event.level,
                                  spdlog::string_view_t(event.message.data(), event.message.size()));
}

}  // namespace

EventSink::EventSink(Output output, std::FILE* out)
    : output_(output),
      out_(out),
      text_formatter_(make_formatter(false)),
      journal_formatter_(make_formatter(true)) {}

void EventSink::write(const Event& event) {
  std::lock_guard lock(mutex_);
  write_locked(event);
}

void EventSink::set_format(Format format) {
  std::lock_guard lock(mutex_);
  format_ = format;
}

void EventSink::sink_it_(const spdlog::details::log_msg& message) {
  const std::string_view text(message.payload.data(), message.payload.size());
  write_locked(Event{message.time, message.level, text, {}});
}

void EventSink::flush_() { std::fflush(out_); }

void EventSink::write_locked(const Event& event) {
  if (output_ == Output::journal && send_to_journal(event)) return;
  const bool to_stream = output_ != Output::lines;
  if (to_stream || format_ == Format::text) {
    buffer_.clear();
    (to_stream ? journal_formatter_ : text_formatter_)->format(as_log_msg(event), buffer_);
    write_line(std::string(buffer_.data(), buffer_.size()));
    return;
  }
  auto line = format_ == Format::json ? format_json(event) : format_logfmt(event);
  line += '\n';
  write_line(line);
}

// One fwrite per line, then flushed: a line reaches the pipe whole and at once.
void EventSink::write_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

bool EventSink::send_to_journal(const Event& event) {
  return send_to_journald(journal_fields(event));
}

}  // namespace gleaner::logging
