# Warnings applied to every Entente target.
function(entente_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  else()
    # GCC 12 reports false -Wrestrict positives inside std::string concatenation (GCC bug 105329).
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(ENTENTE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# entente_library(NAME SOURCES... DEPS ...) declares the library of one src/ folder.
function(entente_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(entente_${name} STATIC ${ARG_SOURCES})
  target_include_directories(entente_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(entente_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  entente_set_warnings(entente_${name})
endfunction()
