# The C++ libraries gleaner uses, found once, each as one target the parts
# link: third_party::spdlog, third_party::yaml_cpp, third_party::re2.
#
# Why they are linked as they are (figures in README "Performance"): the
# kernel maps the 64 KiB around every page of a library that is touched,
# and a library costs its loader's tables and relocations even where
# little of it runs. Debian's libspdlog, libfmt, libyaml-cpp, libre2 and
# libstdc++ each brought their whole text and tables for the few functions
# the daemon calls: 2.8 of the idle daemon's 7.2 MB.
#
# - spdlog and fmt are compiled in, in their header-only forms, always.
# - yaml-cpp, re2 and the C++ runtime (libstdc++, libgcc) are linked into
#   the binary from Debian's archives of them, so only what is called is
#   there (--gc-sections, cmake/code_size.cmake) and no C++ library is
#   loaded at all. The price: a security update of libyaml-cpp0.7,
#   libre2-9 or libstdc++6 reaches gleaner when gleaner is rebuilt against
#   it, as for every statically linked program. The configuration is the
#   only input yaml-cpp reads, and it is root's; re2 matches command output
#   against the configuration's patterns, in linear time.
#   -DGLEANER_BUNDLE_CXX_LIBRARIES=OFF links Debian's shared libraries
#   instead; the sanitizer and fuzz builds always do, and so test that way
#   of linking.

option(GLEANER_BUNDLE_CXX_LIBRARIES "Link yaml-cpp, re2 and the C++ runtime into the binary" ON)

set(GLEANER_BUNDLE_CXX_LIBRARIES_NOW OFF)
if(GLEANER_BUNDLE_CXX_LIBRARIES AND NOT GLEANER_SANITIZE AND NOT GLEANER_BUILD_FUZZ)
  set(GLEANER_BUNDLE_CXX_LIBRARIES_NOW ON)
endif()

find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# spdlog's header-only form, with fmt's header-only form under it
# (spdlog::spdlog_header_only would still load libfmt).
add_library(third_party_spdlog INTERFACE)
add_library(third_party::spdlog ALIAS third_party_spdlog)
get_target_property(spdlog_include_dirs spdlog::spdlog_header_only INTERFACE_INCLUDE_DIRECTORIES)
target_include_directories(third_party_spdlog SYSTEM INTERFACE ${spdlog_include_dirs})
target_compile_definitions(third_party_spdlog INTERFACE SPDLOG_FMT_EXTERNAL)
target_link_libraries(third_party_spdlog INTERFACE fmt::fmt-header-only Threads::Threads)

add_library(third_party_yaml_cpp INTERFACE)
add_library(third_party::yaml_cpp ALIAS third_party_yaml_cpp)
add_library(third_party_re2 INTERFACE)
add_library(third_party::re2 ALIAS third_party_re2)
if(GLEANER_BUNDLE_CXX_LIBRARIES_NOW)
  find_library(GLEANER_YAML_CPP_ARCHIVE libyaml-cpp.a REQUIRED)
  find_library(GLEANER_RE2_ARCHIVE libre2.a REQUIRED)
  get_target_property(yaml_cpp_include_dirs yaml-cpp INTERFACE_INCLUDE_DIRECTORIES)
  target_include_directories(third_party_yaml_cpp SYSTEM INTERFACE ${yaml_cpp_include_dirs})
  target_link_libraries(third_party_yaml_cpp INTERFACE ${GLEANER_YAML_CPP_ARCHIVE})
  target_include_directories(third_party_re2 SYSTEM INTERFACE ${RE2_INCLUDE_DIRS})
  target_link_libraries(third_party_re2 INTERFACE ${GLEANER_RE2_ARCHIVE} Threads::Threads)
else()
  target_link_libraries(third_party_yaml_cpp INTERFACE yaml-cpp)
  target_link_libraries(third_party_re2 INTERFACE PkgConfig::RE2)
endif()

# The C++ runtime into an executable that ships (the daemon). Not into the
# tests and benchmarks: they also load C++ libraries of their own
# (libbenchmark), and two runtimes in one process do not mix.
function(gleaner_bundle_cxx_runtime target)
  if(GLEANER_BUNDLE_CXX_LIBRARIES_NOW)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
endfunction()
