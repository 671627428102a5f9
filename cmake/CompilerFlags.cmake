# Warnings everywhere; errors in the test build; sanitizers and fuzzing on request.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
                    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
                    -Wnull-dereference -Wimplicit-fallthrough)
if(CCCD_WERROR)
  add_compile_options(-Werror)
  # GCC 12's flow-sensitive warnings fire, once optimizing, inside libstdc++ and Boost.Asio code inlined
  # into ours (vector and string copies, the Asio scheduler) on paths that cannot run: reported, but not
  # errors, in optimized GCC builds. Every other warning stays an error, and clang's build keeps them all.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options($<$<NOT:$<CONFIG:Debug>>:-Wno-error=null-dereference>
                        $<$<NOT:$<CONFIG:Debug>>:-Wno-error=array-bounds>
                        $<$<NOT:$<CONFIG:Debug>>:-Wno-error=restrict>
                        $<$<NOT:$<CONFIG:Debug>>:-Wno-error=stringop-overread>
                        $<$<NOT:$<CONFIG:Debug>>:-Wno-error=stringop-overflow>
                        $<$<NOT:$<CONFIG:Debug>>:-Wno-error=free-nonheap-object>)
  endif()
endif()

# Hardening, as Debian builds its own packages (dpkg-buildflags with hardening=+all): checked libc calls
# where the buffer size is known (_FORTIFY_SOURCE, which needs optimizing), stack protector and stack
# clash protection, control-flow protection, full RELRO with every symbol bound at start (-z now). PIE is
# Debian's GCC default. Left out of the sanitizer and fuzzing builds, whose runtimes intercept the same calls.
if(NOT CCCD_SANITIZE AND NOT CCCD_FUZZ)
  add_compile_options(-fstack-protector-strong -fstack-clash-protection -fcf-protection
                      $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE> $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()

if(CCCD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

if(CCCD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CCCD_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Instrument the libraries for coverage; only the fuzz targets link the libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# A helper so each layer of card/ declares itself in one line.
# cccd_layer(NAME DIR DEPS...) builds every .cpp of DIR into static library cccd_NAME.
function(cccd_layer name dir)
  file(GLOB _sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(_sources)
    add_library(cccd_${name} STATIC ${_sources})
    target_include_directories(cccd_${name} PUBLIC ${CCCD_SOURCE_ROOT})
    target_link_libraries(cccd_${name} PUBLIC ${ARGN})
  else()  # a layer whose code has not landed yet
    add_library(cccd_${name} INTERFACE)
    target_include_directories(cccd_${name} INTERFACE ${CCCD_SOURCE_ROOT})
    target_link_libraries(cccd_${name} INTERFACE ${ARGN})
  endif()
endfunction()
