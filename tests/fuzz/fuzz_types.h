/* The types every fuzz input is decoded against (shared by the value fuzzers). */
#ifndef TFP_FUZZ_TYPES_H
#define TFP_FUZZ_TYPES_H

#include <tfp/tfp.h>

#include <stdlib.h>
#include <string.h>

#define FUZZ_NTYPES 8

/* Builds the fuzz types once: the protocol example object, dynamic, primitives, collections of
 * objects with a dynamic attribute, a tuple, and a deep nesting. Never freed (process-wide). */
static inline const tfp_type *const *fuzz_types(void)
{
    static tfp_type *types[FUZZ_NTYPES];
    static int ready;
    if (!ready) {
        const char *thing_names[] = {"id", "name", "note"};
        const tfp_type *thing_types[] = {tfp_type_string(), tfp_type_string(), tfp_type_string()};
        const char *port_names[] = {"client_port", "protocol", "extra"};
        const tfp_type *port_types[] = {tfp_type_number(), tfp_type_string(), tfp_type_bool()};
        const char *svc_names[] = {"tags", "ports", "any", "list", "size"};
        const tfp_type *svc_types[5];
        const tfp_type *tuple_types[] = {tfp_type_string(), tfp_type_number(), tfp_type_dynamic()};
        tfp_type *port = NULL;
        tfp_type *ports = NULL;
        tfp_type *tags = NULL;
        tfp_type *list = NULL;
        tfp_type *deep = NULL;
        int i;
        if (tfp_type_object_new(&types[0], 3, thing_names, thing_types) != 0 ||
            tfp_type_object_new(&port, 3, port_names, port_types) != 0 ||
            tfp_type_set_new(&ports, port) != 0 ||
            tfp_type_map_new(&tags, tfp_type_string()) != 0 ||
            tfp_type_list_new(&list, tfp_type_dynamic()) != 0) {
            abort();
        }
        svc_types[0] = tags;
        svc_types[1] = ports;
        svc_types[2] = tfp_type_dynamic();
        svc_types[3] = list;
        svc_types[4] = tfp_type_number();
        if (tfp_type_object_new(&types[1], 5, svc_names, svc_types) != 0 ||
            tfp_type_tuple_new(&types[2], 3, tuple_types) != 0) {
            abort();
        }
        types[3] = tfp_type_ref(tfp_type_dynamic());
        types[4] = tfp_type_ref(tfp_type_number());
        types[5] = tfp_type_ref(tfp_type_string());
        types[6] = tfp_type_ref(ports);
        deep = tfp_type_ref(tfp_type_string());
        for (i = 0; i < 70; i++) {
            tfp_type *outer = NULL;
            if (tfp_type_list_new(&outer, deep) != 0) {
                abort();
            }
            tfp_type_free(deep);
            deep = outer;
        }
        types[7] = deep;
        tfp_type_free(port);
        tfp_type_free(ports);
        tfp_type_free(tags);
        tfp_type_free(list);
        ready = 1;
    }
    return (const tfp_type *const *)types;
}

#endif
