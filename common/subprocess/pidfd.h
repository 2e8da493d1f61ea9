#pragma once
// glibc 2.36's <sys/pidfd.h> declares its functions without extern "C", so
// C++ code cannot link against them; include it through here.

extern "C" {
#include <sys/pidfd.h>
}
