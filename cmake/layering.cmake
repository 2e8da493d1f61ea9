# The layering of gleaner's parts, made by the build (README "How it works").
#
# Every header is included by one spelling, its path from the top of the
# repository: "common/metrics/sample.h", "daemon/http/http_server.h". No
# target has the top of the repository, nor common/ or daemon/, on its
# include path. Each part has an include root of its own instead, made in
# the build folder, <build>/include/<target>/, holding links to the part's
# headers at those paths. A target sees a header only when it links the
# part that owns it, so an include the graph below does not allow is a
# compile error ("No such file or directory"), and a link the graph does not
# allow is a configure error (gleaner_check_layering). A spelling relative
# to the including file ("../parsers/parser.h") would get around the roots,
# as the compiler looks next to the including file first: tests/layering
# checks that every include is spelt from the top.
#
# A new source goes into its library's list as before. A new header in a
# part's folder is linked at the next build (in common/metrics it joins
# the metric store unless added to the pure types' list). A new folder is
# a new part: its library calls gleaner_part().
#
# The graph, each part and the parts of gleaner it may use:
#
#   gleaner_units          nothing            durations, sizes, numbers: pure
#   gleaner_metric_types   units              samples, families, names, their text, validation, OpenMetrics names: pure
#   gleaner_parsers        metric_types units command output to families: pure, no I/O, no state
#   gleaner_subprocess     nothing            children, pipes, pidfds
#   gleaner_files          nothing            reading the files the configuration names
#   gleaner_config         units              YAML to typed values
#   gleaner_logging        nothing            spdlog set-up, journald
#   gleaner_metrics        metric_types units the metric store and the exposition
#   gleaner_plugin_api     subprocess metric_types config
#   plugins (gleaner_plugin_*, their readers, exec, textfile)
#                          plugin_api and any of common; never daemon/
#   gleaner_http           files logging      the HTTP server (daemon/http)
#   gleaner_daemon         everything
#
# Tests and benchmarks link what they test; their own headers
# (tests/support, tests/fuzz, tests/bench) are parts too.

# Gives target an include root holding the headers (*.h, not recursive) of
# DIRECTORIES, minus EXCLUDE and INTERNAL, plus HEADERS; all paths from the
# top of the repository. PUBLIC (INTERFACE for an interface library):
# whoever links target sees them. INTERNAL headers are how the part works
# inside: they go to a second root, <build>/include-internal/<target>/, on
# the part's PRIVATE include path only, so another part including one is a
# compile error; a test of those insides asks for them with
# gleaner_part_internals(). A header belongs to one part only.
# Makes root hold links to headers, each recorded as target's.
function(gleaner_link_headers target root)
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root})
  foreach(header IN LISTS ARGN)
    if(NOT EXISTS ${PROJECT_SOURCE_DIR}/${header})
      message(FATAL_ERROR "${target}: no header ${header}")
    endif()
    get_property(owner GLOBAL PROPERTY GLEANER_HEADER_OWNER_${header})
    if(owner)
      message(FATAL_ERROR "${header} belongs to ${owner}; ${target} cannot have it too")
    endif()
    set_property(GLOBAL PROPERTY GLEANER_HEADER_OWNER_${header} ${target})
    get_filename_component(directory ${root}/${header} DIRECTORY)
    file(MAKE_DIRECTORY ${directory})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${header} ${root}/${header} SYMBOLIC)
  endforeach()
endfunction()

function(gleaner_part_headers target)
  cmake_parse_arguments(arg "" "" "DIRECTORIES;HEADERS;EXCLUDE;INTERNAL" ${ARGN})
  set(headers ${arg_HEADERS})
  foreach(directory IN LISTS arg_DIRECTORIES)
    # CONFIGURE_DEPENDS: a header added to the directory is linked at the next build.
    file(GLOB found CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/${directory}/*.h)
    list(APPEND headers ${found})
  endforeach()
  if(arg_EXCLUDE OR arg_INTERNAL)
    list(REMOVE_ITEM headers ${arg_EXCLUDE} ${arg_INTERNAL})
  endif()

  set(root ${PROJECT_BINARY_DIR}/include/${target})
  gleaner_link_headers(${target} ${root} ${headers})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()

  set(internal_root ${PROJECT_BINARY_DIR}/include-internal/${target})
  gleaner_link_headers(${target} ${internal_root} ${arg_INTERNAL})
  if(arg_INTERNAL)
    target_include_directories(${target} PRIVATE ${internal_root})
  endif()
endfunction()

# Lets consumer (a test or a fuzz target of part's insides) include part's
# INTERNAL headers too.
function(gleaner_part_internals consumer part)
  target_include_directories(${consumer} PRIVATE ${PROJECT_BINARY_DIR}/include-internal/${part})
endfunction()

# The graph above, for gleaner_check_layering: the gleaner parts each part
# may link (directly, PUBLIC or PRIVATE). Parts not named here (plugins,
# tests) are checked by their own rule below.
set(GLEANER_ALLOWED_units "")
set(GLEANER_ALLOWED_metric_types "units")
set(GLEANER_ALLOWED_parsers "metric_types;units")
set(GLEANER_ALLOWED_subprocess "")
set(GLEANER_ALLOWED_files "")
set(GLEANER_ALLOWED_config "units")
set(GLEANER_ALLOWED_logging "")
set(GLEANER_ALLOWED_metrics "metric_types;units")
set(GLEANER_ALLOWED_plugin_api "subprocess;metric_types;config")
set(GLEANER_ALLOWED_http "files;logging")
set(GLEANER_COMMON_PARTS units metric_types parsers subprocess files config logging metrics)
set(GLEANER_DAEMON_PARTS http daemon)

# Fails the configuration when a part links a part of gleaner that the graph
# does not allow. Called once every target exists.
function(gleaner_check_layering)
  get_property(parts GLOBAL PROPERTY GLEANER_PARTS)
  foreach(target IN LISTS parts)
    string(REGEX REPLACE "^gleaner_" "" part ${target})
    get_target_property(type ${target} TYPE)
    set(links "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(links ${target} LINK_LIBRARIES)
    endif()
    get_target_property(interface_links ${target} INTERFACE_LINK_LIBRARIES)
    foreach(link IN LISTS links interface_links)
      # $<LINK_ONLY:x> is how a static library records a PRIVATE x.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
      if(NOT link MATCHES "^gleaner_(.*)$")
        continue()
      endif()
      set(used ${CMAKE_MATCH_1})
      if(DEFINED GLEANER_ALLOWED_${part})
        set(allowed ${GLEANER_ALLOWED_${part}})
      elseif(part IN_LIST GLEANER_DAEMON_PARTS)
        continue()  # the daemon uses everything
      else()
        # A plugin, or a plugin's reader: plugin_api, common, other plugin
        # libraries; never daemon/.
        if(used IN_LIST GLEANER_DAEMON_PARTS)
          message(FATAL_ERROR "${target} links gleaner_${used}: plugins never use daemon/ (cmake/layering.cmake)")
        endif()
        continue()
      endif()
      if(NOT used IN_LIST allowed)
        message(FATAL_ERROR "${target} links gleaner_${used}, which the layering does not allow "
                            "(cmake/layering.cmake: ${part} may use: ${allowed})")
      endif()
    endforeach()
  endforeach()
endfunction()

# Records target as a part of gleaner, for gleaner_check_layering.
function(gleaner_part target)
  set_property(GLOBAL APPEND PROPERTY GLEANER_PARTS ${target})
  gleaner_part_headers(${target} ${ARGN})
endfunction()
