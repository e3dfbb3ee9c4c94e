/*
 * tests/unit/resources/helpers.h - small helpers shared by the resources unit tests.
 */
#ifndef TFPV_TEST_RESOURCES_HELPERS_H
#define TFPV_TEST_RESOURCES_HELPERS_H

#include "types.h"

#include <vpcep/sys/decode.h> /* API answers as model objects, the way the client builds them */

// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

/* Decodes cty JSON @p json as a value of the schema's type (fails the test otherwise). */
static inline tfp_value *json_value(const tfp_schema *s, const char *json)
{
    tfp_value *v = NULL;
    char *err = NULL;
    int rc = tfp_value_from_json(&v, tfp_schema_type(s), json, strlen(json), &err);
    if (rc != 0) {
        fprintf(stderr, "json_value: %s\n", err != NULL ? err : "?");
    }
    tfp_free(err);
    assert_int_equal(rc, 0);
    return v;
}

/* 1 if @p d holds an error whose path renders starting with @p path_prefix (NULL: no path). */
static inline int has_error_at(const tfp_diags *d, const char *path_prefix)
{
    for (size_t i = 0; i < tfp_diags_count(d); i++) {
        const tfp_path *p = tfp_diags_path(d, i);
        char *s = NULL;
        int match;
        if (tfp_diags_severity(d, i) != TFP_SEVERITY_ERROR) {
            continue;
        }
        if (path_prefix == NULL) {
            if (p == NULL || tfp_path_length(p) == 0) {
                return 1;
            }
            continue;
        }
        if (p == NULL || tfp_path_to_string(&s, p) != 0) {
            continue;
        }
        match = strncmp(s, path_prefix, strlen(path_prefix)) == 0;
        tfp_free(s);
        if (match) {
            return 1;
        }
    }
    return 0;
}

/* 1 if some diagnostic's summary or detail contains @p text. */
static inline int diag_mentions(const tfp_diags *d, const char *text)
{
    for (size_t i = 0; i < tfp_diags_count(d); i++) {
        const char *s = tfp_diags_summary(d, i), *det = tfp_diags_detail(d, i);
        if ((s != NULL && strstr(s, text) != NULL) || (det != NULL && strstr(det, text) != NULL)) {
            return 1;
        }
    }
    return 0;
}

static inline void dump_diags(const tfp_diags *d)
{
    for (size_t i = 0; i < tfp_diags_count(d); i++) {
        char *s = NULL;
        const tfp_path *p = tfp_diags_path(d, i);
        if (p != NULL) {
            (void)tfp_path_to_string(&s, p);
        }
        fprintf(stderr, "diag %zu: [%s] %s: %s\n", i, s != NULL ? s : "-", tfp_diags_summary(d, i),
                tfp_diags_detail(d, i) != NULL ? tfp_diags_detail(d, i) : "");
        tfp_free(s);
    }
}

/* Checks a configuration with @p check and returns the diagnostics (caller frees). */
static inline tfp_diags *run_check(void (*check)(tfp_diags *, const tfp_value *),
                                   const tfp_value *cfg)
{
    tfp_diags *d = NULL;
    assert_int_equal(tfp_diags_new(&d), 0);
    check(d, cfg);
    return d;
}

#endif
