// The log formats through the real binary (README "What is logged"): with
// --log-format json every line is one JSON document with the event's
// fields, logfmt likewise, whatever a command prints on stderr; log_format
// in the file, the flag winning, a reload applying it; the debug line of
// each run; and under systemd, events sent natively to journald with their
// fields, checked on the datagrams a socket of the test receives.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "tests/support/daemon_fixture.h"
#include "tests/support/logfmt_reader.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using LogFormatTest = DaemonFixture;

// Prints hostile text on stderr and fails: a newline that would forge a
// second event, quotes and a backslash that would end a JSON string or a
// logfmt value early, an escape sequence, bytes that are not UTF-8.
const std::string kHostileCollector = R"(
  - name: hostile
    plugin: exec
    interval: 1h
    shell: 'printf "bad \"quote\" \\\\ \033[2K\377\376\n{\"level\":\"error\"} level=error msg=forged\n" >&2; exit 3'
  - name: fine
    plugin: exec
    interval: 1h
    command: [/bin/echo, fine_value 1]
)";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Every line as JSON; a line that is not fails the test.
std::vector<nlohmann::json> json_lines(const std::string& log) {
  std::vector<nlohmann::json> events;
  for (const auto& line : lines_of(log)) {
    try {
      events.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::exception& error) {
      ADD_FAILURE() << "not JSON: " << line << " (" << error.what() << ")";
    }
    if (!events.empty()) {
      EXPECT_TRUE(events.back().is_object()) << line;
    }
  }
  return events;
}

const nlohmann::json* find_event(const std::vector<nlohmann::json>& events, const std::string& name) {
  for (const auto& event : events) {
    if (event.is_object() && event.value("event", "") == name) return &event;
  }
  return nullptr;
}

TEST_F(LogFormatTest, JsonEveryLineIsADocumentWithTheEventsFields) {
  start("collectors:" + kHostileCollector, {"--log-format", "json"});
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "\"collector_failed\""); })) << daemon_->log();
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "\"reloaded\""); })) << daemon_->log();
  daemon_->signal(SIGTERM);
  ASSERT_EQ(daemon_->wait_for_exit(), 0);

  const auto log = daemon_->log();
  const auto events = json_lines(log);
  ASSERT_GE(events.size(), 6u) << log;
  for (const auto& event : events) {
    EXPECT_THAT(event.value("time", ""),
                ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z"))
        << event;
    EXPECT_TRUE(event.contains("level") && event.contains("message")) << event;
  }
  const auto* failed = find_event(events, "collector_failed");
  ASSERT_NE(failed, nullptr) << log;
  EXPECT_EQ(failed->at("level"), "warning");
  EXPECT_EQ(failed->at("collector"), "hostile");
  EXPECT_EQ(failed->at("reason"), "exit_code");
  EXPECT_EQ(failed->at("exit_code"), 3);
  EXPECT_THAT(failed->at("command").get<std::string>(), StartsWith("/bin/sh -c 'printf"));
  // The stderr is in the message, escaped: the forged event stays inside it.
  EXPECT_THAT(failed->at("message").get<std::string>(),
              HasSubstr("stderr: bad \"quote\" \\ \\x1b[2K\\xff\\xfe|{\"level\":\"error\"} level=error msg=forged"));
  const auto* started = find_event(events, "started");
  ASSERT_NE(started, nullptr) << log;
  EXPECT_EQ(started->at("collectors"), 2);
  EXPECT_THAT(started->at("listen").get<std::string>(), HasSubstr(":" + std::to_string(daemon_->port())));
  ASSERT_NE(find_event(events, "reloading"), nullptr) << log;
  const auto* reloaded = find_event(events, "reloaded");
  ASSERT_NE(reloaded, nullptr) << log;
  EXPECT_EQ(reloaded->at("config"), config_);
  const auto* stopping = find_event(events, "stopping");
  ASSERT_NE(stopping, nullptr) << log;
  EXPECT_EQ(stopping->at("signal"), "SIGTERM");
  ASSERT_NE(find_event(events, "stopped"), nullptr) << log;
}

TEST_F(LogFormatTest, LogfmtFromTheFileEveryLineIsPairs) {
  start("log_format: logfmt\ncollectors:" + kHostileCollector);
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "event=collector_failed"); })) << daemon_->log();
  const auto log = daemon_->log();
  bool seen_failure = false;
  for (const auto& line : lines_of(log)) {
    EXPECT_THAT(line, StartsWith("time=")) << log;
    const auto pairs = parse_logfmt(line);
    ASSERT_TRUE(pairs) << "not logfmt: " << line;
    EXPECT_EQ(pairs->count("level"), 1u) << line;
    EXPECT_EQ(pairs->count("msg"), 1u) << line;
    if (pairs->count("event") && pairs->at("event") == "collector_failed") {
      seen_failure = true;
      EXPECT_EQ(pairs->at("level"), "warning");  // the forged level=error stayed in msg
      EXPECT_EQ(pairs->at("collector"), "hostile");
      EXPECT_EQ(pairs->at("reason"), "exit_code");
      EXPECT_EQ(pairs->at("exit_code"), "3");
      EXPECT_THAT(pairs->at("msg"), HasSubstr("stderr: bad \"quote\" \\ \\x1b[2K\\xff\\xfe|"));
    }
  }
  EXPECT_TRUE(seen_failure) << log;
}

