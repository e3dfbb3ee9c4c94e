# Packaging test (label packaging), registered by cmake/Packaging.cmake:
#   cmake -DBUILD_DIR=<build> -DVERSION=<v> -DPLATFORM=<os_arch> -DWORK=<scratch>
#         -P tests/docs/packaging_test.cmake
# Installs the build into a scratch prefix and checks the layout users rely on: the plugin in the
# filesystem-mirror layout reporting the right --version, vpcep-emulator in bin/ (EMULATOR=1), the
# libraries with their SONAME links, headers, pkg-config files that resolve, the CMake package
# config. The release archives are checked by release_test.sh.
foreach(_v BUILD_DIR VERSION PLATFORM WORK)
  if(NOT DEFINED ${_v} OR "${${_v}}" STREQUAL "")
    message(FATAL_ERROR "packaging_test: ${_v} is not set")
  endif()
endforeach()

set(_errors 0)
macro(problem msg)
  message(SEND_ERROR "packaging_test: ${msg}")
  math(EXPR _errors "${_errors} + 1")
endmacro()

file(REMOVE_RECURSE "${WORK}")
set(P "${WORK}/prefix")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${P}"
                OUTPUT_VARIABLE _out ERROR_VARIABLE _out RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "packaging_test: cmake --install failed:\n${_out}")
endif()

# The plugin, where Terraform's filesystem mirror looks for it.
set(_plugin "${P}/share/terraform/plugins/registry.terraform.io/otc/vpcep/${VERSION}/${PLATFORM}")
set(_plugin "${_plugin}/terraform-provider-vpcep_v${VERSION}")
if(NOT EXISTS "${_plugin}")
  problem("plugin not installed at ${_plugin}")
else()
  execute_process(COMMAND "${_plugin}" --version OUTPUT_VARIABLE _ver ERROR_VARIABLE _ver
                  RESULT_VARIABLE _rc TIMEOUT 30)
  string(REGEX MATCH "(^|[^0-9.])v?${VERSION}([^0-9.]|$)" _m "${_ver}")
  if(NOT _rc EQUAL 0)
    problem("`terraform-provider-vpcep --version` exited ${_rc}: ${_ver}")
  elseif(_m STREQUAL "")
    problem("`terraform-provider-vpcep --version` prints '${_ver}', not ${VERSION}")
  endif()
endif()

# The emulator, so that an installed user keeps the playground.
if(EMULATOR)
  if(NOT EXISTS "${P}/bin/vpcep-emulator")
    problem("vpcep-emulator not installed into ${P}/bin")
  else()
    execute_process(COMMAND "${P}/bin/vpcep-emulator" --help OUTPUT_VARIABLE _help
                    ERROR_VARIABLE _help RESULT_VARIABLE _rc TIMEOUT 30)
    string(FIND "${_help}" "--listen" _listen)
    if(NOT _rc EQUAL 0 OR _listen EQUAL -1)
      problem("installed `vpcep-emulator --help` (exit ${_rc}) does not list --listen: ${_help}")
    endif()
  endif()
endif()

# Libraries, headers, pkg-config, CMake package config.
file(GLOB _libdirs LIST_DIRECTORIES true "${P}/lib" "${P}/lib64" "${P}/lib/*-linux-gnu")
set(_libdir "")
foreach(_d IN LISTS _libdirs)
  if(EXISTS "${_d}/libtfp.so.0")
    set(_libdir "${_d}")
  endif()
endforeach()
if(_libdir STREQUAL "")
  problem("libtfp.so.0 not installed under ${P}/lib*")
else()
  foreach(_f libtfp.so libtfp.so.0 libvpcep.so libvpcep.so.0 pkgconfig/tfp.pc pkgconfig/vpcep.pc
             cmake/vpcep/vpcepConfig.cmake cmake/vpcep/vpcepConfigVersion.cmake
             cmake/vpcep/vpcepTargets.cmake)
    if(NOT EXISTS "${_libdir}/${_f}")
      problem("${_libdir}/${_f} not installed")
    endif()
  endforeach()
  find_program(_pkgconfig pkg-config)
  if(_pkgconfig)
    foreach(_pc tfp vpcep)
      execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${_libdir}/pkgconfig"
                              "${_pkgconfig}" --modversion ${_pc}
                      OUTPUT_VARIABLE _pver ERROR_VARIABLE _pver RESULT_VARIABLE _rc1)
      execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${_libdir}/pkgconfig"
                              "${_pkgconfig}" --libs --cflags ${_pc}
                      OUTPUT_VARIABLE _pcout ERROR_VARIABLE _pcout RESULT_VARIABLE _rc2)
      set(_pcout "${_pver}${_pcout}")
      string(FIND "${_pcout}" "-I${P}/include" _inc)
      string(FIND "${_pver}" "${VERSION}" _pver)
      if(NOT _rc1 EQUAL 0 OR NOT _rc2 EQUAL 0)
        problem("pkg-config ${_pc} failed: ${_pcout}")
      elseif(_inc EQUAL -1 OR _pver EQUAL -1)
        problem("pkg-config ${_pc} does not give version ${VERSION} and ${P}/include: ${_pcout}")
      endif()
    endforeach()
  endif()
endif()
if(NOT EXISTS "${P}/include/tfp/tfp.h")
  problem("include/tfp/tfp.h not installed")
endif()
if(NOT IS_DIRECTORY "${P}/include/vpcep")
  problem("include/vpcep/ not installed")
endif()

file(REMOVE_RECURSE "${WORK}")
if(_errors GREATER 0)
  message(FATAL_ERROR "packaging_test: ${_errors} problem(s)")
endif()
message(STATUS "packaging_test: install layout, --version, emulator and pkg-config are correct")
