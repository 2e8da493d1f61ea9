#include "daemon/http/accept_exposition.h"

#include <boost/beast/core/string.hpp>
#include <optional>
#include <string>

#include "daemon/http/header_list.h"

namespace gleaner::http {
namespace {

using boost::beast::iequals;

// What one Accept element offers, if it names a format gleaner writes.
struct Offer {
  NegotiatedExposition answer;
  int weight = 1000;
};

std::string_view unquoted(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') return value.substr(1, value.size() - 2);
  return value;
}

std::optional<Offer> read_element(std::string_view element) {
  const auto semicolon = element.find(';');
  const std::string_view range = trim_whitespace(element.substr(0, semicolon));
  std::string_view parameters = semicolon == std::string_view::npos ? std::string_view{} : element.substr(semicolon + 1);
  const auto slash = range.find('/');
  if (slash == std::string_view::npos || range.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view type = trim_whitespace(range.substr(0, slash));
  const std::string_view subtype = trim_whitespace(range.substr(slash + 1));

  Offer offer;
  std::optional<std::string_view> version;
  while (!parameters.empty()) {
    const auto next = parameters.find(';');
    const std::string_view parameter = trim_whitespace(parameters.substr(0, next));
    parameters = next == std::string_view::npos ? std::string_view{} : parameters.substr(next + 1);
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;  // as client_golang: a parameter without a value is ignored
    const std::string_view name = trim_whitespace(parameter.substr(0, equals));
    const std::string_view value = unquoted(trim_whitespace(parameter.substr(equals + 1)));
    if (iequals(name, "q")) {
      const auto q = parse_qvalue(value);
      if (!q) return std::nullopt;
      offer.weight = *q;
    } else if (iequals(name, "version")) {
      version = value;
    }
  }
  if (offer.weight == 0) return std::nullopt;

  if (iequals(type, "text") && iequals(subtype, "plain")) {
    if (version && *version != "0.0.4") return std::nullopt;
    offer.answer = {ExpositionFormat::prometheus_text, kPrometheusTextContentType};
    return offer;
  }
  if (iequals(type, "application") && iequals(subtype, "openmetrics-text")) {
    if (!version || *version == "0.0.1") {
      offer.answer = {ExpositionFormat::openmetrics, kOpenMetrics001ContentType};
    } else if (*version == "1.0.0") {
      offer.answer = {ExpositionFormat::openmetrics, kOpenMetrics1ContentType};
    } else {
      return std::nullopt;
    }
    return offer;
  }
  return std::nullopt;  // wildcards too: client_golang answers them with its default
}

// The best offer so far: a later element wins only with a higher weight.
struct Choice {
  std::optional<Offer> best;

  void read(std::string_view list) {
    for_each_list_element(list, [&](std::string_view element) {
      const auto offer = read_element(element);
      if (offer && (!best || offer->weight > best->weight)) best = offer;
    });
  }

  NegotiatedExposition answer() const {
    if (best) return best->answer;
    return {ExpositionFormat::prometheus_text, kPrometheusTextContentType};
  }
};

}  // namespace

NegotiatedExposition negotiate_exposition(std::string_view accept) {
  Choice choice;
  choice.read(accept);
  return choice.answer();
}

NegotiatedExposition negotiate_exposition(const RequestHeaders& headers) {
  Choice choice;
  for (const std::string_view accept : headers.values("Accept")) choice.read(accept);
  return choice.answer();
}

}  // namespace gleaner::http
