/* Decoding of every API example in tests/fixtures/vpcep (recorded answers of the API). */
#include "fake.h"

#include <cmocka.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEC(fn, lit, out) fn(out, lit, strlen(lit))

static void test_service_get(void **state)
{
    size_t len;
    char *j = fixture("get_endpoint_service_response.json", &len);
    vpcep_service *s = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_service(&s, j, len), 0);
    assert_string_equal(s->id, "4189d3c2-8882-4871-a3c2-d380272eed83");
    assert_string_equal(s->port_id, "4189d3c2-8882-4871-a3c2-d380272eed88");
    assert_string_equal(s->vpc_id, "4189d3c2-8882-4871-a3c2-d380272eed80");
    assert_string_equal(s->pool_id, "5289d3c2-8882-4871-a3c2-d380272eed80");
    assert_string_equal(s->status, "available");
    assert_true(s->approval_enabled_set);
    assert_int_equal(s->approval_enabled, 0);
    assert_string_equal(s->service_name, "test123");
    assert_string_equal(s->service_type, "interface");
    assert_string_equal(s->server_type, "VM");
    assert_string_equal(s->project_id, "6e9dfd51d1124e8d8498dce894923a0d");
    assert_string_equal(s->description, "");
    assert_string_equal(s->created_at, "2018-01-30T07:42:01Z");
    assert_int_equal(s->created_at_epoch, 1517298121);
    assert_null(s->updated_at);
    assert_int_equal(s->n_ports, 2);
    assert_int_equal(s->ports[0]->client_port, 8080);
    assert_int_equal(s->ports[0]->server_port, 90);
    assert_string_equal(s->ports[0]->protocol, "TCP");
    assert_int_equal(s->ports[1]->client_port, 8081);
    assert_int_equal(s->ports[1]->server_port, 80);
    vpcep_service_free(s);
    free(j);
}

static void test_service_create_update_responses(void **state)
{
    const char *files[] = {"create_endpoint_service_response.json",
                           "update_endpoint_service_response.json"};
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        size_t len;
        char *j = fixture(files[i], &len);
        vpcep_service *s = NULL;
        assert_int_equal(vpcep_decode_service(&s, j, len), 0);
        assert_string_equal(s->id, "4189d3c2-8882-4871-a3c2-d380272eed83");
        assert_int_equal(s->n_ports, 2);
        assert_non_null(s->status);
        vpcep_service_free(s);
        free(j);
    }
}

static void test_service_list(void **state)
{
    size_t len;
    char *j = fixture("list_endpoint_services_response.json", &len);
    vpcep_service_list *l = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_service_list(&l, j, len), 0);
    assert_int_equal(l->count, 1);
    assert_int_equal(l->total_count, 1);
    assert_string_equal(l->items[0]->domain_id, "5fc973eea581490997e82ea11a1df31f");
    assert_string_equal(l->items[0]->updated_at, "2018-01-30T07:42:01Z");
    assert_int_equal(l->items[0]->n_ports, 2);
    vpcep_service_list_free(l);
    free(j);
}

static void test_describe_is_charge_string(void **state)
{
    size_t len;
    char *j = fixture("describe_endpoint_service_response.json", &len);
    vpcep_service_info *s = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_service_info(&s, j, len), 0);
    assert_string_equal(s->id, "9d4c1028-1336-4556-9881-b5d807c1b8a8");
    assert_string_equal(s->service_name, "test123");
    assert_string_equal(s->service_type, "interface");
    assert_true(s->is_charge_set);
    assert_int_equal(s->is_charge, 1);
    assert_int_equal(s->created_at_epoch, 1537169311);
    vpcep_service_info_free(s);
    free(j);
    /* the real API answers a boolean */
    assert_int_equal(DEC(vpcep_decode_service_info, "{\"id\":\"x\",\"is_charge\":false}", &s), 0);
    assert_true(s->is_charge_set);
    assert_int_equal(s->is_charge, 0);
    vpcep_service_info_free(s);
}

static void test_public_services(void **state)
{
    size_t len;
    char *j = fixture("list_public_services_response.json", &len);
    vpcep_service_info_list *l = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_service_info_list(&l, j, len), 0);
    assert_int_equal(l->count, 2);
    assert_int_equal(l->total_count, 2);
    assert_string_equal(l->items[0]->owner, "example");
    assert_string_equal(l->items[1]->service_name, "OBS");
    assert_string_equal(l->items[1]->service_type, "gateway");
    assert_int_equal(l->items[1]->is_charge, 1);
    vpcep_service_info_list_free(l);
    free(j);
}

