# Included by the top-level CMakeLists.txt before any library is defined when
# GLEANER_BUILD_FUZZ is ON: every gleaner library the fuzz targets link is
# then compiled with coverage instrumentation and the sanitizers, so that
# libFuzzer sees the edges inside the parsers, not only inside the harness.
# A build folder of its own keeps these flags away from the g++ build.

if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "GLEANER_BUILD_FUZZ needs clang (libFuzzer): "
                      "cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DGLEANER_BUILD_FUZZ=ON "
                      "-DGLEANER_BUILD_TESTS=OFF -DGLEANER_BUILD_BENCH=OFF")
endif()

# fuzzer-no-link: instrument for coverage, but only the fuzz executables get
# libFuzzer's main(). _GLIBCXX_ASSERTIONS turns an out-of-range operator[]
# on a std::string or std::vector into an abort that libFuzzer reports.
# UBSan's `function` check is left out: clang 14 cannot emit it for
# coroutines ("Cannot represent a difference across sections" in
# plugins/ and subprocess/), and C++ code calls no function through a
# pointer of the wrong type that the other checks would not catch.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS)
add_link_options(-fsanitize=address,undefined)
