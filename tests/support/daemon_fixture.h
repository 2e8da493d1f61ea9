#pragma once
// What the integration tests of the real binary share: a scratch folder for
// configurations, gleaner started on a free port, scrapes polled until the
// exposition shows what a test waits for, and reading values out of it.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/io_wait.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {

// The value of the first series whose line starts with `series` (name and
// labels as printed), or nullopt.
inline std::optional<double> value_of(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

inline bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

class DaemonFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path().string();
    config_ = dir_ + "/gleaner.yaml";
  }
  void TearDown() override {
    daemon_.reset();
  }

  // A file in the scratch folder; its path.
  std::string write(const std::string& name, const std::string& text, bool executable = false) {
    const auto path = dir_ + "/" + name;
    // Replaced, not rewritten in place: a reload must never see half a file.
    std::ofstream(path + ".new") << text;
    std::filesystem::rename(path + ".new", path);
    if (executable) std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }
  std::string write_config(const std::string& text) { return write("gleaner.yaml", text); }

  // gleaner on a free port with this configuration (and extra arguments or
  // "NAME=value" environment entries).
  DaemonProcess& start(const std::string& config_text, const std::vector<std::string>& extra_args = {},
                       const std::vector<std::string>& env = {}) {
    std::vector<std::string> args = {"--config", write_config(config_text), "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    daemon_ = std::make_unique<DaemonProcess>(args, env);
    EXPECT_GT(daemon_->port(), 0) << daemon_->log();
    return *daemon_;
  }

  std::string scrape() {
    const auto reply = http_get(daemon_->port(), "/metrics");
    return reply && reply->status == 200 ? reply->body : "";
  }

  // Scrapes until the exposition satisfies done; returns the last one.
  // Expositions of megabytes take a longer patience and poll_every.
  template <typename Predicate>
  std::string scrape_until(Predicate done, std::chrono::steady_clock::duration patience = kPatience,
                           std::chrono::steady_clock::duration poll_every = std::chrono::milliseconds(20)) {
    std::string body;
    const bool held = eventually(
        [&] {
          body = scrape();
          return done(body);
        },
        patience, poll_every);
    EXPECT_TRUE(held) << "last scrape:\n" << body << "\nlog:\n" << daemon_->log();
    return body;
  }

  ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
  std::string config_;
  std::unique_ptr<DaemonProcess> daemon_;
};

}  // namespace gleaner::testing
