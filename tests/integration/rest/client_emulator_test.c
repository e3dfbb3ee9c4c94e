/*
 * The VPCEP client against vpcep-emulator: every operation with each auth mode, paging across
 * several pages, every waiter path, API errors, and retries under 30 % injected faults without
 * duplicate objects. Usage: rest_client_emulator_test <vpcep-emulator> <scenario>.
 */
#include "harness.h"

#include <vpcep/sys/clock.h>

#include <cmocka.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WAIT_MS 30000

static it_emu E;

static void check(int rc, const vpcep_error *err, const char *what)
{
    if (rc != 0)
        fail_msg("%s: %s (%d): http %d code %s msg %s", what, vpcep_strerror(rc), rc,
                 err->http_status, err->error_code, err->error_msg);
}

/* IT_FAULT_SEED overrides --fault-seed (soak runs over many fault sequences). */
static int start(const char *const *args)
{
    const char *argv[24];
    const char *seed = getenv("IT_FAULT_SEED");
    size_t i;

    for (i = 0; args[i] != NULL && i < 22; i++)
        argv[i] =
            i > 0 && seed != NULL && strcmp(args[i - 1], "--fault-seed") == 0 ? seed : args[i];
    argv[i] = NULL;
    if (it_start(&E, argv) != 0)
        fail_msg("cannot start the emulator");
    return 0;
}

static int start_fast(void **state)
{
    static const char *const a[] = {"--delay-ms", "0", NULL};
    (void)state;
    return start(a);
}

static int setup_token_renewal(void **state)
{
    static const char *const a[] = {"--delay-ms",     "0", "--token-ttl-s", "1",
                                    "--manual-clock", NULL};

    (void)state;
    return start(a);
}

static int setup_waiters(void **state)
{
    static const char *const a[] = {"--delay-ms", "700", "--manual-clock", NULL};

    (void)state;
    return start(a);
}

static int setup_waiter_failure_state(void **state)
{
    static const char *const a[] = {"--delay-ms",     "100", "--fail-rate", "1",
                                    "--manual-clock", NULL};

    (void)state;
    return start(a);
}

static int setup_faults_no_duplicates(void **state)
{
    static const char *const a[] = {
        "--delay-ms", "0", "--fault-rate", "0.3", "--slow-ms", "300", "--fault-seed", "7", NULL};

    (void)state;
    return start(a);
}

static int setup_faults_creates(void **state)
{
    static const char *const a[] = {
        "--delay-ms", "0", "--fault-rate", "0.3", "--fault-kinds", "drop,500", "--fault-seed",
        "11",         NULL};

    (void)state;
    return start(a);
}

static int stop(void **state)
{
    (void)state;
    it_stop(&E);
    return 0;
}

static vpcep_service *
create_service(vpcep_client *c, int port_idx, int server_port, const char *name, int approval)
{
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[1];
    vpcep_tag_param tags[] = {{"k1", "v1"}};
    vpcep_service *s = NULL, *done = NULL;
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;

    ports[0].client_port = 8000 + server_port % 1000;
    ports[0].server_port = server_port;
    ports[0].protocol = "TCP";
    o.port_id = E.owner.port_id[port_idx];
    o.vpc_id = E.owner.vpc_id;
    o.server_type = "VM";
    o.ports = ports;
    o.n_ports = 1;
    o.service_name = name;
    o.approval_enabled = approval;
    o.approval_enabled_set = 1;
    o.description = "integration test";
    o.tags = tags;
    o.n_tags = 1;
    check(vpcep_service_create(&s, c, &o, &err), &err, "service create");
    assert_non_null(s->id);
    vpcep_wait_spec_service_available(&spec, WAIT_MS);
    check(vpcep_wait_service(&done, NULL, c, s->id, &spec, &err), &err, "wait available");
    assert_string_equal(done->status, "available");
    vpcep_service_free(s);
    return done;
}

static vpcep_endpoint *create_endpoint(vpcep_client *c, const char *service_id, int dns)
{
    vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
    vpcep_endpoint *e = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    o.endpoint_service_id = service_id;
    o.vpc_id = E.consumer.vpc_id;
    o.subnet_id = E.consumer.subnet_id;
    o.enable_dns = dns;
    o.enable_dns_set = 1;
    o.description = "it";
    check(vpcep_endpoint_create(&e, c, &o, &err), &err, "endpoint create");
    assert_non_null(e->id);
    return e;
}

static void delete_endpoint_and_wait(vpcep_client *c, const char *id)
{
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_endpoint_delete(c, id, &err);

    if (rc != VPCEP_ENOTFOUND)
        check(rc, &err, "endpoint delete");
    vpcep_wait_spec_endpoint_deleted(&spec, WAIT_MS);
    check(vpcep_wait_endpoint(NULL, NULL, c, id, &spec, &err), &err, "wait endpoint deleted");
}

