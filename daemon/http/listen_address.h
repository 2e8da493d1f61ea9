#pragma once
// The `listen` setting ("127.0.0.1:9947", ":9947", "[::]:9947", "[::1]:9947")
// as a value. Only IP literals (and "localhost") are accepted: resolving a
// host name could block the daemon's only thread on DNS.

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gleaner::http {

struct ListenAddress {
  // Absent: every interface, IPv6 and IPv4 together (":PORT" and "[::]:PORT").
  std::optional<boost::asio::ip::address> ip;
  std::uint16_t port = 0;
};

// Parses HOST:PORT. On failure returns nothing and puts a message a user can
// act on (without the address itself) in *error.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error);

// "127.0.0.1:9947", "[::1]:9947": an address as logs name it, an IPv4 peer
// of a dual-stack socket as IPv4.
std::string describe_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace gleaner::http
