# The hardening Debian's dpkg-buildflags gives a package built with
# DEB_BUILD_MAINT_OPTIONS=hardening=+all (dpkg 1.21, Debian 12): fortified
# libc calls, stack protector, format checks, a read-only relocation table
# resolved at start (relro, now), position-independent executables. Applied
# to the optimised builds (Release, RelWithDebInfo, the default, and
# MinSizeRel): _FORTIFY_SOURCE needs optimisation, and glibc warns in every
# file of a Debug (-O0) build. Not with the sanitizers (GLEANER_SANITIZE,
# GLEANER_BUILD_FUZZ): their interceptors replace the libc calls that
# _FORTIFY_SOURCE checks, and they instrument the stack themselves.

option(GLEANER_HARDEN "Compile and link with Debian's hardening flags (optimised builds without sanitizers)" ON)

if(GLEANER_HARDEN AND NOT GLEANER_SANITIZE AND NOT GLEANER_BUILD_FUZZ)
  set(optimised "$<CONFIG:Release,RelWithDebInfo,MinSizeRel>")
  add_compile_definitions($<${optimised}:_FORTIFY_SOURCE=2>)
  add_compile_options("$<${optimised}:-fstack-protector-strong;-Wformat;-Werror=format-security>")
  add_link_options("$<${optimised}:-Wl,-z,relro;-Wl,-z,now>")
  include(CheckPIESupported)
  check_pie_supported(LANGUAGES CXX)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  unset(optimised)
endif()
