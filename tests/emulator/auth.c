/* vpcep-emulator: AK/SK signature verification, IAM tokens. */
#include "emu.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ALG "SDK-HMAC-SHA256"
#define MAX_SIGNED_HEADERS 32

static int kv_cmp(const void *a, const void *b)
{
    const emu_kv *x = a;
    const emu_kv *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

static void add_trimmed(emu_buf *b, const char *v)
{
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
        n--;
    }
    emu_buf_add(b, v, n);
}

int emu_canonical_request(const char *method,
                          const char *path,
                          const emu_kv *query,
                          size_t nquery,
                          const char *signed_headers,
                          emu_header_fn header,
                          void *header_ctx,
                          const char *body_sha256_hex,
                          emu_buf *out)
{
    int rc = EMU_EINVAL;
    emu_kv *sorted = NULL;

    emu_buf_adds(out, method);
    emu_buf_addc(out, '\n');
    /* CanonicalURI: every segment percent-encoded, trailing '/' appended if missing. */
    const char *p = path;
    if (*p != '/') {
        emu_buf_addc(out, '/');
    }
    while (*p) {
        if (*p == '/') {
            emu_buf_addc(out, '/');
            p++;
            continue;
        }
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char seg[1024];
        if (n >= sizeof(seg)) {
            goto done;
        }
        memcpy(seg, p, n);
        seg[n] = '\0';
        emu_buf_add_pct(out, seg);
        p += n;
    }
    if (out->len == 0 || out->p[out->len - 1] != '/') {
        emu_buf_addc(out, '/');
    }
    emu_buf_addc(out, '\n');

    /* CanonicalQuery: encoded k=v pairs sorted by key then value. */
    if (nquery > 0) {
        sorted = calloc(nquery, sizeof(*sorted));
        if (!sorted) {
            rc = EMU_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < nquery; i++) {
            emu_buf k, v;
            emu_buf_init(&k);
            emu_buf_init(&v);
            emu_buf_add_pct(&k, query[i].key ? query[i].key : "");
            emu_buf_add_pct(&v, query[i].value ? query[i].value : "");
            emu_buf_adds(&k, "");
            emu_buf_adds(&v, "");
            sorted[i].key = k.p;
            sorted[i].value = v.p;
            if (k.oom || v.oom) {
                rc = EMU_ENOMEM;
                nquery = i + 1;
                goto done;
            }
        }
        qsort(sorted, nquery, sizeof(*sorted), kv_cmp);
        for (size_t i = 0; i < nquery; i++) {
            if (i) {
                emu_buf_addc(out, '&');
            }
            emu_buf_adds(out, sorted[i].key);
            emu_buf_addc(out, '=');
            emu_buf_adds(out, sorted[i].value);
        }
    }
    emu_buf_addc(out, '\n');

    /* CanonicalHeaders over exactly the listed signed headers. */
    const char *h = signed_headers;
    int count = 0;
    while (*h) {
        const char *semi = strchr(h, ';');
        size_t n = semi ? (size_t)(semi - h) : strlen(h);
        char name[128];
        if (n == 0 || n >= sizeof(name) || ++count > MAX_SIGNED_HEADERS) {
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            name[i] = (char)tolower((unsigned char)h[i]);
        }
        name[n] = '\0';
        const char *val = header(header_ctx, name);
        if (!val) {
            goto done;
        }
        emu_buf_adds(out, name);
        emu_buf_addc(out, ':');
        add_trimmed(out, val);
        emu_buf_addc(out, '\n');
        h += n;
        if (*h == ';') {
            h++;
        }
    }
    emu_buf_addc(out, '\n');
    for (const char *s = signed_headers; *s; s++) {
        emu_buf_addc(out, (char)tolower((unsigned char)*s));
    }
    emu_buf_addc(out, '\n');
    emu_buf_adds(out, body_sha256_hex);
    rc = out->oom ? EMU_ENOMEM : EMU_OK;
done:
    if (sorted) {
        for (size_t i = 0; i < nquery; i++) {
            free(sorted[i].key);
            free(sorted[i].value);
        }
        free(sorted);
    }
    return rc;
}

