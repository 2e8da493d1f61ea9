// The libraries the daemon maps once it has run a collector, served and
// reloaded (README "Two commands", build flags): spdlog and fmt are
// compiled in, in every build; yaml-cpp, re2 and the C++ runtime are linked
// in where GLEANER_BUNDLE_CXX_LIBRARIES is (the default optimised build),
// so there no C++ library is mapped at all. The sanitizer build links them
// shared, and shows the control: the same look finds libstdc++ there.

#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "tests/support/daemon_fixture.h"

namespace gleaner::testing {
namespace {

class LinkedLibrariesTest : public DaemonFixture {};

TEST_F(LinkedLibrariesTest, NoCxxLibraryIsMappedWhereTheyAreLinkedIn) {
  DaemonProcess& daemon = start("collectors:\n  - {name: hello, plugin: exec, command: [printf, \"x_value 1\\n\"]}\n");
  scrape_until([](const std::string& body) { return has(body, "x_value{collector=\"hello\"} 1"); });
  daemon.signal(SIGHUP);  // the configuration read again
  ASSERT_TRUE(eventually([&] { return has(daemon.log(), "reloaded"); })) << daemon.log();

  const std::string maps = read_file("/proc/" + std::to_string(daemon.pid()) + "/maps");
  ASSERT_TRUE(has(maps, "libc.so")) << maps;  // the sign can show
  EXPECT_FALSE(has(maps, "libspdlog.so")) << maps;
  EXPECT_FALSE(has(maps, "libfmt.so")) << maps;
  for (const char* library : {"libstdc++.so", "libgcc_s.so", "libyaml-cpp.so", "libre2.so"}) {
    EXPECT_EQ(has(maps, library), GLEANER_CXX_LIBRARIES_LINKED_IN == 0)
        << library << (GLEANER_CXX_LIBRARIES_LINKED_IN ? " is mapped though linked in" : " is not mapped though shared")
        << "\n" << maps;
  }
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
}

}  // namespace
}  // namespace gleaner::testing
