// The libraries the daemon maps once it has run a collector, served and
// reloaded (README "Two commands", build flags): spdlog and fmt are
// compiled in, in every build; yaml-cpp, re2 and the C++ runtime are linked
// in where GLEANER_BUNDLE_CXX_LIBRARIES is (the default optimised build),
// so there no C++ library is mapped at all. The sanitizer build links them
// shared, and shows the control: the same look finds libstdc++ there.

#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/io_wait.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

TEST(LinkedLibrariesTest, NoCxxLibraryIsMappedWhereTheyAreLinkedIn) {
  ScratchDir dir;
  dir.write("gleaner.yaml", "collectors:\n  - {name: hello, plugin: exec, command: [printf, \"hello_value 1\\n\"]}\n");
  DaemonProcess daemon({"--config", dir.file("gleaner.yaml"), "--listen", "127.0.0.1:0"});
  const int port = daemon.port();
  ASSERT_GT(port, 0) << daemon.log();
  ASSERT_TRUE(eventually([&] {
    const auto reply = http_get(port, "/metrics");
    return reply && reply->body.find("hello_value{collector=\"hello\"} 1") != std::string::npos;
  })) << daemon.log();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return daemon.log().find("reloaded") != std::string::npos; })) << daemon.log();

  const std::string maps = read_file("/proc/" + std::to_string(daemon.pid()) + "/maps");
  ASSERT_NE(maps.find("libc.so"), std::string::npos) << maps;  // the sign can show
  EXPECT_EQ(maps.find("libspdlog.so"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("libfmt.so"), std::string::npos) << maps;
  for (const char* library : {"libstdc++.so", "libgcc_s.so", "libyaml-cpp.so", "libre2.so"}) {
    EXPECT_EQ(maps.find(library) == std::string::npos, GLEANER_CXX_LIBRARIES_LINKED_IN != 0)
        << library << (GLEANER_CXX_LIBRARIES_LINKED_IN ? " is mapped though linked in" : " is not mapped though shared")
        << "\n" << maps;
  }
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
}

}  // namespace
}  // namespace gleaner::testing
