/*
 * An old caller: a program built against version 1 of every versioned public struct
 * (tests/abi/v1/v1_structs.h) runs against the current libvpcep and libtfp. Each struct it
 * passes ends exactly where an inaccessible page begins, so a library that reads or writes
 * one byte past the caller's version (its own, newer sizeof) crashes the test; the results
 * show that the library read the fields the caller set and filled the ones it has.
 *
 * The calls never reach the network: the client's cancellation hook says stop, so each API
 * call returns VPCEP_ECANCELED right after reading its options.
 */
#define _DEFAULT_SOURCE

#include "v1/v1_structs.h"

#include <tfp/tfp.h>
#include <vpcep/sys/policy.h>
#include <vpcep/vpcep.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

_Static_assert(sizeof(vpcep_error_v1) == sizeof(vpcep_error), "vpcep_error is frozen");

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#define GUARD_BYTE 0xA5

/* @p size bytes filled with GUARD_BYTE that end where an inaccessible page starts. */
static void *at_page_end(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *p =
        mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED || mprotect(p + page, page, PROT_NONE) != 0) {
        perror("mmap");
        exit(1);
    }
    memset(p, GUARD_BYTE, page);
    return p + page - size;
}

/* A v1 struct of @p size bytes at a page end: version 1, every other byte zero. */
static void *v1_struct(size_t size)
{
    unsigned int one = 1;
    void *s = at_page_end(size);

    memset(s, 0, size);
    memcpy(s, &one, sizeof(one));
    return s;
}
#define V1(type) ((type *)v1_struct(sizeof(type)))

static int all_guard(const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        if (b[i] != GUARD_BYTE)
            return 0;
    }
    return 1;
}

static int stop_now(void *ud)
{
    (void)ud;
    return 1;
}

static vpcep_client *old_client(void)
{
    vpcep_client_options_v1 *o = at_page_end(sizeof(*o));
    vpcep_error_v1 *err = at_page_end(sizeof(*err));
    vpcep_client *c = NULL;
    int rc;

    /* init writes version 1's fields and not one byte more */
    CHECK(vpcep_client_options_init((vpcep_client_options *)o, 1) == 0);
    CHECK(o->version == 1 && o->region == NULL && o->cancelled == NULL && o->cancel_ud == NULL);
    o->endpoint = "http://127.0.0.1:9";
    o->project_id = "0123456789abcdef";
    o->access_key = "AK";
    o->secret_key = "SK";
    o->cancelled = stop_now;
    rc = vpcep_client_new(&c, (const vpcep_client_options *)o, (vpcep_error *)err);
    CHECK(rc == 0 && err->kind == 0);
    CHECK(strcmp(vpcep_client_endpoint(c), "http://127.0.0.1:9") == 0);
    return c;
}

static void test_client_options_and_error(void)
{
    vpcep_client_options_v1 *o = at_page_end(sizeof(*o));
    vpcep_error_v1 *err = at_page_end(sizeof(*err));
    vpcep_client *c = NULL;

    /* unknown versions: refused, nothing written */
    CHECK(vpcep_client_options_init((vpcep_client_options *)o, 0) == VPCEP_EINVALID);
    CHECK(vpcep_client_options_init((vpcep_client_options *)o, VPCEP_CLIENT_OPTIONS_VERSION + 1) ==
          VPCEP_EINVALID);
    CHECK(all_guard(o, sizeof(*o)));
    /* a failing call fills the frozen error, all of it and nothing beyond */
    o->version = VPCEP_CLIENT_OPTIONS_VERSION + 1;
    CHECK(vpcep_client_new(&c, (const vpcep_client_options *)o, (vpcep_error *)err) ==
          VPCEP_EINVALID);
    CHECK(c == NULL && err->kind == VPCEP_EINVALID);
    CHECK(strstr(err->error_msg, "vpcep_client_options version") != NULL);
    vpcep_error_init((vpcep_error *)err);
    CHECK(err->kind == 0 && err->error_msg[0] == '\0');
}

static void test_client_stats(vpcep_client *c)
{
    vpcep_client_stats_v1 *st = V1(vpcep_client_stats_v1);

    st->requests = 77;
    CHECK(vpcep_client_get_stats((vpcep_client_stats *)st, c) == 0);
    CHECK(st->version == 1 && st->requests == 0 && st->token_requests == 0);
    st->version = VPCEP_CLIENT_STATS_VERSION + 1;
    st->requests = 77;
    CHECK(vpcep_client_get_stats((vpcep_client_stats *)st, c) == VPCEP_EINVALID);
    CHECK(st->requests == 77);
}