int emu_sign(const char *sk, const char *sdk_date, const char *canonical, char out[65])
{
    char hashed[65];
    char sts[256];
    emu_sha256_hex(canonical, strlen(canonical), hashed);
    int n = snprintf(sts, sizeof(sts), ALG "\n%s\n%s", sdk_date, hashed);
    if (n < 0 || (size_t)n >= sizeof(sts)) {
        return EMU_EINVAL;
    }
    return emu_hmac_sha256_hex(sk, sts, (size_t)n, out);
}

static int copy_field(const char *start, size_t n, char *dst, size_t cap)
{
    if (n == 0 || n >= cap) {
        return EMU_EINVAL;
    }
    memcpy(dst, start, n);
    dst[n] = '\0';
    return EMU_OK;
}

int emu_parse_authorization(const char *value, emu_authz *out)
{
    memset(out, 0, sizeof(*out));
    size_t alen = strlen(ALG);
    if (!value || strncmp(value, ALG, alen) != 0 || value[alen] != ' ') {
        return EMU_EINVAL;
    }
    const char *p = value + alen;
    int have = 0;
    while (*p) {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        if (!*p) {
            break;
        }
        const char *eq = strchr(p, '=');
        if (!eq) {
            return EMU_EINVAL;
        }
        const char *end = strchr(eq, ',');
        size_t vlen = end ? (size_t)(end - eq - 1) : strlen(eq + 1);
        while (vlen > 0 && eq[vlen] == ' ') {
            vlen--;
        }
        size_t klen = (size_t)(eq - p);
        if (klen == 6 && strncmp(p, "Access", 6) == 0) {
            if (copy_field(eq + 1, vlen, out->access, sizeof(out->access))) {
                return EMU_EINVAL;
            }
            have |= 1;
        } else if (klen == 13 && strncmp(p, "SignedHeaders", 13) == 0) {
            if (copy_field(eq + 1, vlen, out->signed_headers, sizeof(out->signed_headers))) {
                return EMU_EINVAL;
            }
            have |= 2;
        } else if (klen == 9 && strncmp(p, "Signature", 9) == 0) {
            if (copy_field(eq + 1, vlen, out->signature, sizeof(out->signature))) {
                return EMU_EINVAL;
            }
            have |= 4;
        }
        p = end ? end : eq + 1 + vlen;
        if (!end) {
            break;
        }
    }
    return have == 7 ? EMU_OK : EMU_EINVAL;
}

static int parse_sdk_date(const char *s, double *out_ms)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (!s || strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z') {
        return EMU_EINVAL;
    }
    for (int i = 0; i < 15; i++) {
        if (i != 8 && !isdigit((unsigned char)s[i])) {
            return EMU_EINVAL;
        }
    }
    if (sscanf(s, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6) {
        return EMU_EINVAL;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1) {
        return EMU_EINVAL;
    }
    *out_ms = (double)t * 1000.0;
    return EMU_OK;
}

static const cJSON *
auth_token(emu_server *srv, const char *token, const char **scope_project, emu_response *resp)
{
    double now = emu_now_ms();
    cJSON *t = NULL;
    cJSON_ArrayForEach(t, srv->tokens)
    {
        const char *v = emu_jstr(t, "token");
        if (v && strlen(v) == strlen(token) && CRYPTO_memcmp(v, token, strlen(v)) == 0) {
            break;
        }
    }
    if (!t) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: token is invalid");
        return NULL;
    }
    cJSON *exp = cJSON_GetObjectItemCaseSensitive(t, "expires_ms");
    if (!cJSON_IsNumber(exp) || exp->valuedouble <= now) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: token has expired");
        return NULL;
    }
    const cJSON *acct = emu_seed_account_by_name(srv->seed, emu_jstr(t, "account"));
    if (!acct) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: user no longer exists");
        return NULL;
    }
    *scope_project = emu_jstr(t, "project_id");
    return acct;
}