static void delete_service_and_wait(vpcep_client *c, const char *id)
{
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_service_delete(c, id, &err);

    if (rc != VPCEP_ENOTFOUND)
        check(rc, &err, "service delete");
    vpcep_wait_spec_service_deleted(&spec, WAIT_MS);
    check(vpcep_wait_service(NULL, NULL, c, id, &spec, &err), &err, "wait service deleted");
}

/* Every operation, owner and consumer, in one auth mode. */
static void lifecycle(const char *mode)
{
    vpcep_client *own = it_client(&E, "owner", mode), *con = it_client(&E, "consumer", mode);
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_api_version_list *vl = NULL;
    vpcep_quota_list *ql = NULL;
    vpcep_service_info_list *pub = NULL;
    vpcep_service_info *info = NULL;
    vpcep_service *svc, *got = NULL, *upd = NULL;
    vpcep_service_list *sl = NULL;
    vpcep_service_list_opts slo = VPCEP_SERVICE_LIST_OPTS_INIT;
    vpcep_service_update_opts uo = VPCEP_SERVICE_UPDATE_OPTS_INIT;
    vpcep_tag_param t2[] = {{"k2", "v2"}}, t1[] = {{"k1", NULL}};
    vpcep_project_tag_list *ptl = NULL;
    vpcep_permission_list *pl = NULL;
    vpcep_endpoint *ep, *eg = NULL;
    vpcep_endpoint_list *el = NULL;
    vpcep_endpoint_list_opts elo = VPCEP_ENDPOINT_LIST_OPTS_INIT;
    vpcep_connection_list *cl = NULL;
    vpcep_connection *conn = NULL;
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    const char *dom[1];
    const char *ids[1];
    const char *pid = NULL;
    char name[17];
    size_t i;
    int found, ns, ne;

    assert_non_null(own);
    assert_non_null(con);
    check(vpcep_client_project_id(&pid, own, &err), &err, "project id");
    assert_string_equal(pid, E.owner.project_id);

    check(vpcep_versions_list(&vl, own, &err), &err, "versions");
    assert_true(vl->count >= 1);
    assert_string_equal(vl->items[0]->id, "v1");
    vpcep_api_version_list_free(vl);

    check(vpcep_quota_get(&ql, own, NULL, &err), &err, "quotas");
    assert_int_equal(ql->count, 2);
    vpcep_quota_list_free(ql);
    check(vpcep_quota_get(&ql, own, "endpoint_service", &err), &err, "quota by type");
    assert_int_equal(ql->count, 1);
    assert_string_equal(ql->items[0]->type, "endpoint_service");
    assert_true(ql->items[0]->quota >= 20);
    vpcep_quota_list_free(ql);

    check(vpcep_public_services_list(&pub, own, NULL, &err), &err, "public services");
    found = 0;
    for (i = 0; i < pub->count; i++)
        found |= strcmp(pub->items[i]->service_name, "com.t-systems.otc.eu-de.dns") == 0;
    assert_true(found);
    vpcep_service_info_list_free(pub);
    check(vpcep_service_describe(&info, con, NULL, "com.t-systems.otc.eu-de.dns", &err), &err,
          "describe public by name");
    assert_string_equal(info->service_type, "interface");
    vpcep_service_info_free(info);

    snprintf(name, sizeof(name), "it-%s", mode);
    svc = create_service(own, 0, 80, name, 1);
    assert_non_null(strstr(svc->service_name, name));
    check(vpcep_service_get(&got, own, svc->id, &err), &err, "service get");
    assert_true(got->approval_enabled_set && got->approval_enabled);
    /* The user's tag and the create's marker, which the caller removes once it holds the ID. */
    assert_int_equal(got->n_tags, 2);
    assert_true(strcmp(got->tags[0]->key, VPCEP_CREATE_MARKER_KEY) == 0 ||
                strcmp(got->tags[1]->key, VPCEP_CREATE_MARKER_KEY) == 0);
    assert_true(strcmp(got->tags[0]->key, "k1") == 0 || strcmp(got->tags[1]->key, "k1") == 0);
    assert_int_equal(got->n_ports, 1);
    assert_int_equal(got->ports[0]->server_port, 80);
    vpcep_service_free(got);
    {
        vpcep_tag_param marker[] = {{VPCEP_CREATE_MARKER_KEY, NULL}};
        check(vpcep_tags_action(own, VPCEP_RESOURCE_SERVICE, svc->id, VPCEP_TAGS_DELETE, marker, 1,
                                &err),
              &err, "marker removal");
    }

    slo.name = name;
    check(vpcep_services_list(&sl, own, &slo, &err), &err, "service list");
    assert_int_equal(sl->count, 1);
    assert_string_equal(sl->items[0]->id, svc->id);
    vpcep_service_list_free(sl);

    uo.description = "updated";
    uo.approval_enabled = 1;
    uo.approval_enabled_set = 1;
    check(vpcep_service_update(&upd, own, svc->id, &uo, &err), &err, "service update");
    assert_string_equal(upd->description, "updated");
    vpcep_service_free(upd);

    check(vpcep_tags_action(own, VPCEP_RESOURCE_SERVICE, svc->id, VPCEP_TAGS_CREATE, t2, 1, &err),
          &err, "tags create");
    check(vpcep_tags_action(own, VPCEP_RESOURCE_SERVICE, svc->id, VPCEP_TAGS_DELETE, t1, 1, &err),
          &err, "tags delete");
    check(vpcep_service_get(&got, own, svc->id, &err), &err, "service get after tags");
    assert_int_equal(got->n_tags, 1);
    assert_string_equal(got->tags[0]->key, "k2");
    vpcep_service_free(got);
    {
        const char *vals[] = {"v2"};
        vpcep_tag_filter tf[] = {{"k2", vals, 1}};
        vpcep_resource_query_opts rq = VPCEP_RESOURCE_QUERY_OPTS_INIT;
        vpcep_tagged_resource_list *trl = NULL;
        int64_t cnt = -1;
        rq.tags = tf;
        rq.n_tags = 1;
        check(vpcep_resources_filter(&trl, own, VPCEP_RESOURCE_SERVICE, &rq, &err), &err,
              "resources by tag");
        assert_int_equal(trl->count, 1);
        assert_string_equal(trl->items[0]->resource_id, svc->id);
        vpcep_tagged_resource_list_free(trl);
        check(vpcep_resources_count(&cnt, own, VPCEP_RESOURCE_SERVICE, &rq, &err), &err,
              "count by tag");
        assert_int_equal(cnt, 1);
    }
    check(vpcep_project_tags_list(&ptl, own, VPCEP_RESOURCE_SERVICE, &err), &err, "project tags");
    assert_true(ptl->count >= 1);
    vpcep_project_tag_list_free(ptl);

    /* cross-account: not whitelisted yet */
    {
        vpcep_endpoint_create_opts o = VPCEP_ENDPOINT_CREATE_OPTS_INIT;
        vpcep_endpoint *none = NULL;
        o.endpoint_service_id = svc->id;
        o.vpc_id = E.consumer.vpc_id;
        o.subnet_id = E.consumer.subnet_id;
        assert_int_equal(vpcep_endpoint_create(&none, con, &o, &err), VPCEP_EAUTH);
        assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.2012"));
        assert_null(none);
    }
    dom[0] = E.consumer.domain_id;
    check(vpcep_permission_action(own, svc->id, VPCEP_PERMISSION_ADD, dom, 1, &err), &err,
          "permission add");
    check(vpcep_permissions_list(&pl, own, svc->id, NULL, &err), &err, "permission list");
    found = 0;
    for (i = 0; i < pl->count; i++)
        found |= pl->items[i]->domain_id && strcmp(pl->items[i]->domain_id, dom[0]) == 0;
    assert_true(found);
    vpcep_permission_list_free(pl);

    check(vpcep_service_describe(&info, con, NULL, svc->service_name, &err), &err,
          "describe other tenant's service by name");
    assert_string_equal(info->id, svc->id);
    vpcep_service_info_free(info);

    ep = create_endpoint(con, svc->id, 1);
    vpcep_wait_spec_endpoint_created(&spec, WAIT_MS);
    check(vpcep_wait_endpoint(&eg, NULL, con, ep->id, &spec, &err), &err, "wait created");
    assert_string_equal(eg->status, "pendingAcceptance");
    vpcep_endpoint_free(eg);

    check(vpcep_connections_list(&cl, own, svc->id, NULL, &err), &err, "connections");
    assert_int_equal(cl->count, 1);
    assert_string_equal(cl->items[0]->id, ep->id);
    assert_string_equal(cl->items[0]->domain_id, E.consumer.domain_id);
    assert_true(cl->items[0]->marker_id > 0);
    vpcep_connection_list_free(cl);

    ids[0] = ep->id;
    check(vpcep_connection_action(&cl, own, svc->id, VPCEP_CONNECTION_ACCEPT, ids, 1, &err), &err,
          "accept");
    assert_int_equal(cl->count, 1);
    assert_string_equal(cl->items[0]->status, "accepted");
    vpcep_connection_list_free(cl);
    vpcep_wait_spec_connection_accepted(&spec, WAIT_MS);
    check(vpcep_wait_connection(&conn, NULL, own, svc->id, ep->id, &spec, &err), &err,
          "wait connection accepted");
    vpcep_connection_free(conn);
    vpcep_wait_spec_endpoint_accepted(&spec, WAIT_MS);
    check(vpcep_wait_endpoint(&eg, NULL, con, ep->id, &spec, &err), &err, "wait accepted");
    assert_non_null(eg->ip);
    assert_true(eg->n_dns_names >= 1);
    vpcep_endpoint_free(eg);

    /* a service with an accepted endpoint cannot be deleted */
    assert_int_equal(vpcep_service_delete(own, svc->id, &err), VPCEP_ECONFLICT);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.3006"));

    check(vpcep_connection_action(NULL, own, svc->id, VPCEP_CONNECTION_REJECT, ids, 1, &err), &err,
          "reject");
    vpcep_wait_spec_connection_rejected(&spec, WAIT_MS);
    check(vpcep_wait_connection(NULL, NULL, own, svc->id, ep->id, &spec, &err), &err,
          "wait connection rejected");
    check(vpcep_endpoint_get(&eg, con, ep->id, &err), &err, "endpoint get");
    assert_string_equal(eg->status, "rejected");
    vpcep_endpoint_free(eg);

    elo.vpc_id = E.consumer.vpc_id;
    check(vpcep_endpoints_list(&el, con, &elo, &err), &err, "endpoint list");
    assert_int_equal(el->count, 1);
    vpcep_endpoint_list_free(el);
    check(vpcep_tags_action(con, VPCEP_RESOURCE_ENDPOINT, ep->id, VPCEP_TAGS_CREATE, t2, 1, &err),
          &err, "endpoint tags");

    check(vpcep_permission_action(own, svc->id, VPCEP_PERMISSION_REMOVE, dom, 1, &err), &err,
          "permission remove");
    delete_endpoint_and_wait(con, ep->id);
    assert_int_equal(vpcep_endpoint_get(&eg, con, ep->id, &err), VPCEP_ENOTFOUND);
    assert_int_equal(err.http_status, 404);
    assert_int_equal(vpcep_endpoint_delete(con, ep->id, &err), VPCEP_ENOTFOUND);
    delete_service_and_wait(own, svc->id);
    assert_int_equal(vpcep_service_get(&got, own, svc->id, &err), VPCEP_ENOTFOUND);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.0005"));

    assert_int_equal(it_counts(&E, &ns, &ne), 0);
    assert_int_equal(ns, 0);
    assert_int_equal(ne, 0);
    vpcep_endpoint_free(ep);
    vpcep_service_free(svc);
    vpcep_client_free(own);
    vpcep_client_free(con);
}

