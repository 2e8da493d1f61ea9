// `gleaner --once --collector NAME --verbose` (README "Command line"): the
// real binary runs the named collectors only, and reports on stderr each
// command's argv, working dir, exit status, duration and output, bounded,
// then what the run came to.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "tests/support/daemon_process.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kPatience = 60s;

TEST(OnceVerbose, ReportsArgvExitStatusBothStreamsAndTheFailureReason) {
  ScratchDir dir;
  const auto config = dir.write("gleaner.yaml", R"(collectors:
  - name: broken
    plugin: exec
    working_dir: /tmp
    shell: "echo 'up 1'; echo 'disk on fire' >&2; exit 3"
)");
  const auto run = run_gleaner({"--config", config, "--once", "--collector", "broken", "--verbose"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  // The script holds spaces and a quote: quoted so each word is seen whole.
  EXPECT_THAT(run.err, HasSubstr("collector broken: ran /bin/sh -c 'echo '\\''up 1'\\''; echo '\\''disk on fire'\\'' "
                                 ">&2; exit 3'\n"));
  EXPECT_THAT(run.err, HasSubstr("  working dir: /tmp\n"));
  EXPECT_THAT(run.err, HasSubstr("  ended: exit code 3\n"));
  EXPECT_THAT(run.err, HasSubstr("  duration: "));
  EXPECT_THAT(run.err, HasSubstr("  stdout (5 bytes):\n  | up 1\n"));
  EXPECT_THAT(run.err, HasSubstr("  stderr (its last 13 bytes, as kept):\n  | disk on fire\n"));
  EXPECT_THAT(run.err, HasSubstr("collector broken: failed, reason exit_code: "));
  // stdout is the exposition, as --once prints it.
  EXPECT_THAT(run.out, HasSubstr("gleaner_collector_up{collector=\"broken\"} 0"));
}

TEST(OnceVerbose, ReportsSeriesAndSkippedLinesOfASuccessfulRun) {
  ScratchDir dir;
  const auto config = dir.write("gleaner.yaml", R"(collectors:
  - {name: fine, plugin: exec, shell: "printf 'a 1\nb 2\nnot a line\n'"}
)");
  const auto run = run_gleaner({"--config", config, "--once", "--verbose"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("collector fine: succeeded, 2 series parsed\n"));
  EXPECT_THAT(run.err, HasSubstr("  skipped 1 lines (0 repeating a series); the first: "));
  EXPECT_THAT(run.out, HasSubstr("a{collector=\"fine\"} 1\n"));
}

// A persistent command answers one request: its answer is the command's
// stdout in the report.
TEST(OnceVerbose, ReportsAPersistentCommandsAnswer) {
  ScratchDir dir;
  const auto config = dir.write("gleaner.yaml", R"(collectors:
  - name: lasting
    plugin: exec
    mode: persistent
    shell: "while read x; do echo 'answer 42'; echo; done"
)");
  const auto run = run_gleaner({"--config", config, "--once", "--verbose"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("collector lasting: ran /bin/sh -c "));
  EXPECT_THAT(run.err, HasSubstr("  ended: not: still running, it answered\n"));
  EXPECT_THAT(run.err, HasSubstr("  | answer 42\n"));
  EXPECT_THAT(run.err, HasSubstr("collector lasting: succeeded, 1 series parsed\n"));
}

TEST(OnceVerbose, ReportsEachTextfileAndWhatCameOfIt) {
  ScratchDir dir;
  std::filesystem::create_directory(dir.file("prom"));
  dir.write("prom/good.prom", "a_metric 1\nb_metric{x=\"1\"} 2\n");
  dir.write("prom/bad.prom", "garbage here\n");
  const auto config = dir.write("gleaner.yaml", "collectors:\n  - {name: files, plugin: textfile, options: {directory: " +
                                                    dir.file("prom") + "}}\n");
  const auto run = run_gleaner({"--config", config, "--once", "--verbose"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("collector files: " + dir.file("prom") + "/good.prom: 29 bytes, 2 series published\n"));
  EXPECT_THAT(run.err, HasSubstr("collector files: " + dir.file("prom") + "/bad.prom: 13 bytes, left out: line 1: "));
  // Of the five: the two files' series, and textfile_mtime_seconds and
  // textfile_scrape_error for good.prom and textfile_scrape_error for bad.prom.
  EXPECT_THAT(run.err, HasSubstr("collector files: succeeded, 5 series parsed\n"));
}

TEST(OnceVerbose, RunsOnlyTheNamedCollectors) {
  ScratchDir dir;
  const auto marker = dir.file("marker");
  const auto config = dir.write("gleaner.yaml", R"(collectors:
  - {name: wanted, plugin: exec, command: [printf, "wanted 1\n"]}
  - {name: also, plugin: exec, command: [printf, "also 1\n"]}
  - {name: other, plugin: exec, command: [touch, ")" + marker + R"("], parser: {type: value, metric: x}}
)");
  const auto run = run_gleaner({"--config", config, "--once", "--collector", "wanted", "--collector=also"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("wanted{collector=\"wanted\"} 1\n"));
  EXPECT_THAT(run.out, HasSubstr("also{collector=\"also\"} 1\n"));
  EXPECT_THAT(run.out, Not(HasSubstr("collector=\"other\"")));
  EXPECT_FALSE(std::filesystem::exists(marker));
  // Without --verbose, no report.
  EXPECT_THAT(run.err, Not(HasSubstr(": ran ")));
}

TEST(OnceVerbose, AnUnknownNameExits2NamingTheKnownOnes) {
  ScratchDir dir;
  const auto config = dir.write("gleaner.yaml", R"(collectors:
  - {name: beta, plugin: exec, command: [printf, "b 1\n"]}
  - {name: alpha, plugin: exec, command: [printf, "a 1\n"]}
)");
  const auto run =
      run_gleaner({"--config", config, "--once", "--collector", "alpha", "--collector", "gamma"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("gleaner: --collector: no collector named gamma (the collectors: alpha, beta)\n"));
  EXPECT_EQ(run.out, "");  // nothing ran
}

TEST(OnceVerbose, BoundsEachStreamTo64KiB) {
  ScratchDir dir;
  // 1 MiB of "x" lines (2 bytes each) on stdout, and on stderr.
  const auto config = dir.write("gleaner.yaml", R"(defaults: {max_output: 2MiB}
collectors:
  - name: loud
    plugin: exec
    shell: "yes x | head -c 1048576; yes y | head -c 1048576 >&2"
    parser: {type: value, metric: never}
)");
  const auto run = run_gleaner({"--config", config, "--once", "--verbose"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_THAT(run.err, HasSubstr("  stdout (1048576 bytes):\n  | x\n"));
  EXPECT_THAT(run.err, HasSubstr("  … " + std::to_string(1048576 - 65536) + " more bytes\n"));
  // The runner keeps the end of stderr only; it is shown whole.
  EXPECT_THAT(run.err, HasSubstr("  stderr (its last 4096 bytes, as kept):\n  | y\n"));
  EXPECT_LT(run.err.size(), 3 * 65536u * 2);  // two bounded streams and their "  | " prefixes, not 2 MiB
  EXPECT_THAT(run.err, HasSubstr("collector loud: failed, reason parse: "));
}

// README "Writing a plugin", "A script through exec": the recipe as given,
// with the spool and the script in a scratch directory.
TEST(OnceVerbose, TheExecRecipeWorksAsWritten) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "spool" / "sub");
  dir.write("spool/a", "");
  dir.write("spool/sub/b", "");
  const auto script = dir.write("queue-depth", "#!/bin/sh\n"
                                               "set -e\n"
                                               "depth=$(find " + dir.file("spool") + " -type f | wc -l)\n"
                                               "echo \"# HELP myqueue_depth Files waiting in the queue.\"\n"
                                               "echo \"# TYPE myqueue_depth gauge\"\n"
                                               "echo \"myqueue_depth $depth\"\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  std::filesystem::create_directories(dir.path() / "conf.d");
  dir.write("conf.d/queue.yaml", R"(collectors:
  - name: queue
    plugin: exec
    command: [)" + script + R"(]
    interval: 1m
    timeout: 5s
    parser: {type: prometheus, on_error: fail}
)");
  const auto config = dir.write("gleaner.yaml", "include: [\"conf.d/*.yaml\"]\n");
  const auto check = run_gleaner({"--config", config, "--check-config"}, kPatience);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  const auto run = run_gleaner({"--config", config, "--once", "--collector", "queue", "--verbose"}, kPatience);
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("myqueue_depth{collector=\"queue\"} 2\n"));
  EXPECT_THAT(run.err, HasSubstr("  | myqueue_depth 2\n"));
  EXPECT_THAT(run.err, HasSubstr("collector queue: succeeded, 1 series parsed\n"));
}

TEST(OnceVerbose, CollectorAndVerboseWithoutOnceAreUsageErrors) {
  for (const auto* flag : {"--verbose", "--collector=x"}) {
    const auto run = run_gleaner({flag}, kPatience);
    EXPECT_EQ(run.exit_code, 2) << flag;
    EXPECT_THAT(run.err, HasSubstr("applies to --once only")) << flag;
  }
}

}  // namespace
}  // namespace gleaner::testing
