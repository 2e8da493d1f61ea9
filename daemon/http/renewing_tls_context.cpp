#include "daemon/http/renewing_tls_context.h"

#include <spdlog/spdlog.h>

namespace gleaner::http {
namespace {

constexpr std::chrono::seconds kLookInterval{1};

bool same_time(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

}  // namespace

bool RenewingTlsContext::Identity::operator==(const Identity& other) const {
  return exists == other.exists && device == other.device && inode == other.inode && size == other.size &&
         same_time(modified, other.modified) && same_time(changed, other.changed);
}

RenewingTlsContext::RenewingTlsContext(TlsSettings settings, std::shared_ptr<boost::asio::ssl::context> first,
                                       Identities seen)
    : settings_(std::move(settings)),
      context_(std::move(first)),
      tried_(std::move(seen)),
      last_look_(std::chrono::steady_clock::now()) {}

// stat() only: it never blocks on what a path leads to (a FIFO, a device),
// unlike opening it.
RenewingTlsContext::Identities RenewingTlsContext::look(const TlsSettings& settings) {
  Identities result;
  for (const std::string* path : {&settings.cert_file, &settings.key_file, &settings.client_ca_file}) {
    Identity identity;
    struct stat status {};
    if (!path->empty() && ::stat(path->c_str(), &status) == 0) {
      identity = Identity{.exists = true,
                          .device = status.st_dev,
                          .inode = status.st_ino,
                          .size = status.st_size,
                          .modified = status.st_mtim,
                          .changed = status.st_ctim};
    }
    result.push_back(identity);
  }
  return result;
}

std::shared_ptr<boost::asio::ssl::context> RenewingTlsContext::for_new_connection() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_look_ < kLookInterval) return context_;
  last_look_ = now;
  Identities seen = look(settings_);
  if (seen == tried_) return context_;
  tried_ = std::move(seen);
  TlsContextLoad load = load_tls_context(settings_);
  if (!load.error.empty()) {
    spdlog::warn("TLS: the certificate, key or client CA file changed, but cannot be used ({}); still serving "
                 "with the previous ones",
                 load.error);
    return context_;
  }
  spdlog::info("TLS: the certificate, key or client CA file changed; new connections use them");
  context_ = std::move(load.context);
  return context_;
}

}  // namespace gleaner::http