TEST_F(LogFormatTest, TheFlagWinsOverTheFileAndAReloadAppliesTheFilesFormat) {
  start("log_format: logfmt\ncollectors:" + kHostileCollector, {"--log-format", "json"});
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "\"collector_failed\""); })) << daemon_->log();
  json_lines(daemon_->log());  // every line JSON: the flag won
  daemon_.reset();

  // Without the flag, the file decides, also when a reload changes it.
  start("collectors:" + kHostileCollector);
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "collector hostile failed"); })) << daemon_->log();
  EXPECT_THAT(daemon_->log(), ::testing::ContainsRegex("(^|\n)[0-9-]+T[0-9:.]+[-+][0-9]{2}:[0-9]{2} info gleaner "));
  const auto before = daemon_->log().size();
  write_config("log_format: json\ncollectors:" + kHostileCollector);
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "\"event\":\"reloaded\""); })) << daemon_->log();
  const auto after = daemon_->log().substr(before);
  // "reloading" is written before the file is read, in the old format.
  const auto lines = lines_of(after);
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.front(), HasSubstr(" info reloading "));
  const auto events = json_lines(after.substr(after.find('\n') + 1));
  ASSERT_NE(find_event(events, "reloaded"), nullptr) << after;
}

TEST_F(LogFormatTest, AnUnknownFormatIsAnErrorOnTheCommandLineAndInTheFile) {
  const auto flag = run_gleaner({"--log-format", "xml", "--check-config"}, kPatience);
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("--log-format: unknown format \"xml\" (text, json, logfmt)"));
  const auto path = write_config("log_format: xml\ncollectors: []\n");
  const auto file = run_gleaner({"--config", path, "--check-config"}, kPatience);
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_THAT(file.err, HasSubstr(path + ":1:13: configuration.log_format: unknown value \"xml\" (one of: text, "
                                         "json, logfmt)"));
}

TEST_F(LogFormatTest, DebugSaysWhatEachRunDidAndInfoDoesNot) {
  const std::string config = R"(collectors:
  - name: two
    plugin: exec
    interval: 200ms
    command: [/bin/sh, -c, "echo a 1; echo b 2"]
)";
  start(config, {"--log-level", "debug", "--log-format", "json"});
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "\"collector_run\""); })) << daemon_->log();
  const auto events = json_lines(daemon_->log());
  const auto* run = find_event(events, "collector_run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->at("level"), "debug");
  EXPECT_EQ(run->at("collector"), "two");
  EXPECT_EQ(run->at("command"), "/bin/sh -c 'echo a 1; echo b 2'");
  EXPECT_EQ(run->at("exit_code"), 0);
  EXPECT_EQ(run->at("bytes_read"), 8);
  EXPECT_EQ(run->at("series"), 2);
  EXPECT_TRUE(run->at("duration_ms").is_number_integer()) << *run;
  EXPECT_THAT(run->at("message").get<std::string>(),
              ::testing::MatchesRegex("collector two: ran /bin/sh -c 'echo a 1; echo b 2' \\(exit code 0\\) in "
                                      "[0-9]+ms, read 8 bytes, 2 series parsed"));
  daemon_.reset();

  // At info, several runs and not a line about them.
  start(config);
  scrape_until([](const std::string& body) {
    const auto runs = value_of(body, "gleaner_collector_runs_total{collector=\"two\"}");
    return runs && *runs >= 3;
  });
  EXPECT_THAT(daemon_->log(), ::testing::Not(HasSubstr("collector two:"))) << daemon_->log();
}

