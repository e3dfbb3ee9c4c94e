/* libFuzzer target: cty msgpack decoding of hostile bytes, then an encode/decode round trip
 * that must reproduce an equal value, and a JSON encoding of wholly known results. */
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
        void *bytes = NULL;
        size_t len = 0;
        char *err = NULL;
        char *json = NULL;
        if (tfp_value_from_msgpack(&v, types[i], data, size, &err) != 0) {
            if (err == NULL) {
                continue; /* out of memory is not a finding */
            }
            tfp_free(err);
            continue;
        }
        if (tfp__value_to_msgpack_as(&bytes, &len, v, types[i]) != 0) {
            abort(); /* whatever decodes must encode */
        }
        if (tfp_value_from_msgpack(&again, types[i], bytes, len, NULL) != 0 ||
            !tfp_value_equal(v, again)) {
            abort(); /* and decode again to an equal value */
        }
        if (tfp_value_is_wholly_known(v) && tfp__value_to_json_as(&json, v, types[i]) == 0) {
            tfp_value *from_json = NULL;
            int rc = tfp_value_from_json(&from_json, types[i], json, strlen(json), NULL);
            /* the one documented gap: JSON strings with NUL characters are refused */
            if ((rc != 0 && strstr(json, "\\u0000") == NULL) ||
                (rc == 0 && !tfp_value_equal(v, from_json))) {
                abort();
            }
            tfp_value_free(from_json);
            tfp_free(json);
        }
        tfp_value_free(again);
        tfp_free(bytes);
        tfp_value_free(v);
    }
    return 0;
}
