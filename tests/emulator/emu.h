/* vpcep-emulator: internal interfaces shared by the emulator's modules.
 *
 * The emulator keeps its whole state as cJSON documents (one object per API resource plus a few
 * internal fields whose names start with '_'); rendering a resource means copying it without the
 * internal fields. Every state access happens under emu_server.mu.
 */
#ifndef VPCEP_EMU_H
#define VPCEP_EMU_H

#include <cjson/cJSON.h>

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Small set of semantic return codes for internal helpers. */
enum {
    EMU_OK = 0,
    EMU_EINVAL = -1, /* bad input (detail in the error object) */
    EMU_ENOMEM = -2,
    EMU_EIO = -3, /* file or socket failure */
};

#define EMU_MAX_BODY_DEFAULT (1024u * 1024u)
#define EMU_MAX_SKEW_S_DEFAULT 900

/* ---- growable string (bounded by the caller's limits) --------------------------------------- */
typedef struct emu_buf {
    char *p;
    size_t len;
    size_t cap;
    int oom;
} emu_buf;

void emu_buf_init(emu_buf *b);
void emu_buf_free(emu_buf *b);
void emu_buf_add(emu_buf *b, const char *s, size_t n);
void emu_buf_adds(emu_buf *b, const char *s);
void emu_buf_addc(emu_buf *b, char c);
/* Appends s percent-encoded (RFC 3986 unreserved kept, uppercase hex). */
void emu_buf_add_pct(emu_buf *b, const char *s);

/* ---- small utilities --------------------------------------------------------------------------
 */
double emu_now_ms(void);
/* Moves the emulator's clock @p ms ahead (tokens expire, lifecycles advance, X-Sdk-Date skew
 * is judged against it); returns the total offset. POST /__emulator/clock. */
long long emu_clock_advance(long long ms);
/* --manual-clock: from now on the emulator's time moves only through emu_clock_advance(). */
void emu_clock_manual(void);
void emu_iso8601(double ms, char out[32]);
int emu_uuid(char out[37]);
void emu_hex(const unsigned char *in, size_t n, char *out);
void emu_sha256_hex(const void *data, size_t n, char out[65]);
int emu_hmac_sha256_hex(const char *key, const char *msg, size_t msg_len, char out[65]);
/* Parses a decimal integer in [min,max]; returns EMU_OK or EMU_EINVAL. */
int emu_parse_int(const char *s, long long min, long long max, long long *out);
int emu_strcasestr_contains(const char *hay, const char *needle);
/* true when the JSON number is an integer value */
int emu_json_is_int(const cJSON *n);

/* ---- AK/SK signature (SDK-HMAC-SHA256, "Access=" form) ------------------------------------- */
typedef struct emu_kv {
    char *key;
    char *value;
} emu_kv;

typedef const char *(*emu_header_fn)(void *ctx, const char *name);

/* Builds the canonical request of SDK-HMAC-SHA256 over exactly the listed signed headers
 * (a ';'-separated list). Returns EMU_EINVAL when a signed header is missing. */
int emu_canonical_request(const char *method,
                          const char *path,
                          const emu_kv *query,
                          size_t nquery,
                          const char *signed_headers,
                          emu_header_fn header,
                          void *header_ctx,
                          const char *body_sha256_hex,
                          emu_buf *out);
/* Signature = hex(HMAC-SHA256(sk, "SDK-HMAC-SHA256\n" date "\n" hex(sha256(canonical)))). */
int emu_sign(const char *sk, const char *sdk_date, const char *canonical, char out[65]);

typedef struct emu_authz {
    char access[128];
    char signed_headers[512];
    char signature[80];
} emu_authz;
/* Parses "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...". */
int emu_parse_authorization(const char *value, emu_authz *out);

/* ---- server -----------------------------------------------------------------------------------
 */
typedef struct emu_options {
    const char *listen;
    const char *seed_file;
    const char *state_file;
    long delay_ms;
    double fault_rate;
    double fail_rate;     /* fraction of creates that end in status "failed" */
    unsigned fault_kinds; /* EMU_FAULT_* bits */
    long slow_ms;
    long token_ttl_s;
    long max_skew_s;
    size_t max_body;
    unsigned long fault_seed;
} emu_options;

enum {
    EMU_FAULT_429 = 1u << 0,
    EMU_FAULT_500 = 1u << 1,
    EMU_FAULT_SLOW = 1u << 2,
    EMU_FAULT_DROP = 1u << 3,
    EMU_FAULT_0022 = 1u << 4, /* 400 EndPoint.0022 (service-side throttling) */
};

typedef struct emu_server {
    pthread_mutex_t mu;
    emu_options opt;
    cJSON *seed;      /* seed document (accounts, public_services, region) */
    cJSON *services;  /* array of endpoint-service objects */
    cJSON *endpoints; /* array of endpoint objects */
    cJSON *tokens;    /* array of {token, account, project_id|domain_id, expires_ms} */
    double next_marker;
    double seq;
    char base_url[128];
    int dirty;
    uint64_t rng;
} emu_server;

typedef struct emu_request {
    const char *method;
    const char *path; /* decoded, without the query */
    const emu_kv *query;
    size_t nquery;
    const char *body;
    size_t body_len;
    int body_too_large;
    emu_header_fn header;
    void *header_ctx;
    int loopback;
} emu_request;

typedef struct emu_response {
    int status;
    cJSON *body; /* owned; NULL = empty body */
    char subject_token[96];
    int retry_after;
    const char *fault; /* an injected fault: "429", "500", "0022", "slow" (X-Emulator-Fault) */
} emu_response;

/* seed.c */
const char *emu_builtin_seed(void);
/* Parses and checks a seed document; on error fills err (bounded). */
cJSON *emu_seed_parse(const char *text, char *err, size_t errlen);
const cJSON *emu_seed_account_by_ak(const cJSON *seed, const char *ak);
const cJSON *emu_seed_account_by_name(const cJSON *seed, const char *name);
const cJSON *emu_seed_account_by_project(const cJSON *seed, const char *project_id);
const cJSON *emu_seed_vpc(const cJSON *account, const char *vpc_id);
const char *emu_jstr(const cJSON *obj, const char *key);

/* store.c (state), router.c (emu_handle) */
int emu_server_init(emu_server *srv, const emu_options *opt, cJSON *seed);
void emu_server_free(emu_server *srv);
int emu_state_load(emu_server *srv, char *err, size_t errlen);
int emu_state_save(emu_server *srv);
void emu_handle(emu_server *srv, const emu_request *req, emu_response *resp);
void emu_set_error(emu_response *resp, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Draws a uniform double in [0,1) from the server's PRNG (caller holds no lock). */
double emu_random(emu_server *srv);

/* auth.c: request authentication; returns the account or NULL (resp filled). */
const cJSON *emu_authenticate(emu_server *srv,
                              const emu_request *req,
                              const char *path_project,
                              emu_response *resp);
void emu_handle_iam_tokens(emu_server *srv, const emu_request *req, emu_response *resp);
/* POST /v3.0/OS-CREDENTIAL/securitytokens: temporary AK/SK + security token for a token. */
void emu_handle_iam_securitytokens(emu_server *srv, const emu_request *req, emu_response *resp);
/* GET /v3/projects?name=...: the authenticated account's projects (AK/SK or token). */
void emu_handle_iam_projects(emu_server *srv, const emu_request *req, emu_response *resp);

#endif
