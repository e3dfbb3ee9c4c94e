/* Diagnostics and attribute paths. */
#include "core.h"
#include "test_helpers.h"

static void test_paths(void **state)
{
    tfp_path *p = NULL;
    tfp_path *c = NULL;
    char *s = NULL;
    tfp_path_step_kind kind = 0;
    const char *name = NULL;
    int64_t index = -1;
    (void)state;
    assert_int_equal(tfp_path_new(&p), 0);
    assert_int_equal(tfp_path_to_string(&s, p), 0);
    assert_string_equal(s, "");
    tfp_free(s);
    assert_int_equal(tfp_path_push_attr(p, "port"), 0);
    assert_int_equal(tfp_path_push_index(p, 0), 0);
    assert_int_equal(tfp_path_push_attr(p, "client_port"), 0);
    assert_int_equal(tfp_path_to_string(&s, p), 0);
    assert_string_equal(s, "port[0].client_port");
    tfp_free(s);
    tfp_path_pop(p);
    tfp_path_pop(p);
    assert_int_equal(tfp_path_push_key(p, "e\"nv"), 0);
    assert_int_equal(tfp_path_to_string(&s, p), 0);
    assert_string_equal(s, "port[\"e\\\"nv\"]");
    tfp_free(s);
    assert_int_equal(tfp_path_length(p), 2);
    assert_int_equal(tfp_path_step(&kind, &name, &index, p, 1), 0);
    assert_int_equal(kind, TFP_STEP_KEY_STRING);
    assert_string_equal(name, "e\"nv");
    assert_int_equal(tfp_path_step(&kind, &name, &index, p, 2), TFP_EINVALID);
    assert_int_equal(tfp_path_copy(&c, p), 0);
    assert_int_equal(tfp_path_length(c), 2);
    assert_int_equal(tfp_path_push_attr(p, ""), TFP_EINVALID);
    assert_int_equal(tfp_path_push_attr(p, NULL), TFP_EINVALID);
    assert_int_equal(tfp_path_push_key(p, NULL), TFP_EINVALID);
    tfp_path_free(p);
    assert_int_equal(tfp_path_step(&kind, &name, &index, c, 0), 0);
    assert_int_equal(kind, TFP_STEP_ATTR);
    assert_string_equal(name, "port");
    tfp_path_free(c);
    tfp_path_pop(NULL);
    tfp_path_free(NULL);
    assert_int_equal(tfp_path_new_attr(&p, "tags"), 0);
    assert_int_equal(tfp_path_length(p), 1);
    tfp_path_free(p);
}

/* Popped steps keep their name buffers: pushing again reuses them (no allocation once a
 * path has been as deep and its names as long), names stay exact when a longer one follows a
 * shorter one, and an index step over a slot that held a name has no name. */
static void test_path_slot_reuse(void **state)
{
    static const char long_name[] = "an_attribute_name_longer_than_the_smallest_buffer";
    tfp_path *p = NULL;
    tfp_path_step_kind kind = 0;
    const char *name = "x";
    long before;
    char *s = NULL;
    int i;
    (void)state;
    assert_int_equal(tfp_path_new(&p), 0);
    assert_int_equal(tfp_path_push_attr(p, "a"), 0);
    assert_int_equal(tfp_path_push_attr(p, "b"), 0);
    tfp_path_pop(p);
    tfp_path_pop(p);
    before = util_alloc_count();
    for (i = 0; i < 100; i++) {
        assert_int_equal(tfp_path_push_attr(p, "port"), 0);
        assert_int_equal(tfp_path_push_attr(p, "client_port"), 0);
        tfp_path_pop(p);
        tfp_path_pop(p);
    }
    assert_int_equal(util_alloc_count() - before, 0);
    assert_int_equal(tfp_path_push_attr(p, "s"), 0);
    assert_int_equal(tfp_path_push_attr(p, long_name), 0);
    assert_int_equal(tfp_path_step(&kind, &name, NULL, p, 1), 0);
    assert_string_equal(name, long_name);
    tfp_path_pop(p);
    assert_int_equal(tfp_path_push_index(p, 3), 0);
    assert_int_equal(tfp_path_step(&kind, &name, NULL, p, 1), 0);
    assert_int_equal(kind, TFP_STEP_KEY_INT);
    assert_null(name);
    assert_int_equal(tfp_path_to_string(&s, p), 0);
    assert_string_equal(s, "s[3]");
    tfp_free(s);
    tfp_path_free(p);
}

