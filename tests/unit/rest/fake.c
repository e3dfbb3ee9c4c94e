#include "fake.h"

#include <cmocka.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fake_init(fake *f)
{
    memset(f, 0, sizeof(*f));
    f->now = 1000000;
}

void fake_push(fake *f, long status, const char *body)
{
    fake_answer *a = &f->answers[f->n_answers++];
    memset(a, 0, sizeof(*a));
    a->status = status;
    a->body = body;
}

void fake_push_transport(fake *f, int rc)
{
    fake_answer *a = &f->answers[f->n_answers++];
    memset(a, 0, sizeof(*a));
    a->transport_rc = rc;
}

void fake_push_net(fake *f, int rc, rest_net_failure nf, long elapse_ms)
{
    fake_push_transport(f, rc);
    f->answers[f->n_answers - 1].net_failure = nf;
    f->answers[f->n_answers - 1].elapse_ms = elapse_ms;
}

void fake_push_retry_after(fake *f, long status, const char *body, long retry_after_s)
{
    fake_push(f, status, body);
    f->answers[f->n_answers - 1].retry_after_s = retry_after_s;
}

int fake_transport(void *ud,
                   vpcep_client *client,
                   const rest_http_request *rq,
                   rest_http_response *rs,
                   vpcep_error *err)
{
    fake *f = ud;
    fake_answer a;
    fake_request *r;
    size_t i;

    (void)client;
    if (f->n_requests < FAKE_MAX) {
        r = &f->requests[f->n_requests];
        snprintf(r->method, sizeof(r->method), "%s", rq->method);
        snprintf(r->url, sizeof(r->url), "%s", rq->url);
        snprintf(r->body, sizeof(r->body), "%.*s", (int)rq->body_len, rq->body ? rq->body : "");
        r->headers[0] = '\0';
        for (i = 0; i < rq->n_headers; i++) {
            strncat(r->headers, rq->headers[i], sizeof(r->headers) - strlen(r->headers) - 2);
            strcat(r->headers, "\n");
        }
        r->timeout_ms = rq->timeout_ms;
        r->connect_timeout_ms = rq->connect_timeout_ms;
    }
    f->n_requests++;
    if (f->next < f->n_answers) {
        a = f->answers[f->next++];
    } else if (f->dynamic != NULL) {
        a = f->dynamic(f, rq);
    } else {
        fail_msg("unexpected request %s %s", rq->method, rq->url);
        return VPCEP_ERROR;
    }
    f->now += a.elapse_ms < 0 ? rq->timeout_ms : a.elapse_ms;
    if (a.transport_rc != 0) {
        rs->net_failure = a.net_failure;
        return rest_fail(err, a.transport_rc, "fake transport failure");
    }
    rs->status = a.status;
    rs->body = strdup(a.body ? a.body : "");
    rs->body_len = strlen(rs->body);
    rs->retry_after_s = a.retry_after_s == 0 ? -1 : a.retry_after_s == -2 ? 0 : a.retry_after_s;
    rs->subject_token = a.subject_token ? strdup(a.subject_token) : NULL;
    snprintf(rs->request_id, sizeof(rs->request_id), "req-%zu", f->n_requests);
    return 0;
}

static int64_t fake_now(void *ud)
{
    return ((fake *)ud)->now;
}

static void fake_sleep(void *ud, long ms)
{
    fake *f = ud;
    if (f->n_sleeps < FAKE_MAX)
        f->sleeps[f->n_sleeps] = ms;
    f->n_sleeps++;
    f->now += ms;
}

static int fake_cancelled(void *ud)
{
    fake *f = ud;
    return f->cancel_now ||
           (f->cancel_after_sleeps > 0 && (int)f->n_sleeps >= f->cancel_after_sleeps);
}

static void fake_log(void *ud, int level, const char *msg)
{
    fake *f = ud;
    size_t used = strlen(f->log);

    (void)level;
    if (used < sizeof(f->log) - 1) /* the capture keeps the first lines, truncated */
        snprintf(f->log + used, sizeof(f->log) - used, "%s\n", msg);
}

void fake_clock(fake *f, vpcep_client *c)
{
    if (vpcep_client_set_clock(c, fake_sleep, fake_now, f) != 0)
        fail_msg("vpcep_client_set_clock failed");
}

void fake_options(fake *f, vpcep_client_options *o)
{
    vpcep_client_options_init(o, VPCEP_CLIENT_OPTIONS_VERSION);
    o->region = "eu-de";
    o->endpoint = "http://vpcep.test:8080";
    o->project_id = "p123";
    o->access_key = "AKTEST";
    o->secret_key = "SKSECRET";
    o->cancelled = fake_cancelled;
    o->cancel_ud = f;
    o->log = fake_log;
    o->log_ud = f;
}

vpcep_client *fake_client(fake *f, vpcep_client_options *o)
{
    vpcep_client *c = NULL;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc = vpcep_client_new(&c, o, &err);
    if (rc != 0)
        fail_msg("client_new: %s", err.error_msg);
    fake_clock(f, c);
    rest_client_set_transport(c, fake_transport, f);
    return c;
}

char *fixture(const char *name, size_t *len)
{
    char path[1024];
    FILE *fp;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/%s", VPCEP_FIXTURE_DIR, name);
    fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open fixture %s", path);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n)
        fail_msg("cannot read fixture %s", path);
    buf[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return buf;
}
