#pragma once
// The TLS context of new connections, made again when the certificate, key
// or client CA files change, without a reload: certificates are renewed by
// tools (certbot, cert-manager, a cron job) that know nothing of SIGHUP,
// and exporter-toolkit reads them at every handshake.
//
// At most once a second, when a connection arrives, the files' identities
// are compared with those the context was made from (device, inode, size,
// modification and change times, each path followed through its links); a
// new identity loads the files again, through the same trust checks and
// bounded, non-blocking reads as at start-up. A pair that cannot be used
// (a key that does not belong to the certificate, half a file) is logged
// and the context in use stays; the same identities are not tried again,
// so the next change (the other half written) is. Connections keep the
// context they were opened with. For the io thread only: the look and the
// reload run there, at most once a second. Their reads are bounded and
// never wait on what a path leads to (a FIFO, a device); a file on a hung
// network filesystem is the one thing that could hold them, which is why
// certificates belong on local disk (README "The web configuration").

#include <sys/stat.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "daemon/http/tls_context.h"

namespace gleaner::http {

class RenewingTlsContext {
  struct Identity;

 public:
  // What the files were (device, inode, size, times), as looked at.
  using Identities = std::vector<Identity>;
  static Identities look(const TlsSettings& settings);

  // first: the context settings gave when the configuration was loaded;
  // seen: what look() said just before the files were read for it, so that
  // a change made while they were read is a change at the next look.
  RenewingTlsContext(TlsSettings settings, std::shared_ptr<boost::asio::ssl::context> first, Identities seen);

  // The context for a connection arriving now.
  std::shared_ptr<boost::asio::ssl::context> for_new_connection();
  // The context in use, without looking at the files.
  boost::asio::ssl::context* current() const { return context_.get(); }

 private:
  struct Identity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified{};
    timespec changed{};
    bool operator==(const Identity& other) const;
  };
  TlsSettings settings_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  Identities tried_;  // what the last load (good or not) read
  std::chrono::steady_clock::time_point last_look_;
};

}  // namespace gleaner::http
