/* IAM tokens: password authentication and agencies (assume role), the cache and renewal of
 * the token, and the project ID resolved from it or looked up by name. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The password-auth request body, project-scoped (@p user: the user's own token for an
 * agency, scoped to the user's domain); NULL on ENOMEM. */
static char *token_body(vpcep_client *c, int own)
{
    cJSON *root = cJSON_CreateObject(), *auth, *ident, *methods, *pw, *user, *dom, *scope, *proj;
    cJSON *method;
    char *out = NULL;

    if (root == NULL)
        return NULL;
    auth = cJSON_AddObjectToObject(root, "auth");
    ident = auth ? cJSON_AddObjectToObject(auth, "identity") : NULL;
    methods = ident ? cJSON_AddArrayToObject(ident, "methods") : NULL;
    method = methods ? cJSON_CreateString("password") : NULL;
    if (method == NULL)
        goto done;
    cJSON_AddItemToArray(methods, method); /* cannot fail: no allocation */
    pw = cJSON_AddObjectToObject(ident, "password");
    user = pw ? cJSON_AddObjectToObject(pw, "user") : NULL;
    dom = user ? cJSON_AddObjectToObject(user, "domain") : NULL;
    if (dom == NULL || cJSON_AddStringToObject(user, "name", c->user_name) == NULL ||
        cJSON_AddStringToObject(user, "password", c->password) == NULL ||
        (c->domain_name != NULL ? cJSON_AddStringToObject(dom, "name", c->domain_name)
                                : cJSON_AddStringToObject(dom, "id", c->domain_id)) == NULL)
        goto done;
    scope = cJSON_AddObjectToObject(auth, "scope");
    if (own) {
        cJSON *sd = scope ? cJSON_AddObjectToObject(scope, "domain") : NULL;
        if (sd != NULL &&
            (c->domain_name != NULL ? cJSON_AddStringToObject(sd, "name", c->domain_name)
                                    : cJSON_AddStringToObject(sd, "id", c->domain_id)) != NULL)
            out = cJSON_PrintUnformatted(root);
        goto done;
    }
    proj = scope ? cJSON_AddObjectToObject(scope, "project") : NULL;
    if (proj == NULL ||
        (c->project_id != NULL
             ? cJSON_AddStringToObject(proj, "id", c->project_id)
             : cJSON_AddStringToObject(
                   proj, "name", c->project_name != NULL ? c->project_name : c->region)) == NULL)
        goto done;
    out = cJSON_PrintUnformatted(root);
done:
    cJSON_Delete(root);
    return out;
}

/* Password authentication: fetches a new token when the current one is missing or is
 * generation stale_gen. With an agency (@p user), the token is the user's own (user_token),
 * used only to assume the role, and names no project of ours. */