static void test_wait(vpcep_client *c)
{
    vpcep_wait_spec_v1 *spec = V1(vpcep_wait_spec_v1);
    vpcep_wait_stats_v1 *st = V1(vpcep_wait_stats_v1);
    vpcep_error_v1 *err = at_page_end(sizeof(*err));

    CHECK(vpcep_wait_spec_endpoint_accepted((vpcep_wait_spec *)spec, 1000) == 0);
    CHECK(spec->version == 1 && spec->timeout_ms == 1000 && spec->poll_max_ms > 0);
    CHECK(strcmp(spec->target[0], "accepted") == 0);
    CHECK(vpcep_wait_classify((const vpcep_wait_spec *)spec, "accepted") == 1);
    CHECK(vpcep_wait_classify((const vpcep_wait_spec *)spec, "rejected") == -1);
    CHECK(vpcep_wait_interval_ms((const vpcep_wait_spec *)spec, 0) == spec->poll_min_ms);
    spec->initial_delay_ms = 0;
    st->polls = 99;
    CHECK(vpcep_wait_endpoint(NULL, (vpcep_wait_stats *)st, c, "ep-1",
                              (const vpcep_wait_spec *)spec,
                              (vpcep_error *)err) == VPCEP_ECANCELED);
    CHECK(st->version == 1 && st->polls == 0);
    /* a spec or stats of a version the library does not know: refused */
    spec->version = VPCEP_WAIT_SPEC_VERSION + 1;
    CHECK(vpcep_wait_spec_service_available((vpcep_wait_spec *)spec, 5) == VPCEP_EINVALID);
    CHECK(spec->timeout_ms == 1000);
    CHECK(vpcep_wait_endpoint(NULL, NULL, c, "ep-1", (const vpcep_wait_spec *)spec,
                              (vpcep_error *)err) == VPCEP_EINVALID);
    spec->version = 1;
    st->version = 0;
    st->polls = 99;
    CHECK(vpcep_wait_endpoint(NULL, (vpcep_wait_stats *)st, c, "ep-1",
                              (const vpcep_wait_spec *)spec, (vpcep_error *)err) == VPCEP_EINVALID);
    CHECK(st->polls == 99);
}

