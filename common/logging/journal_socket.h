#pragma once
// journald's native protocol, spoken directly rather than through
// libsystemd's sd_journal_sendv: linking libsystemd maps it and what it
// pulls in, about 1 MiB resident (README "Performance"), for one call:
// one datagram to /run/systemd/journal/socket holding the fields, each
// "KEY=value\n", or, for a value with a newline in it, "KEY\n", its length
// as 64 bits little-endian, the value and "\n" (systemd's "Native Journal
// Protocol").

#include <string>
#include <vector>

namespace gleaner::logging {

// Sends fields ("KEY=value" each) as one journal entry; false if journald
// did not take it (no journald, or an entry too large for one datagram),
// so that the caller can write the line elsewhere.
bool send_to_journald(const std::vector<std::string>& fields);

}  // namespace gleaner::logging
