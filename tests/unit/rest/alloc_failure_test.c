/*
 * Allocation failures in libvpcep (nghttp2's failmalloc habit): every public operation runs
 * again and again with the n-th allocation failing, n = 1, 2, ... until a run reaches no
 * injected failure. Each run must end in VPCEP_ENOMEM when the failure was reached (never in
 * success with a field silently missing, never in another error), and must neither crash nor
 * leak (ASan and the valgrind label check that). cJSON allocates through the same hook here,
 * so its failures are injected too.
 */
#include "fake.h"

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixtures, loaded before any failure is injected (the fake transport copies them with
 * the C allocator, outside the hook). */
static struct {
    const char *name;
    char *text;
} fixtures[] = {
    {"create_endpoint_service_response.json", NULL},
    {"get_endpoint_service_response.json", NULL},
    {"list_endpoint_services_response.json", NULL},
    {"update_endpoint_service_response.json", NULL},
    {"list_public_services_response.json", NULL},
    {"describe_endpoint_service_response.json", NULL},
    {"list_service_connections_response.json", NULL},
    {"connection_action_response.json", NULL},
    {"list_permissions_response.json", NULL},
    {"permissions_action_response.json", NULL},
    {"create_endpoint_interface_response.json", NULL},
    {"get_endpoint_interface_response.json", NULL},
    {"list_endpoints_response.json", NULL},
    {"get_quotas_response.json", NULL},
    {"list_project_tags_response.json", NULL},
    {"resource_instances_count_response.json", NULL},
    {"list_versions_response.json", NULL},
};

/* One page that holds the whole result (the documented example says total_count 1000 for its
 * one item, which would page on for 1000 requests). */
#define FILTER_ANSWER                                                                              \
    "{\"resources\":[{\"resource_detail\":null,\"resource_id\":\"cdfs_cefs_wesas_12_dsad\","       \
    "\"resource_name\":\"resource1\",\"tags\":[{\"key\":\"key1\",\"value\":\"value1\"}]}],"        \
    "\"total_count\":1}"

static const char *fx(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
        if (strcmp(fixtures[i].name, name) == 0)
            return fixtures[i].text;
    fail_msg("no fixture %s", name);
    return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Answers every request from the fixtures by method and path. */
static fake_answer route(fake *f, const rest_http_request *rq)
{
    fake_answer a;
    char path[512];
    const char *q;
    int get = strcmp(rq->method, "GET") == 0, post = strcmp(rq->method, "POST") == 0;

    (void)f;
    memset(&a, 0, sizeof(a));
    a.status = 200;
    util_strlcpy(path, rq->url, sizeof(path));
    if ((q = strchr(path, '?')) != NULL)
        path[q - path] = '\0';
    if (strstr(path, "/auth/tokens") != NULL) {
        a.status = 201;
        a.body = "{\"token\":{\"project\":{\"id\":\"resolvedpid\",\"name\":\"eu-de\"},"
                 "\"expires_at\":\"2030-01-01T00:00:00.000000Z\"}}";
        a.subject_token = "IAM-TOKEN";
    } else if (ends_with(path, "/connections/action")) {
        a.body = fx("connection_action_response.json");
    } else if (ends_with(path, "/connections")) {
        a.body = fx("list_service_connections_response.json");
    } else if (ends_with(path, "/permissions/action")) {
        a.body = fx("permissions_action_response.json");
    } else if (ends_with(path, "/permissions")) {
        a.body = fx("list_permissions_response.json");
    } else if (ends_with(path, "/vpc-endpoint-services/public")) {
        a.body = fx("list_public_services_response.json");
    } else if (ends_with(path, "/vpc-endpoint-services/describe")) {
        a.body = fx("describe_endpoint_service_response.json");
    } else if (ends_with(path, "/vpc-endpoint-services")) {
        a.body = get ? fx("list_endpoint_services_response.json")
                     : fx("create_endpoint_service_response.json");
    } else if (strstr(path, "/vpc-endpoint-services/") != NULL) {
        if (strcmp(rq->method, "DELETE") == 0)
            a.status = 204;
        else
            a.body = get ? fx("get_endpoint_service_response.json")
                         : fx("update_endpoint_service_response.json");
    } else if (ends_with(path, "/vpc-endpoints")) {
        a.body = get ? fx("list_endpoints_response.json")
                     : fx("create_endpoint_interface_response.json");
    } else if (strstr(path, "/vpc-endpoints/") != NULL) {
        if (strcmp(rq->method, "DELETE") == 0)
            a.status = 204;
        else
            a.body = fx("get_endpoint_interface_response.json");
    } else if (ends_with(path, "/quotas")) {
        a.body = fx("get_quotas_response.json");
    } else if (ends_with(path, "/tags/action")) {
        a.status = 204;
    } else if (ends_with(path, "/tags") && get) {
        a.body = fx("list_project_tags_response.json");
    } else if (ends_with(path, "/resource_instances/action") && post) {
        a.body = rq->body != NULL && strstr(rq->body, "\"count\"") != NULL
                     ? fx("resource_instances_count_response.json")
                     : FILTER_ANSWER;
    } else if (get) {
        a.body = fx("list_versions_response.json");
    } else {
        a.status = 404;
        a.body = "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"no route\"}";
    }
    return a;
}

typedef int (*scenario_fn)(vpcep_client *c);

static const vpcep_tag_param TAGS[] = {{"env", "dev"}, {"team", "platform"}};
static const vpcep_port_param PORTS[] = {{8080, 80, "TCP"}, {8443, 443, NULL}};

static int svc_create(vpcep_client *c)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_service *s = NULL;
    int rc;

    o.port_id = "4189d3c2-8882-4871-a3c2-d380272eed88";
    o.vpc_id = "4189d3c2-8882-4871-a3c2-d380272eed80";
    o.server_type = "VM";
    o.service_name = "demo";
    o.description = "a service";
    o.ports = PORTS;
    o.n_ports = 2;
    o.tags = TAGS;
    o.n_tags = 2;
    rc = vpcep_service_create(&s, c, &o, NULL);
    vpcep_service_free(s);
    return rc;
}

