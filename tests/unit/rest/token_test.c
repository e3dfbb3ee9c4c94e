/* IAM password authentication: the token, the project resolved from it, the renewal on a 401. */
#include "fake.h"

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static const char QUOTAS[] = "{\"quotas\":{\"resources\":[{\"type\":\"endpoint\",\"used\":1,"
                             "\"quota\":50}]}}";

static fake_answer token_or_quota(fake *f, const rest_http_request *rq)
{
    fake_answer a;

    (void)f;
    memset(&a, 0, sizeof(a));
    a.status = 200;
    if (strstr(rq->url, "/auth/tokens") != NULL) {
        a.status = 201;
        a.body = "{\"token\":{\"project\":{\"id\":\"resolvedpid\",\"name\":\"eu-de\"}}}";
        a.subject_token = "TOKEN-ONE";
    } else {
        a.body = QUOTAS;
    }
    return a;
}

static void test_password_auth_and_project_resolution(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    size_t len;
    char *want = fixture("iam_token_password_project_scope_request.json", &len);
    cJSON *want_j = rest_json_parse(want, len), *got_j, *scope;
    const char *pid = NULL;
    vpcep_client_stats st = VPCEP_CLIENT_STATS_INIT;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.user_name = "username";
    o.password = "password";
    o.domain_name = "domainname";
    o.auth_url = "http://iam.test/v3/";
    c = fake_client(&f, &o);
    f.dynamic = token_or_quota;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(f.n_requests, 2);
    assert_string_equal(f.requests[0].method, "POST");
    assert_string_equal(f.requests[0].url, "http://iam.test/v3/auth/tokens?nocatalog=true");
    /* same shape as the documented request, scoped by project name (region) */
    got_j = rest_json_parse(f.requests[0].body, strlen(f.requests[0].body));
    assert_non_null(got_j);
    scope = cJSON_GetObjectItem(cJSON_GetObjectItem(want_j, "auth"), "scope");
    cJSON_ReplaceItemInObject(scope, "project", cJSON_Parse("{\"name\":\"eu-de\"}"));
    assert_true(cJSON_Compare(want_j, got_j, 1));
    assert_string_equal(f.requests[1].url, "http://vpcep.test:8080/v1/resolvedpid/quotas");
    assert_non_null(strstr(f.requests[1].headers, "X-Auth-Token: TOKEN-ONE\n"));
    assert_int_equal(vpcep_client_project_id(&pid, c, &err), 0);
    assert_string_equal(pid, "resolvedpid");
    /* token reused */
    vpcep_quota_list_free(q);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(f.n_requests, 3);
    vpcep_client_get_stats(&st, c);
    assert_int_equal(st.token_requests, 1);
    assert_null(strstr(f.log, "password"));
    assert_null(strstr(f.log, "TOKEN-ONE"));
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
    cJSON_Delete(want_j);
    cJSON_Delete(got_j);
    free(want);
}

static void test_token_renewed_once_on_401(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.user_name = "u";
    o.password = "secret-pw";
    o.domain_name = "d";
    c = fake_client(&f, &o);
    fake_push(&f, 201, "{}");
    f.answers[f.n_answers - 1].subject_token = "T1";
    fake_push(&f, 401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"expired\"}");
    fake_push(&f, 201, "{}");
    f.answers[f.n_answers - 1].subject_token = "T2";
    fake_push(&f, 200, QUOTAS);
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    assert_int_equal(f.n_requests, 4);
    assert_string_equal(f.requests[0].url, "https://iam.eu-de.otc.t-systems.com/v3/auth/tokens"
                                           "?nocatalog=true");
    assert_non_null(strstr(f.requests[1].headers, "X-Auth-Token: T1\n"));
    assert_non_null(strstr(f.requests[3].headers, "X-Auth-Token: T2\n"));
    vpcep_quota_list_free(q);

    /* a second 401 after renewal is final: only one renewal per call */
    fake_push(&f, 401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"no\"}");
    fake_push(&f, 201, "{}");
    f.answers[f.n_answers - 1].subject_token = "T3";
    fake_push(&f, 401, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"still no\"}");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_int_equal(f.n_requests, 7);
    assert_string_equal(err.error_msg, "still no");

    /* IAM refusing the password: EAUTH naming the user, never the password */
    vpcep_client_free(c);
    fake_init(&f);
    c = fake_client(&f, &o);
    fake_push(&f, 401, "{\"error\":{\"code\":\"401\",\"message\":\"bad credentials\"}}");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_non_null(strstr(err.error_msg, "user u"));
    assert_null(strstr(err.error_msg, "secret-pw"));
    /* IAM answer without X-Subject-Token */
    fake_push(&f, 201, "{}");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    vpcep_client_free(c);
}

