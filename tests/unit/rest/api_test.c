/* Operations: request encoding (compared with the documented request examples), paging,
 * argument checks before any request, and duplicate-safe creates. */
#include "fake.h"

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fake F;
static vpcep_client *C;

static int setup(void **state)
{
    vpcep_client_options o;

    (void)state;
    fake_init(&F);
    fake_options(&F, &o);
    o.retry_base_ms = 10;
    C = fake_client(&F, &o);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vpcep_client_free(C);
    C = NULL;
    return 0;
}

/* Checks and removes the create marker tag of a create body (README.md: a unique value per
 * call, "<8 hex>-<32 hex>"); the "tags" array goes when nothing else is in it. */
static void strip_marker(cJSON *body)
{
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(body, "tags"), *t;
    int found = 0;

    assert_non_null(tags);
    cJSON_ArrayForEach(t, tags)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "key");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "value");
        if (cJSON_IsString(k) && strcmp(k->valuestring, VPCEP_CREATE_MARKER_KEY) == 0) {
            assert_true(cJSON_IsString(v));
            assert_int_equal(strlen(v->valuestring), REST_MARKER_SIZE - 1);
            assert_int_equal(v->valuestring[8], '-');
            assert_int_equal(strspn(v->valuestring + 9, "0123456789abcdef"), 32);
            cJSON_Delete(cJSON_DetachItemViaPointer(tags, t));
            found = 1;
            break;
        }
    }
    assert_true(found);
    if (cJSON_GetArraySize(tags) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(body, "tags");
}

/* The marker of the create body of request i (into buf). */
static void marker_of(size_t i, char *buf, size_t size)
{
    const char *p = strstr(F.requests[i].body, "\"" VPCEP_CREATE_MARKER_KEY "\",\"value\":\"");

    assert_non_null(p);
    p += strlen("\"" VPCEP_CREATE_MARKER_KEY "\",\"value\":\"");
    snprintf(buf, size, "%.*s", REST_MARKER_SIZE - 1, p);
}

/* The body of request i equals the fixture (as JSON values); a create's marker tag aside. */
static void assert_body_is_fixture(size_t i, const char *name)
{
    size_t len;
    char *want = fixture(name, &len);
    cJSON *w = rest_json_parse(want, len);
    cJSON *g = rest_json_parse(F.requests[i].body, strlen(F.requests[i].body));

    assert_non_null(g);
    if (strcmp(F.requests[i].method, "POST") == 0 &&
        strstr(F.requests[i].body, VPCEP_CREATE_MARKER_KEY) != NULL)
        strip_marker(g);
    if (!cJSON_Compare(w, g, 1))
        fail_msg("request %zu body %s differs from %s", i, F.requests[i].body, name);
    cJSON_Delete(w);
    cJSON_Delete(g);
    free(want);
}

static const char SVC[] =
    "{\"id\":\"s1\",\"status\":\"creating\",\"vpc_id\":\"v\",\"port_id\":\"p\","
    "\"ports\":[{\"client_port\":8080,\"server_port\":90,\"protocol\":"
    "\"TCP\"}]}";

static void test_service_create_encoding(void **state)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 90, "TCP"}, {8081, 80, NULL}};
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    o.port_id = "4189d3c2-8882-4871-a3c2-d380272eed88";
    o.vpc_id = "4189d3c2-8882-4871-a3c2-d380272eed80";
    o.server_type = "VM";
    o.service_type = "interface";
    o.approval_enabled = 0;
    o.approval_enabled_set = 1; /* false is sent */
    o.ports = ports;
    o.n_ports = 2;
    fake_push(&F, 200, SVC);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    assert_string_equal(F.requests[0].method, "POST");
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services");
    assert_non_null(strstr(F.requests[0].headers, "Content-Type: application/json\n"));
    assert_body_is_fixture(0, "create_endpoint_service_request.json");
    assert_string_equal(s->id, "s1");
    vpcep_service_free(s);
}

static void test_service_create_checks(void **state)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param bad[] = {{0, 90, NULL}};
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    o.port_id = "p";
    o.vpc_id = "v";
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_EINVALID);
    o.server_type = "VM";
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "ports"));
    o.ports = bad;
    o.n_ports = 1;
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_EINVALID);
    o.version = 42;
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_EINVALID);
    assert_int_equal(vpcep_service_create(&s, C, NULL, &err), VPCEP_EINVALID);
    assert_int_equal(F.n_requests, 0);
}

static void test_service_update(void **state)
{
    vpcep_service_update_opts u = VPCEP_SERVICE_UPDATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8081, 22, "TCP"}, {8082, 23, "TCP"}};
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    /* an empty update never reaches the API */
    assert_int_equal(vpcep_service_update(&s, C, "s1", &u, &err), VPCEP_EINVALID);
    assert_non_null(strstr(err.error_msg, "empty update"));
    assert_int_equal(F.n_requests, 0);
    assert_int_equal(vpcep_service_update(&s, C, "a/b", &u, &err), VPCEP_EINVALID);
    u.approval_enabled_set = 1;
    u.approval_enabled = 1;
    u.service_name = "test";
    u.ports = ports;
    u.n_ports = 2;
    u.ports_set = 1;
    fake_push(&F, 200, SVC);
    assert_int_equal(vpcep_service_update(&s, C, "4189d3c2-8882-4871-a3c2-d380272eed83", &u, &err),
                     0);
    assert_string_equal(F.requests[0].method, "PUT");
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services/"
                                           "4189d3c2-8882-4871-a3c2-d380272eed83");
    assert_body_is_fixture(0, "update_endpoint_service_request.json");
    vpcep_service_free(s);
    /* out may be NULL; approval false alone is a valid update */
    memset(&u, 0, sizeof(u));
    u.version = VPCEP_SERVICE_UPDATE_OPTS_VERSION;
    u.approval_enabled_set = 1;
    fake_push(&F, 200, SVC);
    assert_int_equal(vpcep_service_update(NULL, C, "s1", &u, &err), 0);
    assert_string_equal(F.requests[1].body, "{\"approval_enabled\":false}");
}

