#include "daemon/http/listen_address.h"

#include <charconv>

namespace gleaner::http {
namespace {

namespace ip = boost::asio::ip;

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, status] = std::from_chars(text.data(), end, value);
  if (text.empty() || status != std::errc{} || stop != end || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error) {
  std::string_view host;
  std::string_view port_text;
  bool bracketed = false;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1, 1) != ":") {
      *error = "expected [IPV6]:PORT, e.g. [::1]:9947";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    bracketed = true;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      *error = "expected HOST:PORT, e.g. 127.0.0.1:9947, or :9947 for every interface";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      *error = "an IPv6 address needs brackets, e.g. [::1]:9947";
      return std::nullopt;
    }
  }

  ListenAddress address;
  const auto port = parse_port(port_text);
  if (!port) {
    *error = "the port must be a number from 0 to 65535";
    return std::nullopt;
  }
  address.port = *port;

  if (host.empty() && !bracketed) return address;  // ":PORT"
  if (host == "localhost") {
    address.ip = ip::address_v4::loopback();
    return address;
  }
  boost::system::error_code ec;
  const ip::address ip_address = ip::make_address(std::string(host), ec);
  if (ec || ip_address.is_v6() != bracketed) {
    *error = bracketed ? "not an IPv6 address between the brackets"
                       : "the host must be an IP address or localhost (names are not resolved)";
    return std::nullopt;
  }
  // "[::]" is how users say "every interface" in IPv6 notation; it serves IPv4 too.
  if (!ip_address.is_unspecified() || ip_address.is_v4()) address.ip = ip_address;
  return address;
}

std::string describe_endpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
  boost::asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace gleaner::http