// Under systemd: JOURNAL_STREAM names stderr's device and inode, so events
// go to journald's socket natively. The daemon runs in a mount namespace of
// its own where /run/systemd is this test's folder, and its journal socket
// one the test reads: the datagrams are what journald would receive.
class JournaldTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    if (std::system("unshare -m true 2>/dev/null") != 0) GTEST_SKIP() << "no mount namespace here (needs root)";
    std::filesystem::create_directory(dir_ + "/journal");
  }
  void TearDown() override {
    if (socket_ >= 0) ::close(socket_);
    DaemonFixture::TearDown();
  }

  void listen_as_journald() {
    socket_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(socket_, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const auto path = dir_ + "/journal/socket";
    ASSERT_LT(path.size(), sizeof address.sun_path);
    std::strcpy(address.sun_path, path.c_str());
    ASSERT_EQ(::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  }

  // gleaner as systemd starts a service whose stderr is the journal stream.
  void start_under_systemd(const std::string& config_text, const std::vector<std::string>& args = {}) {
    std::vector<std::string> all = {"--config", write_config(config_text), "--listen", "127.0.0.1:0"};
    all.insert(all.end(), args.begin(), args.end());
    daemon_ = std::make_unique<DaemonProcess>(
        all, std::vector<std::string>{},
        std::vector<std::string>{"unshare", "-m", "sh", "-c",
                                 "mount --bind " + dir_ + " /run/systemd && "
                                 "export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) && exec \"$0\" \"$@\""});
  }

  // The native protocol: KEY=value lines, or KEY, a newline, a 64-bit
  // little-endian size and that many bytes for a value holding a newline.
  static std::map<std::string, std::string> parse_datagram(const std::string& data) {
    std::map<std::string, std::string> fields;
    std::size_t i = 0;
    while (i < data.size()) {
      const auto end = data.find('\n', i);
      if (end == std::string::npos) break;
      const auto line = data.substr(i, end - i);
      const auto eq = line.find('=');
      if (eq != std::string::npos) {
        fields[line.substr(0, eq)] = line.substr(eq + 1);
        i = end + 1;
        continue;
      }
      std::uint64_t size = 0;
      std::memcpy(&size, data.data() + end + 1, sizeof size);  // little-endian, as the host
      fields[line] = data.substr(end + 1 + sizeof size, size);
      i = end + 1 + sizeof size + size + 1;
    }
    return fields;
  }

  // Reads what has arrived; each datagram parsed.
  void receive() {
    char buffer[65536];
    for (;;) {
      const auto got = ::recv(socket_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (got < 0) return;
      received_.push_back(parse_datagram(std::string(buffer, static_cast<std::size_t>(got))));
    }
  }

  const std::map<std::string, std::string>* find(const std::string& event) {
    receive();
    for (const auto& fields : received_) {
      const auto it = fields.find("EVENT");
      if (it != fields.end() && it->second == event) return &fields;
    }
    return nullptr;
  }

  int socket_ = -1;
  std::vector<std::map<std::string, std::string>> received_;
};

TEST_F(JournaldTest, EventsGoToJournaldNativelyWithTheirFields) {
  listen_as_journald();
  start_under_systemd("collectors:" + kHostileCollector, {"--log-format", "json"});
  ASSERT_TRUE(eventually([&] { return find("collector_failed") != nullptr; })) << daemon_->log();
  const auto& failed = *find("collector_failed");
  EXPECT_EQ(failed.at("PRIORITY"), "4");
  EXPECT_EQ(failed.at("SYSLOG_IDENTIFIER"), "gleaner");
  EXPECT_EQ(failed.at("COLLECTOR"), "hostile");
  EXPECT_EQ(failed.at("REASON"), "exit_code");
  EXPECT_EQ(failed.at("EXIT_CODE"), "3");
  EXPECT_THAT(failed.at("COMMAND"), StartsWith("/bin/sh -c 'printf"));
  // Escaped, as on stderr: the message is text, on one line.
  EXPECT_THAT(failed.at("MESSAGE"), HasSubstr("stderr: bad \"quote\" \\ \\x1b[2K\\xff\\xfe|{\"level\":\"error\"}"));
  const auto* started = find("started");
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->at("PRIORITY"), "6");
  EXPECT_THAT(started->at("MESSAGE"), HasSubstr(" listening on 127.0.0.1:"));
  // A line without fields of its own goes the same way.
  for (const auto& fields : received_) EXPECT_EQ(fields.count("MESSAGE"), 1u);
  daemon_->signal(SIGTERM);
  EXPECT_EQ(daemon_->wait_for_exit(), 0);
  ASSERT_TRUE(eventually([&] { return find("stopped") != nullptr; }));
  // Nothing was written twice: stderr stayed empty.
  EXPECT_EQ(daemon_->log(), "");
}

// JOURNAL_STREAM matches, but journald's socket is not there, or nothing
// reads it: the events reach the stream instead, with the "<N>" priority
// prefix journald reads there, and without a time, which journald adds.
TEST_F(JournaldTest, WithoutJournaldSocketLinesGoToStderrWithTheirPriority) {
  start_under_systemd("collectors:" + kHostileCollector, {"--log-format", "json"});
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "<4>collector hostile failed (exit_code)"); }))
      << daemon_->log();
  EXPECT_THAT(daemon_->log(), ::testing::ContainsRegex("(^|\n)<6>gleaner .* listening on 127.0.0.1:"));
}

TEST_F(JournaldTest, WhenJournaldDoesNotAnswerLinesGoToStderrWithTheirPriority) {
  listen_as_journald();
  ::close(socket_);  // the socket file stays, with no one behind it
  socket_ = -1;
  start_under_systemd("collectors:" + kHostileCollector, {"--log-format", "json"});
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "<4>collector hostile failed (exit_code)"); }))
      << daemon_->log();
  EXPECT_THAT(daemon_->log(), ::testing::ContainsRegex("(^|\n)<6>gleaner .* listening on 127.0.0.1:"));
}

TEST_F(LogFormatTest, AJournalStreamThatIsNotStderrIsIgnored) {
  // Inherited from a service by a shell whose stderr went elsewhere.
  start("log_format: json\ncollectors:" + kHostileCollector, {}, {"JOURNAL_STREAM=1:1"});
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "\"collector_failed\""); })) << daemon_->log();
  json_lines(daemon_->log());
}

}  // namespace
}  // namespace gleaner::testing
