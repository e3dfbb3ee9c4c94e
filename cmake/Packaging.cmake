# Install rules. Included from the root CMakeLists.txt after the
# provider/ tree (it only acts on the targets that exist: tfp, vpcep, terraform-provider-vpcep).
#
#   cmake --install <build> [--prefix P] installs
#     P/share/terraform/plugins/registry.terraform.io/otc/vpcep/<version>/<os>_<arch>/
#         terraform-provider-vpcep_v<version>      (a filesystem-mirror layout that Terraform
#                                                   searches by default for P = /usr/local,
#                                                   /usr, ~/.local)
#     P/bin/vpcep-emulator                        (when libmicrohttpd was found)
#     P/lib/libtfp.so.0, libvpcep.so.0 (+ .so links), P/include/{tfp,vpcep}/*.h
#     P/lib/pkgconfig/{tfp,vpcep}.pc
#     P/lib/cmake/vpcep/vpcepConfig*.cmake  (find_package(vpcep) -> vpcep::tfp, vpcep::vpcep)
# Release archives (zips, manifest, SHA256SUMS, signature) are scripts/release.sh's job.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TFPV_PROVIDER_HOST "registry.terraform.io" CACHE STRING "Provider source host")
set(TFPV_PROVIDER_NAMESPACE "otc" CACHE STRING "Provider source namespace")
set(TFPV_PROVIDER_TYPE "vpcep")

# Terraform's <os>_<arch> of the target platform.
string(TOLOWER "${CMAKE_SYSTEM_NAME}" _tfpv_os)
string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _tfpv_cpu)
if(_tfpv_cpu MATCHES "^(x86_64|amd64)$")
  set(_tfpv_arch amd64)
elseif(_tfpv_cpu MATCHES "^(aarch64|arm64)$")
  set(_tfpv_arch arm64)
elseif(_tfpv_cpu MATCHES "^(i.86|x86)$")
  set(_tfpv_arch 386)
elseif(_tfpv_cpu MATCHES "^arm")
  set(_tfpv_arch arm)
else()
  set(_tfpv_arch "${_tfpv_cpu}")
endif()
set(TFPV_PLATFORM "${_tfpv_os}_${_tfpv_arch}" CACHE STRING "Terraform platform (<os>_<arch>)")

set(TFPV_PLUGIN_MIRROR_DIR
    "${CMAKE_INSTALL_DATADIR}/terraform/plugins/${TFPV_PROVIDER_HOST}/${TFPV_PROVIDER_NAMESPACE}/${TFPV_PROVIDER_TYPE}/${PROJECT_VERSION}/${TFPV_PLATFORM}")
set(TFPV_PLUGIN_FILE_NAME "terraform-provider-${TFPV_PROVIDER_TYPE}_v${PROJECT_VERSION}")

# ----- the plugin ------------------------------------------------------------------------------
if(TARGET terraform-provider-vpcep)
  install(PROGRAMS $<TARGET_FILE:terraform-provider-vpcep>
          DESTINATION ${TFPV_PLUGIN_MIRROR_DIR}
          RENAME ${TFPV_PLUGIN_FILE_NAME}
          COMPONENT plugin)
endif()

# ----- the emulator: an installed user keeps the playground (docs/index.md, "The emulator") -----
if(TARGET vpcep-emulator)
  install(TARGETS vpcep-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT emulator)
endif()

# ----- the libraries, headers, pkg-config and CMake package config -----------------------------
set(_tfpv_libs "")
foreach(_lib tfp vpcep)
  if(TARGET ${_lib})
    list(APPEND _tfpv_libs ${_lib})
  endif()
endforeach()

if(_tfpv_libs)
  install(TARGETS ${_tfpv_libs}
          EXPORT vpcepTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
                  NAMELINK_COMPONENT development
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

  foreach(_lib IN LISTS _tfpv_libs)
    # Headers of the library's ABI: include/tfp/ for libtfp, include/vpcep/ for libvpcep.
    if(IS_DIRECTORY ${CMAKE_SOURCE_DIR}/include/${_lib})
      install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/${_lib}
              DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
              COMPONENT development
              FILES_MATCHING PATTERN "*.h")
    endif()
    # pkg-config: absolute or prefix-relative install dirs both work.
    if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
      set(TFPV_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
    else()
      set(TFPV_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
    endif()
    if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
      set(TFPV_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
    else()
      set(TFPV_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
    endif()
    set(TFPV_PC_PREFIX "@TFPV_PC_PREFIX@") # kept for the install step below
    configure_file(${CMAKE_CURRENT_LIST_DIR}/${_lib}.pc.in
                   ${CMAKE_BINARY_DIR}/pkgconfig/${_lib}.pc.gen @ONLY)
    # @CMAKE_INSTALL_PREFIX@ is resolved at install time, so --prefix is honoured.
    install(CODE "
      set(_pc_prefix \"\${CMAKE_INSTALL_PREFIX}\")
      file(READ \"${CMAKE_BINARY_DIR}/pkgconfig/${_lib}.pc.gen\" _pc)
      string(REPLACE \"@TFPV_PC_PREFIX@\" \"\${_pc_prefix}\" _pc \"\${_pc}\")
      file(WRITE \"${CMAKE_BINARY_DIR}/pkgconfig/${_lib}.pc\" \"\${_pc}\")
    " COMPONENT development)
    install(FILES ${CMAKE_BINARY_DIR}/pkgconfig/${_lib}.pc
            DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
            COMPONENT development)
  endforeach()

  set(TFPV_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vpcep)
  install(EXPORT vpcepTargets
          NAMESPACE vpcep::
          DESTINATION ${TFPV_CMAKE_DIR}
          COMPONENT development)
  set(TFPV_EXPORTED_LIBS ${_tfpv_libs})
  configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/vpcepConfig.cmake.in
                                ${CMAKE_BINARY_DIR}/cmake/vpcepConfig.cmake
                                INSTALL_DESTINATION ${TFPV_CMAKE_DIR})
  # Same major version = same SONAME = ABI compatible.
  write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/vpcepConfigVersion.cmake
                                   VERSION ${PROJECT_VERSION}
                                   COMPATIBILITY SameMajorVersion)
  install(FILES ${CMAKE_BINARY_DIR}/cmake/vpcepConfig.cmake
                ${CMAKE_BINARY_DIR}/cmake/vpcepConfigVersion.cmake
          DESTINATION ${TFPV_CMAKE_DIR}
          COMPONENT development)
endif()

# ----- the packaging test (label packaging) -----------------------------------------------------
if(TFPV_TESTS AND TARGET terraform-provider-vpcep AND TARGET tfp AND TARGET vpcep
   AND EXISTS ${CMAKE_SOURCE_DIR}/tests/docs/packaging_test.cmake)
  add_test(NAME packaging
           COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DVERSION=${PROJECT_VERSION}
                   -DPLATFORM=${TFPV_PLATFORM} -DWORK=${CMAKE_BINARY_DIR}/packaging-test
                   -DEMULATOR=$<TARGET_EXISTS:vpcep-emulator>
                   -P ${CMAKE_SOURCE_DIR}/tests/docs/packaging_test.cmake)
  set_tests_properties(packaging PROPERTIES LABELS packaging TIMEOUT 300)
endif()