static const cJSON *
auth_aksk(emu_server *srv, const emu_request *req, const char *authorization, emu_response *resp)
{
    const cJSON *result = NULL;
    emu_buf canon;
    emu_buf_init(&canon);
    emu_authz az;
    if (emu_parse_authorization(authorization, &az) != EMU_OK) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: malformed Authorization header");
        goto done;
    }
    const cJSON *acct = emu_seed_account_by_ak(srv->seed, az.access);
    const char *sk = emu_jstr(acct, "secret_key");
    const char *sec = req->header(req->header_ctx, "x-security-token");
    if (!acct) {
        /* temporary AK/SK (POST /v3.0/OS-CREDENTIAL/securitytokens): only with their
         * security token, which the signature must cover */
        const cJSON *t = NULL;
        cJSON_ArrayForEach(t, srv->tokens)
        {
            const char *ak = emu_jstr(t, "temp_ak");
            if (ak && strcmp(ak, az.access) == 0) {
                break;
            }
        }
        if (!t) {
            emu_set_error(resp, 401, "APIG.0301",
                          "Incorrect IAM authentication information: unknown access key");
            goto done;
        }
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(t, "expires_ms");
        const char *want = emu_jstr(t, "security_token");
        char signed_list[sizeof(az.signed_headers) + 2];
        snprintf(signed_list, sizeof(signed_list), ";%s;", az.signed_headers);
        for (char *ch = signed_list; *ch; ch++) {
            *ch = (char)tolower((unsigned char)*ch);
        }
        if (!cJSON_IsNumber(exp) || exp->valuedouble <= emu_now_ms()) {
            emu_set_error(resp, 401, "APIG.0301",
                          "Incorrect IAM authentication information: the temporary access key "
                          "has expired");
            goto done;
        }
        if (!sec || !want || strlen(sec) != strlen(want) ||
            CRYPTO_memcmp(sec, want, strlen(want)) != 0) {
            emu_set_error(resp, 401, "APIG.0301",
                          "Incorrect IAM authentication information: a temporary access key "
                          "needs its X-Security-Token");
            goto done;
        }
        if (!strstr(signed_list, ";x-security-token;")) {
            emu_set_error(resp, 401, "APIG.0301",
                          "Incorrect IAM authentication information: x-security-token is not "
                          "signed");
            goto done;
        }
        acct = emu_seed_account_by_name(srv->seed, emu_jstr(t, "account"));
        sk = emu_jstr(t, "temp_sk");
        if (!acct) {
            emu_set_error(resp, 401, "APIG.0301",
                          "Incorrect IAM authentication information: user no longer exists");
            goto done;
        }
    }
    const char *date = req->header(req->header_ctx, "x-sdk-date");
    double date_ms = 0;
    if (!date || parse_sdk_date(date, &date_ms) != EMU_OK) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: missing or malformed X-Sdk-Date");
        goto done;
    }
    /* x-sdk-date must be covered by the signature, otherwise the skew check means nothing. */
    char lower[sizeof(az.signed_headers) + 2];
    snprintf(lower, sizeof(lower), ";%s;", az.signed_headers);
    for (char *c = lower; *c; c++) {
        *c = (char)tolower((unsigned char)*c);
    }
    if (!strstr(lower, ";x-sdk-date;")) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: x-sdk-date is not signed");
        goto done;
    }
    if (fabs(emu_now_ms() - date_ms) > (double)srv->opt.max_skew_s * 1000.0) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: request expired (X-Sdk-Date "
                      "differs from server time by more than %ld s)",
                      srv->opt.max_skew_s);
        goto done;
    }
    char body_hash[65];
    emu_sha256_hex(req->body, req->body_len, body_hash);
    const char *given = req->header(req->header_ctx, "x-sdk-content-sha256");
    if (given && strcmp(given, "UNSIGNED-PAYLOAD") != 0 && strcasecmp(given, body_hash) != 0) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: X-Sdk-Content-Sha256 does not "
                      "match the body");
        goto done;
    }
    /* "UNSIGNED-PAYLOAD" replaces the body hash in the canonical request (Huawei SDK signer) */
    const char *payload = given && strcmp(given, "UNSIGNED-PAYLOAD") == 0 ? given : body_hash;
    if (emu_canonical_request(req->method, req->path, req->query, req->nquery, az.signed_headers,
                              req->header, req->header_ctx, payload, &canon) != EMU_OK) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: a signed header is missing");
        goto done;
    }
    char sig[65];
    if (!sk || emu_sign(sk, date, canon.p, sig) != EMU_OK) {
        emu_set_error(resp, 500, "EndPoint.0001", "Internal error while verifying signature");
        goto done;
    }
    if (strlen(az.signature) != 64 || CRYPTO_memcmp(sig, az.signature, 64) != 0) {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: verify aksk signature fail");
        goto done;
    }
    result = acct;