static void test_connections(void **state)
{
    size_t len;
    char *j = fixture("list_service_connections_response.json", &len);
    vpcep_connection_list *l = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_connection_list(&l, j, len), 0);
    assert_int_equal(l->count, 2);
    assert_int_equal(l->total_count, 2);
    assert_string_equal(l->items[0]->id, "adb7b229-bb11-4072-bcc0-3327cd784263");
    assert_int_equal(l->items[0]->marker_id, 16777510);
    assert_string_equal(l->items[1]->status, "accepted");
    assert_int_equal(l->items[1]->updated_at_epoch, 1537169338);
    vpcep_connection_list_free(l);
    free(j);

    /* marker_id larger than 2^53 keeps every digit */
    j = fixture("connection_action_response.json", &len);
    assert_int_equal(vpcep_decode_connection_list(&l, j, len), 0);
    assert_int_equal(l->count, 1);
    assert_true(l->items[0]->marker_id == INT64_C(422321321312321321));
    assert_string_equal(l->items[0]->domain_id, "6e9dfd51d1124e8d8498dce894923a0d");
    vpcep_connection_list_free(l);
    free(j);
}

static void test_permissions(void **state)
{
    size_t len;
    char *j = fixture("list_permissions_response.json", &len);
    vpcep_permission_list *l = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_permission_list(&l, j, len), 0);
    assert_int_equal(l->count, 1);
    assert_string_equal(l->items[0]->permission, "*");
    assert_string_equal(l->items[0]->domain_id, "*");
    assert_string_equal(l->items[0]->permission_type, "domainId");
    assert_string_equal(l->items[0]->description, "demo");
    vpcep_permission_list_free(l);
    free(j);
    assert_int_equal(
        DEC(vpcep_decode_permission_list,
            "{\"permissions\":[{\"permission\":\"iam:domain::abc\"}],\"total_count\":1}", &l),
        0);
    assert_string_equal(l->items[0]->domain_id, "abc");
    vpcep_permission_list_free(l);
}

static void test_endpoint_interface(void **state)
{
    size_t len;
    char *j = fixture("get_endpoint_interface_response.json", &len);
    vpcep_endpoint *e = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_endpoint(&e, j, len), 0);
    assert_string_equal(e->id, "530d6f2f-d115-4df2-8c36-32d19f3c0bbc");
    assert_string_equal(e->status, "accepted");
    assert_string_equal(e->ip, "192.168.14.23");
    assert_int_equal(e->n_tags, 1);
    assert_string_equal(e->tags[0]->key, "test2");
    assert_string_equal(e->tags[0]->value, "test2");
    assert_int_equal(e->n_whitelist, 0);
    assert_int_equal(e->marker_id, 201515772);
    assert_int_equal(e->n_active_status, 1);
    assert_string_equal(e->active_status[0], "active");
    assert_string_equal(e->vpc_id, "d7b2bf07-1b4c-43fa-bd88-d80c6ebea140");
    assert_string_equal(e->service_type, "interface");
    assert_string_equal(e->subnet_id, "61881173-3899-4981-a700-170253d469b6");
    assert_true(e->enable_dns_set);
    assert_int_equal(e->enable_dns, 0);
    assert_int_equal(e->n_routetables, 0);
    assert_string_equal(e->endpoint_service_id, "2da0fe8f-5cb7-4d93-bb35-dc05334da1be");
    assert_string_equal(e->endpoint_service_name, "test456");
    assert_true(e->enable_whitelist_set);
    assert_string_equal(e->specification_name, "default");
    assert_string_equal(e->enable_status, "enable");
    assert_string_equal(e->endpoint_pool_id, "0e796c11-6cf1-484a-9b8c-f837cb925287");
    assert_int_equal(e->updated_at_epoch - e->created_at_epoch, 2);
    vpcep_endpoint_free(e);
    free(j);
}

static void test_endpoint_gateway(void **state)
{
    const char *files[] = {"get_endpoint_gateway_response.json",
                           "create_endpoint_gateway_response.json"};
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        size_t len;
        char *j = fixture(files[i], &len);
        vpcep_endpoint *e = NULL;
        assert_int_equal(vpcep_decode_endpoint(&e, j, len), 0);
        assert_string_equal(e->service_type, "gateway");
        assert_int_equal(e->n_routetables, 1);
        assert_int_equal(e->n_policy_statements, 1);
        assert_string_equal(e->policy_statements[0]->effect, "Allow");
        assert_true(e->policy_statements[0]->n_actions >= 1);
        assert_true(e->policy_statements[0]->n_resources >= 1);
        assert_null(e->ip);
        vpcep_endpoint_free(e);
        free(j);
    }
}

