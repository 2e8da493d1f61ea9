// GET /: the status page, rendered by a real browser (headless Chromium):
// the DOM it builds is checked, and a screenshot is kept for people to
// look at (build/tests/status_page.png).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/shell_output.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (::access(path, X_OK) == 0) return path;
  }
  return nullptr;
}

// Runs headless Chromium on a URL with extra flags; returns what it printed.
std::string run_chromium(const std::string& profile, const std::string& flags, const std::string& url) {
  const std::string command = std::string(chromium()) +
                              " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                              " --disable-background-networking --disable-component-update --disable-sync"
                              " --hide-scrollbars --user-data-dir=" + profile + " " + flags + " '" + url + "' 2>/dev/null";
  return shell_output(command);
}

TEST(StatusPage, RendersEveryCollectorInARealBrowser) {
  // .ci/install-deps installs it; without it this test cannot judge the page.
  ASSERT_NE(chromium(), nullptr) << "chromium is not installed (bash .ci/install-deps)";
  const ScratchDir dir;
  const std::string config = dir.file("gleaner.yaml");
  std::ofstream(config) << R"(collectors:
  - {name: disk, plugin: df, interval: 30s}
  - {name: broken, plugin: exec, interval: 30s, shell: "echo '<script>alert(1)</script> & worse' >&2; exit 4"}
  - {name: hello, plugin: exec, interval: 1m, command: [printf, "hello_total 1\n"]}
)";
  DaemonProcess daemon({"--config", config, "--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon.port(), 0) << daemon.log();
  const std::string url = "http://127.0.0.1:" + std::to_string(daemon.port()) + "/";
  // Wait until every collector has finished its first run.
  ASSERT_TRUE(eventually([&] {
    const auto page = http_get(daemon.port(), "/");
    return page && page->body.find("class=\"starting\"") == std::string::npos;
  }));

  const auto dom = run_chromium(dir.file("profile"), "--dump-dom", url);
  EXPECT_THAT(dom, HasSubstr("<title>gleaner</title>"));
  EXPECT_THAT(dom, HasSubstr("href=\"/metrics\""));
  for (const char* name : {">disk<", ">broken<", ">hello<"}) EXPECT_THAT(dom, HasSubstr(name));
  EXPECT_THAT(dom, HasSubstr("class=\"up\">up<"));
  EXPECT_THAT(dom, HasSubstr("class=\"down\">down</span> <span class=\"reason\">(exit_code)<"));
  EXPECT_THAT(dom, HasSubstr("3 collectors: 2 up, 1 down."));
  EXPECT_THAT(dom, HasSubstr("exit code 4"));
  // The failing collector comes first, though the configuration lists it second.
  EXPECT_LT(dom.find(">broken<"), dom.find(">disk<"));
  EXPECT_LT(dom.find(">disk<"), dom.find(">hello<"));
  // Failures by reason, and when each last succeeded.
  EXPECT_THAT(dom, HasSubstr("<th>Failures</th>"));
  EXPECT_THAT(dom, HasSubstr(">1 <span class=\"reason\">(exit_code 1)</span><"));
  EXPECT_THAT(dom, HasSubstr("<th>Last success</th>"));
  const auto broken_row = dom.substr(dom.find(">broken<"), dom.find(">disk<") - dom.find(">broken<"));
  EXPECT_THAT(broken_row, HasSubstr("<td class=\"time\">never</td>"));
  // The command's words are text on the page, never markup.
  EXPECT_THAT(dom, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; worse"));
  EXPECT_THAT(dom, Not(HasSubstr("<script>alert")));

  const std::string screenshot = dir.file("status_page.png");
  run_chromium(dir.file("profile"), "--window-size=1280,720 --screenshot=" + screenshot, url);
  ASSERT_TRUE(std::filesystem::exists(screenshot));
  const auto png = read_file(screenshot);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(png.size(), 10'000u);  // a rendered table, not a blank page
  std::filesystem::copy_file(screenshot, "status_page.png", std::filesystem::copy_options::overwrite_existing);
}

TEST(StatusPage, AFailedReloadIsShownUntilAReloadSucceeds) {
  const ScratchDir dir;
  const std::string config = dir.file("gleaner.yaml");
  const std::string good = "collectors:\n  - {name: disk, plugin: df, interval: 30s}\n";
  std::ofstream(config) << good;
  DaemonProcess daemon({"--config", config, "--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon.port(), 0) << daemon.log();
  const auto page_has = [&](const std::string& text) {
    const auto page = http_get(daemon.port(), "/");
    return page && page->body.find(text) != std::string::npos;
  };
  ASSERT_TRUE(eventually([&] { return page_has(">disk<"); }));
  EXPECT_FALSE(page_has("The last reload"));

  std::ofstream(config) << "collectors:\n  - {name: disk, plugin: df, interval: 30s, colour: red}\n";
  daemon.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return page_has("class=\"alert\">The last reload, at "); })) << daemon.log();
  const auto page = http_get(daemon.port(), "/");
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body, HasSubstr("failed; the previous configuration still runs."));
  EXPECT_THAT(page->body, HasSubstr(config + ":2:"));
  EXPECT_THAT(page->body, HasSubstr("colour"));
  EXPECT_THAT(page->body, HasSubstr(">disk<"));

  std::ofstream(config) << good;
  daemon.signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return !page_has("The last reload"); })) << daemon.log();
}

}  // namespace
}  // namespace gleaner::testing