done:
    emu_buf_free(&canon);
    return result;
}

const cJSON *emu_authenticate(emu_server *srv,
                              const emu_request *req,
                              const char *path_project,
                              emu_response *resp)
{
    const char *token = req->header(req->header_ctx, "x-auth-token");
    const char *authz = req->header(req->header_ctx, "authorization");
    const cJSON *acct = NULL;
    const char *scope_project = NULL;
    if (token && *token) {
        acct = auth_token(srv, token, &scope_project, resp);
        if (!acct) {
            return NULL;
        }
        if (!scope_project) {
            emu_set_error(resp, 403, "EndPoint.0004",
                          "The token is not scoped to a project; VPCEP is a project-level service");
            return NULL;
        }
    } else if (authz && *authz) {
        acct = auth_aksk(srv, req, authz, resp);
        if (!acct) {
            return NULL;
        }
        scope_project = emu_jstr(acct, "project_id");
    } else {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: no X-Auth-Token or Authorization");
        return NULL;
    }
    if (!scope_project || strcmp(scope_project, path_project) != 0) {
        emu_set_error(resp, 403, "EndPoint.0004",
                      "The project in the request path does not belong to the authenticated "
                      "account");
        return NULL;
    }
    return acct;
}

/* ---- POST /v3/auth/tokens ------------------------------------------------------------------ */

static void iam_error(emu_response *resp, int status, const char *msg)
{
    emu_set_error(resp, status, status == 401 ? "APIG.0301" : "IAM.0011", "%s", msg);
    if (resp->body) {
        cJSON *e = cJSON_AddObjectToObject(resp->body, "error");
        if (e) {
            cJSON_AddNumberToObject(e, "code", status);
            cJSON_AddStringToObject(e, "message", msg);
            cJSON_AddStringToObject(e, "title", status == 401 ? "Unauthorized" : "Bad Request");
        }
    }
}

static cJSON *named_ref(const char *id, const char *name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", id ? id : "");
    cJSON_AddStringToObject(o, "name", name ? name : "");
    return o;
}

static cJSON *catalog_entry(const char *type, const char *name, const char *url, const char *region)
{
    cJSON *e = cJSON_CreateObject();
    char id[37];
    emu_uuid(id);
    cJSON_AddStringToObject(e, "type", type);
    cJSON_AddStringToObject(e, "id", id);
    cJSON_AddStringToObject(e, "name", name);
    cJSON *eps = cJSON_AddArrayToObject(e, "endpoints");
    cJSON *ep = cJSON_CreateObject();
    emu_uuid(id);
    cJSON_AddStringToObject(ep, "url", url);
    cJSON_AddStringToObject(ep, "region", region);
    cJSON_AddStringToObject(ep, "region_id", region);
    cJSON_AddStringToObject(ep, "interface", "public");
    cJSON_AddStringToObject(ep, "id", id);
    cJSON_AddItemToArray(eps, ep);
    return e;
}

