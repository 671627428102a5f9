# The relying parties' client library as an installable package (component libcccd-auth-client-dev,
# docs/packaging.md): one static archive holding cccd_auth_client and every cccd_* library it links,
# the headers its two public headers include (transitively), a CMake package config
# (find_package(CccdAuthClient) -> CccdAuthClient::CccdAuthClient) and a pkg-config file
# (cccd-auth-client.pc).
#
# cccd_auth_client_package() is deferred to the end of the top-level directory, when every target and
# its links are known. The cccd_* libraries and the headers are found by walking the links and the
# includes; only the system libraries are listed by hand (in the function, the config, the .pc file and
# the package's Depends), and configuring fails when the code links one that is not listed.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

# Every cccd_* static library reachable from `target` through its links, `target` first.
function(_cccd_link_closure target out_libraries out_externals)
  set(_todo ${target})
  set(_seen "")
  set(_externals "")
  while(_todo)
    list(POP_FRONT _todo _t)
    if(_t IN_LIST _seen)
      continue()
    endif()
    list(APPEND _seen ${_t})
    set(_deps "")
    foreach(_prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(_libs ${_t} ${_prop})
      if(_libs)
        list(APPEND _deps ${_libs})
      endif()
    endforeach()
    list(TRANSFORM _deps REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1")
    foreach(_d IN LISTS _deps)
      if(_d MATCHES "^cccd_" AND TARGET ${_d})
        list(APPEND _todo ${_d})
      elseif(NOT _d IN_LIST _externals)
        list(APPEND _externals ${_d})
      endif()
    endforeach()
  endwhile()
  set(_libraries "")
  foreach(_t IN LISTS _seen)
    get_target_property(_type ${_t} TYPE)
    if(_type STREQUAL "STATIC_LIBRARY")
      list(APPEND _libraries ${_t})
    elseif(NOT _type STREQUAL "INTERFACE_LIBRARY")
      message(FATAL_ERROR "cccd_auth_client links ${_t}, a ${_type}: the package holds static libraries only")
    endif()
  endforeach()
  set(${out_libraries} ${_libraries} PARENT_SCOPE)
  set(${out_externals} ${_externals} PARENT_SCOPE)
endfunction()

# The project headers `roots` include, transitively (#include "dir/file.hpp", relative to the
# repository root), as paths relative to it.
function(_cccd_header_closure out)
  set(_todo ${ARGN})
  set(_seen "")
  while(_todo)
    list(POP_FRONT _todo _h)
    if(_h IN_LIST _seen)
      continue()
    endif()
    if(NOT EXISTS ${CCCD_SOURCE_ROOT}/${_h})
      message(FATAL_ERROR "the auth client's headers include \"${_h}\", which is not in the tree")
    endif()
    list(APPEND _seen ${_h})
    set_property(DIRECTORY ${CCCD_SOURCE_ROOT} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CCCD_SOURCE_ROOT}/${_h})
    file(STRINGS ${CCCD_SOURCE_ROOT}/${_h} _lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(_line IN LISTS _lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*$" "\\1" _inc "${_line}")
      list(APPEND _todo ${_inc})
    endforeach()
  endwhile()
  set(${out} ${_seen} PARENT_SCOPE)
endfunction()

function(cccd_auth_client_package)
  set(_cccd_pkg_dir ${CMAKE_CURRENT_FUNCTION_LIST_DIR})
  set(_component libcccd-auth-client-dev)
  # Libraries, the .pc file and the CMake package go to lib/<multiarch> where the platform has one
  # (Debian: lib/x86_64-linux-gnu, searched by pkg-config and find_package under /usr and /usr/local).
  set(CCCD_INSTALL_LIBDIR lib)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    set(CCCD_INSTALL_LIBDIR lib/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  # The system libraries the archive's objects may call, as the build names them: each must be known to
  # CccdAuthClientConfig.cmake.in and cccd-auth-client.pc.in.
  set(_known_externals OpenSSL::SSL OpenSSL::Crypto Boost::json Threads::Threads
                       PkgConfig::HIREDIS PkgConfig::AUTH_SODIUM PkgConfig::BASE_SODIUM PkgConfig::CRYPTO_SODIUM)

  _cccd_link_closure(cccd_auth_client _libraries _externals)
  foreach(_e IN LISTS _externals)
    if(NOT _e IN_LIST _known_externals)
      message(FATAL_ERROR "cccd_auth_client now also links '${_e}': add it to packaging/cmake/"
                          "CccdAuthClientPackage.cmake, CccdAuthClientConfig.cmake.in, cccd-auth-client.pc.in "
                          "and the Depends of libcccd-auth-client-dev (packaging/debian/control)")
    endif()
  endforeach()

  # 1. One archive (GNU ar's MRI script keeps members of the same name from different libraries).
  set(_archive ${CMAKE_BINARY_DIR}/packaging/libcccd-auth-client.a)
  set(_list ${CMAKE_BINARY_DIR}/packaging/auth_client_archives.txt)
  list(JOIN _libraries ", " _names)
  set(_files "")
  foreach(_l IN LISTS _libraries)
    string(APPEND _files "$<TARGET_FILE:${_l}>\n")
  endforeach()
  file(GENERATE OUTPUT ${_list} CONTENT "${_files}")
  add_custom_command(OUTPUT ${_archive}
    COMMAND ${CMAKE_COMMAND} -DAR=${CMAKE_AR} -DRANLIB=${CMAKE_RANLIB} -DLIST=${_list} -DOUTPUT=${_archive}
            -P ${_cccd_pkg_dir}/merge_archives.cmake
    DEPENDS ${_libraries} ${_list} ${_cccd_pkg_dir}/merge_archives.cmake
    COMMENT "Bundling ${_names} into libcccd-auth-client.a"
    VERBATIM)
  add_custom_target(cccd_auth_client_bundle ALL DEPENDS ${_archive})
  install(FILES ${_archive} DESTINATION ${CCCD_INSTALL_LIBDIR} COMPONENT ${_component})

  # 2. The headers, under include/cccd/ with their paths ("auth/client/auth_client.hpp").
  _cccd_header_closure(_headers auth/client/auth_client.hpp auth/client/card_presentation.hpp)
  foreach(_h IN LISTS _headers)
    get_filename_component(_dir ${_h} DIRECTORY)
    install(FILES ${CCCD_SOURCE_ROOT}/${_h} DESTINATION include/cccd/${_dir} COMPONENT ${_component})
  endforeach()

  # A sanitized tree's archive needs the sanitizer runtime at the consumer's link.
  set(CCCD_AUTH_CLIENT_LINK_OPTIONS "")
  if(CCCD_SANITIZE)
    set(CCCD_AUTH_CLIENT_LINK_OPTIONS "-fsanitize=address,undefined")
  endif()

  # 3. The CMake package: relocatable (paths from the config file's own place).
  set(_cmake_dir ${CMAKE_BINARY_DIR}/packaging/cmake)
  configure_package_config_file(${_cccd_pkg_dir}/CccdAuthClientConfig.cmake.in ${_cmake_dir}/CccdAuthClientConfig.cmake
                                INSTALL_DESTINATION ${CCCD_INSTALL_LIBDIR}/cmake/CccdAuthClient)
  write_basic_package_version_file(${_cmake_dir}/CccdAuthClientConfigVersion.cmake VERSION ${PROJECT_VERSION}
                                   COMPATIBILITY SameMinorVersion)
  install(FILES ${_cmake_dir}/CccdAuthClientConfig.cmake ${_cmake_dir}/CccdAuthClientConfigVersion.cmake
          DESTINATION ${CCCD_INSTALL_LIBDIR}/cmake/CccdAuthClient COMPONENT ${_component})

  # 4. The pkg-config file: its prefix is the one given at install time (cmake --install --prefix).
  set(CCCD_PC_PREFIX "@CMAKE_INSTALL_PREFIX@")
  configure_file(${_cccd_pkg_dir}/cccd-auth-client.pc.in ${CMAKE_BINARY_DIR}/packaging/cccd-auth-client.pc.in @ONLY)
  install(CODE "
    set(_pc \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CCCD_INSTALL_LIBDIR}/pkgconfig/cccd-auth-client.pc\")
    message(STATUS \"Installing: \${_pc}\")
    configure_file(\"${CMAKE_BINARY_DIR}/packaging/cccd-auth-client.pc.in\" \"\${_pc}\" @ONLY)
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${_pc}\")"
    COMPONENT ${_component})
endfunction()

if(TARGET cccd_auth_client)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL cccd_auth_client_package)
endif()
