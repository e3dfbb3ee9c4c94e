// Links a C++ translation unit against libtfp: proves the extern "C" guards of the public
// headers (a compile-only C++ test would not notice them missing).
#include <tfp/tfp.h>

#include <cstdio>
#include <cstring>

int main()
{
    int major = -1;
    int minor = -1;
    int patch = -1;
    tfp_version(&major, &minor, &patch);
    if (major != TFP_VERSION_MAJOR || minor != TFP_VERSION_MINOR || patch != TFP_VERSION_PATCH) {
        std::printf("version mismatch\n");
        return 1;
    }
    tfp_value *v = nullptr;
    if (tfp_value_new_string(&v, "abc") != TFP_OK || std::strcmp(tfp_value_string(v), "abc") != 0) {
        return 1;
    }
    void *bytes = nullptr;
    size_t len = 0;
    if (tfp_value_to_msgpack(&bytes, &len, v) != TFP_OK || len != 4) {
        return 1;
    }
    tfp_free(bytes);
    tfp_value_free(v);
    std::printf("%s\n", tfp_strerror(TFP_ENOTFOUND));
    return 0;
}