static void test_token_without_project(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    size_t len;
    char *body = fixture("iam_token_response.json", &len);

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.user_name = "u";
    o.password = "p";
    o.domain_name = "d";
    c = fake_client(&f, &o);
    fake_push(&f, 201, body);
    f.answers[0].subject_token = "T";
    /* the documented token answer is domain-scoped: no project to take */
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_non_null(strstr(err.error_msg, "project"));
    vpcep_client_free(c);
    free(body);
}

static fake_answer projects_or_quota(fake *f, const rest_http_request *rq)
{
    fake_answer a;

    (void)f;
    memset(&a, 0, sizeof(a));
    a.status = 200;
    if (strstr(rq->url, "/v3/projects") != NULL)
        a.body = "{\"projects\":[{\"id\":\"otherpid\",\"name\":\"eu-de_xy\"},"
                 "{\"id\":\"namedpid\",\"name\":\"eu-de_x\"}]}";
    else if (strstr(rq->url, "/auth/tokens") != NULL) {
        a.status = 201;
        a.body = "{\"token\":{\"project\":{\"id\":\"scopedpid\",\"name\":\"eu-de_x\"}}}";
        a.subject_token = "TOKEN-ONE";
    } else
        a.body = QUOTAS;
    return a;
}

/* project_name: AK/SK and token auth look the ID up once; password auth scopes by it. */
static void test_project_by_name(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    const char *pid = NULL;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    o.project_id = NULL;
    o.project_name = "eu-de_x";
    o.auth_url = "http://iam.test/v3";
    c = fake_client(&f, &o);
    f.dynamic = projects_or_quota;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    assert_int_equal(f.n_requests, 2);
    assert_string_equal(f.requests[0].method, "GET");
    assert_string_equal(f.requests[0].url, "http://iam.test/v3/projects?name=eu-de_x");
    assert_non_null(strstr(f.requests[0].headers, "Authorization: SDK-HMAC-SHA256 Access=AKTEST"));
    /* signed for IAM's host, not the endpoint's */
    assert_non_null(strstr(f.requests[0].headers, "Host: iam.test\n"));
    assert_null(strstr(f.requests[0].headers, "vpcep.test"));
    assert_string_equal(f.requests[1].url, "http://vpcep.test:8080/v1/namedpid/quotas");
    assert_int_equal(vpcep_client_project_id(&pid, c, &err), 0);
    assert_string_equal(pid, "namedpid");
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0); /* looked up once */
    vpcep_quota_list_free(q);
    assert_int_equal(f.n_requests, 3);
    vpcep_client_free(c);

    /* a name IAM does not know: an authentication error naming it */
    fake_init(&f);
    fake_options(&f, &o);
    o.project_id = NULL;
    o.project_name = "eu-de_nope";
    o.auth_url = "http://iam.test/v3";
    c = fake_client(&f, &o);
    f.dynamic = projects_or_quota;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), VPCEP_EAUTH);
    assert_non_null(strstr(err.error_msg, "eu-de_nope"));
    vpcep_client_free(c);

    /* password auth: the token is scoped to the name, the user's domain by ID */
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.project_name = "eu-de_x";
    o.user_name = "u";
    o.password = "pw";
    o.domain_id = "dom1";
    o.auth_url = "http://iam.test/v3";
    c = fake_client(&f, &o);
    f.dynamic = projects_or_quota;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    assert_non_null(strstr(f.requests[0].body, "\"scope\":{\"project\":{\"name\":\"eu-de_x\"}}"));
    assert_non_null(strstr(f.requests[0].body, "\"domain\":{\"id\":\"dom1\"}"));
    assert_string_equal(f.requests[1].url, "http://vpcep.test:8080/v1/scopedpid/quotas");
    vpcep_client_free(c);
}

