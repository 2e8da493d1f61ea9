#pragma once
// A file that tells the daemon which commands to run, or holds a password,
// must not be writable by anyone but its owner: whoever could write it could
// run commands as the daemon's user, or read the endpoint's secrets.

#include <string>

namespace gleaner::daemon {

// "" when path and its directory are safe; else what is wrong and how to
// fix it: "/etc/gleaner/gleaner.yaml is writable by its group (mode 0664):
// chmod go-w /etc/gleaner/gleaner.yaml".
std::string check_not_writable_by_others(const std::string& path);

}  // namespace gleaner::daemon
