#pragma once
// OpenSSL is loaded when the web settings first ask for it (TLS, basic
// auth), not when the daemon starts: without them it costs no memory
// (README "Performance": mapped and relocated at start, libcrypto and libssl
// cost 1.7 MiB of RSS, 0.45 MiB of it written).
//
// The daemon does not link libssl or libcrypto. openssl_on_demand.cpp
// defines each OpenSSL function the server calls (its own and Asio's), and
// each looks its namesake up in libssl.so.3 (which brings libcrypto.so.3)
// on its first call. load_openssl() loads them ahead, so that a web
// configuration that needs them is refused with a reason if they cannot be
// loaded, rather than failing at its first connection.

#include <string>

namespace gleaner::http {

// Loads libssl.so.3 once; later calls give the first one's answer. Empty if
// loaded and it has every function defined here, else why not (dlerror's
// text, or the first function it lacks and how many more).
std::string load_openssl();

}  // namespace gleaner::http
