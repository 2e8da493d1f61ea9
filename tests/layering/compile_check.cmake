# One compile of a small source with a target's own include directories and
# definitions, as if the source were one of the target's (run by ctest; see
# CMakeLists.txt here):
#
#   cmake -DCOMPILER=c++ -DSOURCE=f.cpp -DINCLUDES=a;b -DDEFINITIONS=X;Y
#         [-DVIOLATION=ON -DERROR_REGEX=re] -P compile_check.cmake
#
# Without VIOLATION the source must compile. With it, the source is compiled
# with GLEANER_VIOLATION defined and must fail with a message matching
# ERROR_REGEX: failing for any other reason fails the test.

cmake_policy(VERSION 3.25)

# Generator expressions of the properties leave empty items where a
# condition was false.
foreach(name IN LISTS INCLUDES)
  if(name)
    list(APPEND flags "-I${name}")
  endif()
endforeach()
foreach(name IN LISTS DEFINITIONS)
  if(name)
    list(APPEND flags "-D${name}")
  endif()
endforeach()
if(VIOLATION)
  list(APPEND flags -DGLEANER_VIOLATION)
endif()

# LC_ALL=C: the compilers' quotes in plain ASCII, as ERROR_REGEX has them.
set(command ${CMAKE_COMMAND} -E env LC_ALL=C ${COMPILER} -std=c++20 -fsyntax-only ${flags} ${SOURCE})
list(JOIN command " " shown)
message("${shown}")
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")

if(NOT VIOLATION)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the allowed source does not compile")
  endif()
  message("compiles, as it must")
elseif(status EQUAL 0)
  message(FATAL_ERROR "the violation compiles: the layering does not hold")
elseif(NOT output MATCHES "${ERROR_REGEX}")
  message(FATAL_ERROR "the compile failed, but not with the expected error (${ERROR_REGEX})")
else()
  message("refused, as it must be")
endif()
