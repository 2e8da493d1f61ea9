#pragma once
// A fleet on one machine (README "Running a fleet"): real gleaner processes,
// each on a free loopback port with a configuration of its own, listed in a
// file_sd targets file; and the shipped Prometheus files made fit for a
// test's time scale: the scrape configuration with one-second intervals and
// the test's own paths, the rules with their `for:` durations alone shortened.

#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/daemon_process.h"
#include "tests/support/scratch_dir.h"

#ifndef GLEANER_SOURCE_DIR
#error "fleet tests must be built with GLEANER_SOURCE_DIR"
#endif

namespace gleaner::testing {

inline std::string shipped_prometheus_file(const std::string& name) {
  return std::string(GLEANER_SOURCE_DIR) + "/etc/prometheus/" + name;
}

// The shipped rules with every alert's `for:` set to `duration`, and nothing
// else changed: realistic durations (minutes) do not fit in a test.
inline std::string shipped_rules_with_for(const std::string& duration, int* rewritten = nullptr) {
  // A line "  for: 15m": the start of the text or a newline, the indent and
  // key kept, the value replaced.
  const std::regex for_line(R"((^|\n)([ \t]+for:[ \t]*)[^ \t\n#]+)");
  const auto text = ScratchDir::read(shipped_prometheus_file("gleaner.rules.yml"));
  if (rewritten) {
    *rewritten = static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), for_line),
                                                std::sregex_iterator()));
  }
  // Two-digit group numbers: "$2" before a duration's digits would be read
  // as "$25".
  return std::regex_replace(text, for_line, "$01$02" + duration);
}

// The shipped scrape.yml with scrapes and evaluations every second, its
// file_sd pattern and rule file replaced by the test's (absolute paths);
// everything else (the job's name, its other settings) as shipped.
inline std::string fleet_prometheus_config(const std::string& targets_pattern, const std::string& rules_path) {
  YAML::Node config = YAML::LoadFile(shipped_prometheus_file("scrape.yml"));
  config["global"]["scrape_interval"] = "1s";
  config["global"]["evaluation_interval"] = "1s";
  config["rule_files"] = std::vector<std::string>{rules_path};
  for (auto job : config["scrape_configs"]) {
    if (job["scrape_interval"]) job["scrape_interval"] = "1s";
    if (job["scrape_timeout"]) job["scrape_timeout"] = "1s";
    for (auto sd : job["file_sd_configs"]) {
      sd["files"] = std::vector<std::string>{targets_pattern};
      sd["refresh_interval"] = "1s";
    }
  }
  YAML::Emitter out;
  out << config;
  return out.c_str();
}

class GleanerFleet {
 public:
  GleanerFleet() = default;
  // SIGTERM to all at once, so that each ends its commands' process groups
  // (a SIGKILL would leave them running); then each is waited for.
  ~GleanerFleet() {
    for (auto& [name, member] : members_) {
      if (!member->exited()) member->signal(SIGTERM);
    }
    for (auto& [name, member] : members_) member->wait_for_exit();
  }
  GleanerFleet(const GleanerFleet&) = delete;
  GleanerFleet& operator=(const GleanerFleet&) = delete;

  // Starts a gleaner named `name` (a name for the test) on this
  // configuration; its address, "127.0.0.1:PORT", or "" if it did not
  // come up.
  std::string add(const std::string& name, const std::string& config) {
    const auto path = write_config(name, config);
    auto& member = members_[name];
    member = std::make_unique<DaemonProcess>(std::vector<std::string>{"--config", path, "--listen", "127.0.0.1:0"});
    order_.push_back(name);
    return address(name);
  }

  DaemonProcess& member(const std::string& name) { return *members_.at(name); }
  std::string address(const std::string& name) {
    const int port = members_.at(name)->port();
    return port > 0 ? "127.0.0.1:" + std::to_string(port) : "";
  }
  std::size_t size() const { return members_.size(); }

  // Replaces a member's configuration file (not yet applied: SIGHUP does).
  std::string write_config(const std::string& name, const std::string& config) {
    const auto path = dir_.file(name + ".yaml");
    // Replaced, not rewritten in place: a reload must never see half a file.
    std::ofstream(path + ".new") << config;
    std::filesystem::rename(path + ".new", path);
    return path;
  }

  // The file_sd targets file listing every member, in the order added.
  std::string targets_file() {
    std::ostringstream text;
    text << "- targets:\n";
    for (const auto& name : order_) text << "    - \"" << address(name) << "\"\n";
    return text.str();
  }

  // Every member's log, for a failure's message.
  std::string logs() {
    std::ostringstream text;
    for (const auto& name : order_) text << "--- " << name << " (" << address(name) << ")\n" << member(name).log();
    return text.str();
  }

 private:
  ScratchDir dir_;
  std::map<std::string, std::unique_ptr<DaemonProcess>> members_;
  std::vector<std::string> order_;
};

}  // namespace gleaner::testing