static void test_lifecycle_aksk(void **state)
{
    (void)state;
    lifecycle("aksk");
}

static void test_lifecycle_token(void **state)
{
    (void)state;
    lifecycle("token");
}

static void test_lifecycle_password(void **state)
{
    (void)state;
    lifecycle("password");
}

static void test_token_renewal(void **state)
{
    vpcep_client *c;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;

    (void)state;
    c = it_client(&E, "owner", "password");
    check(vpcep_quota_get(&q, c, NULL, &err), &err, "first call");
    vpcep_quota_list_free(q);
    assert_int_equal(it_clock(&E, 1001), 0); /* the token expires (--token-ttl-s 1): the next
                                                call gets 401 and renews once */
    check(vpcep_quota_get(&q, c, NULL, &err), &err, "after expiry");
    vpcep_quota_list_free(q);
    vpcep_client_get_stats(&st, c);
    assert_int_equal(st.token_requests, 2);
    vpcep_client_free(c);
}

static void test_bad_credentials(void **state)
{
    vpcep_client_options o;
    vpcep_client *c = NULL;
    vpcep_quota_list *q = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    it_options(&E, "owner", "aksk", &o);
    o.secret_key = "WRONG";
    check(vpcep_client_new(&c, &o, &err), &err, "client");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_int_equal(err.http_status, 401);
    vpcep_client_free(c);
    it_options(&E, "owner", "password", &o);
    o.password = "nope";
    check(vpcep_client_new(&c, &o, &err), &err, "client");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_null(strstr(err.error_msg, "nope"));
    vpcep_client_free(c);
    /* the consumer's credentials against the owner's project */
    it_options(&E, "consumer", "aksk", &o);
    o.project_id = E.owner.project_id;
    check(vpcep_client_new(&c, &o, &err), &err, "client");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_int_equal(err.http_status, 403);
    vpcep_client_free(c);
}

