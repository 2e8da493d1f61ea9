#include "logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "log_escape.h"

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

void setup() {
  auto logger = std::make_shared<spdlog::logger>("gleaner", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(make_formatter(std::getenv("JOURNAL_STREAM") != nullptr));
  logger->flush_on(spdlog::level::trace);  // one line per event, written at once
  spdlog::set_default_logger(std::move(logger));
  spdlog::set_level(spdlog::level::info);
}

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  return std::nullopt;
}

void set_level(spdlog::level::level_enum level) { spdlog::set_level(level); }

}  // namespace gleaner::logging
