// As a source of the daemon using the HTTP server: http_server.h brings the
// server and what a handler sees, and none of the libraries inside it. The
// same code that names zlib's stream compiles once it includes zlib itself,
// and not on what http_server.h brought in.
#include "daemon/http/http_server.h"

#ifndef GLEANER_VIOLATION
#include <zlib.h>
#endif

int main() {
  [[maybe_unused]] z_stream stream{};
}