static void test_endpoint_create_interface(void **state)
{
    size_t len;
    char *j = fixture("create_endpoint_interface_response.json", &len);
    vpcep_endpoint *e = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_endpoint(&e, j, len), 0);
    assert_string_equal(e->status, "creating");
    assert_int_equal(e->marker_id, 201515772);
    assert_string_equal(e->project_id, "0df25bbc*****62f88c00c2959df9a");
    vpcep_endpoint_free(e);
    free(j);
}

static void test_endpoint_list_broken_example(void **state)
{
    /* The doc's list example is really a policy statement: no "endpoints" key -> empty list. */
    size_t len;
    char *j = fixture("list_endpoints_response.json", &len);
    vpcep_endpoint_list *l = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_endpoint_list(&l, j, len), 0);
    assert_int_equal(l->count, 0);
    vpcep_endpoint_list_free(l);
    free(j);
    assert_int_equal(DEC(vpcep_decode_endpoint_list,
                         "{\"endpoints\":[{\"id\":\"a\",\"status\":\"accepted\"},"
                         "{\"id\":\"b\"}],\"total_count\":7}",
                         &l),
                     0);
    assert_int_equal(l->count, 2);
    assert_int_equal(l->total_count, 7);
    vpcep_endpoint_list_free(l);
}

static void test_quotas_versions_tags(void **state)
{
    size_t len;
    char *j = fixture("get_quotas_response.json", &len);
    vpcep_quota_list *q = NULL;
    vpcep_api_version_list *v = NULL;
    vpcep_project_tag_list *t = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_quota_list(&q, j, len), 0);
    assert_int_equal(q->count, 2);
    assert_string_equal(q->items[0]->type, "endpoint");
    assert_int_equal(q->items[0]->used, 4);
    assert_int_equal(q->items[0]->quota, 150);
    assert_string_equal(q->items[1]->type, "endpoint_service");
    vpcep_quota_list_free(q);
    free(j);

    j = fixture("list_versions_response.json", &len);
    assert_int_equal(vpcep_decode_api_version_list(&v, j, len), 0);
    assert_int_equal(v->count, 2);
    assert_string_equal(v->items[0]->id, "v1");
    assert_string_equal(v->items[1]->id, "v2");
    assert_string_equal(v->items[1]->status, "CURRENT");
    vpcep_api_version_list_free(v);
    free(j);

    j = fixture("get_version_v1_response.json", &len);
    assert_int_equal(vpcep_decode_api_version_list(&v, j, len), 0);
    assert_int_equal(v->count, 1);
    assert_string_equal(v->items[0]->version, "1");
    assert_string_equal(v->items[0]->min_version, "");
    vpcep_api_version_list_free(v);
    free(j);

    j = fixture("list_project_tags_response.json", &len);
    assert_int_equal(vpcep_decode_project_tag_list(&t, j, len), 0);
    assert_int_equal(t->count, 1);
    assert_string_equal(t->items[0]->key, "key1");
    assert_int_equal(t->items[0]->n_values, 2);
    assert_string_equal(t->items[0]->values[0], "*value1");
    vpcep_project_tag_list_free(t);
    free(j);
}

static void test_error_bodies(void **state)
{
    const struct {
        const char *file;
        long status;
        const char *code;
        int kind;
    } cases[] = {
        {"error_response_example.json", 400, "EndPoint.0002", VPCEP_EINVALID},
        {"connection_action_error_response.json", 400, "Endpoint.2013", VPCEP_EINVALID},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        char *j = fixture(cases[i].file, &len);
        vpcep_error err = VPCEP_ERROR_INIT;
        assert_int_equal(rest_error_from_response(&err, cases[i].status, j, len, "rid"),
                         cases[i].kind);
        assert_string_equal(err.error_code, cases[i].code);
        assert_true(strlen(err.error_msg) > 0);
        assert_string_equal(err.request_id, "rid");
        assert_int_equal(err.http_status, cases[i].status);
        free(j);
    }
}