static int password_token(vpcep_client *c,
                          int user,
                          unsigned int stale_gen,
                          int force,
                          unsigned int *calls,
                          vpcep_error *err)
{
    rest_http_request rq;
    rest_http_response rs;
    const char *headers[1] = {"Content-Type: application/json;charset=utf8"};
    char *body = NULL, *url = NULL, *pid = NULL;
    int rc = 0, attempt, have, answered;
    rest_attempts tries;

    memset(&rs, 0, sizeof(rs));
    rs.retry_after_s = -1;
    pthread_mutex_lock(&c->token_lock);
    pthread_mutex_lock(&c->lock);
    have = user ? c->user_token != NULL
                : c->iam_token != NULL && !(force && c->token_gen == stale_gen);
    pthread_mutex_unlock(&c->lock);
    if (have)
        goto done;
    body = token_body(c, user);
    url = util_asprintf("%s/auth/tokens?nocatalog=true", c->auth_url);
    if (body == NULL || url == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.url = url;
    rq.headers = headers;
    rq.n_headers = 1;
    rq.body = body;
    rq.body_len = strlen(body);
    rest_attempts_start(c, &tries, "auth_url (OS_AUTH_URL)");
    for (attempt = 0;; attempt++) {
        long delay;
        if (rest_cancelled(c)) {
            rc = rest_fail(err, VPCEP_ECANCELED, "cancelled");
            goto done;
        }
        rest_attempt_begin(c, &tries, &rq);
        pthread_mutex_lock(&c->lock);
        c->stats.token_requests++;
        pthread_mutex_unlock(&c->lock);
        rq.attempt = attempt + 1;
        rc = rest_send_counted(c, &rq, &rs, calls, attempt > 0, err);
        if (rc == 0 && rs.status >= 200 && rs.status < 300)
            break;
        if (rc == VPCEP_ECANCELED || rc == VPCEP_ENOMEM || rc == VPCEP_ETOOLARGE)
            goto done;
        if (rc == 0 && !rest_status_retryable(rs.status, NULL)) {
            rc = rest_error_from_response(err, rs.status, rs.body, rs.body_len, rs.request_id);
            if (rc == VPCEP_EAUTH || rs.status == 401 || rs.status == 403) {
                rc = VPCEP_EAUTH;
                if (err != NULL) {
                    char m[sizeof(err->error_msg)];
                    util_strlcpy(m, err->error_msg, sizeof(m));
                    snprintf(err->error_msg, sizeof(err->error_msg),
                             "IAM token request for user %.64s in domain %.64s failed: %.300s",
                             c->user_name, c->domain_name != NULL ? c->domain_name : c->domain_id,
                             m);
                    err->kind = rc;
                }
            }
            goto done;
        }
        answered = rc == 0;
        if (!rest_retry_next(c, &tries, answered, rs.net_failure, rs.retry_after_s, &delay)) {
            if (answered)
                rc = rest_error_from_response(err, rs.status, rs.body, rs.body_len, rs.request_id);
            rest_explain_failure(c, err, &tries, "POST", url, answered, rs.net_failure);
            goto done;
        }
        rc = rest_sleep(c, delay, err);
        if (rc != 0)
            goto done;
    }
    if (rs.subject_token == NULL) {
        rc = rest_fail(err, VPCEP_EAUTH, "IAM answered without an X-Subject-Token header");
        goto done;
    }
    {
        /* The project ID is optional in the answer; an answer that is not JSON names none. */
        long failures = util_alloc_failures();
        cJSON *root = NULL;
        const cJSON *tok, *proj;

        rc = rest_json_parse_object(&root, rs.body, rs.body_len);
        tok = cJSON_GetObjectItemCaseSensitive(root, "token");
        proj = cJSON_GetObjectItemCaseSensitive(tok, "project");
        pid = rest_json_str(proj, "id");
        cJSON_Delete(root);
        if (rc == VPCEP_ENOMEM || util_alloc_failures() != failures) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
    }
    pthread_mutex_lock(&c->lock);
    if (user) {
        rest_free_secret(c->user_token);
        c->user_token = rs.subject_token;
        rs.subject_token = NULL;
        pthread_mutex_unlock(&c->lock);
        rc = 0;
        goto done;
    }
    rest_free_secret(c->iam_token);
    c->iam_token = rs.subject_token;
    rs.subject_token = NULL;
    c->token_gen++;
    if (c->project_id == NULL && pid != NULL && rest_valid_id(pid)) {
        c->project_id = pid;
        pid = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    rc = 0;
done:
    pthread_mutex_unlock(&c->token_lock);
    rest_http_response_dispose(&rs);
    if (body != NULL) {
        memset(body, 0, strlen(body));
        cJSON_free(body);
    }
    util_free(url);
    util_free(pid);
    return rc;
}

/* The assume_role request body: the agency of the delegating domain, scoped to the delegated
 * project (by name; the region's name by default). NULL on ENOMEM. */
static char *agency_body(vpcep_client *c)
{
    cJSON *root = cJSON_CreateObject(), *auth, *ident, *methods, *ar, *scope, *proj, *m;
    char *out = NULL;

    if (root == NULL)
        return NULL;
    auth = cJSON_AddObjectToObject(root, "auth");
    ident = auth ? cJSON_AddObjectToObject(auth, "identity") : NULL;
    methods = ident ? cJSON_AddArrayToObject(ident, "methods") : NULL;
    m = methods ? cJSON_CreateString("assume_role") : NULL;
    if (m == NULL)
        goto done;
    cJSON_AddItemToArray(methods, m);
    ar = cJSON_AddObjectToObject(ident, "assume_role");
    scope = ar ? cJSON_AddObjectToObject(auth, "scope") : NULL;
    proj = scope ? cJSON_AddObjectToObject(scope, "project") : NULL;
    if (proj == NULL || cJSON_AddStringToObject(ar, "domain_name", c->agency_domain_name) == NULL ||
        cJSON_AddStringToObject(ar, "agency_name", c->agency_name) == NULL ||
        cJSON_AddStringToObject(
            proj, "name", c->delegated_project != NULL ? c->delegated_project : c->region) == NULL)
        goto done;
    out = cJSON_PrintUnformatted(root);
done:
    cJSON_Delete(root);
    return out;
}

/* Agency: the token of the delegating domain's agency, requested with the caller's own
 * credentials (signed with AK/SK, or with its token, or the user's password token); its
 * project is the delegated project, whose ID the token names. */
static int agency_token(
    vpcep_client *c, unsigned int stale_gen, int force, unsigned int *calls, vpcep_error *err)
{
    rest_request rq;
    rest_result res;
    cJSON *root = NULL;
    char *body = NULL, *pid = NULL;
    int rc, have;

    memset(&res, 0, sizeof(res));
    if (c->auth == REST_AUTH_PASSWORD && (rc = password_token(c, 1, 0, 0, calls, err)) != 0)
        return rc;
    pthread_mutex_lock(&c->token_lock);
    pthread_mutex_lock(&c->lock);
    have = c->iam_token != NULL && !(force && c->token_gen == stale_gen);
    pthread_mutex_unlock(&c->lock);
    if (have) {
        rc = 0;
        goto done;
    }
    body = agency_body(c);
    if (body == NULL) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.raw_path = 1;
    rq.base = c->auth_url;
    rq.path = "/auth/tokens";
    rq.query = "nocatalog=true";
    rq.body = body;
    rq.own_credentials = 1;
    rq.calls = calls;
    pthread_mutex_lock(&c->lock);
    c->stats.token_requests++;
    pthread_mutex_unlock(&c->lock);
    rc = rest_call(c, &rq, &res, err);
    if (rc != 0) {
        if (err != NULL &&
            (rc == VPCEP_EAUTH || err->http_status == 401 || err->http_status == 403)) {
            char m[sizeof(err->error_msg)];
            util_strlcpy(m, err->error_msg, sizeof(m));
            snprintf(err->error_msg, sizeof(err->error_msg),
                     "assuming agency %.64s of domain %.64s failed: %.300s", c->agency_name,
                     c->agency_domain_name, m);
            rc = err->kind = VPCEP_EAUTH;
        }
        goto done;
    }
    if (res.subject_token == NULL) {
        rc = rest_fail(err, VPCEP_EAUTH, "IAM answered without an X-Subject-Token header");
        goto done;
    }
    {
        long failures = util_alloc_failures();
        rc = rest_json_parse_object(&root, res.body, res.body_len);
        pid = rest_json_str(cJSON_GetObjectItemCaseSensitive(
                                cJSON_GetObjectItemCaseSensitive(root, "token"), "project"),
                            "id");
        if (rc == VPCEP_ENOMEM || util_alloc_failures() != failures) {
            rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
            goto done;
        }
    }
    pthread_mutex_lock(&c->lock);
    rest_free_secret(c->iam_token);
    c->iam_token = res.subject_token;
    res.subject_token = NULL;
    c->token_gen++;
    if (c->project_id == NULL && pid != NULL && rest_valid_id(pid)) {
        c->project_id = pid;
        pid = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    rc = 0;
done:
    pthread_mutex_unlock(&c->token_lock);
    cJSON_Delete(root);
    util_free(pid);
    rest_result_dispose(&res);
    if (body != NULL) {
        memset(body, 0, strlen(body));
        cJSON_free(body);
    }
    return rc;
}

int rest_fetch_token(
    vpcep_client *c, unsigned int stale_gen, int force, unsigned int *calls, vpcep_error *err)
{
    if (c->agency_name != NULL)
        return agency_token(c, stale_gen, force, calls, err);
    return password_token(c, 0, stale_gen, force, calls, err);
}

/* AK/SK or token auth with project_name only: GET {auth_url}/projects?name=... (signed, or with
 * the token), once; the first project of exactly that name. */
static int lookup_project(vpcep_client *c, unsigned int *calls, vpcep_error *err)
{
    rest_request rq;
    rest_result res;
    util_buf q;
    cJSON *root = NULL;
    const cJSON *p;
    char *id = NULL;
    long failures = util_alloc_failures();
    int rc;

    memset(&rq, 0, sizeof(rq));
    memset(&res, 0, sizeof(res));
    util_buf_init(&q, REST_MAX_TEXT_BYTES);
    util_buf_puts(&q, "name=");
    util_buf_append_pct(&q, c->project_name, 0);
    if (q.error) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    pthread_mutex_lock(&c->token_lock); /* one lookup at a time */
    pthread_mutex_lock(&c->lock);
    rc = c->project_id != NULL;
    pthread_mutex_unlock(&c->lock);
    if (rc) {
        rc = 0;
        pthread_mutex_unlock(&c->token_lock);
        goto done;
    }
    rq.method = "GET";
    rq.raw_path = 1;
    rq.base = c->auth_url;
    rq.path = "/projects";
    rq.query = util_buf_cstr(&q);
    rq.calls = calls;
    rc = rest_call(c, &rq, &res, err);
    pthread_mutex_unlock(&c->token_lock);
    if (rc != 0)
        goto done;
    rc = rest_json_parse_object(&root, res.body, res.body_len);
    if (rc == VPCEP_ENOMEM || util_alloc_failures() != failures) {
        rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
        goto done;
    }
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(root, "projects"))
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        if (cJSON_IsString(name) && strcmp(name->valuestring, c->project_name) == 0) {
            id = rest_json_str(p, "id");
            if (id == NULL && util_alloc_failures() != failures) {
                rc = rest_fail(err, VPCEP_ENOMEM, "out of memory");
                goto done;
            }
            break;
        }
    }
    if (id == NULL || !rest_valid_id(id)) {
        rc = rest_fail(err, VPCEP_EAUTH,
                       "IAM knows no project named %.64s for these credentials: check "
                       "project_name (or set project_id)",
                       c->project_name);
        goto done;
    }
    pthread_mutex_lock(&c->lock);
    if (c->project_id == NULL) {
        c->project_id = id;
        id = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    rc = 0;
done:
    cJSON_Delete(root);
    util_free(id);
    rest_result_dispose(&res);
    util_buf_dispose(&q);
    return rc;
}

int rest_ensure_project(vpcep_client *c, unsigned int *calls, vpcep_error *err)
{
    int have, rc;

    pthread_mutex_lock(&c->lock);
    have = c->project_id != NULL;
    pthread_mutex_unlock(&c->lock);
    if (have)
        return 0;
    if (c->auth != REST_AUTH_PASSWORD && c->agency_name == NULL)
        return lookup_project(c, calls, err);
    rc = rest_fetch_token(c, 0, 0, calls, err);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&c->lock);
    have = c->project_id != NULL;
    pthread_mutex_unlock(&c->lock);
    if (!have)
        return rest_fail(err, VPCEP_EAUTH, "the IAM token names no project: set project_id");
    return 0;
}

int vpcep_client_project_id(const char **out, vpcep_client *client, vpcep_error *err)
{
    int rc;

    rest_error_clear(err);
    if (client == NULL || out == NULL)
        return rest_fail(err, VPCEP_EINVALID, "client and out must not be NULL");
    *out = NULL;
    rc = rest_ensure_project(client, NULL, err);
    if (rc == 0)
        *out = client->project_id; /* set once, never changed afterwards */
    return rc;
}