static void test_api_errors(void **state)
{
    vpcep_client *own = it_client(&E, "owner", "aksk");
    vpcep_service *svc, *s = NULL;
    vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 80, "TCP"}};
    vpcep_error err = VPCEP_ERROR_INIT;
    const char *ids[] = {"00000000-0000-0000-0000-000000000000"};

    (void)state;
    assert_int_equal(vpcep_service_get(&s, own, "00000000-0000-0000-0000-000000000000", &err),
                     VPCEP_ENOTFOUND);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.0005"));
    o.port_id = E.owner.port_id[0];
    o.vpc_id = E.owner.vpc_id;
    o.server_type = "VM";
    o.ports = ports;
    o.n_ports = 1;
    o.service_name = "bad name!";
    assert_int_equal(vpcep_service_create(&s, own, &o, &err), VPCEP_EINVALID);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.0002"));
    o.service_name = NULL;
    o.server_type = "XX";
    assert_int_equal(vpcep_service_create(&s, own, &o, &err), VPCEP_EINVALID);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.3021"));
    svc = create_service(own, 0, 80, "dup", 0);
    o.server_type = "VM";
    assert_int_equal(vpcep_service_create(&s, own, &o, &err), VPCEP_ECONFLICT);
    assert_true(vpcep_error_code_equal(err.error_code, "EndPoint.3044"));
    assert_int_not_equal(
        vpcep_connection_action(NULL, own, svc->id, VPCEP_CONNECTION_ACCEPT, ids, 1, &err), 0);
    assert_true(err.error_code[0] != '\0');
    delete_service_and_wait(own, svc->id);
    vpcep_service_free(svc);
    vpcep_client_free(own);
}