/* The account of a password authentication (identity.password.user), or NULL (resp set). */
static const cJSON *password_account(emu_server *srv, const cJSON *identity, emu_response *resp)
{
    const cJSON *methods = cJSON_GetObjectItemCaseSensitive(identity, "methods");
    const cJSON *user = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(identity, "password"), "user");
    int has_pw = 0;
    const cJSON *m = NULL;
    cJSON_ArrayForEach(m, methods)
    {
        if (cJSON_IsString(m) && strcmp(m->valuestring, "password") == 0) {
            has_pw = 1;
        }
    }
    const char *uname = emu_jstr(user, "name");
    const char *pw = emu_jstr(user, "password");
    const cJSON *dom = cJSON_GetObjectItemCaseSensitive(user, "domain");
    const char *dname = emu_jstr(dom, "name");
    const char *did = emu_jstr(dom, "id");
    if (!cJSON_IsObject(user)) {
        iam_error(resp, 400, "The request body is not a password authentication request");
        return NULL;
    }
    if (!has_pw || !uname || !pw || (!dname && !did)) {
        iam_error(resp, 400, "password authentication needs user name, password and domain");
        return NULL;
    }
    const cJSON *a = NULL;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(srv->seed, "accounts"))
    {
        const char *an = emu_jstr(a, "user_name");
        const char *ap = emu_jstr(a, "password");
        int dom_ok =
            (dname && emu_jstr(a, "domain_name") &&
             strcmp(dname, emu_jstr(a, "domain_name")) == 0) ||
            (did && emu_jstr(a, "domain_id") && strcmp(did, emu_jstr(a, "domain_id")) == 0);
        if (dom_ok && an && strcmp(an, uname) == 0 && ap && strlen(ap) == strlen(pw) &&
            CRYPTO_memcmp(ap, pw, strlen(ap)) == 0) {
            return a;
        }
    }
    iam_error(resp, 401, "The username or password is wrong.");
    return NULL;
}

/* Agencies (assume role): identity.assume_role names the delegating domain (domain_name or
 * domain_id) and one of its agencies (seed: account.agencies[] = {name, trusted_domain_name |
 * trusted_domain_id}); the caller, authenticated by X-Auth-Token or an AK/SK signature, must
 * belong to the trusted domain. Returns the delegating account (the token acts in it), the
 * caller in *by; NULL with resp set otherwise. */
static const cJSON *assume_role_account(emu_server *srv,
                                        const emu_request *req,
                                        const cJSON *identity,
                                        const cJSON **by,
                                        emu_response *resp)
{
    const char *token = req->header(req->header_ctx, "x-auth-token");
    const char *authz = req->header(req->header_ctx, "authorization");
    const char *scope = NULL;
    const cJSON *caller = NULL;
    const cJSON *ar = cJSON_GetObjectItemCaseSensitive(identity, "assume_role");
    const char *dname = emu_jstr(ar, "domain_name");
    const char *did = emu_jstr(ar, "domain_id");
    const char *agency = emu_jstr(ar, "agency_name");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(ar, "duration_seconds");
    if (!agency || (!dname && !did)) {
        iam_error(resp, 400, "assume_role needs agency_name and domain_name (or domain_id)");
        return NULL;
    }
    if (d && (!cJSON_IsNumber(d) || d->valuedouble < 900 || d->valuedouble > 86400)) {
        iam_error(resp, 400, "duration_seconds must be between 900 and 86400");
        return NULL;
    }
    if (token && *token) {
        caller = auth_token(srv, token, &scope, resp);
    } else if (authz && *authz) {
        caller = auth_aksk(srv, req, authz, resp);
    } else {
        iam_error(resp, 401, "assume_role needs the caller's X-Auth-Token or an AK/SK signature");
        return NULL;
    }
    if (!caller) {
        return NULL;
    }
    const cJSON *a = NULL;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(srv->seed, "accounts"))
    {
        if ((dname && emu_jstr(a, "domain_name") &&
             strcmp(dname, emu_jstr(a, "domain_name")) == 0) ||
            (did && emu_jstr(a, "domain_id") && strcmp(did, emu_jstr(a, "domain_id")) == 0)) {
            break;
        }
    }
    const cJSON *g = NULL;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(a, "agencies"))
    {
        const char *gn = emu_jstr(g, "name");
        const char *tn = emu_jstr(g, "trusted_domain_name");
        const char *ti = emu_jstr(g, "trusted_domain_id");
        if (gn && strcmp(gn, agency) == 0 &&
            ((tn && emu_jstr(caller, "domain_name") &&
              strcmp(tn, emu_jstr(caller, "domain_name")) == 0) ||
             (ti && emu_jstr(caller, "domain_id") &&
              strcmp(ti, emu_jstr(caller, "domain_id")) == 0))) {
            break;
        }
    }
    if (!a || !g) {
        iam_error(resp, 403,
                  "The agency does not exist in that domain or does not trust the caller's "
                  "domain.");
        return NULL;
    }
    *by = caller;
    return a;
}