static void test_tagged_resources(void **state)
{
    size_t len;
    char *j = fixture("resource_instances_filter_response.json", &len);
    vpcep_tagged_resource_list *l = NULL;

    (void)state;
    assert_int_equal(vpcep_decode_tagged_resource_list(&l, j, len), 0);
    assert_int_equal(l->count, 1);
    assert_int_equal(l->total_count, 1000);
    assert_string_equal(l->items[0]->resource_id, "cdfs_cefs_wesas_12_dsad");
    assert_string_equal(l->items[0]->resource_name, "resource1");
    assert_string_equal(l->items[0]->resource_detail_json, "null");
    assert_int_equal(l->items[0]->n_tags, 2);
    assert_string_equal(l->items[0]->tags[1]->key, "key2");
    vpcep_tagged_resource_list_free(l);
    free(j);
    j = fixture("resource_instances_count_response.json", &len);
    assert_int_equal(vpcep_decode_tagged_resource_list(&l, j, len), 0);
    assert_int_equal(l->count, 0);
    assert_int_equal(l->total_count, 1000);
    vpcep_tagged_resource_list_free(l);
    free(j);
}

static void test_timestamps(void **state)
{
    int64_t t = 0;

    (void)state;
    assert_int_equal(vpcep_parse_time(&t, "2018-01-30T07:42:01Z"), 0);
    assert_int_equal(t, 1517298121);
    assert_int_equal(vpcep_parse_time(&t, "2018-01-30T07:42:01"), 0);
    assert_int_equal(t, 1517298121);
    assert_int_equal(vpcep_parse_time(&t, "2018-01-30T07:42:01.174"), 0);
    assert_int_equal(t, 1517298121);
    assert_int_equal(vpcep_parse_time(&t, "2015-11-09T01:42:57.527363Z"), 0);
    assert_int_equal(vpcep_parse_time(&t, "2018-01-30T08:42:01+01:00"), 0);
    assert_int_equal(t, 1517298121);
    assert_int_equal(vpcep_parse_time(&t, "2018-01-30 07:42:01"), 0);
    assert_int_equal(vpcep_parse_time(&t, "2018-13-30T07:42:01Z"), VPCEP_EINVALID);
    assert_int_equal(vpcep_parse_time(&t, "yesterday"), VPCEP_EINVALID);
    assert_int_equal(vpcep_parse_time(&t, "2018-01-30T07:42:01Zjunk"), VPCEP_EINVALID);
    assert_int_equal(vpcep_parse_time(&t, NULL), VPCEP_EINVALID);
}

static void test_lenient_and_malformed(void **state)
{
    vpcep_service *s = NULL;
    vpcep_endpoint_list *l = NULL;
    const char *odd = "{\"id\":5,\"approval_enabled\":\"false\",\"ports\":[7,{\"client_port\":"
                      "\"80\",\"server_port\":1e9}],\"unknown\":{\"x\":[1,2]},\"tags\":\"no\","
                      "\"error\":[{\"error_code\":\"E.1\",\"error_message\":\"m\"}]}";

    (void)state;
    assert_int_equal(vpcep_decode_service(&s, odd, strlen(odd)), 0);
    assert_null(s->id); /* wrong type = absent */
    assert_true(s->approval_enabled_set);
    assert_int_equal(s->approval_enabled, 0);
    assert_int_equal(s->n_ports, 1);
    assert_int_equal(s->ports[0]->client_port, 80);
    assert_int_equal(s->ports[0]->server_port, 1000000000);
    assert_int_equal(s->n_tags, 0);
    assert_int_equal(s->n_errors, 1);
    assert_string_equal(s->errors[0]->error_message, "m");
    vpcep_service_free(s);

    assert_int_equal(DEC(vpcep_decode_service, "not json", &s), VPCEP_EINVALID);
    assert_null(s);
    assert_int_equal(DEC(vpcep_decode_service, "[1,2]", &s), VPCEP_EINVALID);
    assert_int_equal(DEC(vpcep_decode_service, "{\"id\":\"x\"", &s), VPCEP_EINVALID);
    assert_int_equal(DEC(vpcep_decode_endpoint_list, "", &l), VPCEP_EINVALID);
    assert_int_equal(DEC(vpcep_decode_endpoint_list, "{\"endpoints\":{}}", &l), 0);
    assert_int_equal(l->count, 0);
    vpcep_endpoint_list_free(l);
    /* strings with digits and escaped quotes are untouched by the big-integer rewrite */
    assert_int_equal(DEC(vpcep_decode_service,
                         "{\"id\":\"12345678901234567890\\\"\",\"connection_count\""
                         ":12345678901234567}",
                         &s),
                     0);
    assert_string_equal(s->id, "12345678901234567890\"");
    assert_true(s->connection_count == INT64_C(12345678901234567));
    vpcep_service_free(s);
}