static fake_answer agency_iam(fake *f, const rest_http_request *rq)
{
    fake_answer a;

    (void)f;
    memset(&a, 0, sizeof(a));
    a.status = 200;
    a.body = QUOTAS;
    if (strstr(rq->url, "/auth/tokens") != NULL) {
        a.status = 201;
        if (rq->body != NULL && strstr(rq->body, "assume_role") != NULL) {
            a.body = "{\"token\":{\"project\":{\"id\":\"delegatedpid\",\"name\":\"eu-de\"}}}";
            a.subject_token = "AGENCY-TOKEN";
        } else {
            a.body = "{\"token\":{\"domain\":{\"id\":\"d\",\"name\":\"dn\"}}}";
            a.subject_token = "USER-TOKEN";
        }
    }
    return a;
}

/* An agency: the caller's credentials only get the agency token; API calls use it, in the
 * delegated project the token names. */
static void test_agency(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;

    (void)state;
    /* AK/SK: the assume_role call is signed, for IAM's host */
    fake_init(&f);
    fake_options(&f, &o);
    o.project_id = NULL;
    o.agency_name = "ops";
    o.agency_domain_name = "other-domain";
    o.auth_url = "http://iam.test/v3";
    c = fake_client(&f, &o);
    f.dynamic = agency_iam;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    assert_int_equal(f.n_requests, 2);
    assert_string_equal(f.requests[0].url, "http://iam.test/v3/auth/tokens?nocatalog=true");
    assert_non_null(strstr(f.requests[0].headers, "Authorization: SDK-HMAC-SHA256 Access=AKTEST"));
    assert_non_null(strstr(f.requests[0].headers, "Host: iam.test\n"));
    assert_non_null(strstr(f.requests[0].body, "\"methods\":[\"assume_role\"]"));
    assert_non_null(strstr(f.requests[0].body, "\"domain_name\":\"other-domain\""));
    assert_non_null(strstr(f.requests[0].body, "\"agency_name\":\"ops\""));
    assert_non_null(strstr(f.requests[0].body, "\"scope\":{\"project\":{\"name\":\"eu-de\"}}"));
    assert_string_equal(f.requests[1].url, "http://vpcep.test:8080/v1/delegatedpid/quotas");
    assert_non_null(strstr(f.requests[1].headers, "X-Auth-Token: AGENCY-TOKEN\n"));
    assert_null(strstr(f.requests[1].headers, "Authorization"));
    vpcep_client_free(c);

    /* password: the user's own (domain-scoped) token first, then the agency's */
    fake_init(&f);
    fake_options(&f, &o);
    o.access_key = o.secret_key = NULL;
    o.project_id = NULL;
    o.user_name = "u";
    o.password = "pw";
    o.domain_name = "my-domain";
    o.agency_name = "ops";
    o.agency_domain_name = "other-domain";
    o.delegated_project = "eu-de_x";
    o.auth_url = "http://iam.test/v3";
    c = fake_client(&f, &o);
    f.dynamic = agency_iam;
    assert_int_equal(vpcep_quota_get(&q, c, NULL, &err), 0);
    vpcep_quota_list_free(q);
    assert_int_equal(f.n_requests, 3);
    assert_non_null(strstr(f.requests[0].body, "\"scope\":{\"domain\":{\"name\":\"my-domain\"}}"));
    assert_non_null(strstr(f.requests[1].headers, "X-Auth-Token: USER-TOKEN\n"));
    assert_non_null(strstr(f.requests[1].body, "\"name\":\"eu-de_x\""));
    assert_non_null(strstr(f.requests[2].headers, "X-Auth-Token: AGENCY-TOKEN\n"));
    assert_null(strstr(f.log, "AGENCY-TOKEN"));
    assert_null(strstr(f.log, "USER-TOKEN"));
    vpcep_client_free(c);

    /* half an agency is refused */
    fake_options(&f, &o);
    o.agency_name = "ops";
    assert_int_equal(vpcep_client_new(&c, &o, &err), VPCEP_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_auth_and_project_resolution),
        cmocka_unit_test(test_token_renewed_once_on_401),
        cmocka_unit_test(test_token_without_project),
        cmocka_unit_test(test_project_by_name),
        cmocka_unit_test(test_agency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