static int svc_read(vpcep_client *c)
{
    vpcep_service *s = NULL;
    vpcep_service_list *l = NULL;
    vpcep_service_list_opts lo = VPCEP_SERVICE_LIST_OPTS_INIT;
    int rc;

    lo.name = "demo";
    rc = vpcep_service_get(&s, c, "4189d3c2-8882-4871-a3c2-d380272eed81", NULL);
    if (rc == 0)
        rc = vpcep_services_list(&l, c, &lo, NULL);
    vpcep_service_free(s);
    vpcep_service_list_free(l);
    return rc;
}

static int svc_update_delete(vpcep_client *c)
{
    vpcep_service_update_opts o = VPCEP_SERVICE_UPDATE_OPTS_INIT;
    vpcep_service *s = NULL;
    int rc;

    o.description = "changed";
    o.ports = PORTS;
    o.n_ports = 2;
    o.ports_set = 1;
    rc = vpcep_service_update(&s, c, "4189d3c2-8882-4871-a3c2-d380272eed81", &o, NULL);
    if (rc == 0)
        rc = vpcep_service_delete(c, "4189d3c2-8882-4871-a3c2-d380272eed81", NULL);
    vpcep_service_free(s);
    return rc;
}

static int public_and_describe(vpcep_client *c)
{
    vpcep_public_service_list_opts o = VPCEP_PUBLIC_SERVICE_LIST_OPTS_INIT;
    vpcep_service_info_list *l = NULL;
    vpcep_service_info *i = NULL;
    vpcep_api_version_list *v = NULL;
    int rc;

    rc = vpcep_public_services_list(&l, c, &o, NULL);
    if (rc == 0)
        rc = vpcep_service_describe(&i, c, NULL, "eu-de.demo.1234", NULL);
    if (rc == 0)
        rc = vpcep_versions_list(&v, c, NULL);
    vpcep_service_info_list_free(l);
    vpcep_service_info_free(i);
    vpcep_api_version_list_free(v);
    return rc;
}

static int connections(vpcep_client *c)
{
    vpcep_connection_list_opts o = VPCEP_CONNECTION_LIST_OPTS_INIT;
    vpcep_connection_list *l = NULL, *a = NULL;
    const char *ids[] = {"adb7b229-bb11-4072-bcc0-3327cd784263"};
    int rc;

    o.status = "accepted";
    rc = vpcep_connections_list(&l, c, "s1", &o, NULL);
    if (rc == 0)
        rc = vpcep_connection_action(&a, c, "s1", VPCEP_CONNECTION_ACCEPT, ids, 1, NULL);
    vpcep_connection_list_free(l);
    vpcep_connection_list_free(a);
    return rc;
}

static int permissions(vpcep_client *c)
{
    vpcep_permission_list_opts o = VPCEP_PERMISSION_LIST_OPTS_INIT;
    vpcep_permission_list *l = NULL;
    const char *domains[] = {"8a4b3e1c5d6f7a8b9c0d1e2f3a4b5c6d", "*"};
    char *p = NULL;
    int rc;

    rc = vpcep_permissions_list(&l, c, "s1", &o, NULL);
    if (rc == 0)
        rc = vpcep_permission_action(c, "s1", VPCEP_PERMISSION_ADD, domains, 2, NULL);
    if (rc == 0)
        rc = vpcep_permission_from_domain_id(&p, domains[0]);
    vpcep_permission_list_free(l);
    vpcep_free(p);
    return rc;
}

