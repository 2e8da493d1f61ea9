#pragma once
// Whether gleaner may act on what a file says. gleaner runs commands, as
// root or as its own user, from its configuration, and serves with the
// password and key it names: whoever can change one of those files, or
// replace it, decides what gleaner runs or who may read its metrics. The
// rule is sshd's StrictModes and sudo's for its sudoers file:
//
// - the file the path leads to (every symbolic link followed) is a regular
//   file owned by root or by the daemon's effective user, and neither its
//   group nor everyone may write it;
// - so is every directory above it, up to /, except that a directory others
//   may write but that is sticky (like /tmp) is accepted: in it only an
//   entry's owner, already found trusted, can rename or remove that entry;
// - the same holds for the folder where the path's own name lives, when the
//   name is a symbolic link (the folder that an include pattern lists, say),
//   and for the link's owner.

#include <sys/stat.h>

#include <string>

namespace gleaner::files {

// Whether uid may own a file gleaner trusts: root or the daemon's own user.
bool is_trusted_owner(uid_t uid);

// "" when gleaner may trust path; else what is wrong and the command that
// fixes it: "/etc/gleaner/conf.d is writable by its group (mode 0775), so
// others could change what gleaner runs or reads: chmod go-w
// /etc/gleaner/conf.d". A path that is a symbolic link, or goes through one,
// is named with where it leads: "conf.d/x.yaml leads to /srv/x.yaml: …".
std::string check_trusted_file(const std::string& path);

// The same for a file already open: `resolved` is where path leads (see
// real_path), `opened` what fstat says of the open descriptor. Judging the
// descriptor, not a second look at the path, means what was checked is what
// is read, whatever is renamed in between.
std::string check_trusted_opened_file(const std::string& path, const std::string& resolved, const struct stat& opened);

}  // namespace gleaner::files
