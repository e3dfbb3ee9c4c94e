# cmake -P script behind the `package` target (see Packaging.cmake). Inputs: PLUGIN (the built
# plugin), VERSION, FILE_NAME (name inside the zip), ZIP, SUMS, STAGING (scratch directory).
# Writes the registry-style zip (the plugin alone, at the root) and a SHA256SUMS file in the
# `sha256sum` format, after checking that `<plugin> --version` reports VERSION.
foreach(_v PLUGIN VERSION FILE_NAME ZIP SUMS STAGING)
  if(NOT DEFINED ${_v} OR "${${_v}}" STREQUAL "")
    message(FATAL_ERROR "package.cmake: ${_v} is not set")
  endif()
endforeach()

execute_process(COMMAND "${PLUGIN}" --version
                OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc
                TIMEOUT 30)
if(NOT _rc EQUAL 0 OR NOT "${_out}${_err}" MATCHES "(^|[^0-9.])v?${VERSION}([^0-9.]|$)")
  message(FATAL_ERROR "package: `${PLUGIN} --version` (exit ${_rc}) does not report ${VERSION}:\n"
                      "${_out}${_err}")
endif()

file(REMOVE_RECURSE "${STAGING}")
file(MAKE_DIRECTORY "${STAGING}")
file(COPY_FILE "${PLUGIN}" "${STAGING}/${FILE_NAME}")
file(CHMOD "${STAGING}/${FILE_NAME}"
     PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
                 WORLD_EXECUTE)
file(REMOVE "${ZIP}")
# A fixed mtime keeps the archive reproducible for a given binary.
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${ZIP}" --format=zip --mtime=1970-01-02
                        "${FILE_NAME}"
                WORKING_DIRECTORY "${STAGING}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "package: could not write ${ZIP}")
endif()
file(SHA256 "${ZIP}" _sum)
get_filename_component(_zip_name "${ZIP}" NAME)
file(WRITE "${SUMS}" "${_sum}  ${_zip_name}\n")
file(REMOVE_RECURSE "${STAGING}")
message(STATUS "package: ${ZIP}")
message(STATUS "package: ${SUMS}")
