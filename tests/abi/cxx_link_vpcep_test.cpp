// Links a C++ translation unit against libvpcep: proves the extern "C" guards of the public
// headers (a compile-only C++ test would not notice them missing) and that the initialiser
// macros are valid C++.
#include <vpcep/sys/clock.h>
#include <vpcep/sys/decode.h>
#include <vpcep/sys/policy.h>
#include <vpcep/sys/sign.h>
#include <vpcep/vpcep.h>

#include <cstdio>
#include <cstring>

int main()
{
    int major = -1;
    int minor = -1;
    int patch = -1;
    vpcep_version(&major, &minor, &patch);
    if (major != VPCEP_VERSION_MAJOR || minor != VPCEP_VERSION_MINOR ||
        patch != VPCEP_VERSION_PATCH) {
        std::printf("version mismatch\n");
        return 1;
    }
    if (vpcep_error_classify(404, nullptr) != VPCEP_ENOTFOUND) {
        return 1;
    }
    // A client without credentials is refused before any network I/O, with a message.
    vpcep_client_options opts = VPCEP_CLIENT_OPTIONS_INIT;
    opts.region = "eu-de";
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client *client = nullptr;
    if (vpcep_client_new(&client, &opts, &err) != VPCEP_EINVALID || client != nullptr ||
        err.error_msg[0] == '\0') {
        return 1;
    }
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_spec_service_available(&spec, 1000);
    if (vpcep_wait_classify(&spec, "available") != 1 ||
        vpcep_wait_classify(&spec, "failed") != -1) {
        return 1;
    }
    std::printf("%s: %s\n", vpcep_strerror(VPCEP_EINVALID), err.error_msg);
    return 0;
}