/* ---- paging ------------------------------------------------------------------------------ */
static void test_paging(void **state)
{
    vpcep_client *own = it_client(&E, "owner", "aksk"), *con = it_client(&E, "consumer", "aksk");
    vpcep_service *svcs[12];
    vpcep_endpoint *eps[3];
    vpcep_service_list *sl = NULL;
    vpcep_service_list_opts slo = VPCEP_SERVICE_LIST_OPTS_INIT;
    vpcep_endpoint_list *el = NULL;
    vpcep_endpoint_list_opts elo = VPCEP_ENDPOINT_LIST_OPTS_INIT;
    vpcep_connection_list *cl = NULL;
    vpcep_connection_list_opts clo = VPCEP_CONNECTION_LIST_OPTS_INIT;
    vpcep_permission_list *pl = NULL;
    vpcep_permission_list_opts plo = VPCEP_PERMISSION_LIST_OPTS_INIT;
    vpcep_service_info_list *pub = NULL;
    vpcep_public_service_list_opts puo = VPCEP_PUBLIC_SERVICE_LIST_OPTS_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    const char *doms[] = {E.consumer.domain_id, "aaaa1", "aaaa2", "aaaa3", "aaaa4", "aaaa5"};
    char name[17];
    size_t i, j;

    (void)state;
    for (i = 0; i < 12; i++) {
        snprintf(name, sizeof(name), "page%zu", i);
        svcs[i] = create_service(own, 0, 1001 + (int)i, name, 0);
    }
    slo.page_size = 5;
    check(vpcep_services_list(&sl, own, &slo, &err), &err, "list 3 pages");
    assert_int_equal(sl->count, 12);
    assert_int_equal(sl->total_count, 12);
    for (i = 0; i < 12; i++) /* no item twice */
        for (j = i + 1; j < 12; j++)
            assert_string_not_equal(sl->items[i]->id, sl->items[j]->id);
    vpcep_service_list_free(sl);
    slo.name = "page1"; /* fuzzy: page1, page10, page11 */
    slo.page_size = 1;
    check(vpcep_services_list(&sl, own, &slo, &err), &err, "filtered pages");
    assert_int_equal(sl->count, 3);
    vpcep_service_list_free(sl);

    check(vpcep_permission_action(own, svcs[0]->id, VPCEP_PERMISSION_ADD, doms, 6, &err), &err,
          "permissions add 6");
    plo.page_size = 4;
    check(vpcep_permissions_list(&pl, own, svcs[0]->id, &plo, &err), &err, "permissions pages");
    assert_true(pl->count >= 6);
    assert_int_equal((int64_t)pl->count, pl->total_count);
    vpcep_permission_list_free(pl);

    for (i = 0; i < 3; i++)
        eps[i] = create_endpoint(con, svcs[0]->id, 0);
    elo.page_size = 2;
    elo.vpc_id = E.consumer.vpc_id;
    check(vpcep_endpoints_list(&el, con, &elo, &err), &err, "endpoint pages");
    assert_int_equal(el->count, 3);
    vpcep_endpoint_list_free(el);
    clo.page_size = 2;
    check(vpcep_connections_list(&cl, own, svcs[0]->id, &clo, &err), &err, "connection pages");
    assert_int_equal(cl->count, 3);
    vpcep_connection_list_free(cl);
    puo.page_size = 1;
    check(vpcep_public_services_list(&pub, con, &puo, &err), &err, "public pages");
    assert_true(pub->count >= 2);
    vpcep_service_info_list_free(pub);

    for (i = 0; i < 3; i++) {
        delete_endpoint_and_wait(con, eps[i]->id);
        vpcep_endpoint_free(eps[i]);
    }
    for (i = 0; i < 12; i++) {
        delete_service_and_wait(own, svcs[i]->id);
        vpcep_service_free(svcs[i]);
    }
    vpcep_client_free(own);
    vpcep_client_free(con);
}

/* ---- waiters -----------------------------------------------------------------------------
 * The emulator runs with --manual-clock and the clients with a virtual clock: a client's sleep
 * moves both its own clock and the emulator's by the time slept, so waits are deterministic
 * (nothing depends on how fast the machine is) and take no real time. */
static int64_t virtual_ms;
static int virtual_sleeps;

static void virtual_sleep(void *ud, long ms)
{
    virtual_ms += ms;
    virtual_sleeps++;
    assert_int_equal(it_clock(ud, ms), 0);
}

static int64_t virtual_now(void *ud)
{
    (void)ud;
    return virtual_ms;
}

