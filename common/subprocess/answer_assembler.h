#pragma once
// Cuts what a long-lived child prints into answers to its requests: the
// lines after a request up to a blank line or a line `# EOF` (the
// terminator, not part of the answer). Lines that come while no answer is
// awaited are strays: counted, the first kept, the rest dropped. Pure: no
// I/O and no clock; InteractiveProcess adds the quiet period and timeout.

#include <cstddef>
#include <string>
#include <string_view>

namespace gleaner::subprocess {

class AnswerAssembler {
 public:
  enum class Progress {
    waiting,     // nothing new, or a line added to the answer
    complete,    // the terminator came: take_answer()
    too_long,    // the answer grew past max_answer (or strays past it)
  };

  explicit AnswerAssembler(std::size_t max_answer) : max_answer_(max_answer) {}

  // An answer is awaited from now on.
  void begin();
  // Stops awaiting (the answer ended by quiet period or was given up).
  std::string take_answer();

  // Takes data up to the end of the answer at most; *consumed says how much,
  // so that what follows a terminator is fed again (as strays) by the caller.
  Progress feed(std::string_view data, std::size_t* consumed);

  bool answering() const { return answering_; }
  // Whether a line of the current answer has come (the quiet period runs
  // only then: a plugin may think for a while before its first line).
  bool answer_started() const { return lines_ > 0; }
  bool mid_line() const { return !partial_.empty(); }
  std::size_t stray_lines() const { return stray_lines_; }
  // The first stray line since the last take_strays(), for the log.
  std::string take_strays(std::size_t* count);

 private:
  Progress on_line(std::string_view line);

  std::size_t max_answer_;
  bool answering_ = false;
  std::string answer_;
  std::size_t lines_ = 0;
  std::string partial_;
  std::size_t stray_lines_ = 0;
  std::size_t stray_bytes_ = 0;  // since the last answer: bounded too
  std::string first_stray_;
};

}  // namespace gleaner::subprocess