static fake_answer pages_of_services(fake *f, const rest_http_request *rq)
{
    static char body[8192];
    fake_answer a;
    const char *lim = strstr(rq->url, "limit=");
    const char *off = strstr(rq->url, "offset=");
    int limit = lim ? atoi(lim + 6) : 10, offset = off ? atoi(off + 7) : 0, i, n = 0;
    const int total = 7;

    (void)f;
    n += snprintf(body + n, sizeof(body) - (size_t)n, "{\"endpoint_services\":[");
    for (i = offset; i < total && i < offset + limit; i++)
        n += snprintf(body + n, sizeof(body) - (size_t)n, "%s{\"id\":\"s%d\"}",
                      i > offset ? "," : "", i);
    snprintf(body + n, sizeof(body) - (size_t)n, "],\"total_count\":%d}", total);
    memset(&a, 0, sizeof(a));
    a.status = 200;
    a.body = body;
    return a;
}

static void test_paging_all_pages(void **state)
{
    vpcep_service_list_opts lo = VPCEP_SERVICE_LIST_OPTS_INIT;
    vpcep_service_list *l = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int i;

    (void)state;
    F.dynamic = pages_of_services;
    lo.page_size = 3;
    lo.name = "my svc";
    lo.status = "available";
    assert_int_equal(vpcep_services_list(&l, C, &lo, &err), 0);
    assert_int_equal(l->count, 7);
    assert_int_equal(l->total_count, 7);
    for (i = 0; i < 7; i++) {
        char want[8];
        snprintf(want, sizeof(want), "s%d", i);
        assert_string_equal(l->items[i]->id, want);
    }
    assert_int_equal(F.n_requests, 3);
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services?"
                                           "endpoint_service_name=my%20svc&status=available&"
                                           "limit=3");
    assert_non_null(strstr(F.requests[1].url, "&limit=3&offset=3"));
    assert_non_null(strstr(F.requests[2].url, "&limit=3&offset=6"));
    vpcep_service_list_free(l);
    /* default page size, no filter */
    assert_int_equal(vpcep_services_list(&l, C, NULL, &err), 0);
    assert_int_equal(l->count, 7);
    assert_string_equal(F.requests[3].url,
                        "http://vpcep.test:8080/v1/p123/vpc-endpoint-services?limit=100");
    vpcep_service_list_free(l);
    /* a failing page frees what was collected and reports the error */
    F.dynamic = NULL;
    lo.page_size = 3;
    fake_push(&F, 200,
              "{\"endpoint_services\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}],"
              "\"total_count\":9}");
    fake_push(&F, 404, "");
    assert_int_equal(vpcep_services_list(&l, C, &lo, &err), VPCEP_ENOTFOUND);
    assert_null(l);
}

static void test_other_lists(void **state)
{
    vpcep_service_info_list *pub = NULL;
    vpcep_connection_list *cl = NULL;
    vpcep_permission_list *pl = NULL;
    vpcep_endpoint_list *el = NULL;
    vpcep_connection_list_opts co = VPCEP_CONNECTION_LIST_OPTS_INIT;
    vpcep_permission_list_opts po = VPCEP_PERMISSION_LIST_OPTS_INIT;
    vpcep_endpoint_list_opts eo = VPCEP_ENDPOINT_LIST_OPTS_INIT;
    vpcep_public_service_list_opts so = VPCEP_PUBLIC_SERVICE_LIST_OPTS_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *j;
    size_t len;

    (void)state;
    j = fixture("list_public_services_response.json", &len);
    fake_push(&F, 200, j);
    so.name = "OBS";
    assert_int_equal(vpcep_public_services_list(&pub, C, &so, &err), 0);
    assert_int_equal(pub->count, 2);
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services/"
                                           "public?endpoint_service_name=OBS&limit=100");
    vpcep_service_info_list_free(pub);
    free(j);

    j = fixture("list_service_connections_response.json", &len);
    fake_push(&F, 200, j);
    co.marker_id = INT64_C(422321321312321321);
    co.marker_id_set = 1;
    co.status = "accepted";
    assert_int_equal(vpcep_connections_list(&cl, C, "svc", &co, &err), 0);
    assert_int_equal(cl->count, 2);
    assert_string_equal(F.requests[1].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services/"
                                           "svc/connections?marker_id=422321321312321321&status="
                                           "accepted&limit=100");
    vpcep_connection_list_free(cl);
    free(j);

    j = fixture("list_permissions_response.json", &len);
    fake_push(&F, 200, j);
    po.page_size = 1000; /* clamped to the API's 500 */
    assert_int_equal(vpcep_permissions_list(&pl, C, "svc", &po, &err), 0);
    assert_int_equal(pl->count, 1);
    assert_non_null(strstr(F.requests[2].url, "/permissions?limit=500"));
    vpcep_permission_list_free(pl);
    free(j);

    fake_push(&F, 200, "{\"endpoints\":[{\"id\":\"e1\"}],\"total_count\":1}");
    eo.vpc_id = "vpc1";
    eo.service_name = "eu-de.x";
    assert_int_equal(vpcep_endpoints_list(&el, C, &eo, &err), 0);
    assert_int_equal(el->count, 1);
    assert_string_equal(F.requests[3].url, "http://vpcep.test:8080/v1/p123/vpc-endpoints?"
                                           "endpoint_service_name=eu-de.x&vpc_id=vpc1&limit=100");
    vpcep_endpoint_list_free(el);
    assert_int_equal(vpcep_connections_list(&cl, C, "bad id", NULL, &err), VPCEP_EINVALID);
}

