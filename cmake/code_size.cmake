# Code size. Most of the daemon's resident memory is code: the kernel maps
# the 64 KiB around every page of a binary that is touched, so nearly all
# of its text is resident once it has served and run its collectors. The
# optimised builds (Release, RelWithDebInfo, the default) are therefore
# compiled for size (-Os after CMake's -O2, so it wins), which nearly halves
# the text; sections no function or object refers to are dropped, and
# relative relocations are packed (glibc 2.36 and binutils 2.38 read and
# write them). What every run goes through stays at -O2
# (gleaner_optimise_for_speed): compiled for size, the subprocess layer's
# CPU per spawn was up to 15 % higher. Figures in README "Performance". Not with
# the sanitizers (GLEANER_SANITIZE, GLEANER_BUILD_FUZZ): they test, and
# ship nothing.

option(GLEANER_SIZE_OPTIMISED "Compile optimised builds for size, and drop unreferenced sections" ON)

set(GLEANER_SIZE_OPTIMISED_NOW OFF)
if(GLEANER_SIZE_OPTIMISED AND NOT GLEANER_SANITIZE AND NOT GLEANER_BUILD_FUZZ)
  set(GLEANER_SIZE_OPTIMISED_NOW ON)
  set(optimised "$<CONFIG:Release,RelWithDebInfo>")
  add_compile_options("$<${optimised}:-Os;-ffunction-sections;-fdata-sections>")
  add_link_options("$<${optimised}:-Wl,--gc-sections;-Wl,-z,pack-relative-relocs>")
  unset(optimised)
endif()

# What every run goes through (the subprocess layer, the scheduler, the
# parsers, admission and the metric store), compiled for speed all the
# same: its options come after the directory's, so its -O2 wins.
# gleaner_optimise_for_speed(TARGET) for a whole part;
# gleaner_optimise_for_speed(SOURCES file...) for some of a part's files.
function(gleaner_optimise_for_speed)
  if(NOT GLEANER_SIZE_OPTIMISED_NOW)
    return()
  endif()
  set(speed "$<$<CONFIG:Release,RelWithDebInfo>:-O2>")
  if(ARGV0 STREQUAL "SOURCES")
    list(REMOVE_AT ARGV 0)
    set_source_files_properties(${ARGV} PROPERTIES COMPILE_OPTIONS "${speed}")
  else()
    target_compile_options(${ARGV0} PRIVATE "${speed}")
  endif()
endfunction()
