#include "common/subprocess/executable_lookup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "tests/support/scratch_dir.h"

namespace gleaner::subprocess {
namespace {

using ::testing::HasSubstr;

class ExecutableLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path().string();
  }
  std::string make_file(const std::string& name, mode_t mode) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n";
    ::chmod(path.c_str(), mode);
    return path;
  }

  gleaner::testing::ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
};

TEST_F(ExecutableLookupTest, FindsTheFirstExecutableOnPath) {
  ::mkdir((dir_ + "/a").c_str(), 0755);
  ::mkdir((dir_ + "/b").c_str(), 0755);
  make_file("b/tool", 0755);
  const auto lookup = find_executable("tool", dir_ + "/a:" + dir_ + "/b");
  ASSERT_TRUE(lookup.found()) << lookup.message;
  EXPECT_EQ(lookup.path, dir_ + "/b/tool");
}

TEST_F(ExecutableLookupTest, NotFoundNamesTheSearchedPath) {
  const auto lookup = find_executable("tool", dir_);
  EXPECT_EQ(lookup.error, ENOENT);
  EXPECT_THAT(lookup.message, HasSubstr("tool: not found on PATH " + dir_));
}

TEST_F(ExecutableLookupTest, PresentButNotExecutableIsPermissionDenied) {
  make_file("tool", 0644);
  const auto lookup = find_executable("tool", dir_);
  EXPECT_EQ(lookup.error, EACCES);
  EXPECT_THAT(lookup.message, HasSubstr(dir_ + "/tool: Permission denied"));
}

TEST_F(ExecutableLookupTest, ANameWithASlashIsNotSearched) {
  const std::string path = make_file("tool", 0755);
  EXPECT_TRUE(find_executable(path, "/nonexistent").found());
  EXPECT_EQ(find_executable(dir_ + "/missing", "").error, ENOENT);
  EXPECT_EQ(find_executable(dir_, "").error, EACCES);  // a directory
}

TEST(BuildEnvironment, MinimalByDefaultWithExtrasOverriding) {
  Command command;
  command.env = {"LC_ALL=en_US.UTF-8", "FOO=bar"};
  const auto environment = build_environment(command);
  EXPECT_EQ(environment, (std::vector<std::string>{std::string("PATH=") + kDefaultPath,
                                                   "LC_ALL=en_US.UTF-8", "FOO=bar"}));
  EXPECT_EQ(path_of(environment), kDefaultPath);
}

TEST(BuildEnvironment, InheritsTheDaemonsEnvironmentWhenAsked) {
  ::setenv("GLEANER_LOOKUP_TEST", "1", 1);
  Command command;
  command.inherit_env = true;
  const auto environment = build_environment(command);
  EXPECT_THAT(environment, ::testing::Contains("GLEANER_LOOKUP_TEST=1"));
}

}  // namespace
}  // namespace gleaner::subprocess