static void test_describe(void **state)
{
    vpcep_service_info *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *j;
    size_t len;

    (void)state;
    assert_int_equal(vpcep_service_describe(&s, C, NULL, NULL, &err), VPCEP_EINVALID);
    assert_int_equal(vpcep_service_describe(&s, C, "a", "b", &err), VPCEP_EINVALID);
    assert_int_equal(F.n_requests, 0);
    j = fixture("describe_endpoint_service_response.json", &len);
    fake_push(&F, 200, j);
    assert_int_equal(vpcep_service_describe(&s, C, NULL, "eu-de.test123.9d4c", &err), 0);
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/v1/p123/vpc-endpoint-services/"
                                           "describe?endpoint_service_name=eu-de.test123.9d4c");
    assert_string_equal(s->id, "9d4c1028-1336-4556-9881-b5d807c1b8a8");
    vpcep_service_info_free(s);
    free(j);
    fake_push(&F, 200, "");
    assert_int_equal(vpcep_service_describe(&s, C, "x", NULL, &err), VPCEP_ENOTFOUND);
    fake_push(&F, 200, "{}");
    assert_int_equal(vpcep_service_describe(&s, C, "x", NULL, &err), VPCEP_ENOTFOUND);
    fake_push(&F, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"gone\"}");
    assert_int_equal(vpcep_service_describe(&s, C, "x", NULL, &err), VPCEP_ENOTFOUND);
    assert_null(s);
}

static void test_connection_action_one_per_call(void **state)
{
    const char *ids[] = {"705290f3-0d00-41f2-aedc-71f09844e879", "e2"};
    vpcep_connection_list *out = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *j;
    size_t len;

    (void)state;
    j = fixture("connection_action_response.json", &len);
    fake_push(&F, 200, j);
    fake_push(&F, 200, "{\"connections\":[{\"id\":\"e2\",\"status\":\"accepted\"}]}");
    assert_int_equal(vpcep_connection_action(&out, C, "svc", VPCEP_CONNECTION_ACCEPT, ids, 2, &err),
                     0);
    assert_int_equal(F.n_requests, 2);
    assert_body_is_fixture(0, "connection_action_receive_request.json");
    assert_string_equal(F.requests[1].body, "{\"action\":\"receive\",\"endpoints\":[\"e2\"]}");
    assert_non_null(strstr(F.requests[0].url, "/vpc-endpoint-services/svc/connections/action"));
    assert_int_equal(out->count, 2);
    assert_true(out->items[0]->marker_id == INT64_C(422321321312321321));
    assert_string_equal(out->items[1]->id, "e2");
    vpcep_connection_list_free(out);
    free(j);
    /* the documented error: EndPoint.2013 stops at the first failure */
    j = fixture("connection_action_error_response.json", &len);
    fake_push(&F, 400, j);
    assert_int_equal(vpcep_connection_action(&out, C, "svc", VPCEP_CONNECTION_REJECT, ids, 2, &err),
                     VPCEP_EINVALID);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.2013"));
    assert_int_equal(F.n_requests, 3);
    assert_null(out);
    assert_non_null(strstr(F.requests[2].body, "\"reject\""));
    free(j);
    assert_int_equal(vpcep_connection_action(NULL, C, "svc", VPCEP_CONNECTION_REJECT, ids, 0, &err),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_connection_action(NULL, C, "svc", 7, ids, 1, &err), VPCEP_EINVALID);
}

static void test_permissions_action(void **state)
{
    const char *add[] = {"fc973eea581490997e82ea11a1d0101"};
    const char *rm[] = {"iam:domain::5fc973eea581490997e82ea11a1d0101"};
    const char *everyone[] = {"*"};
    vpcep_error err = VPCEP_ERROR_INIT;
    char *p;
    size_t len;
    char *resp = fixture("permissions_action_response.json", &len);

    (void)state;
    fake_push(&F, 200, resp);
    fake_push(&F, 200, resp);
    fake_push(&F, 200, resp);
    assert_int_equal(vpcep_permission_action(C, "svc", VPCEP_PERMISSION_ADD, add, 1, &err), 0);
    assert_body_is_fixture(0, "permissions_action_add_request.json");
    assert_int_equal(vpcep_permission_action(C, "svc", VPCEP_PERMISSION_REMOVE, rm, 1, &err), 0);
    assert_body_is_fixture(1, "permissions_action_remove_request.json");
    assert_int_equal(vpcep_permission_action(C, "svc", VPCEP_PERMISSION_ADD, everyone, 1, &err), 0);
    assert_string_equal(F.requests[2].body, "{\"action\":\"add\",\"permissions\":[\"*\"]}");
    assert_int_equal(vpcep_permission_action(C, "svc", VPCEP_PERMISSION_ADD, add, 0, &err),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_permission_from_domain_id(&p, "abc"), 0);
    assert_string_equal(p, "iam:domain::abc");
    vpcep_free(p);
    p = NULL;
    assert_int_equal(vpcep_permission_from_domain_id(&p, ""), VPCEP_EINVALID);
    assert_null(p);
    free(resp);
}