void emu_handle_iam_tokens(emu_server *srv, const emu_request *req, emu_response *resp)
{
    cJSON *in = NULL;
    if (req->body_too_large) {
        iam_error(resp, 400, "Request body too large");
        goto done;
    }
    in = cJSON_ParseWithLength(req->body ? req->body : "", req->body_len);
    cJSON *auth = cJSON_GetObjectItemCaseSensitive(in, "auth");
    cJSON *identity = cJSON_GetObjectItemCaseSensitive(auth, "identity");
    cJSON *methods = cJSON_GetObjectItemCaseSensitive(identity, "methods");
    if (!cJSON_IsObject(in) || !cJSON_IsArray(methods)) {
        iam_error(resp, 400, "The request body is not a token request");
        goto done;
    }
    const char *method = "password";
    const cJSON *assumed_by = NULL;
    cJSON *m = NULL;
    cJSON_ArrayForEach(m, methods)
    {
        if (cJSON_IsString(m) && strcmp(m->valuestring, "assume_role") == 0) {
            method = "assume_role";
        }
    }
    const cJSON *acct = strcmp(method, "assume_role") == 0
                            ? assume_role_account(srv, req, identity, &assumed_by, resp)
                            : password_account(srv, identity, resp);
    if (!acct) {
        goto done;
    }
    const char *region = emu_jstr(srv->seed, "region");
    const char *acct_pid = emu_jstr(acct, "project_id");
    const char *acct_pname =
        emu_jstr(acct, "project_name") ? emu_jstr(acct, "project_name") : region;
    cJSON *scope = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(auth, "scope"),
                                                    "project");
    cJSON *dscope =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(auth, "scope"), "domain");
    const char *scope_pid = NULL;
    if (cJSON_IsObject(scope)) {
        const char *pid = emu_jstr(scope, "id");
        const char *pname = emu_jstr(scope, "name");
        if ((pid && acct_pid && strcmp(pid, acct_pid) == 0) ||
            (!pid && pname && acct_pname && strcmp(pname, acct_pname) == 0)) {
            scope_pid = acct_pid;
        } else {
            iam_error(resp, 401, "The project in the scope does not exist in the user's domain.");
            goto done;
        }
    } else if (cJSON_IsObject(dscope)) {
        const char *sdn = emu_jstr(dscope, "name");
        const char *sdi = emu_jstr(dscope, "id");
        if (!((sdn && strcmp(sdn, emu_jstr(acct, "domain_name")) == 0) ||
              (sdi && strcmp(sdi, emu_jstr(acct, "domain_id")) == 0))) {
            iam_error(resp, 401, "The domain in the scope is not the user's domain.");
            goto done;
        }
    }

    unsigned char rnd[24];
    char hex[49];
    char tok[64];
    if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
        iam_error(resp, 500, "token generation failed");
        goto done;
    }
    emu_hex(rnd, sizeof(rnd), hex);
    snprintf(tok, sizeof(tok), "MIIemu%s", hex);
    double now = emu_now_ms();
    double exp = now + (double)srv->opt.token_ttl_s * 1000.0;
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "token", tok);
    cJSON_AddStringToObject(rec, "account", emu_jstr(acct, "name"));
    if (scope_pid) {
        cJSON_AddStringToObject(rec, "project_id", scope_pid);
    }
    cJSON_AddNumberToObject(rec, "expires_ms", exp);
    /* forget expired tokens */
    for (cJSON *t = srv->tokens->child; t;) {
        cJSON *next = t->next;
        cJSON *e = cJSON_GetObjectItemCaseSensitive(t, "expires_ms");
        if (!cJSON_IsNumber(e) || e->valuedouble <= now) {
            cJSON_Delete(cJSON_DetachItemViaPointer(srv->tokens, t));
        }
        t = next;
    }
    cJSON_AddItemToArray(srv->tokens, rec);
    srv->dirty = 1;

    cJSON *out = cJSON_CreateObject();
    cJSON *t = cJSON_AddObjectToObject(out, "token");
    cJSON *ms = cJSON_AddArrayToObject(t, "methods");
    cJSON_AddItemToArray(ms, cJSON_CreateString(method));
    char ts[32];
    emu_iso8601(exp, ts);
    cJSON_AddStringToObject(t, "expires_at", ts);
    emu_iso8601(now, ts);
    cJSON_AddStringToObject(t, "issued_at", ts);
    cJSON *u = named_ref(emu_jstr(acct, "user_id") ? emu_jstr(acct, "user_id")
                                                   : emu_jstr(acct, "domain_id"),
                         emu_jstr(acct, "user_name"));
    cJSON_AddItemToObject(u, "domain",
                          named_ref(emu_jstr(acct, "domain_id"), emu_jstr(acct, "domain_name")));
    cJSON_AddStringToObject(u, "password_expires_at", "");
    cJSON_AddItemToObject(t, "user", u);
    if (assumed_by) {
        /* the agency token names who assumed the role */
        cJSON *ab = cJSON_AddObjectToObject(t, "assumed_by");
        cJSON *abu = named_ref(emu_jstr(assumed_by, "user_id"), emu_jstr(assumed_by, "user_name"));
        cJSON_AddItemToObject(
            abu, "domain",
            named_ref(emu_jstr(assumed_by, "domain_id"), emu_jstr(assumed_by, "domain_name")));
        cJSON_AddItemToObject(ab, "user", abu);
    }
    char url[256];
    if (scope_pid) {
        cJSON *p = named_ref(scope_pid, acct_pname);
        cJSON_AddItemToObject(
            p, "domain", named_ref(emu_jstr(acct, "domain_id"), emu_jstr(acct, "domain_name")));
        cJSON_AddItemToObject(t, "project", p);
        snprintf(url, sizeof(url), "%s/v1/%s", srv->base_url, scope_pid);
    } else {
        cJSON_AddItemToObject(
            t, "domain", named_ref(emu_jstr(acct, "domain_id"), emu_jstr(acct, "domain_name")));
        snprintf(url, sizeof(url), "%s/v1/$(tenant_id)s", srv->base_url);
    }
    int nocatalog = 0;
    for (size_t i = 0; i < req->nquery; i++) {
        if (strcmp(req->query[i].key, "nocatalog") == 0 && req->query[i].value &&
            strcmp(req->query[i].value, "true") == 0) {
            nocatalog = 1;
        }
    }
    if (!nocatalog) {
        cJSON *cat = cJSON_AddArrayToObject(t, "catalog");
        char iam_url[200];
        snprintf(iam_url, sizeof(iam_url), "%s/v3", srv->base_url);
        cJSON_AddItemToArray(cat, catalog_entry("identity", "iam", iam_url, "*"));
        cJSON_AddItemToArray(cat, catalog_entry("vpcep", "vpcep", url, region ? region : ""));
    }
    cJSON *roles = cJSON_AddArrayToObject(t, "roles");
    cJSON_AddItemToArray(roles, named_ref("0000000000000000000000000000te01", "te_admin"));
    resp->status = 201;
    resp->body = out;
    snprintf(resp->subject_token, sizeof(resp->subject_token), "%s", tok);