static vpcep_client *virtual_client(const char *who, int (*cancelled)(void *))
{
    vpcep_client_options o;
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    it_options(&E, who, "aksk", &o);
    o.cancelled = cancelled;
    check(vpcep_client_new(&c, &o, &err), &err, "client");
    assert_int_equal(vpcep_client_set_clock(c, virtual_sleep, virtual_now, &E), 0);
    return c;
}

/* StopProvider arrives while the waiter waits between polls: once it has slept twice (so it
 * has polled at least once, whatever its initial delay). */
static int cancel_after_sleeps;

static int cancel_hook(void *ud)
{
    (void)ud;
    return virtual_sleeps >= cancel_after_sleeps;
}

static void test_waiters(void **state)
{
    vpcep_client *own, *con, *cc;
    vpcep_service_create_opts so = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 80, "TCP"}};
    vpcep_service *s = NULL, *done = NULL;
    vpcep_endpoint *ep, *eg = NULL;
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_wait_stats st = VPCEP_WAIT_STATS_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;
    const char *dom[1];

    (void)state;
    own = virtual_client("owner", NULL);
    con = virtual_client("consumer", NULL);
    so.port_id = E.owner.port_id[0];
    so.vpc_id = E.owner.vpc_id;
    so.server_type = "VM";
    so.ports = ports;
    so.n_ports = 1;
    so.approval_enabled_set = 1; /* false: endpoints are accepted without approval */
    check(vpcep_service_create(&s, own, &so, &err), &err, "create");
    assert_string_equal(s->status, "creating");

    /* timeout: the deadline (150 ms) passes while the service is still creating (700 ms) */
    vpcep_wait_spec_service_available(&spec, 150);
    assert_int_equal(vpcep_wait_service(&done, &st, own, s->id, &spec, &err), VPCEP_ETIMEOUT);
    assert_string_equal(err.state, "creating");
    assert_non_null(strstr(err.error_msg, "creating"));
    assert_null(done);

    /* cancellation (StopProvider) while the service is still creating */
    cancel_after_sleeps = virtual_sleeps + 2;
    cc = virtual_client("owner", cancel_hook);
    vpcep_wait_spec_service_available(&spec, 0);
    spec.poll_min_ms = spec.poll_max_ms = 100; /* 350 of the 700 ms have passed afterwards */
    assert_int_equal(vpcep_wait_service(&done, NULL, cc, s->id, &spec, &err), VPCEP_ECANCELED);
    assert_string_equal(err.state, "creating");
    vpcep_client_free(cc);

    /* success, with the calls spent */
    vpcep_wait_spec_service_available(&spec, WAIT_MS);
    check(vpcep_wait_service(&done, &st, own, s->id, &spec, &err), &err, "wait available");
    assert_string_equal(done->status, "available");
    assert_true(st.polls >= 1); /* the first poll comes 200 ms in, and may already see it */
    assert_true(st.api_calls >= st.polls);
    fprintf(stderr, "wait available: %u polls, %u API calls, %lld ms\n", st.polls, st.api_calls,
            (long long)st.elapsed_ms);
    vpcep_service_free(done);

    dom[0] = E.consumer.domain_id;
    check(vpcep_permission_action(own, s->id, VPCEP_PERMISSION_ADD, dom, 1, &err), &err, "wl");
    ep = create_endpoint(con, s->id, 0);
    vpcep_wait_spec_endpoint_accepted(&spec, WAIT_MS);
    check(vpcep_wait_endpoint(&eg, &st, con, ep->id, &spec, &err), &err, "wait accepted");
    assert_string_equal(eg->status, "accepted");
    assert_non_null(eg->ip);
    vpcep_endpoint_free(eg);

    /* deletes wait until 404 */
    check(vpcep_endpoint_delete(con, ep->id, &err), &err, "delete ep");
    vpcep_wait_spec_endpoint_deleted(&spec, WAIT_MS);
    check(vpcep_wait_endpoint(&eg, &st, con, ep->id, &spec, &err), &err, "wait deleted");
    assert_null(eg);
    assert_true(st.polls >= 2);
    /* waiting for a target on an object that is gone */
    vpcep_wait_spec_endpoint_accepted(&spec, WAIT_MS);
    assert_int_equal(vpcep_wait_endpoint(&eg, NULL, con, ep->id, &spec, &err), VPCEP_ENOTFOUND);
    delete_service_and_wait(own, s->id);
    vpcep_endpoint_free(ep);
    vpcep_service_free(s);
    vpcep_client_free(own);
    vpcep_client_free(con);
}