/* A whitelist longer than the API takes in one request (50; EndPoint.3049 beyond
 * item 4) goes out whole, in consecutive requests of at most 50 records. */
static void test_permissions_action_chunks(void **state)
{
    static char ids[120][16];
    const char *list[120];
    vpcep_error err = VPCEP_ERROR_INIT;
    size_t sizes[3] = {0, 0, 0};

    (void)state;
    for (int i = 0; i < 120; i++) {
        snprintf(ids[i], sizeof(ids[i]), "d%03d", i);
        list[i] = ids[i];
    }
    for (int i = 0; i < 3; i++)
        fake_push(&F, 200, "{\"permissions\":[]}");
    assert_int_equal(vpcep_permission_action(C, "svc", VPCEP_PERMISSION_ADD, list, 120, &err), 0);
    assert_int_equal(F.n_requests, 3);
    for (int i = 0; i < 3; i++) {
        cJSON *b = rest_json_parse(F.requests[i].body, strlen(F.requests[i].body));
        const cJSON *perms = cJSON_GetObjectItemCaseSensitive(b, "permissions");
        assert_non_null(perms);
        sizes[i] = (size_t)cJSON_GetArraySize(perms);
        cJSON_Delete(b);
    }
    assert_int_equal(sizes[0], VPCEP_MAX_PERMISSIONS_PER_REQUEST);
    assert_int_equal(sizes[1], VPCEP_MAX_PERMISSIONS_PER_REQUEST);
    assert_int_equal(sizes[2], 20);
    assert_non_null(strstr(F.requests[0].body, "\"iam:domain::d000\""));
    assert_non_null(strstr(F.requests[2].body, "\"iam:domain::d119\""));

    /* a failing chunk stops there and returns its error */
    fake_push(&F, 200, "{\"permissions\":[]}");
    fake_push(&F, 400, "{\"error_code\":\"EndPoint.3049\",\"error_msg\":\"Too many.\"}");
    assert_int_not_equal(
        vpcep_permission_action(C, "svc", VPCEP_PERMISSION_REMOVE, list, 120, &err), 0);
    assert_int_equal(F.n_requests, 5);
    assert_string_equal(err.error_code, "EndPoint.3049");
}

static void test_endpoint_create_encoding(void **state)
{
    vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_tag_param tags1[] = {{"test2", "test2"}};
    vpcep_tag_param tags2[] = {{"test1", "test1"}};
    const char *rt[] = {"cd7fdf2b-d964-4a4a-a169-2af1112e7d02"};
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *j;
    size_t len;

    (void)state;
    o.subnet_id = "61881173-3899-4981-a700-170253d469b6";
    o.endpoint_service_id = "2da0fe8f-5cb7-4d93-bb35-dc05334da1be";
    o.vpc_id = "d7b2bf07-1b4c-43fa-bd88-d80c6ebea140";
    o.tags = tags1;
    o.n_tags = 1;
    j = fixture("create_endpoint_interface_response.json", &len);
    fake_push(&F, 200, "{\"endpoints\":[],\"total_count\":0}"); /* duplicate-safety snapshot */
    fake_push(&F, 200, j);
    assert_int_equal(vpcep_endpoint_create(&e, C, &o, &err), 0);
    assert_string_equal(F.requests[0].method, "GET");
    assert_string_equal(F.requests[1].method, "POST");
    assert_string_equal(F.requests[1].url, "http://vpcep.test:8080/v1/p123/vpc-endpoints");
    assert_body_is_fixture(1, "create_endpoint_interface_request.json");
    assert_string_equal(e->status, "creating");
    vpcep_endpoint_free(e);
    free(j);

    memset(&o, 0, sizeof(o));
    o.version = VPCEP_ENDPOINT_CREATE_OPTS_VERSION;
    o.endpoint_service_id = "e4a21a61-f09e-41bc-b487-23d6204ae27b";
    o.vpc_id = "d7b2bf07-1b4c-43fa-bd88-d80c6ebea140";
    o.enable_dns = 1;
    o.enable_dns_set = 1;
    o.tags = tags2;
    o.n_tags = 1;
    o.routetables = rt;
    o.n_routetables = 1;
    j = fixture("create_endpoint_gateway_response.json", &len);
    fake_push(&F, 200, "{\"endpoints\":[],\"total_count\":0}");
    fake_push(&F, 200, j);
    assert_int_equal(vpcep_endpoint_create(&e, C, &o, &err), 0);
    assert_body_is_fixture(3, "create_endpoint_gateway_request.json");
    vpcep_endpoint_free(e);
    free(j);
    o.vpc_id = NULL;
    assert_int_equal(vpcep_endpoint_create(&e, C, &o, &err), VPCEP_EINVALID);
    assert_int_equal(F.n_requests, 4);
}

