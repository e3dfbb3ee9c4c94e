# Third-party libraries, and how each target links them (CONTRIBUTING.md "The static plugin").
#
# Our modules link the INTERFACE targets tfpv::grpc, tfpv::protobuf-c, tfpv::msgpack,
# tfpv::openssl, tfpv::yaml, tfpv::curl and tfpv::cjson, never PkgConfig::* directly. Each of them gives a
# consumer the shared Debian library (the development builds of libtfp.so, libvpcep.so and the
# test programs) unless the executable being linked was passed to tfpv_link_static(): then it
# gives nothing, and tfpv_link_static() links the whole set from static archives instead, in one
# --start-group, with libstdc++ and libgcc static too, so that only glibc stays shared:
#   * from Debian's -dev packages: libgrpc.a, libgpr.a, libupb.a, libaddress_sorting.a, libre2.a,
#     libcares.a, libabsl_*.a (pkg-config --static grpc), libprotobuf-c.a, libmsgpackc.a,
#     libssl.a, libcrypto.a, libz.a, libyaml.a;
#   * built from Debian's source packages at build time (cmake/StaticDeps.cmake): libcurl.a
#     (HTTP and HTTPS over OpenSSL only) and cJSON.
# The choice is made per linked executable through $<TARGET_PROPERTY:TFPV_STATIC>, which a
# link interface evaluates on the target being linked.
include_guard(GLOBAL)

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(GRPC REQUIRED IMPORTED_TARGET grpc)
pkg_check_modules(PROTOBUFC REQUIRED IMPORTED_TARGET libprotobuf-c)
pkg_check_modules(MSGPACK REQUIRED IMPORTED_TARGET msgpack)
pkg_check_modules(OPENSSL REQUIRED IMPORTED_TARGET openssl)
# clouds.yaml / secure.yaml (the provider's `cloud` argument): libyaml (Debian libyaml-dev)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
# Shared libcurl and cJSON for the development builds and the tests (the emulator and its tests
# use them directly). A build without tests (the arm64 cross build, which has no :arm64 curl or
# cJSON packages) links everything to the ones built from source.
if(TFPV_TESTS)
  pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
  pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
else()
  pkg_check_modules(CURL QUIET IMPORTED_TARGET libcurl)
  pkg_check_modules(CJSON QUIET IMPORTED_TARGET libcjson)
endif()
# protoc-c runs on the build machine (the toolchain file keeps programs to the host's).
find_program(PROTOC_C protoc-c REQUIRED)

include(${CMAKE_CURRENT_LIST_DIR}/StaticDeps.cmake) # tfpv_curl_static, tfpv_cjson_static

set(_tfpv_static "$<BOOL:$<TARGET_PROPERTY:TFPV_STATIC>>")

# tfpv_dependency(<name> <shared link item> [INCLUDE <dir>...]): the target tfpv::<name>.
function(tfpv_dependency name shared)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "INCLUDE")
  add_library(tfpv_dep_${name} INTERFACE)
  add_library(tfpv::${name} ALIAS tfpv_dep_${name})
  if(arg_INCLUDE)
    target_include_directories(tfpv_dep_${name} SYSTEM INTERFACE ${arg_INCLUDE})
  endif()
  target_link_libraries(tfpv_dep_${name} INTERFACE "$<$<NOT:${_tfpv_static}>:${shared}>")
endfunction()

# Include directories are given outright as well: objects compiled for a static executable
# (its own sources) still need the headers.
tfpv_dependency(grpc PkgConfig::GRPC INCLUDE ${GRPC_INCLUDE_DIRS})
tfpv_dependency(protobuf-c PkgConfig::PROTOBUFC INCLUDE ${PROTOBUFC_INCLUDE_DIRS})
tfpv_dependency(msgpack PkgConfig::MSGPACK INCLUDE ${MSGPACK_INCLUDE_DIRS})
tfpv_dependency(openssl PkgConfig::OPENSSL INCLUDE ${OPENSSL_INCLUDE_DIRS})
tfpv_dependency(yaml PkgConfig::YAML INCLUDE ${YAML_INCLUDE_DIRS})
if(CURL_FOUND)
  tfpv_dependency(curl PkgConfig::CURL INCLUDE ${CURL_INCLUDE_DIRS})
else()
  tfpv_dependency(curl tfpv_curl_static)
endif()
if(CJSON_FOUND)
  tfpv_dependency(cjson PkgConfig::CJSON INCLUDE ${CJSON_INCLUDE_DIRS})
else()
  tfpv_dependency(cjson tfpv_cjson_static)
endif()

# The static set, resolved once: every -l of `pkg-config --static --libs` of the Debian
# libraries becomes its lib<name>.a; glibc's own libraries stay -l (shared); libatomic (gcc's)
# is taken as the compiler's libatomic.a.
set(_tfpv_glibc_libs c m dl rt pthread resolv)
set(_tfpv_static_archives)
set(_tfpv_static_system)
foreach(prefix GRPC PROTOBUFC MSGPACK OPENSSL YAML)
  foreach(lib IN LISTS ${prefix}_STATIC_LIBRARIES)
    if(lib IN_LIST _tfpv_glibc_libs)
      list(APPEND _tfpv_static_system ${lib})
      continue()
    endif()
    if(lib STREQUAL "atomic")
      execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libatomic.a
                      OUTPUT_VARIABLE _tfpv_a_atomic OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(NOT IS_ABSOLUTE "${_tfpv_a_atomic}" OR NOT EXISTS "${_tfpv_a_atomic}")
        message(FATAL_ERROR "libatomic.a not found (${CMAKE_C_COMPILER} -print-file-name)")
      endif()
    else()
      find_library(_tfpv_a_${lib} NAMES lib${lib}.a PATHS ${${prefix}_STATIC_LIBRARY_DIRS}
                   NO_CACHE)
      if(NOT _tfpv_a_${lib})
        message(FATAL_ERROR "lib${lib}.a not found: the static plugin links it (from the "
                            "Debian -dev package that ships ${prefix}'s pkg-config file)")
      endif()
    endif()
    list(APPEND _tfpv_static_archives ${_tfpv_a_${lib}})
  endforeach()
endforeach()
list(REMOVE_DUPLICATES _tfpv_static_archives)
list(REMOVE_DUPLICATES _tfpv_static_system)
set(TFPV_STATIC_ARCHIVES ${_tfpv_static_archives} CACHE INTERNAL "")

add_library(tfpv_static_link INTERFACE)
target_link_libraries(tfpv_static_link INTERFACE
  "$<LINK_GROUP:RESCAN,tfpv_curl_static,tfpv_cjson_static,${_tfpv_static_archives}>"
  ${_tfpv_static_system} Threads::Threads)
target_link_options(tfpv_static_link INTERFACE -static-libstdc++ -static-libgcc)

# tfpv_link_static(<executable>): link every third-party library of <executable> statically,
# except glibc.
function(tfpv_link_static target)
  set_target_properties(${target} PROPERTIES TFPV_STATIC ON LINKER_LANGUAGE CXX)
  target_link_libraries(${target} PRIVATE tfpv_static_link)
endfunction()
