#include "common/logging/journal_socket.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <array>
#include <cstring>

namespace gleaner::logging {
namespace {

constexpr char kJournalSocket[] = "/run/systemd/journal/socket";

// One socket for the process, opened at the first entry; its sends are
// whole datagrams, safe from any thread.
int journal_fd() {
  static const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  return fd;
}

}  // namespace

bool send_to_journald(const std::vector<std::string>& fields) {
  const int fd = journal_fd();
  if (fd < 0) return false;
  static const char newline = '\n';
  // Each field: up to five parts (the binary form's key, newline, length,
  // value, newline).
  std::vector<iovec> parts;
  std::vector<std::array<unsigned char, 8>> lengths;  // little-endian; reserved, so never moved
  parts.reserve(fields.size() * 5);
  lengths.reserve(fields.size());
  for (const auto& field : fields) {
    const auto equals = field.find('=');
    if (equals == std::string::npos) continue;
    auto* data = const_cast<char*>(field.data());
    if (field.find('\n', equals) == std::string::npos) {
      parts.push_back(iovec{data, field.size()});
      parts.push_back(iovec{const_cast<char*>(&newline), 1});
      continue;
    }
    const std::uint64_t size = field.size() - equals - 1;
    auto& length = lengths.emplace_back();
    for (std::size_t i = 0; i < length.size(); ++i) length[i] = static_cast<unsigned char>(size >> (8 * i));
    parts.push_back(iovec{data, equals});
    parts.push_back(iovec{const_cast<char*>(&newline), 1});
    parts.push_back(iovec{length.data(), length.size()});
    parts.push_back(iovec{data + equals + 1, size});
    parts.push_back(iovec{const_cast<char*>(&newline), 1});
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, kJournalSocket, sizeof kJournalSocket);
  msghdr message{};
  message.msg_name = &address;
  message.msg_namelen = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + sizeof kJournalSocket);
  message.msg_iov = parts.data();
  message.msg_iovlen = parts.size();
  for (;;) {
    if (::sendmsg(fd, &message, MSG_NOSIGNAL) >= 0) return true;
    if (errno != EINTR) return false;  // EMSGSIZE too: libsystemd would pass a memfd; the caller writes a line
  }
}

}  // namespace gleaner::logging