static void test_tags(void **state)
{
    vpcep_tag_param create[] = {{"key1", "value1"}, {"key", "value3"}};
    vpcep_tag_param del[] = {{"key1", NULL}, {"key2", "value3"}};
    vpcep_tag_param by_key[] = {{"k", NULL}};
    vpcep_project_tag_list *pt = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *j;
    size_t len;

    (void)state;
    fake_push(&F, 204, "");
    fake_push(&F, 204, "");
    fake_push(&F, 204, "");
    assert_int_equal(
        vpcep_tags_action(C, VPCEP_RESOURCE_SERVICE, "svc", VPCEP_TAGS_CREATE, create, 2, &err), 0);
    assert_string_equal(F.requests[0].url,
                        "http://vpcep.test:8080/v1/p123/endpoint_service/svc/tags/action");
    assert_body_is_fixture(0, "tags_action_create_request.json");
    assert_int_equal(
        vpcep_tags_action(C, VPCEP_RESOURCE_ENDPOINT, "ep", VPCEP_TAGS_DELETE, del, 2, &err), 0);
    assert_string_equal(F.requests[1].url,
                        "http://vpcep.test:8080/v1/p123/endpoint/ep/tags/action");
    assert_body_is_fixture(1, "tags_action_delete_request.json");
    assert_int_equal(
        vpcep_tags_action(C, VPCEP_RESOURCE_ENDPOINT, "ep", VPCEP_TAGS_DELETE, by_key, 1, &err), 0);
    assert_string_equal(F.requests[2].body, "{\"action\":\"delete\",\"tags\":[{\"key\":\"k\"}]}");
    assert_int_equal(
        vpcep_tags_action(C, VPCEP_RESOURCE_ENDPOINT, "ep", VPCEP_TAGS_DELETE, by_key, 0, &err),
        VPCEP_EINVALID);
    assert_int_equal(vpcep_tags_action(C, 9, "ep", VPCEP_TAGS_DELETE, by_key, 1, &err),
                     VPCEP_EINVALID);
    j = fixture("list_project_tags_response.json", &len);
    fake_push(&F, 200, j);
    assert_int_equal(vpcep_project_tags_list(&pt, C, VPCEP_RESOURCE_SERVICE, &err), 0);
    assert_string_equal(F.requests[3].url, "http://vpcep.test:8080/v1/p123/endpoint_service/tags");
    assert_int_equal(pt->count, 1);
    vpcep_project_tag_list_free(pt);
    free(j);
}

static void test_versions_and_deletes(void **state)
{
    vpcep_api_version_list *v = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char *j;
    size_t len;

    (void)state;
    j = fixture("list_versions_response.json", &len);
    fake_push(&F, 200, j);
    assert_int_equal(vpcep_versions_list(&v, C, &err), 0);
    assert_string_equal(F.requests[0].url, "http://vpcep.test:8080/");
    assert_int_equal(v->count, 2);
    vpcep_api_version_list_free(v);
    free(j);
    fake_push(&F, 204, "");
    assert_int_equal(vpcep_endpoint_delete(C, "ep1", &err), 0);
    assert_string_equal(F.requests[1].method, "DELETE");
    assert_string_equal(F.requests[1].url, "http://vpcep.test:8080/v1/p123/vpc-endpoints/ep1");
    fake_push(&F, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"gone\"}");
    assert_int_equal(vpcep_service_delete(C, "s1", &err), VPCEP_ENOTFOUND);
    fake_push(&F, 400, "{\"error_code\":\"EndPoint.3006\",\"error_msg\":\"in use\"}");
    fake_push(&F, 200, "{\"id\":\"s1\",\"status\":\"available\"}");
    assert_int_equal(vpcep_service_delete(C, "s1", &err), VPCEP_ECONFLICT);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.3006"));
    /* a repeated delete refused as "being deleted" is a delete in progress */
    fake_push(&F, 400, "{\"error_code\":\"EndPoint.2018\",\"error_msg\":\"being deleted\"}");
    fake_push(&F, 200, "{\"id\":\"e1\",\"status\":\"deleting\"}");
    assert_int_equal(vpcep_endpoint_delete(C, "e1", &err), 0);
    assert_int_equal(err.kind, 0);
    fake_push(&F, 400, "{\"error_code\":\"EndPoint.2018\",\"error_msg\":\"being deleted\"}");
    fake_push(&F, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"gone\"}");
    assert_int_equal(vpcep_endpoint_delete(C, "e1", &err), VPCEP_ENOTFOUND);
    assert_string_equal(F.requests[8].method, "GET");
    assert_int_equal(vpcep_service_delete(C, "", &err), VPCEP_EINVALID);
    assert_int_equal(vpcep_endpoint_delete(C, "../x", &err), VPCEP_EINVALID);
    assert_int_equal(F.n_requests, 9);
}

/* A create lost on the wire: the library looks the service up and adopts it. */
/*
 * Answers built when the request arrives: the next template, with every "@M@" replaced by the
 * marker of the last POST (the call's own marker) and "@X@" by another create's marker.
 */
static const char *dyn_templates[8];
static size_t dyn_n, dyn_next;
static char dyn_body[4096];
static const char FOREIGN_MARKER[] = "00000001-0123456789abcdef0123456789abcdef";

static fake_answer dyn_answer(fake *f, const rest_http_request *rq)
{
    fake_answer a;
    char marker[REST_MARKER_SIZE] = "";
    const char *t;
    size_t i, out = 0;

    (void)rq;
    memset(&a, 0, sizeof(a));
    if (dyn_next >= dyn_n)
        fail_msg("unexpected request %s %s", rq->method, rq->url);
    for (i = f->n_requests; i-- > 0;) {
        if (strcmp(f->requests[i].method, "POST") == 0) {
            marker_of(i, marker, sizeof(marker));
            break;
        }
    }
    t = dyn_templates[dyn_next++];
    while (*t != '\0' && out + 64 < sizeof(dyn_body)) {
        if (strncmp(t, "@M@", 3) == 0 || strncmp(t, "@X@", 3) == 0) {
            const char *m = t[1] == 'M' ? marker : FOREIGN_MARKER;
            memcpy(dyn_body + out, m, strlen(m));
            out += strlen(m);
            t += 3;
        } else {
            dyn_body[out++] = *t++;
        }
    }
    dyn_body[out] = '\0';
    a.status = 200;
    a.body = dyn_body;
    return a;
}

