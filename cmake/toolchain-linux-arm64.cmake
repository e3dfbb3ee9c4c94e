# Cross build for linux_arm64 with Debian's multiarch cross toolchain, on an amd64 Debian host:
#
#   apt-get install crossbuild-essential-arm64 qemu-user-static \
#     libgrpc-dev:arm64 libprotobuf-c-dev:arm64 libmsgpack-dev:arm64 libssl-dev:arm64 \
#     zlib1g-dev:arm64 libc-ares-dev:arm64 libre2-dev:arm64 libabsl-dev:arm64 libprotobuf-dev:arm64
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-linux-arm64.cmake -DTFPV_TESTS=OFF
#   cmake --build build-arm64 --target terraform-provider-vpcep
#
# The :arm64 libraries live beside the host's in /usr/lib/aarch64-linux-gnu (multiarch), so there
# is no separate sysroot: CMake finds them through CMAKE_LIBRARY_ARCHITECTURE (taken from the
# compiler) and pkg-config through pkgconf's aarch64-linux-gnu personality. Programs that run
# during the build (protoc-c) are the build host's. libcurl and cJSON are built from Debian's
# source packages with the same cross compiler (cmake/StaticDeps.cmake). Binaries run under
# qemu-user-static (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(TFPV_CROSS_TRIPLET aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${TFPV_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${TFPV_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${TFPV_CROSS_TRIPLET})

# pkgconf's cross personality: searches /usr/lib/aarch64-linux-gnu/pkgconfig and /usr/share/pkgconfig
# only, never the host's /usr/lib/x86_64-linux-gnu/pkgconfig.
find_program(PKG_CONFIG_EXECUTABLE NAMES ${TFPV_CROSS_TRIPLET}-pkg-config REQUIRED)

# Host programs (protoc-c) from the build machine; libraries and headers of the target only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

find_program(TFPV_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(TFPV_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${TFPV_QEMU_AARCH64})
endif()
