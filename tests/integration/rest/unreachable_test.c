/*
 * The client against an API it cannot reach, through the real libcurl transport: a refused
 * port (bound, then closed), a host name that cannot resolve, and a listener that accepts
 * connections and never answers. Each must fail with the right code, a message naming the URL,
 * the attempts and the setting to check, and the number of attempts the policy promises:
 * counted through the client's statistics, never timed (the bench prints the times).
 */
#include "harness.h" /* vpcep.h and what cmocka.h needs first */

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A loopback port nothing listens on: bound to get a free one, then closed. */
static int refused_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    assert_true(fd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* A listener that completes the TCP handshake (the kernel does, from the backlog) and never
 * reads or answers: *fd_out stays open until the caller closes it. */
static int silent_listener(int *fd_out)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 64), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *fd_out = fd;
    return ntohs(a.sin_port);
}

static vpcep_client *client_at(const char *endpoint, int max_retries, long timeout_ms)
{
    vpcep_client_options o = VPCEP_CLIENT_OPTIONS_INIT;
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;

    o.region = "eu-de";
    o.endpoint = endpoint;
    o.project_id = "p123";
    o.access_key = "AK";
    o.secret_key = "SK";
    o.max_retries = max_retries;
    o.retry_base_ms = 10; /* the delays are the bench's business */
    o.retry_cap_ms = 10;
    o.timeout_ms = timeout_ms;
    o.connect_timeout_ms = timeout_ms;
    if (vpcep_client_new(&c, &o, &err) != 0)
        fail_msg("client: %s", err.error_msg);
    return c;
}

static void test_refused_port(void **state)
{
    char url[64], want[128];
    vpcep_client *c;
    vpcep_service_list *l = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;

    (void)state;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", refused_port());
    c = client_at(url, 5, 0);
    assert_int_equal(vpcep_services_list(&l, c, NULL, &err), VPCEP_ETRANSPORT);
    assert_null(l);
    vpcep_client_get_stats(&st, c);
    assert_int_equal(st.requests, 2); /* one retry, not max_retries = 5 */
    assert_int_equal(err.retries, 1);
    assert_int_equal(err.http_status, 0);
    snprintf(want, sizeof(want), "GET %s/v1/p123/vpc-endpoint-services: cannot connect", url);
    assert_non_null(strstr(err.error_msg, want));
    assert_non_null(strstr(err.error_msg, "2 attempts in "));
    assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
    vpcep_client_free(c);
}

static void test_unresolvable_host(void **state)
{
    vpcep_client *c;
    vpcep_service_list *l = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;

    (void)state;
    /* .invalid never resolves (RFC 2606); a resolver that does not answer at all ends at the
     * connect timeout, which is the same fast failure */
    c = client_at("http://vpcep.no-such-host.invalid:8080", 5, 3000);
    assert_int_equal(vpcep_services_list(&l, c, NULL, &err), VPCEP_ETRANSPORT);
    vpcep_client_get_stats(&st, c);
    assert_int_equal(st.requests, 2);
    assert_non_null(strstr(err.error_msg, "GET http://vpcep.no-such-host.invalid:8080/v1/p123/"));
    assert_true(strstr(err.error_msg, "the host name does not resolve") != NULL ||
                strstr(err.error_msg, "no connection") != NULL);
    assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
    vpcep_client_free(c);
}

static void test_silent_listener(void **state)
{
    char url[64], want[128];
    vpcep_client *c;
    vpcep_service_list *l = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;
    int fd;

    (void)state;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", silent_listener(&fd));
    /* 300 ms attempts, 2 retries: the default retry budget (90 s) is not what stops it */
    c = client_at(url, 2, 300);
    assert_int_equal(vpcep_services_list(&l, c, NULL, &err), VPCEP_ETIMEOUT);
    vpcep_client_get_stats(&st, c);
    assert_int_equal(st.requests, 3); /* connected and sent: retried max_retries times */
    assert_int_equal(err.retries, 2);
    snprintf(want, sizeof(want), "GET %s/v1/p123/vpc-endpoint-services: no answer", url);
    assert_non_null(strstr(err.error_msg, want));
    assert_non_null(strstr(err.error_msg, "3 attempts in "));
    assert_non_null(strstr(err.error_msg, "max_retries = 2"));
    assert_non_null(strstr(err.error_msg, "request_timeout 300 ms"));
    assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
    vpcep_client_free(c);

    /* a create that reached the silent server is not re-sent blindly: one POST, then the
     * lookups of the lost create, which time out as well */
    c = client_at(url, VPCEP_RETRIES_NONE, 300);
    {
        vpcep_service_create_opts o = VPCEP_SERVICE_CREATE_OPTS_INIT;
        vpcep_port_param ports[] = {{8080, 80, "TCP"}};
        vpcep_service *s = NULL;
        o.port_id = "4189d3c2-8882-4871-a3c2-d380272eed88";
        o.vpc_id = "4189d3c2-8882-4871-a3c2-d380272eed80";
        o.server_type = "VM";
        o.ports = ports;
        o.n_ports = 1;
        assert_int_equal(vpcep_service_create(&s, c, &o, &err), VPCEP_ETIMEOUT);
        assert_null(s);
        assert_non_null(strstr(err.error_msg, ": no answer"));
        assert_non_null(strstr(err.error_msg, "Check endpoint (VPCEP_ENDPOINT)"));
    }
    vpcep_client_free(c);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_port),
        cmocka_unit_test(test_unresolvable_host),
        cmocka_unit_test(test_silent_listener),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
