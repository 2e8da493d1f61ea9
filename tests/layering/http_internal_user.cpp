// As a source of the daemon: the HTTP server's interface is there, its
// insides (a session, how it reads Beast's fields) are not.
#include "daemon/http/http_server.h"

#ifdef GLEANER_VIOLATION
#include "daemon/http/http_session.h"
#endif

int main() {}