static void test_diags(void **state)
{
    tfp_diags *d = NULL;
    tfp_path *p = NULL;
    char *s = NULL;
    (void)state;
    assert_int_equal(tfp_diags_new(&d), 0);
    assert_false(tfp_diags_has_errors(d));
    assert_int_equal(tfp_diags_warning(d, "name", "Deprecated", NULL), 0);
    assert_false(tfp_diags_has_errors(d));
    assert_int_equal(tfp_diags_error(d, NULL, "Broken", "code %d: %s", 42, "boom"), 0);
    assert_true(tfp_diags_has_errors(d));
    assert_int_equal(tfp_path_new_attr(&p, "port"), 0);
    assert_int_equal(tfp_path_push_index(p, 3), 0);
    assert_int_equal(tfp_diags_add(d, TFP_SEVERITY_ERROR, p, "Bad port", "%s", "out of range"), 0);
    tfp_path_free(p);
    assert_int_equal(tfp_diags_add(d, (tfp_severity)0, NULL, "x", NULL), TFP_EINVALID);
    assert_int_equal(tfp_diags_add(d, TFP_SEVERITY_ERROR, NULL, NULL, NULL), TFP_EINVALID);
    assert_int_equal(tfp_diags_error(NULL, NULL, "x", NULL), TFP_EINVALID);

    assert_int_equal(tfp_diags_count(d), 3);
    assert_int_equal(tfp_diags_severity(d, 0), TFP_SEVERITY_WARNING);
    assert_string_equal(tfp_diags_summary(d, 0), "Deprecated");
    assert_null(tfp_diags_detail(d, 0));
    assert_int_equal(tfp_path_to_string(&s, tfp_diags_path(d, 0)), 0);
    assert_string_equal(s, "name");
    tfp_free(s);
    assert_string_equal(tfp_diags_detail(d, 1), "code 42: boom");
    assert_null(tfp_diags_path(d, 1));
    assert_int_equal(tfp_path_to_string(&s, tfp_diags_path(d, 2)), 0);
    assert_string_equal(s, "port[3]");
    tfp_free(s);
    assert_null(tfp_diags_summary(d, 3));
    assert_int_equal(tfp_diags_severity(d, 3), 0);
    tfp_diags_free(d);
    tfp_diags_free(NULL);
}

/* A diagnostic quoting a huge value keeps at most TFP__DIAG_TEXT_MAX bytes, cut on a UTF-8
 * boundary and marked; formatting it never builds the whole text. */
static void test_long_texts(void **state)
{
    tfp_diags *d = NULL;
    size_t big = 1u << 20;
    char *s = malloc(big + 1);
    size_t i;
    (void)state;
    assert_non_null(s);
    for (i = 0; i + 1 < big; i += 2) {
        memcpy(s + i, "\xc3\xa9", 2); /* U+00E9 */
    }
    s[big] = '\0';
    assert_int_equal(tfp_diags_new(&d), 0);
    assert_int_equal(
        tfp_diags_add(d, TFP_SEVERITY_ERROR, NULL, "Invalid entry", "\"%s\" is bad.", s), 0);
    assert_int_equal(tfp__diags_add_text(d, TFP_SEVERITY_WARNING, NULL, s, s), 0);
    assert_int_equal(tfp_diags_count(d), 2);
    for (i = 0; i < 2; i++) {
        const char *detail = tfp_diags_detail(d, i);
        const char *summary = tfp_diags_summary(d, i);
        assert_true(strlen(detail) <= TFP__DIAG_TEXT_MAX);
        assert_true(util_utf8_valid(detail, strlen(detail)));
        assert_true(strlen(summary) <= TFP__DIAG_TEXT_MAX);
        assert_true(util_utf8_valid(summary, strlen(summary)));
    }
    assert_non_null(strstr(tfp_diags_detail(d, 0), "[...]"));
    assert_non_null(strstr(tfp_diags_detail(d, 1), "more bytes]"));
    assert_string_equal(tfp_diags_summary(d, 0), "Invalid entry");
    tfp_diags_free(d);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_path_slot_reuse),
        cmocka_unit_test(test_diags),
        cmocka_unit_test(test_long_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