static void dyn_script(const char *const *templates, size_t n)
{
    dyn_n = n;
    dyn_next = 0;
    for (size_t i = 0; i < n; i++)
        dyn_templates[i] = templates[i];
    F.dynamic = dyn_answer;
}

#define SVC_ITEM(id, marker)                                                                       \
    "{\"id\":\"" id "\",\"vpc_id\":\"v\",\"port_id\":\"p\",\"status\":\"creating\","               \
    "\"ports\":[{\"client_port\":8080,\"server_port\":90,\"protocol\":\"TCP\"}],\"tags\":[{"       \
    "\"key\":\"" VPCEP_CREATE_MARKER_KEY "\",\"value\":\"" marker "\"}]}"

static void service_opts(vpcep_service_create_opts *o, vpcep_port_param *ports)
{
    o->port_id = "p";
    o->vpc_id = "v";
    o->server_type = "VM";
    o->service_name = "svc";
    o->ports = ports;
    o->n_ports = 1;
}

/* A lost answer adopts the service with the call's own marker - never a sibling's, although
 * the sibling matches just as well - with one lookup and no second POST. */
static void test_service_create_lookup_adopts(void **state)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 90, NULL}};
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    static const char *const lookup[] = {"{\"endpoint_services\":[" SVC_ITEM(
        "sibling", "@X@") "," SVC_ITEM("s-lost", "@M@") "],\"total_count\":2}"};

    (void)state;
    service_opts(&o, ports);
    fake_push_transport(&F, VPCEP_ETIMEOUT);
    dyn_script(lookup, 1);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    assert_string_equal(s->id, "s-lost");
    assert_int_equal(F.n_requests, 2); /* one POST, one lookup, no second POST */
    assert_string_equal(F.requests[1].method, "GET");
    assert_non_null(strstr(F.log, "looking it up by its create marker"));
    vpcep_service_free(s);
    F.dynamic = NULL;

    /* not created: the POST is sent again after the lookup, with the same marker */
    fake_push(&F, 502, "");
    fake_push(&F, 200,
              "{\"endpoint_services\":[" SVC_ITEM("sibling", "@X@") "],\"total_count\":1}");
    fake_push(&F, 200, SVC);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    assert_int_equal(F.n_requests, 5);
    assert_string_equal(F.requests[4].method, "POST");
    assert_string_equal(F.requests[4].body, F.requests[2].body);
    assert_string_equal(s->id, "s1");
    vpcep_service_free(s);

    /* 429 is a definite "not processed": retried directly, no lookup */
    fake_push(&F, 429, "");
    fake_push(&F, 200, SVC);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    assert_int_equal(F.n_requests, 7);
    assert_string_equal(F.requests[6].method, "POST");
    vpcep_service_free(s);
}

/* Every create call has a marker of its own. */
static void test_create_markers_unique(void **state)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 90, NULL}};
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char m1[REST_MARKER_SIZE], m2[REST_MARKER_SIZE];

    (void)state;
    service_opts(&o, ports);
    fake_push(&F, 200, SVC);
    fake_push(&F, 200, "{\"id\":\"s2\",\"status\":\"creating\"}");
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    vpcep_service_free(s);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    vpcep_service_free(s);
    marker_of(0, m1, sizeof(m1));
    marker_of(1, m2, sizeof(m2));
    assert_string_not_equal(m1, m2);
    assert_true(rest_marker_is_own(m1) && rest_marker_is_own(m2));
    assert_false(rest_marker_is_own(FOREIGN_MARKER));
}

/* With 10 tags there is no room for the marker: a lost answer next to an unclaimed matching
 * service cannot be resolved - an error names it, nothing is adopted or re-sent. */
static void test_service_create_unproven(void **state)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 90, NULL}};
    vpcep_tag_param tags[10];
    char keys[10][8];
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    service_opts(&o, ports);
    for (int i = 0; i < 10; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%d", i);
        tags[i].key = keys[i];
        tags[i].value = "v";
    }
    o.tags = tags;
    o.n_tags = 10;
    fake_push_transport(&F, VPCEP_ETIMEOUT);
    fake_push(&F, 200,
              "{\"endpoint_services\":[{\"id\":\"maybe\",\"vpc_id\":\"v\",\"port_id\":\"p\","
              "\"ports\":[{\"client_port\":8080,\"server_port\":90}]}],\"total_count\":1}");
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_ECONFLICT);
    assert_null(s);
    assert_int_equal(F.n_requests, 2);
    assert_null(strstr(F.requests[0].body, VPCEP_CREATE_MARKER_KEY));
    assert_string_equal(err.error_code, VPCEP_ECODE_CREATE_UNPROVEN);
    assert_non_null(strstr(err.error_msg, VPCEP_CANDIDATES_LABEL " maybe"));

    /* the reserved key in the create's own tags is refused before any request */
    tags[0].key = VPCEP_CREATE_MARKER_KEY;
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_EINVALID);
    assert_int_equal(F.n_requests, 2);
}

