#include "common/logging/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/logging/event_sink.h"
#include "common/logging/log_escape.h"

namespace gleaner::logging {
namespace {

// "%*": the sd-daemon(3) priority prefix for the message's level.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
    static constexpr const char* kPrefixes[] = {"<7>", "<7>", "<6>", "<4>", "<3>", "<2>", "<6>"};
    const auto index = static_cast<std::size_t>(message.level);
    const char* prefix = index < std::size(kPrefixes) ? kPrefixes[index] : "<6>";
    out.append(prefix, prefix + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

// "%~": the message, escaped. Done here, where every message passes, rather
// than at the call sites: text from commands reaches the log through many
// of them (stderr, parse errors quoting output, command lines, paths), and
// a call site added later cannot forget it.
class EscapedMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
    const std::string_view text(message.payload.data(), message.payload.size());
    if (is_log_safe(text)) {
      out.append(text.data(), text.data() + text.size());
      return;
    }
    escaped_.clear();
    append_escaped(text, escaped_);
    out.append(escaped_.data(), escaped_.data() + escaped_.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<EscapedMessageFlag>(); }

 private:
  std::string escaped_;  // reused: one formatter per sink, called under the sink's lock
};

// The sink setup() installs; events with fields are written to it directly.
std::shared_ptr<EventSink>& installed_sink() {
  static std::shared_ptr<EventSink> sink;
  return sink;
}

}  // namespace

std::unique_ptr<spdlog::formatter> make_formatter(bool for_journal) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<EscapedMessageFlag>('~');
  if (for_journal) {
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%~");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %~");
  }
  return formatter;
}

bool journal_stream_is(std::string_view journal_stream, int fd) {
  // "DEVICE:INODE", both in decimal (systemd.exec(5), "JOURNAL_STREAM").
  const auto colon = journal_stream.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long device = 0, inode = 0;
  const auto parse = [](std::string_view text, unsigned long long& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size() && !text.empty();
  };
  if (!parse(journal_stream.substr(0, colon), device) || !parse(journal_stream.substr(colon + 1), inode)) return false;
  struct stat status {};
  if (::fstat(fd, &status) != 0) return false;
  return status.st_dev == device && status.st_ino == inode;
}

// sd_journal_sendv() reports success when journald's socket is not there
// at all (it fails silently, by design), so its absence is checked once here:
// then the stream, which journald reads too, is the way.
bool journal_socket_present() {
  struct stat status {};
  return ::stat("/run/systemd/journal/socket", &status) == 0 && S_ISSOCK(status.st_mode);
}

void setup() {
  const char* journal_stream = std::getenv("JOURNAL_STREAM");
  auto output = Output::lines;
  if (journal_stream != nullptr && journal_stream_is(journal_stream, STDERR_FILENO)) {
    output = journal_socket_present() ? Output::journal : Output::journal_stream;
  }
  auto sink = std::make_shared<EventSink>(output);
  installed_sink() = sink;
  auto logger = std::make_shared<spdlog::logger>("gleaner", std::move(sink));
  logger->flush_on(spdlog::level::trace);  // one line per event, written at once
  spdlog::set_default_logger(std::move(logger));
  spdlog::set_level(spdlog::level::info);
}

void set_format(Format format) {
  if (auto& sink = installed_sink()) sink->set_format(format);
}

void event(spdlog::level::level_enum level, std::string_view message, std::span<const Field> fields) {
  if (!spdlog::should_log(level)) return;
  const Event happened{std::chrono::system_clock::now(), level, message, fields};
  if (auto& sink = installed_sink()) {
    sink->write(happened);
  } else {
    spdlog::log(level, "{}", message);  // a test without setup(): the message alone
  }
}

void event(spdlog::level::level_enum level, std::string_view message, std::initializer_list<Field> fields) {
  event(level, message, std::span<const Field>(fields.begin(), fields.size()));
}

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warn" || name == "warning") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  return std::nullopt;
}

void set_level(spdlog::level::level_enum level) { spdlog::set_level(level); }

}  // namespace gleaner::logging