done:
    cJSON_Delete(in);
}

/* ---- GET /v3/projects?name=... ------------------------------------------------------------- */

/* The projects of the authenticated account (AK/SK or any of its tokens, scoped or not),
 * filtered by name: how a client finds the ID of a project it knows by name. */
void emu_handle_iam_projects(emu_server *srv, const emu_request *req, emu_response *resp)
{
    const char *token = req->header(req->header_ctx, "x-auth-token");
    const char *authz = req->header(req->header_ctx, "authorization");
    const char *scope = NULL;
    const char *name = NULL;
    const cJSON *acct;
    for (size_t i = 0; i < req->nquery; i++) {
        if (strcmp(req->query[i].key, "name") == 0) {
            name = req->query[i].value ? req->query[i].value : "";
        }
    }
    if (token && *token) {
        acct = auth_token(srv, token, &scope, resp);
    } else if (authz && *authz) {
        acct = auth_aksk(srv, req, authz, resp);
    } else {
        emu_set_error(resp, 401, "APIG.0301",
                      "Incorrect IAM authentication information: no X-Auth-Token or Authorization");
        return;
    }
    if (!acct) {
        return;
    }
    const char *pid = emu_jstr(acct, "project_id");
    const char *pname = emu_jstr(acct, "project_name") ? emu_jstr(acct, "project_name")
                                                       : emu_jstr(srv->seed, "region");
    cJSON *out = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(out, "projects");
    if (pid && pname && (!name || strcmp(name, pname) == 0)) {
        cJSON *p = named_ref(pid, pname);
        cJSON_AddStringToObject(p, "domain_id", emu_jstr(acct, "domain_id"));
        cJSON_AddBoolToObject(p, "enabled", 1);
        cJSON_AddItemToArray(list, p);
    }
    cJSON *links = cJSON_AddObjectToObject(out, "links");
    cJSON_AddNullToObject(links, "next");
    resp->status = 200;
    resp->body = out;
}