/* EndPoint.3044 on a re-sent POST: the service holding the port carries the call's own marker
 * (the first POST was applied after all) and is adopted; one with another create's marker is
 * named as the leftover of an unfinished create. */
static void test_service_create_port_conflict(void **state)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 90, NULL}};
    vpcep_service *s = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    static const char *const own[] = {
        "{\"endpoint_services\":[" SVC_ITEM("s3044", "@M@") "],\"total_count\":1}"};
    static const char *const foreign[] = {
        "{\"endpoint_services\":[" SVC_ITEM("left", "@X@") "],\"total_count\":1}"};
    static const char conflict[] =
        "{\"error_code\":\"EndPoint.3044\",\"error_msg\":\"The port is in use.\"}";

    (void)state;
    service_opts(&o, ports);
    /* POST lost, lookup (nothing yet), POST again -> 3044, lookup -> ours */
    fake_push_transport(&F, VPCEP_ETIMEOUT);
    fake_push(&F, 200, "{\"endpoint_services\":[],\"total_count\":0}");
    fake_push(&F, 400, conflict);
    dyn_script(own, 1);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), 0);
    assert_string_equal(s->id, "s3044");
    assert_int_equal(F.n_requests, 4);
    vpcep_service_free(s);

    fake_init(&F);
    fake_push(&F, 400, conflict);
    dyn_script(foreign, 1);
    assert_int_equal(vpcep_service_create(&s, C, &o, &err), VPCEP_ECONFLICT);
    assert_null(s);
    assert_string_equal(err.error_code, "EndPoint.3044");
    assert_non_null(strstr(err.error_msg, "The port is in use."));
    assert_non_null(strstr(err.error_msg, "did not finish"));
    assert_non_null(strstr(err.error_msg, VPCEP_CANDIDATES_LABEL " left"));
}

#define EP_ITEM(id, tags)                                                                          \
    "{\"id\":\"" id "\",\"endpoint_service_id\":\"svc\",\"vpc_id\":\"vpc\",\"subnet_id\":"         \
    "\"sub\",\"status\":\"creating\",\"tags\":[" tags "]}"
#define MARK(m) "{\"key\":\"" VPCEP_CREATE_MARKER_KEY "\",\"value\":\"" m "\"}"

/* Eight siblings at once: a lost answer adopts the endpoint with the call's own marker, not the
 * sibling that appeared since the snapshot (which the old lookup took: two resources, one
 * endpoint). */
static void test_endpoint_create_lookup_adopts(void **state)
{
    vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    char own[REST_MARKER_SIZE];
    static const char *const lookup[] = {"{\"endpoints\":[" EP_ITEM("old", "") "," EP_ITEM(
        "sibling", "") "," EP_ITEM("new", MARK("@M@")) "],\"total_count\":3}"};

    (void)state;
    o.endpoint_service_id = "svc";
    o.vpc_id = "vpc";
    o.subnet_id = "sub";
    /* before: one endpoint of the same service already exists */
    fake_push(&F, 200, "{\"endpoints\":[" EP_ITEM("old", "") "],\"total_count\":1}");
    fake_push_transport(&F, VPCEP_ETRANSPORT);
    dyn_script(lookup, 1);
    assert_int_equal(vpcep_endpoint_create(&e, C, &o, &err), 0);
    assert_string_equal(e->id, "new");
    assert_int_equal(F.n_requests, 3);
    vpcep_endpoint_free(e);

    /* a sibling of this process (its marker is ours too) is no leftover for the next create */
    marker_of(1, own, sizeof(own));
    {
        char body[1024];
        snprintf(body, sizeof(body),
                 "{\"endpoints\":[" EP_ITEM("new", MARK("%s")) "],\"total_count\":1}", own);
        fake_init(&F);
        F.dynamic = NULL;
        fake_push(&F, 200, body);
        fake_push(&F, 200, "{\"id\":\"next\",\"status\":\"creating\"}");
        assert_int_equal(vpcep_endpoint_create(&e, C, &o, &err), 0);
        assert_string_equal(e->id, "next");
        vpcep_endpoint_free(e);
    }
}

/* A matching endpoint with another create's marker is the leftover of an unfinished create (an
 * interrupted apply): the create is refused before the POST and names it. */
static void test_endpoint_create_refuses_leftover(void **state)
{
    vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    o.endpoint_service_id = "svc";
    o.vpc_id = "vpc";
    o.subnet_id = "sub";
    fake_push(
        &F, 200,
        "{\"endpoints\":[" EP_ITEM("old", "") "," EP_ITEM(
            "left", MARK("00000001-0123456789abcdef0123456789abcdef")) "],\"total_count\":2}");
    assert_int_equal(vpcep_endpoint_create(&e, C, &o, &err), VPCEP_ECONFLICT);
    assert_null(e);
    assert_int_equal(F.n_requests, 1); /* no POST */
    assert_string_equal(err.error_code, VPCEP_ECODE_UNFINISHED_CREATE);
    assert_non_null(strstr(err.error_msg, VPCEP_CANDIDATES_LABEL " left"));
    assert_null(strstr(err.error_msg, "old"));
}

