/* SDK-HMAC-SHA256 signing against the reference vector (tests/fixtures/vpcep). */
#include "fake.h"

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_reference_vector(void **state)
{
    size_t len;
    char *j = fixture("aksk_signing_test_vectors.json", &len);
    cJSON *root = rest_json_parse(j, len), *vectors, *v;
    int n = 0;

    (void)state;
    assert_non_null(root);
    vectors = cJSON_GetObjectItem(root, "vectors");
    cJSON_ArrayForEach(v, vectors)
    {
        const char *headers[16];
        char bufs[16][512];
        size_t nh = 0;
        cJSON *h, *computed = cJSON_GetObjectItem(v, "computed");
        const char *body = cJSON_GetObjectItem(v, "body")->valuestring;
        char *canonical = NULL, *signed_headers = NULL, *authz = NULL;
        char cr_hash[65];

        cJSON_ArrayForEach(h, cJSON_GetObjectItem(v, "headers"))
        {
            snprintf(bufs[nh], sizeof(bufs[nh]), "%s: %s", h->string, h->valuestring);
            headers[nh] = bufs[nh];
            nh++;
        }
        assert_int_equal(rest_canonical_request(cJSON_GetObjectItem(v, "method")->valuestring,
                                                cJSON_GetObjectItem(v, "url")->valuestring, headers,
                                                nh, body, strlen(body), &canonical,
                                                &signed_headers),
                         0);
        assert_string_equal(canonical,
                            cJSON_GetObjectItem(computed, "canonical_request")->valuestring);
        assert_string_equal(signed_headers, "content-type;host;x-sdk-date");
        rest_sha256_hex(canonical, strlen(canonical), cr_hash);
        assert_string_equal(
            cr_hash, cJSON_GetObjectItem(v, "expected_hashed_canonical_request")->valuestring);
        assert_int_equal(vpcep_sign_request(&authz, cJSON_GetObjectItem(v, "ak")->valuestring,
                                            cJSON_GetObjectItem(v, "sk")->valuestring,
                                            cJSON_GetObjectItem(v, "method")->valuestring,
                                            cJSON_GetObjectItem(v, "url")->valuestring, headers, nh,
                                            body, strlen(body)),
                         0);
        assert_string_equal(authz, cJSON_GetObjectItem(computed, "authorization")->valuestring);
        assert_non_null(strstr(authz, cJSON_GetObjectItem(v, "expected_signature")->valuestring));
        free(canonical);
        free(signed_headers);
        vpcep_free(authz);
        n++;
    }
    assert_true(n >= 1);
    cJSON_Delete(root);
    free(j);
}