/* ---- POST /v3.0/OS-CREDENTIAL/securitytokens ----------------------------------------------- */

/* Temporary AK/SK for the caller's token (method "token", optional duration_seconds 900..86400,
 * default 900): {"credential": {"access", "secret", "securitytoken", "expires_at"}}. */
void emu_handle_iam_securitytokens(emu_server *srv, const emu_request *req, emu_response *resp)
{
    const char *token = req->header(req->header_ctx, "x-auth-token");
    const char *scope = NULL;
    cJSON *in = NULL;
    const cJSON *acct;
    if (!token || !*token) {
        iam_error(resp, 401, "The request needs an X-Auth-Token.");
        return;
    }
    acct = auth_token(srv, token, &scope, resp);
    if (!acct) {
        return;
    }
    in = cJSON_ParseWithLength(req->body ? req->body : "", req->body_len);
    cJSON *identity =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(in, "auth"), "identity");
    cJSON *methods = cJSON_GetObjectItemCaseSensitive(identity, "methods");
    int has_token = 0;
    cJSON *m = NULL;
    cJSON_ArrayForEach(m, methods)
    {
        if (cJSON_IsString(m) && strcmp(m->valuestring, "token") == 0) {
            has_token = 1;
        }
    }
    if (!has_token) {
        iam_error(resp, 400, "The request body is not a token security-token request");
        goto done;
    }
    double dur = 900;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(identity, "token"), "duration_seconds");
    if (cJSON_IsNumber(d)) {
        if (d->valuedouble < 900 || d->valuedouble > 86400) {
            iam_error(resp, 400, "duration_seconds must be between 900 and 86400");
            goto done;
        }
        dur = d->valuedouble;
    }
    unsigned char rnd[40];
    char hex[81];
    if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
        iam_error(resp, 500, "credential generation failed");
        goto done;
    }
    emu_hex(rnd, sizeof(rnd), hex);
    char ak[24], sk[48], st[96];
    snprintf(ak, sizeof(ak), "TMP%.16s", hex);
    for (char *ch = ak; *ch; ch++) {
        *ch = (char)toupper((unsigned char)*ch);
    }
    snprintf(sk, sizeof(sk), "tmpsk%.32s", hex + 16);
    snprintf(st, sizeof(st), "gQpzst%.32s%.16s", hex + 48, hex);
    double exp = emu_now_ms() + dur * 1000.0;
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "temp_ak", ak);
    cJSON_AddStringToObject(rec, "temp_sk", sk);
    cJSON_AddStringToObject(rec, "security_token", st);
    cJSON_AddStringToObject(rec, "account", emu_jstr(acct, "name"));
    cJSON_AddNumberToObject(rec, "expires_ms", exp);
    cJSON_AddItemToArray(srv->tokens, rec);
    srv->dirty = 1;
    cJSON *out = cJSON_CreateObject();
    cJSON *cred = cJSON_AddObjectToObject(out, "credential");
    char ts[32];
    emu_iso8601(exp, ts);
    cJSON_AddStringToObject(cred, "access", ak);
    cJSON_AddStringToObject(cred, "secret", sk);
    cJSON_AddStringToObject(cred, "securitytoken", st);
    cJSON_AddStringToObject(cred, "expires_at", ts);
    resp->status = 201;
    resp->body = out;
done:
    cJSON_Delete(in);
}