/* Every fixture is covered by one of the tests here, sign_test.c or api_test.c. */
static void test_every_fixture_is_covered(void **state)
{
    static const char *const covered[] = {
        "aksk_signing_test_vectors.json",                /* sign_test.c */
        "connection_action_error_response.json",         /* error bodies */
        "connection_action_receive_request.json",        /* api_test.c (encoding) */
        "connection_action_response.json",               /* connections */
        "create_endpoint_gateway_request.json",          /* api_test.c */
        "create_endpoint_gateway_response.json",         /* gateway */
        "create_endpoint_interface_request.json",        /* api_test.c */
        "create_endpoint_interface_response.json",       /* interface */
        "create_endpoint_service_request.json",          /* api_test.c */
        "create_endpoint_service_response.json",         /* services */
        "describe_endpoint_service_response.json",       /* describe */
        "error_response_example.json",                   /* error bodies */
        "get_endpoint_gateway_response.json",            /* gateway */
        "get_endpoint_interface_response.json",          /* interface */
        "get_endpoint_service_response.json",            /* services */
        "get_quotas_response.json",                      /* quotas */
        "get_version_v1_response.json",                  /* versions */
        "iam_list_projects_response.json",               /* below: not consumed, parsed only */
        "iam_token_password_domain_scope_request.json",  /* below: shape of our token body */
        "iam_token_password_project_scope_request.json", /* token_test.c (token body) */
        "iam_token_response.json",                       /* token_test.c (token answer) */
        "list_endpoint_services_response.json",          /* services */
        "list_endpoints_response.json",                  /* broken example */
        "list_permissions_response.json",                /* permissions */
        "list_project_tags_response.json",               /* tags */
        "list_public_services_response.json",            /* public */
        "list_service_connections_response.json",        /* connections */
        "list_versions_response.json",                   /* versions */
        "permissions_action_add_request.json",           /* api_test.c */
        "permissions_action_remove_request.json",        /* api_test.c */
        "permissions_action_response.json",              /* below */
        "resource_instances_count_request.json",         /* below: API #21 not implemented */
        "resource_instances_count_response.json",        /* below */
        "resource_instances_filter_request.json",        /* below */
        "resource_instances_filter_response.json",       /* below */
        "tags_action_create_request.json",               /* api_test.c */
        "tags_action_delete_request.json",               /* api_test.c */
        "update_endpoint_service_request.json",          /* api_test.c */
        "update_endpoint_service_response.json",         /* services */
    };
    DIR *d = opendir(VPCEP_FIXTURE_DIR);
    struct dirent *de;
    size_t i, seen = 0;

    (void)state;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        int found = 0;
        size_t len;
        char *j;
        cJSON *root;
        if (strstr(de->d_name, ".json") == NULL)
            continue;
        for (i = 0; i < sizeof(covered) / sizeof(covered[0]); i++)
            found |= strcmp(covered[i], de->d_name) == 0;
        if (!found)
            fail_msg("fixture %s is not covered by a decoding test", de->d_name);
        /* and every file is valid JSON for the client's parser */
        j = fixture(de->d_name, &len);
        root = rest_json_parse(j, len);
        assert_non_null(root);
        cJSON_Delete(root);
        free(j);
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, sizeof(covered) / sizeof(covered[0]));
}

static void test_not_consumed_fixtures(void **state)
{
    size_t len;
    char *j;
    cJSON *root;

    (void)state;
    /* permissions/action answers a list of strings: the client ignores the body */
    j = fixture("permissions_action_response.json", &len);
    root = rest_json_parse(j, len);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "permissions")), 2);
    cJSON_Delete(root);
    free(j);
    /* resource_instances count answer */
    j = fixture("resource_instances_count_response.json", &len);
    root = rest_json_parse(j, len);
    assert_int_equal((int)cJSON_GetObjectItem(root, "total_count")->valuedouble, 1000);
    cJSON_Delete(root);
    free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_get),
        cmocka_unit_test(test_service_create_update_responses),
        cmocka_unit_test(test_service_list),
        cmocka_unit_test(test_describe_is_charge_string),
        cmocka_unit_test(test_public_services),
        cmocka_unit_test(test_connections),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_endpoint_interface),
        cmocka_unit_test(test_endpoint_gateway),
        cmocka_unit_test(test_endpoint_create_interface),
        cmocka_unit_test(test_endpoint_list_broken_example),
        cmocka_unit_test(test_quotas_versions_tags),
        cmocka_unit_test(test_error_bodies),
        cmocka_unit_test(test_tagged_resources),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_lenient_and_malformed),
        cmocka_unit_test(test_every_fixture_is_covered),
        cmocka_unit_test(test_not_consumed_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