static void test_waiter_failure_state(void **state)
{
    vpcep_client *own;
    vpcep_service_create_opts so = VPCEP_SERVICE_CREATE_OPTS_INIT;
    vpcep_port_param ports[] = {{8080, 80, "TCP"}};
    vpcep_service *s = NULL, *done = NULL;
    vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
    vpcep_error err = VPCEP_ERROR_INIT;

    (void)state;
    own = virtual_client("owner", NULL);
    so.port_id = E.owner.port_id[1];
    so.vpc_id = E.owner.vpc_id;
    so.server_type = "VM";
    so.ports = ports;
    so.n_ports = 1;
    check(vpcep_service_create(&s, own, &so, &err), &err, "create");
    vpcep_wait_spec_service_available(&spec, WAIT_MS);
    assert_int_equal(vpcep_wait_service(&done, NULL, own, s->id, &spec, &err), VPCEP_EAPI);
    assert_string_equal(err.state, "failed");
    assert_true(err.error_code[0] != '\0'); /* the API's error[] detail */
    fprintf(stderr, "failure detail: %s %s\n", err.error_code, err.error_msg);
    assert_null(done);
    vpcep_service_free(s);
    vpcep_client_free(own);
}

/* ---- faults ------------------------------------------------------------------------------ */
static void test_faults_no_duplicates(void **state)
{
    vpcep_client_options o;
    vpcep_client *own = NULL, *con = NULL;
    vpcep_service *svcs[6];
    vpcep_endpoint *eps[6];
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client_stats so = VPCEP_CLIENT_STATS_INIT, sc = VPCEP_CLIENT_STATS_INIT;
    const char *dom[1];
    const char *ids[1];
    int ns = -1, ne = -1;
    size_t i;
    char name[17];

    (void)state;
    it_options(&E, "owner", "aksk", &o);
    o.max_retries = 12;
    o.timeout_ms = 3000;
    check(vpcep_client_new(&own, &o, &err), &err, "owner");
    it_options(&E, "consumer", "aksk", &o);
    o.max_retries = 12;
    o.timeout_ms = 3000;
    check(vpcep_client_new(&con, &o, &err), &err, "consumer");
    dom[0] = E.consumer.domain_id;
    for (i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "fault%zu", i);
        svcs[i] = create_service(own, (int)(i % 2), 2001 + (int)i, name, 1);
        check(vpcep_permission_action(own, svcs[i]->id, VPCEP_PERMISSION_ADD, dom, 1, &err), &err,
              "whitelist");
    }
    for (i = 0; i < 6; i++) {
        vpcep_wait_spec spec = VPCEP_WAIT_SPEC_INIT;
        eps[i] = create_endpoint(con, svcs[i]->id, 0);
        vpcep_wait_spec_connection_accepted(&spec, WAIT_MS);
        vpcep_wait_spec_endpoint_created(&spec, WAIT_MS);
        check(vpcep_wait_endpoint(NULL, NULL, con, eps[i]->id, &spec, &err), &err, "created");
        ids[0] = eps[i]->id;
        check(
            vpcep_connection_action(NULL, own, svcs[i]->id, VPCEP_CONNECTION_ACCEPT, ids, 1, &err),
            &err, "accept");
        vpcep_wait_spec_connection_accepted(&spec, WAIT_MS);
        check(vpcep_wait_connection(NULL, NULL, own, svcs[i]->id, eps[i]->id, &spec, &err), &err,
              "accepted");
    }
    assert_int_equal(it_counts(&E, &ns, &ne), 0);
    assert_int_equal(ns, 6); /* no duplicate created by a retried POST */
    assert_int_equal(ne, 6);
    vpcep_client_get_stats(&so, own);
    vpcep_client_get_stats(&sc, con);
    fprintf(stderr, "owner: %llu requests, %llu retries; consumer: %llu requests, %llu retries\n",
            (unsigned long long)so.requests, (unsigned long long)so.retries,
            (unsigned long long)sc.requests, (unsigned long long)sc.retries);
    assert_true(so.retries + sc.retries > 0); /* faults really happened */
    for (i = 0; i < 6; i++) {
        delete_endpoint_and_wait(con, eps[i]->id);
        delete_service_and_wait(own, svcs[i]->id);
        vpcep_endpoint_free(eps[i]);
        vpcep_service_free(svcs[i]);
    }
    assert_int_equal(it_counts(&E, &ns, &ne), 0);
    assert_int_equal(ns, 0);
    assert_int_equal(ne, 0);
    vpcep_client_free(own);
    vpcep_client_free(con);
}

/* Creates under lost answers: half of the dropped connections happen after the emulator applied
 * the request, so a blind re-POST would create a duplicate. */
static int lookups;

static void count_lookups(void *ud, int level, const char *msg)
{
    (void)ud;
    (void)level;
    if (strstr(msg, "looking it up") != NULL)
        lookups++;
    if (getenv("IT_CLIENT_LOG") != NULL)
        fprintf(stderr, "%s\n", msg);
}

