# One spelling per header: every `#include "..."` in the given sources
# names a header by its path from the top of the repository
# ("common/metrics/sample.h"), never relative to the including file
# ("sample.h", "../support/io_wait.h") nor to some other folder
# ("metrics/sample.h"). A relative spelling would also get around the
# layering (cmake/layering.cmake): the compiler looks next to the including
# file before any include root.
#
#   cmake -DSOURCE_DIR=top -DPATHS=common;daemon;tests/x.txt [-DGENERATED=daemon/version.h]
#         [-DSKIP=tests/layering/misspelt_includes.txt] -P include_spelling.cmake
#
# PATHS: folders (their *.h and *.cpp, at any depth) or files, from the top.
# GENERATED: headers the build makes, which have no source to name.

cmake_policy(VERSION 3.25)

set(files "")
foreach(path IN LISTS PATHS)
  if(IS_DIRECTORY ${SOURCE_DIR}/${path})
    file(GLOB_RECURSE found RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${path}/*.h ${SOURCE_DIR}/${path}/*.cpp)
    list(APPEND files ${found})
  else()
    list(APPEND files ${path})
  endif()
endforeach()
if(SKIP)
  list(REMOVE_ITEM files ${SKIP})
endif()

set(wrong 0)
set(checked 0)
foreach(file IN LISTS files)
  file(STRINGS ${SOURCE_DIR}/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*$" "\\1" header "${line}")
    math(EXPR checked "${checked} + 1")
    if(header IN_LIST GENERATED)
      continue()
    endif()
    if(header MATCHES "(^|/)\\.\\.?/" OR NOT EXISTS ${SOURCE_DIR}/${header})
      message("${file}: \"${header}\" is not the header's path from the top of the repository")
      math(EXPR wrong "${wrong} + 1")
    endif()
  endforeach()
endforeach()

if(wrong GREATER 0)
  message(FATAL_ERROR "${wrong} of ${checked} includes misspelt")
endif()
list(LENGTH files count)
message("${checked} includes in ${count} files, each spelt as its header's path from the top")