static void test_canonical_details(void **state)
{
    const char *headers[] = {"X-Sdk-Date: 20240101T000000Z", "Host:  h.example:8443 ",
                             "Content-Type: application/json"};
    char *cr = NULL, *sh = NULL;
    char empty_hash[65], body_hash[65];

    (void)state;
    /* query sorted by key then value, re-encoded; spaces as %20; path gets a trailing slash */
    assert_int_equal(rest_canonical_request("POST",
                                            "https://h.example:8443/v1/p/vpc-endpoints?b=2&a=x%20y"
                                            "&a=1&c",
                                            headers, 3, "{\"a\":1}\n", 8, &cr, &sh),
                     0);
    rest_sha256_hex("{\"a\":1}\n", 8, body_hash);
    rest_sha256_hex(NULL, 0, empty_hash);
    assert_string_equal(empty_hash,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_non_null(strstr(cr, "POST\n/v1/p/vpc-endpoints/\na=1&a=x%20y&b=2&c=\n"));
    assert_non_null(strstr(cr, "content-type:application/json\nhost:h.example:8443\n"
                               "x-sdk-date:20240101T000000Z\n\n"
                               "content-type;host;x-sdk-date\n"));
    assert_non_null(strstr(cr, body_hash));
    assert_string_equal(sh, "content-type;host;x-sdk-date");
    free(cr);
    free(sh);
}

static void test_sign_errors(void **state)
{
    const char *no_date[] = {"Host: h"};
    const char *bad[] = {"no colon"};
    const char *ok[] = {"Host: h", "X-Sdk-Date: 20240101T000000Z"};
    char *a = (char *)1;

    (void)state;
    assert_int_equal(vpcep_sign_request(&a, "AK", "SK", "GET", "https://h/", no_date, 1, NULL, 0),
                     VPCEP_EINVALID);
    assert_null(a);
    assert_int_equal(vpcep_sign_request(&a, "AK", "SK", "GET", "https://h/", bad, 1, NULL, 0),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_sign_request(&a, "AK", "SK", "GET", "::not a url", ok, 2, NULL, 0),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_sign_request(&a, NULL, "SK", "GET", "https://h/", ok, 2, NULL, 0),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_sign_request(NULL, "AK", "SK", "GET", "https://h/", ok, 2, NULL, 0),
                     VPCEP_EINVALID);
    assert_int_equal(vpcep_sign_request(&a, "AK", "SK", "GET", "https://h/", ok, 2, NULL, 0), 0);
    assert_non_null(strstr(a, "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
                              "Signature="));
    assert_null(strstr(a, "SK,")); /* the secret never appears */
    vpcep_free(a);
}

static void test_sdk_date(void **state)
{
    char d[17];

    (void)state;
    assert_int_equal(rest_sdk_date(d, (time_t)1573789015), 0);
    assert_string_equal(d, "20191115T033655Z");
}

/* The client signs what it sends: Host, X-Sdk-Date and Content-Type of a real request. */
static void test_client_signs_requests(void **state)
{
    fake f;
    vpcep_client_options o;
    vpcep_client *c;
    vpcep_error err = VPCEP_ERROR_INIT;
    vpcep_quota_list *q = NULL;
    const char *hdr;

    (void)state;
    fake_init(&f);
    fake_options(&f, &o);
    c = fake_client(&f, &o);
    fake_push(&f, 200, "{\"quotas\":{\"resources\":[]}}");
    assert_int_equal(vpcep_quota_get(&q, c, "endpoint", &err), 0);
    hdr = f.requests[0].headers;
    assert_non_null(strstr(hdr, "Host: vpcep.test:8080\n"));
    assert_non_null(strstr(hdr, "X-Sdk-Date: "));
    assert_non_null(strstr(hdr, "Authorization: SDK-HMAC-SHA256 Access=AKTEST, "
                                "SignedHeaders=host;x-sdk-date, Signature="));
    assert_null(strstr(hdr, "SKSECRET"));
    assert_null(strstr(f.log, "SKSECRET"));
    assert_string_equal(f.requests[0].url, "http://vpcep.test:8080/v1/p123/quotas?type=endpoint");
    vpcep_quota_list_free(q);
    vpcep_client_free(c);
}

/* Re-signs a request the fake captured with vpcep_sign_request over its URL and headers (the
 * Authorization header left out): the client's own signature must be the same. */
static void assert_signature_matches(const fake_request *r)
{
    const char *headers[8];
    char copy[2048], *line, *save = NULL, *want = NULL;
    const char *got = NULL;
    size_t n = 0;

    strcpy(copy, r->headers);
    for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "Authorization: ", 15) == 0)
            got = line + 15;
        else if (n < 8)
            headers[n++] = line;
    }
    assert_non_null(got);
    assert_int_equal(vpcep_sign_request(&want, "AKTEST", "SKSECRET", r->method, r->url, headers, n,
                                        r->body, strlen(r->body)),
                     0);
    assert_string_equal(got, want);
    vpcep_free(want);
}

/* The client's signatures (its signer keyed once, the URL split without a parser) are the ones
 * of the reference signing over the whole URL: a query, a body, an endpoint with a path, and
 * a path curl rewrites. */
static void test_client_signature_is_the_reference(void **state)
{
    static const char *const endpoints[] = {"http://vpcep.test:8080", "https://h.example/api/x/",
                                            "http://h.example/a/./b/../c"};
    size_t e;

    (void)state;
    for (e = 0; e < sizeof(endpoints) / sizeof(endpoints[0]); e++) {
        fake f;
        vpcep_client_options o;
        vpcep_client *c;
        vpcep_error err = VPCEP_ERROR_INIT;
        vpcep_quota_list *q = NULL;
        vpcep_service_list *l = NULL;
        vpcep_service_list_opts lo = VPCEP_SERVICE_LIST_OPTS_INIT;

        fake_init(&f);
        fake_options(&f, &o);
        o.endpoint = endpoints[e];
        c = fake_client(&f, &o);
        fake_push(&f, 200, "{\"quotas\":{\"resources\":[]}}");
        assert_int_equal(vpcep_quota_get(&q, c, "endpoint", &err), 0);
        fake_push(&f, 200, "{\"endpoint_services\":[],\"total_count\":0}");
        lo.name = "a b+c%/d";
        assert_int_equal(vpcep_services_list(&l, c, &lo, &err), 0);
        fake_push(&f, 404, "{\"error_code\":\"EndPoint.0005\",\"error_msg\":\"no\"}");
        assert_int_equal(vpcep_service_delete(c, "svc-1", &err), VPCEP_ENOTFOUND);
        assert_true(f.n_requests >= 3);
        assert_signature_matches(&f.requests[0]);
        assert_signature_matches(&f.requests[1]);
        assert_signature_matches(&f.requests[2]);
        vpcep_quota_list_free(q);
        vpcep_service_list_free(l);
        vpcep_client_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_vector),
        cmocka_unit_test(test_canonical_details),
        cmocka_unit_test(test_sign_errors),
        cmocka_unit_test(test_sdk_date),
        cmocka_unit_test(test_client_signs_requests),
        cmocka_unit_test(test_client_signature_is_the_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
