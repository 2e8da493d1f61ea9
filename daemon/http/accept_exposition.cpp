#include "daemon/http/accept_exposition.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "daemon/http/ascii_case.h"
#include "daemon/http/header_list.h"

namespace gleaner::http {
namespace {


// The format an element names and its Content-Type (one of the constants,
// so a view: the answer's string is made once, for the element chosen).
struct Offer {
  ExpositionFormat format;
  std::string_view content_type;
};

// One acceptable Accept element: the format it names, if gleaner writes
// it, and the escaping scheme it asks for, if one Go knows.
struct Element {
  std::optional<Offer> answer;
  std::optional<std::string_view> escaping;  // one of kEscapingSchemes
  int weight = 1000;
};

// The schemes of Prometheus 3 (prometheus/common's model.ToEscapingScheme).
constexpr std::string_view kEscapingSchemes[] = {"allow-utf-8", "underscores", "dots", "values"};

std::string_view unquoted(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') return value.substr(1, value.size() - 2);
  return value;
}

// Nothing for an element that is not acceptable (q=0, a malformed q) or
// that does not parse as a media range.
std::optional<Element> read_element(std::string_view element) {
  const auto semicolon = element.find(';');
  const std::string_view range = trim_whitespace(element.substr(0, semicolon));
  std::string_view parameters = semicolon == std::string_view::npos ? std::string_view{} : element.substr(semicolon + 1);
  const auto slash = range.find('/');
  if (slash == std::string_view::npos || range.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view type = trim_whitespace(range.substr(0, slash));
  const std::string_view subtype = trim_whitespace(range.substr(slash + 1));

  Element offer;
  std::optional<std::string_view> version;
  while (!parameters.empty()) {
    const auto next = parameters.find(';');
    const std::string_view parameter = trim_whitespace(parameters.substr(0, next));
    parameters = next == std::string_view::npos ? std::string_view{} : parameters.substr(next + 1);
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;  // as client_golang: a parameter without a value is ignored
    const std::string_view name = trim_whitespace(parameter.substr(0, equals));
    const std::string_view value = unquoted(trim_whitespace(parameter.substr(equals + 1)));
    if (iequals_ascii(name, "q")) {
      const auto q = parse_qvalue(value);
      if (!q) return std::nullopt;
      offer.weight = *q;
    } else if (iequals_ascii(name, "version")) {
      version = value;
    } else if (iequals_ascii(name, "escaping")) {
      // Compared exactly, as Go compares them; an unknown one is ignored.
      for (const auto scheme : kEscapingSchemes) {
        if (value == scheme) offer.escaping = scheme;
      }
    }
  }
  if (offer.weight == 0) return std::nullopt;

  if (iequals_ascii(type, "text") && iequals_ascii(subtype, "plain")) {
    if (!version || *version == "0.0.4") {
      offer.answer = Offer{ExpositionFormat::prometheus_text, kPrometheusTextContentType};
    }
  } else if (iequals_ascii(type, "application") && iequals_ascii(subtype, "openmetrics-text")) {
    if (!version || *version == "0.0.1") {
      offer.answer = Offer{ExpositionFormat::openmetrics, kOpenMetrics001ContentType};
    } else if (*version == "1.0.0") {
      offer.answer = Offer{ExpositionFormat::openmetrics, kOpenMetrics1ContentType};
    }
  }
  // Wildcards name no format: client_golang answers them with its default.
  return offer;
}

// Every acceptable element, then the choice as client_golang makes it:
// by weight, highest first, equal weights in the order sent; the first
// that names a format decides, and the escaping last named on the way.
struct Choice {
  std::vector<Element> elements;

  void read(std::string_view list) {
    for_each_list_element(list, [&](std::string_view element) {
      if (auto read = read_element(element)) elements.push_back(std::move(*read));
    });
  }

  NegotiatedExposition answer() {
    std::stable_sort(elements.begin(), elements.end(),
                     [](const Element& a, const Element& b) { return a.weight > b.weight; });
    std::optional<std::string_view> escaping;
    Offer chosen{ExpositionFormat::prometheus_text, kPrometheusTextContentType};
    for (const auto& element : elements) {
      if (element.escaping) escaping = element.escaping;
      if (element.answer) {
        chosen = *element.answer;
        break;
      }
    }
    NegotiatedExposition negotiated{chosen.format, std::string(chosen.content_type)};
    if (escaping) negotiated.content_type.append("; escaping=").append(*escaping);
    return negotiated;
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