static void test_faults_creates(void **state)
{
    enum { N = 15 };
    vpcep_client_options o;
    vpcep_client *own = NULL, *con = NULL;
    vpcep_service *svcs[N];
    vpcep_endpoint *eps[N];
    vpcep_error err = VPCEP_ERROR_INIT;
    const char *dom[1];
    int ns = -1, ne = -1;
    size_t i;

    (void)state;
    lookups = 0;
    it_options(&E, "owner", "aksk", &o);
    o.max_retries = 12;
    o.log = count_lookups;
    check(vpcep_client_new(&own, &o, &err), &err, "owner");
    it_options(&E, "consumer", "aksk", &o);
    o.max_retries = 12;
    o.log = count_lookups;
    check(vpcep_client_new(&con, &o, &err), &err, "consumer");
    dom[0] = E.consumer.domain_id;
    for (i = 0; i < N; i++) {
        svcs[i] = create_service(own, (int)(i % 2), 3001 + (int)i, NULL, 0);
        check(vpcep_permission_action(own, svcs[i]->id, VPCEP_PERMISSION_ADD, dom, 1, &err), &err,
              "whitelist");
    }
    for (i = 0; i < N; i++)
        eps[i] = create_endpoint(con, svcs[i]->id, 0);
    assert_int_equal(it_counts(&E, &ns, &ne), 0);
    assert_int_equal(ns, N);
    assert_int_equal(ne, N);
    fprintf(stderr, "creates with unknown outcome looked up: %d\n", lookups);
    assert_true(lookups > 0); /* the duplicate-safety path really ran */
    for (i = 0; i < N; i++) {
        delete_endpoint_and_wait(con, eps[i]->id);
        delete_service_and_wait(own, svcs[i]->id);
        vpcep_endpoint_free(eps[i]);
        vpcep_service_free(svcs[i]);
    }
    assert_int_equal(it_counts(&E, &ns, &ne), 0);
    assert_int_equal(ns + ne, 0);
    vpcep_client_free(own);
    vpcep_client_free(con);
}

/* ---- concurrency: one client from several threads ------------------------------------------ */
#include <pthread.h>

static void *hammer(void *ud)
{
    vpcep_client *c = ud;
    vpcep_error err = VPCEP_ERROR_INIT;
    int i, fails = 0;

    for (i = 0; i < 20; i++) {
        vpcep_quota_list *q = NULL;
        vpcep_service_info_list *pub = NULL;
        fails += vpcep_quota_get(&q, c, NULL, &err) != 0;
        fails += vpcep_public_services_list(&pub, c, NULL, &err) != 0;
        vpcep_quota_list_free(q);
        vpcep_service_info_list_free(pub);
    }
    return (void *)(intptr_t)fails;
}

static void test_threads_share_a_client(void **state)
{
    const char *modes[] = {"aksk", "password"};
    size_t m;

    (void)state;
    for (m = 0; m < 2; m++) {
        vpcep_client *c = it_client(&E, "owner", modes[m]);
        pthread_t th[4];
        void *r;
        int i, fails = 0;
        for (i = 0; i < 4; i++)
            pthread_create(&th[i], NULL, hammer, c);
        for (i = 0; i < 4; i++) {
            pthread_join(th[i], &r);
            fails += (int)(intptr_t)r;
        }
        assert_int_equal(fails, 0);
        vpcep_client_free(c);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest auth[] = {
        cmocka_unit_test_setup_teardown(test_lifecycle_aksk, start_fast, stop),
        cmocka_unit_test_setup_teardown(test_lifecycle_token, start_fast, stop),
        cmocka_unit_test_setup_teardown(test_lifecycle_password, start_fast, stop),
        cmocka_unit_test_setup_teardown(test_token_renewal, setup_token_renewal, stop),
        cmocka_unit_test_setup_teardown(test_bad_credentials, start_fast, stop),
        cmocka_unit_test_setup_teardown(test_api_errors, start_fast, stop),
        cmocka_unit_test_setup_teardown(test_threads_share_a_client, start_fast, stop),
    };
    const struct CMUnitTest paging[] = {
        cmocka_unit_test_setup_teardown(test_paging, start_fast, stop),
    };
    const struct CMUnitTest waiters[] = {
        cmocka_unit_test_setup_teardown(test_waiters, setup_waiters, stop),
        cmocka_unit_test_setup_teardown(test_waiter_failure_state, setup_waiter_failure_state,
                                        stop),
    };
    const struct CMUnitTest faults[] = {
        cmocka_unit_test_setup_teardown(test_faults_no_duplicates, setup_faults_no_duplicates,
                                        stop),
        cmocka_unit_test_setup_teardown(test_faults_creates, setup_faults_creates, stop),
    };
    const char *scenario = argc > 2 ? argv[2] : "";

    it_set_binary(argc > 1 ? argv[1] : NULL);
    if (strcmp(scenario, "operations") == 0)
        return cmocka_run_group_tests_name("operations", auth, NULL, NULL);
    if (strcmp(scenario, "paging") == 0)
        return cmocka_run_group_tests_name("paging", paging, NULL, NULL);
    if (strcmp(scenario, "waiters") == 0)
        return cmocka_run_group_tests_name("waiters", waiters, NULL, NULL);
    if (strcmp(scenario, "faults") == 0)
        return cmocka_run_group_tests_name("faults", faults, NULL, NULL);
    fprintf(stderr, "usage: %s <vpcep-emulator> operations|paging|waiters|faults\n", argv[0]);
    return 2;
}