static int endpoints(vpcep_client *c)
{
    vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_endpoint_list_opts lo = VPCEP_ENDPOINT_LIST_OPTS_INIT;
    const char *wl[] = {"192.168.0.0/24"};
    vpcep_endpoint *e = NULL, *g = NULL;
    vpcep_endpoint_list *l = NULL;
    int rc;

    o.endpoint_service_id = "4189d3c2-8882-4871-a3c2-d380272eed81";
    o.vpc_id = "4189d3c2-8882-4871-a3c2-d380272eed82";
    o.subnet_id = "4189d3c2-8882-4871-a3c2-d380272eed83";
    o.enable_dns = 1;
    o.enable_dns_set = 1;
    o.whitelist = wl;
    o.n_whitelist = 1;
    o.whitelist_set = 1;
    o.tags = TAGS;
    o.n_tags = 2;
    rc = vpcep_endpoint_create(&e, c, &o, NULL);
    if (rc == 0)
        rc = vpcep_endpoint_get(&g, c, "4f7d9a3c-7b8c-4d2e-9f1a-0b1c2d3e4f50", NULL);
    if (rc == 0)
        rc = vpcep_endpoints_list(&l, c, &lo, NULL);
    if (rc == 0)
        rc = vpcep_endpoint_delete(c, "4f7d9a3c-7b8c-4d2e-9f1a-0b1c2d3e4f50", NULL);
    vpcep_endpoint_free(e);
    vpcep_endpoint_free(g);
    vpcep_endpoint_list_free(l);
    return rc;
}

static int quotas_and_tags(vpcep_client *c)
{
    vpcep_quota_list *q = NULL;
    vpcep_project_tag_list *t = NULL;
    vpcep_tagged_resource_list *r = NULL;
    vpcep_resource_query_opts o = VPCEP_RESOURCE_QUERY_OPTS_INIT;
    const char *vals[] = {"dev", "prod"};
    vpcep_tag_filter tf = {"env", vals, 2};
    int64_t count = 0;
    int rc;

    o.tags = &tf;
    o.n_tags = 1;
    rc = vpcep_quota_get(&q, c, NULL, NULL);
    if (rc == 0)
        rc = vpcep_tags_action(c, VPCEP_RESOURCE_SERVICE, "s1", VPCEP_TAGS_CREATE, TAGS, 2, NULL);
    if (rc == 0)
        rc = vpcep_project_tags_list(&t, c, VPCEP_RESOURCE_ENDPOINT, NULL);
    if (rc == 0)
        rc = vpcep_resources_filter(&r, c, VPCEP_RESOURCE_SERVICE, &o, NULL);
    if (rc == 0)
        rc = vpcep_resources_count(&count, c, VPCEP_RESOURCE_SERVICE, &o, NULL);
    vpcep_quota_list_free(q);
    vpcep_project_tag_list_free(t);
    vpcep_tagged_resource_list_free(r);
    return rc;
}

static int waits(vpcep_client *c)
{
    vpcep_wait_spec s = VPCEP_WAIT_SPEC_INIT, e = VPCEP_WAIT_SPEC_INIT, k = VPCEP_WAIT_SPEC_INIT;
    vpcep_service *svc = NULL;
    vpcep_endpoint *ep = NULL;
    vpcep_connection *conn = NULL;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    int rc;

    vpcep_wait_spec_service_available(&s, 60000);
    vpcep_wait_spec_endpoint_accepted(&e, 60000);
    vpcep_wait_spec_connection_accepted(&k, 60000);
    rc = vpcep_wait_service(&svc, &st, c, "s1", &s, NULL);
    if (rc == 0)
        rc = vpcep_wait_endpoint(&ep, &st, c, "e1", &e, NULL);
    if (rc == 0)
        rc = vpcep_wait_connection(&conn, &st, c, "s1", "adb7b229-bb11-4072-bcc0-3327cd784263", &k,
                                   NULL);
    vpcep_service_free(svc);
    vpcep_endpoint_free(ep);
    vpcep_connection_free(conn);
    return rc;
}

static int sign(vpcep_client *c)
{
    const char *headers[] = {"Host: vpcep.test", "X-Sdk-Date: 20240101T000000Z",
                             "Content-Type: application/json"};
    char *authz = NULL;
    int rc;

    (void)c;
    rc = vpcep_sign_request(&authz, "AK", "SK", "GET", "http://vpcep.test/v1/p/x?b=2&a=%20",
                            headers, 3, "{}", 2);
    vpcep_free(authz);
    return rc;
}

