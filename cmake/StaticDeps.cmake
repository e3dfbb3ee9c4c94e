# libcurl and cJSON for the static plugin, built from Debian's own source packages at build time
# (Debian ships no libcjson.a, and its libcurl.a needs Kerberos, LDAP, RTMP, libssh2, nghttp2,
# libidn2, libpsl, brotli and zstd). Included from cmake/Dependencies.cmake; defines
#   tfpv_curl_static   libcurl.a: HTTP and HTTPS over OpenSSL only, PIC, threaded resolver
#   tfpv_cjson_static  cJSON.c of the cjson source package, PIC
# Everything lives in <build>/static-deps/; the downloaded source packages in TFPV_DEBSRC_CACHE
# (default <build>/debian-src/), so a rebuild or a re-configure reuses both. A cross build
# (CMAKE_CROSSCOMPILING, cmake/toolchain-linux-arm64.cmake) configures curl with
# --host=<triplet> and the cross compiler.
include_guard(GLOBAL)
include(ExternalProject)

set(TFPV_DEBSRC_CACHE "${CMAKE_BINARY_DIR}/debian-src"
    CACHE PATH "Where the Debian source packages of curl and cjson are downloaded (apt-get source)")
set(_sd ${CMAKE_BINARY_DIR}/static-deps)
set(_debsrc ${CMAKE_CURRENT_LIST_DIR}/debian-source.sh)
file(MAKE_DIRECTORY ${_sd}/include ${_sd}/lib)

# ----- cJSON: one C file ------------------------------------------------------------------------
add_custom_command(
  OUTPUT ${_sd}/src/cjson/cJSON.c ${_sd}/include/cjson/cJSON.h
  COMMAND sh ${_debsrc} cjson ${TFPV_DEBSRC_CACHE} ${_sd}/src/cjson
  COMMAND ${CMAKE_COMMAND} -E copy ${_sd}/src/cjson/cJSON.h ${_sd}/include/cjson/cJSON.h
  DEPENDS ${_debsrc}
  COMMENT "cJSON from Debian's cjson source package"
  VERBATIM)
add_library(tfpv_cjson_static STATIC ${_sd}/src/cjson/cJSON.c ${_sd}/include/cjson/cJSON.h)
set_target_properties(tfpv_cjson_static PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_include_directories(tfpv_cjson_static SYSTEM INTERFACE ${_sd}/include)
target_link_libraries(tfpv_cjson_static INTERFACE m)

# ----- libcurl: Debian's configure/make of the OpenSSL flavour, cut down ------------------------
set(_curl_env CC=${CMAKE_C_COMPILER} "CFLAGS=-O2 -g -fPIC" PKG_CONFIG=${PKG_CONFIG_EXECUTABLE})
set(_curl_host)
if(CMAKE_CROSSCOMPILING)
  if(NOT CMAKE_LIBRARY_ARCHITECTURE)
    message(FATAL_ERROR "cross build without CMAKE_LIBRARY_ARCHITECTURE: the curl build needs "
                        "the target triplet (see cmake/toolchain-linux-arm64.cmake)")
  endif()
  set(_curl_host --host=${CMAKE_LIBRARY_ARCHITECTURE})
endif()
set(_curl_configure
    ${_curl_host} --prefix=${_sd} --libdir=${_sd}/lib
    --disable-shared --enable-static --with-pic --disable-dependency-tracking --enable-silent-rules
    # TLS: OpenSSL only. No compiled-in CA file or directory (this binary runs on any
    # distribution): provider/rest/transport.c looks for the system bundle, and OpenSSL's
    # default paths are the fallback.
    --with-openssl --with-ca-fallback --without-ca-bundle --without-ca-path
    # Protocols: HTTP(S) only.
    --enable-http --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp
    --disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb
    --disable-smtp --disable-gopher --disable-mqtt --disable-ntlm-wb --disable-manual
    # No other library.
    --without-zlib --without-brotli --without-zstd --without-libpsl --without-libgsasl
    --without-libssh2 --without-libssh --without-librtmp --without-libidn2 --without-nghttp2
    --without-ngtcp2 --without-nghttp3 --without-quiche --without-msh3 --without-hyper
    --without-gssapi --disable-ares --without-zsh-functions-dir --without-fish-functions-dir
    --enable-threaded-resolver --disable-versioned-symbols)
if(CMAKE_GENERATOR MATCHES "Make")
  set(_make "$(MAKE)")
else()
  set(_make make)
endif()
ExternalProject_Add(tfpv_curl_build
  PREFIX ${_sd}/ep
  SOURCE_DIR ${_sd}/src/curl
  BINARY_DIR ${_sd}/build/curl
  # Debian's curl source builds three flavours; the OpenSSL one leaves out the last two patches.
  DOWNLOAD_COMMAND sh ${_debsrc} curl ${TFPV_DEBSRC_CACHE} ${_sd}/src/curl
                   90_gnutls.patch 99_nss.patch
  UPDATE_COMMAND ""
  PATCH_COMMAND ""
  CONFIGURE_COMMAND ${CMAKE_COMMAND} -E env ${_curl_env} <SOURCE_DIR>/configure -q
                    ${_curl_configure}
  # Only the library (not the curl tool, the docs or the tests); $(MAKE) shares the jobserver.
  BUILD_COMMAND ${_make} -s -C lib
  INSTALL_COMMAND ${CMAKE_COMMAND} -E copy <BINARY_DIR>/lib/.libs/libcurl.a ${_sd}/lib/libcurl.a
          COMMAND ${CMAKE_COMMAND} -E copy_directory <SOURCE_DIR>/include/curl ${_sd}/include/curl
  BUILD_BYPRODUCTS ${_sd}/lib/libcurl.a
  LOG_CONFIGURE ON
  LOG_OUTPUT_ON_FAILURE ON)

add_library(tfpv_curl_static STATIC IMPORTED GLOBAL)
set_target_properties(tfpv_curl_static PROPERTIES IMPORTED_LOCATION ${_sd}/lib/libcurl.a
                                                  INTERFACE_INCLUDE_DIRECTORIES ${_sd}/include)
target_link_libraries(tfpv_curl_static INTERFACE Threads::Threads)
add_dependencies(tfpv_curl_static tfpv_curl_build)
