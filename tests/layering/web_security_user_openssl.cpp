// As a source of the daemon reading the web configuration: web_security.h
// brings the settings and what loading them gives, without OpenSSL. The
// same code that names OpenSSL's context compiles once it includes OpenSSL
// itself, and not on what web_security.h brought in.
#include "daemon/http/web_security.h"

#ifndef GLEANER_VIOLATION
#include <openssl/ssl.h>
#endif

int main() {
  [[maybe_unused]] SSL_CTX* context = nullptr;
}
