#include "common/subprocess/duration_text.h"

namespace gleaner::subprocess {

std::string milliseconds_text(std::chrono::milliseconds duration) { return std::to_string(duration.count()) + "ms"; }

}  // namespace gleaner::subprocess
