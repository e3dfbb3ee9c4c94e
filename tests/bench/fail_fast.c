/*
 * fail_fast [silent]: time to fail of one API request, with the client's default settings
 * (connect_timeout 10 s, request_timeout 30 s, retry_budget 90 s, max_retries 5), against a
 * refused loopback port, an unresolvable host name and, unless "nosilent" is given, a
 * listener that accepts connections and never answers. Prints the figures; never fails on
 * time (tests/integration/rest/unreachable_test.c asserts the attempts and messages).
 */
#include <vpcep/vpcep.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A loopback socket: listening (never accepting) when listening, else closed at once. */
static int loopback_port(int listening, int *fd_out)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0 || (listening && listen(fd, 64) != 0)) {
        close(fd);
        return -1;
    }
    if (listening)
        *fd_out = fd;
    else
        close(fd);
    return ntohs(a.sin_port);
}

static int measure(const char *what, const char *endpoint)
{
    vpcep_client_options o = VPCEP_CLIENT_OPTIONS_INIT;
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_service_list *l = NULL;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;
    double t0, t;
    int rc;

    o.region = "eu-de";
    o.endpoint = endpoint;
    o.project_id = "p123";
    o.access_key = "AK";
    o.secret_key = "SK";
    if (vpcep_client_new(&c, &o, &err) != 0) {
        fprintf(stderr, "client: %s\n", err.error_msg);
        return 1;
    }
    t0 = now_s();
    rc = vpcep_services_list(&l, c, NULL, &err);
    t = now_s() - t0;
    vpcep_client_get_stats(&st, c);
    printf("%-12s time to fail %7.2f s  attempts %llu  %s\n", what, t,
           (unsigned long long)st.requests, vpcep_strerror(rc));
    printf("%-12s message: %s\n", "", err.error_msg);
    vpcep_service_list_free(l);
    vpcep_client_free(c);
    return 0;
}

int main(int argc, char **argv)
{
    char url[64];
    int fd = -1, port;

    printf("defaults: connect_timeout %ld ms, request_timeout %ld ms, retry_budget %ld ms, "
           "max_retries %d\n",
           VPCEP_DEFAULT_CONNECT_TIMEOUT_MS, VPCEP_DEFAULT_TIMEOUT_MS,
           VPCEP_DEFAULT_RETRY_BUDGET_MS, VPCEP_DEFAULT_MAX_RETRIES);
    port = loopback_port(0, NULL);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    if (port < 0 || measure("refused", url) != 0)
        return 1;
    if (measure("unresolvable", "http://vpcep.no-such-host.invalid") != 0)
        return 1;
    if (argc > 1 && strcmp(argv[1], "nosilent") == 0)
        return 0;
    port = loopback_port(1, &fd);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    if (port < 0 || measure("silent", url) != 0)
        return 1;
    close(fd);
    return 0;
}
