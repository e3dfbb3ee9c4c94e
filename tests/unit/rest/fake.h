/* Scripted fake transport and fake clock for the VPCEP client unit tests. */
#ifndef VPCEP_TEST_FAKE_H
#define VPCEP_TEST_FAKE_H

#include "internal.h"

/* cmocka.h needs these first; every test includes fake.h before cmocka.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_MAX 64

typedef struct fake_answer {
    int transport_rc; /* nonzero: no answer, this error */
    long status;
    const char *body;
    long retry_after_s; /* 0 = absent, else seconds (use -2 for "0") */
    const char *subject_token;
    rest_net_failure net_failure; /* with transport_rc: where the exchange failed */
    long elapse_ms;               /* time the exchange takes on the fake clock; -1: its timeout */
} fake_answer;

typedef struct fake_request {
    char method[8];
    char url[512];
    char body[4096];
    char headers[2048]; /* "\n"-joined */
    long timeout_ms;    /* the attempt's timeouts set by the request layer */
    long connect_timeout_ms;
} fake_request;

typedef struct fake {
    fake_answer answers[FAKE_MAX];
    size_t n_answers;
    size_t next;
    fake_request requests[FAKE_MAX];
    size_t n_requests;
    /* fallback when the script is exhausted: a matcher */
    fake_answer (*dynamic)(struct fake *f, const rest_http_request *rq);
    void *dyn_ud;
    /* clock */
    int64_t now;
    long sleeps[FAKE_MAX];
    size_t n_sleeps;
    int cancel_after_sleeps; /* > 0: cancelled() true once that many sleeps happened */
    int cancel_now;
    /* log capture */
    char log[8192];
} fake;

void fake_init(fake *f);
void fake_push(fake *f, long status, const char *body);
void fake_push_transport(fake *f, int rc);
/* A transport failure of kind nf that takes elapse_ms (-1: the attempt's whole timeout). */
void fake_push_net(fake *f, int rc, rest_net_failure nf, long elapse_ms);
void fake_push_retry_after(fake *f, long status, const char *body, long retry_after_s);
int fake_transport(void *ud,
                   vpcep_client *client,
                   const rest_http_request *rq,
                   rest_http_response *rs,
                   vpcep_error *err);
/* Options wired to the fake cancellation and log; AK/SK auth. */
void fake_options(fake *f, vpcep_client_options *o);
/* Puts the client on the fake clock and sleep (vpcep_client_set_clock). */
void fake_clock(fake *f, vpcep_client *c);
/* A client from the options, on the fake clock, with the fake transport. */
vpcep_client *fake_client(fake *f, vpcep_client_options *o);
/* Reads a repo fixture (tests/fixtures/vpcep/NAME); caller frees. */
char *fixture(const char *name, size_t *len);

#endif
