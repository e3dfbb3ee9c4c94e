/* libFuzzer target: cty JSON (stored state) decoding of hostile text, then a JSON and a
 * msgpack round trip that must reproduce an equal value. */
#include "core.h"
#include "fuzz_types.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const tfp_type *const *types = fuzz_types();
    int i;
    for (i = 0; i < FUZZ_NTYPES; i++) {
        tfp_value *v = NULL;
        tfp_value *again = NULL;
        char *json = NULL;
        void *bytes = NULL;
        size_t len = 0;
        char *err = NULL;
        if (tfp_value_from_json(&v, types[i], (const char *)data, size, &err) != 0) {
            tfp_free(err);
            continue;
        }
        if (tfp__value_to_json_as(&json, v, types[i]) != 0) {
            /* only infinities have no JSON form, and JSON cannot produce them */
            abort();
        }
        if (tfp_value_from_json(&again, types[i], json, strlen(json), NULL) != 0 ||
            !tfp_value_equal(v, again)) {
            abort();
        }
        tfp_value_free(again);
        again = NULL;
        if (tfp__value_to_msgpack_as(&bytes, &len, v, types[i]) != 0 ||
            tfp_value_from_msgpack(&again, types[i], bytes, len, NULL) != 0 ||
            !tfp_value_equal(v, again)) {
            abort();
        }
        tfp_value_free(again);
        tfp_free(bytes);
        tfp_free(json);
        tfp_value_free(v);
    }
    return 0;
}