/* max_retries = 0: no second POST, but one lookup still recovers the object of a lost answer. */
static void test_create_lookup_without_retries(void **state)
{
    vpcep_client_options opt;
    vpcep_client *c0;
    vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    static const char *const lookup[] = {
        "{\"endpoints\":[" EP_ITEM("mine", MARK("@M@")) "],\"total_count\":1}"};

    (void)state;
    fake_options(&F, &opt);
    opt.max_retries = VPCEP_RETRIES_NONE;
    c0 = fake_client(&F, &opt);
    o.endpoint_service_id = "svc";
    o.vpc_id = "vpc";
    o.subnet_id = "sub";
    fake_push(&F, 200, "{\"endpoints\":[],\"total_count\":0}");
    fake_push_transport(&F, VPCEP_ETRANSPORT);
    dyn_script(lookup, 1);
    assert_int_equal(vpcep_endpoint_create(&e, c0, &o, &err), 0);
    assert_string_equal(e->id, "mine");
    assert_int_equal(F.n_requests, 3);
    vpcep_endpoint_free(e);
    vpcep_client_free(c0);
}

static void test_resource_instances(void **state)
{
    const char *v1[] = {"*value1", "value2"}, *v2[] = {"value1", "value2"};
    vpcep_tag_filter tags[] = {{"key1", v1, 2}};
    vpcep_tag_filter count_tags[] = {{"key1", v2, 2}, {"key2", v2, 2}};
    vpcep_tag_filter not_tags[] = {{"key1", (const char *[]){"value1", "*value2"}, 2}};
    vpcep_tag_filter any[] = {{"key1", v2, 2}};
    vpcep_resource_query_opts q = VPCEP_RESOURCE_QUERY_OPTS_INIT;
    vpcep_tagged_resource_list *l = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int64_t n = 0;
    char *j;
    size_t len;
    cJSON *got, *want;

    (void)state;
    /* count: exactly the documented request */
    q.tags = count_tags;
    q.n_tags = 2;
    q.tags_any = any;
    q.n_tags_any = 1;
    q.not_tags = not_tags;
    q.n_not_tags = 1;
    q.not_tags_any = any;
    q.n_not_tags_any = 1;
    q.resource_name = "resource1";
    j = fixture("resource_instances_count_response.json", &len);
    fake_push(&F, 200, j);
    assert_int_equal(vpcep_resources_count(&n, C, VPCEP_RESOURCE_ENDPOINT, &q, &err), 0);
    assert_int_equal(n, 1000);
    assert_string_equal(F.requests[0].url,
                        "http://vpcep.test:8080/v1/p123/endpoint/resource_instances/action");
    assert_body_is_fixture(0, "resource_instances_count_request.json");
    free(j);

    /* filter: the documented request (apart from paging), then every page */
    memset(&q, 0, sizeof(q));
    q.version = VPCEP_RESOURCE_QUERY_OPTS_VERSION;
    q.tags = tags;
    q.n_tags = 1;
    q.tags_any = any;
    q.n_tags_any = 1;
    q.not_tags = tags;
    q.n_not_tags = 1;
    q.not_tags_any = any;
    q.n_not_tags_any = 1;
    q.resource_name = "resource1";
    q.page_size = 1;
    fake_push(&F, 200,
              "{\"resources\":[{\"resource_id\":\"a\",\"resource_name\":\"n\","
              "\"resource_detail\":{\"x\":1}}],\"total_count\":2}");
    j = fixture("resource_instances_filter_response.json", &len);
    /* the documented answer claims 1000 in total but the second page is short: stop there */
    fake_push(&F, 200, j);
    fake_push(&F, 200, "{\"resources\":[],\"total_count\":1000}");
    assert_int_equal(vpcep_resources_filter(&l, C, VPCEP_RESOURCE_SERVICE, &q, &err), 0);
    assert_int_equal(l->count, 2);
    assert_string_equal(l->items[0]->resource_detail_json, "{\"x\":1}");
    assert_string_equal(l->items[1]->resource_id, "cdfs_cefs_wesas_12_dsad");
    assert_string_equal(l->items[1]->resource_detail_json, "null");
    assert_int_equal(l->items[1]->n_tags, 2);
    got = rest_json_parse(F.requests[1].body, strlen(F.requests[1].body));
    assert_string_equal(cJSON_GetObjectItem(got, "limit")->valuestring, "1");
    assert_string_equal(cJSON_GetObjectItem(got, "offset")->valuestring, "0");
    cJSON_DeleteItemFromObject(got, "limit");
    cJSON_DeleteItemFromObject(got, "offset");
    free(j);
    j = fixture("resource_instances_filter_request.json", &len);
    want = rest_json_parse(j, len);
    cJSON_DeleteItemFromObject(want, "limit");
    cJSON_DeleteItemFromObject(want, "offset");
    assert_true(cJSON_Compare(want, got, 1));
    cJSON_Delete(got);
    cJSON_Delete(want);
    free(j);
    got = rest_json_parse(F.requests[2].body, strlen(F.requests[2].body));
    assert_string_equal(cJSON_GetObjectItem(got, "offset")->valuestring, "1");
    cJSON_Delete(got);
    assert_int_equal(F.n_requests, 4);
    vpcep_tagged_resource_list_free(l);

    /* checks before any request */
    tags[0].key = "";
    assert_int_equal(vpcep_resources_filter(&l, C, VPCEP_RESOURCE_SERVICE, &q, &err),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_resources_count(&n, C, 5, NULL, &err), VPCEP_EINVALID);
    assert_int_equal(F.n_requests, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_service_create_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_create_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_all_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connection_action_one_per_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions_action, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endpoint_create_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_and_deletes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_create_lookup_adopts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endpoint_create_lookup_adopts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_markers_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions_action_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_create_unproven, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_create_port_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endpoint_create_refuses_leftover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_lookup_without_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resource_instances, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
