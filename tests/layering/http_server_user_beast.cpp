// As a source of the daemon using the HTTP server: http_server.h brings the
// server and what a handler sees, and none of the libraries inside it. The
// same code that names Beast's header fields compiles once it includes
// Beast itself, and not on what http_server.h brought in.
#include "daemon/http/http_server.h"

#ifndef GLEANER_VIOLATION
#include <boost/beast/http/fields.hpp>
#endif

int main() {
  [[maybe_unused]] boost::beast::http::fields fields;
}
