// As a source of common/subprocess, which uses nothing else of gleaner's:
// its own headers compile; a parser's header is not there to include.
#include "common/subprocess/process_runner.h"

#ifdef GLEANER_VIOLATION
#include "common/parsers/parser.h"
#endif

int main() {}