/* Each API call reads its v1 options (a crash otherwise) and stops at the cancellation hook. */
static void test_request_opts(vpcep_client *c)
{
    static const vpcep_port_param ports[] = {{80, 8080, "TCP"}};
    vpcep_error_v1 *err = at_page_end(sizeof(*err));
    vpcep_service_create_opts_v1 *sc = V1(vpcep_service_create_opts_v1);
    vpcep_service_list_opts_v1 *sl = V1(vpcep_service_list_opts_v1);
    vpcep_service_update_opts_v1 *su = V1(vpcep_service_update_opts_v1);
    vpcep_public_service_list_opts_v1 *pl = V1(vpcep_public_service_list_opts_v1);
    vpcep_connection_list_opts_v1 *cl = V1(vpcep_connection_list_opts_v1);
    vpcep_permission_list_opts_v1 *ml = V1(vpcep_permission_list_opts_v1);
    vpcep_endpoint_create_opts_v1 *ec = V1(vpcep_endpoint_create_opts_v1);
    vpcep_endpoint_list_opts_v1 *el = V1(vpcep_endpoint_list_opts_v1);
    vpcep_resource_query_opts_v1 *rq = V1(vpcep_resource_query_opts_v1);
    vpcep_service *svc = NULL;
    vpcep_service_list *svcs = NULL;
    vpcep_service_info_list *infos = NULL;
    vpcep_connection_list *conns = NULL;
    vpcep_permission_list *perms = NULL;
    vpcep_endpoint *ep = NULL;
    vpcep_endpoint_list *eps = NULL;
    vpcep_tagged_resource_list *res = NULL;
    int64_t count = -1;

    sc->port_id = "port-1";
    sc->vpc_id = "vpc-1";
    sc->server_type = "VM";
    sc->ports = ports;
    sc->n_ports = 1;
    CHECK(vpcep_service_create(&svc, c, (const vpcep_service_create_opts *)sc,
                               (vpcep_error *)err) == VPCEP_ECANCELED);
    sc->n_ports = 0; /* read: a required field is missing */
    CHECK(vpcep_service_create(&svc, c, (const vpcep_service_create_opts *)sc,
                               (vpcep_error *)err) == VPCEP_EINVALID);
    sl->name = "x";
    CHECK(vpcep_services_list(&svcs, c, (const vpcep_service_list_opts *)sl, (vpcep_error *)err) ==
          VPCEP_ECANCELED);
    su->description = "new";
    CHECK(vpcep_service_update(&svc, c, "svc-1", (const vpcep_service_update_opts *)su,
                               (vpcep_error *)err) == VPCEP_ECANCELED);
    CHECK(vpcep_public_services_list(&infos, c, (const vpcep_public_service_list_opts *)pl,
                                     (vpcep_error *)err) == VPCEP_ECANCELED);
    CHECK(vpcep_connections_list(&conns, c, "svc-1", (const vpcep_connection_list_opts *)cl,
                                 (vpcep_error *)err) == VPCEP_ECANCELED);
    CHECK(vpcep_permissions_list(&perms, c, "svc-1", (const vpcep_permission_list_opts *)ml,
                                 (vpcep_error *)err) == VPCEP_ECANCELED);
    ec->endpoint_service_id = "svc-1";
    ec->vpc_id = "vpc-1";
    ec->subnet_id = "subnet-1";
    CHECK(vpcep_endpoint_create(&ep, c, (const vpcep_endpoint_create_opts *)ec,
                                (vpcep_error *)err) == VPCEP_ECANCELED);
    CHECK(vpcep_endpoints_list(&eps, c, (const vpcep_endpoint_list_opts *)el, (vpcep_error *)err) ==
          VPCEP_ECANCELED);
    CHECK(vpcep_resources_filter(&res, c, VPCEP_RESOURCE_ENDPOINT,
                                 (const vpcep_resource_query_opts *)rq,
                                 (vpcep_error *)err) == VPCEP_ECANCELED);
    CHECK(vpcep_resources_count(&count, c, VPCEP_RESOURCE_SERVICE,
                                (const vpcep_resource_query_opts *)rq,
                                (vpcep_error *)err) == VPCEP_ECANCELED);
    /* a future version is refused by name */
    el->version = VPCEP_ENDPOINT_LIST_OPTS_VERSION + 1;
    CHECK(vpcep_endpoints_list(&eps, c, (const vpcep_endpoint_list_opts *)el, (vpcep_error *)err) ==
          VPCEP_EINVALID);
    CHECK(strstr(err->error_msg, "vpcep_endpoint_list_opts version") != NULL);
    CHECK(svc == NULL && svcs == NULL && infos == NULL && conns == NULL && perms == NULL &&
          ep == NULL && eps == NULL && res == NULL);
}

static void test_serve_options(void)
{
    tfp_serve_options_v1 *o = at_page_end(sizeof(*o));
    tfp_provider *p = NULL;
    char arg0[] = "old-caller", arg1[] = "--version";
    char *argv[] = {arg0, arg1, NULL};

    CHECK(tfp_serve_options_init((tfp_serve_options *)o, TFP_SERVE_OPTIONS_VERSION + 1) ==
          TFP_EINVALID);
    CHECK(all_guard(o, sizeof(*o)));
    CHECK(tfp_serve_options_init((tfp_serve_options *)o, 1) == 0);
    CHECK(o->version == 1 && o->network == NULL && o->protocols == 0);
    CHECK(tfp_provider_new(&p, "old-caller", "1.2.3") == 0);
    /* --version: tfp_serve reads the options, prints the version and returns 0 */
    CHECK(tfp_serve(p, 2, argv, (const tfp_serve_options *)o) == 0);
    o->version = TFP_SERVE_OPTIONS_VERSION + 1;
    CHECK(tfp_serve(p, 2, argv, (const tfp_serve_options *)o) == 1);
    tfp_provider_free(p);
}

int main(void)
{
    vpcep_client *c;

    test_client_options_and_error();
    c = old_client();
    if (c != NULL) {
        test_client_stats(c);
        test_wait(c);
        test_request_opts(c);
        vpcep_client_free(c);
    }
    test_serve_options();
    if (failures != 0) {
        fprintf(stderr, "old_caller: %d check(s) failed\n", failures);
        return 1;
    }
    printf("old_caller: v1 structs accepted, nothing read or written past them\n");
    return 0;
}