static int decoders(vpcep_client *c)
{
    vpcep_service *s = NULL;
    vpcep_endpoint_list *l = NULL;
    const char *a = fx("get_endpoint_service_response.json");
    const char *b = fx("list_endpoints_response.json");
    int rc;

    (void)c;
    rc = vpcep_decode_service(&s, a, strlen(a));
    if (rc == 0)
        rc = vpcep_decode_endpoint_list(&l, b, strlen(b));
    vpcep_service_free(s);
    vpcep_endpoint_list_free(l);
    return rc;
}

/* Runs fn with the n-th allocation failing for n = 1.. until a run reaches no failure, on a
 * fresh client each time; password: IAM password authentication (token fetch included). */
static void torture(scenario_fn fn, int password, const char *what)
{
    long n;

    for (n = 1; n < 100000; n++) {
        fake f;
        vpcep_client_options o;
        vpcep_client *c;
        long before;
        int rc;

        fake_init(&f);
        f.dynamic = route;
        fake_options(&f, &o);
        if (password) {
            o.access_key = o.secret_key = NULL;
            o.project_id = NULL;
            o.user_name = "alice";
            o.password = "secret";
            o.domain_name = "dom";
            o.region = "eu-de";
            o.auth_url = "http://iam.test/v3";
        }
        c = fake_client(&f, &o);
        before = util_alloc_count();
        util_alloc_fail_at(n, 0);
        rc = fn(c);
        util_alloc_fail_at(0, 0);
        if (util_alloc_count() - before < n) {
            /* the whole run did not reach the injected failure: it must have succeeded */
            if (rc != 0)
                fail_msg("%s: %s without an injected failure", what, vpcep_strerror(rc));
            vpcep_client_free(c);
            break;
        }
        if (rc != VPCEP_ENOMEM)
            fail_msg("%s: allocation %ld failed, the call returned %s instead of ENOMEM", what, n,
                     vpcep_strerror(rc));
        vpcep_client_free(c);
    }
    assert_true(n > 1); /* the scenario allocated at all */
}

static void test_client_new(void **state)
{
    long n;

    (void)state;
    for (n = 1; n < 100000; n++) {
        fake f;
        vpcep_client_options o;
        vpcep_client *c = NULL;
        vpcep_error err = VPCEP_ERROR_INIT;
        long before = util_alloc_count();
        int rc;

        fake_init(&f);
        fake_options(&f, &o);
        o.user_agent = "torture/1";
        o.cacert_file = "/nonexistent/ca.pem";
        util_alloc_fail_at(n, 0);
        rc = vpcep_client_new(&c, &o, &err);
        util_alloc_fail_at(0, 0);
        vpcep_client_free(c);
        if (util_alloc_count() - before < n) {
            assert_int_equal(rc, 0);
            break;
        }
        if (rc != VPCEP_ENOMEM)
            fail_msg("allocation %ld failed, vpcep_client_new returned %s", n, vpcep_strerror(rc));
        assert_null(c);
    }
    assert_true(n > 1);
}

static void test_services(void **state)
{
    (void)state;
    torture(svc_create, 0, "service create");
    torture(svc_read, 0, "service get/list");
    torture(svc_update_delete, 0, "service update/delete");
    torture(public_and_describe, 0, "public services/describe/versions");
}

static void test_connections_permissions(void **state)
{
    (void)state;
    torture(connections, 0, "connections");
    torture(permissions, 0, "permissions");
}

static void test_endpoints(void **state)
{
    (void)state;
    torture(endpoints, 0, "endpoints");
}

static void test_quotas_tags(void **state)
{
    (void)state;
    torture(quotas_and_tags, 0, "quotas/tags/resource instances");
}

static void test_waits(void **state)
{
    (void)state;
    torture(waits, 0, "waits");
}

static void test_password_auth(void **state)
{
    (void)state;
    torture(svc_read, 1, "IAM token + service get/list");
}

static void test_sign_and_decode(void **state)
{
    (void)state;
    torture(sign, 0, "sign");
    torture(decoders, 0, "decoders");
}

static int setup(void **state)
{
    static const cJSON_Hooks hooks = {util_malloc, util_free};
    size_t i, len;

    (void)state;
    for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        fixtures[i].text = fixture(fixtures[i].name, &len);
        if (fixtures[i].text == NULL)
            return -1;
    }
    cJSON_InitHooks((cJSON_Hooks *)&hooks);
    return 0;
}

static int teardown(void **state)
{
    size_t i;

    (void)state;
    cJSON_InitHooks(NULL);
    for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        free(fixtures[i].text);
        fixtures[i].text = NULL;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_new),
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_connections_permissions),
        cmocka_unit_test(test_endpoints),
        cmocka_unit_test(test_quotas_tags),
        cmocka_unit_test(test_waits),
        cmocka_unit_test(test_password_auth),
        cmocka_unit_test(test_sign_and_decode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
