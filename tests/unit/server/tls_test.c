/* Unit tests of provider/server/tls.c: the AutoMTLS certificate satisfies Go's verifier, and
 * the key reaches gRPC as a key object (the ENGINE reference) or as PEM. */
/* The test loads the key through the ENGINE API as gRPC does (deprecated in OpenSSL 3.0). */
#define OPENSSL_SUPPRESS_DEPRECATED
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include "handshake.h"
#include "tls.h"

#include <openssl/bio.h>
#include <openssl/engine.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static X509 *parse_pem(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    return x;
}

static void test_generate(void **state)
{
    tfp__srv_tls_identity id;
    X509 *x;
    EVP_PKEY *pub, *priv;
    BIO *kb;
    GENERAL_NAMES *san;
    int i, found_localhost = 0;
    const ASN1_INTEGER *serial;
    BIGNUM *bn;
    time_t now = time(NULL), later = now + 20L * 365 * 24 * 3600;
    unsigned char *der = NULL;
    int der_len;
    char *b64;
    size_t b64_cap;
    (void)state;

    assert_int_equal(tfp__srv_tls_generate(&id), 0);
    assert_non_null(id.key);
    assert_null(id.key_pem); /* no PEM of the key unless asked for */
    assert_non_null(id.cert_pem);
    assert_non_null(id.cert_b64);
    assert_null(strchr(id.cert_b64, '='));
    assert_null(strchr(id.cert_b64, '\n'));
    assert_true(strlen(id.cert_b64) > 50); /* go-plugin loads the cert only above 50 chars */

    x = parse_pem(id.cert_pem);
    assert_non_null(x);
    /* self-signed with the matching private key */
    pub = X509_get0_pubkey(x);
    assert_non_null(pub);
    assert_int_equal(X509_verify(x, pub), 1);
    assert_int_equal(tfp__srv_tls_key_pem(&id), 0);
    assert_non_null(strstr(id.key_pem, "-----BEGIN PRIVATE KEY-----"));
    kb = BIO_new_mem_buf(id.key_pem, -1);
    priv = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
    BIO_free(kb);
    assert_non_null(priv);
    assert_int_equal(X509_check_private_key(x, priv), 1);
    assert_int_equal(EVP_PKEY_eq(priv, id.key), 1);
    EVP_PKEY_free(priv);
    assert_int_equal(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);

    /* SAN DNS:localhost and host-name check as Go does it */
    san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    assert_non_null(san);
    for (i = 0; i < sk_GENERAL_NAME_num(san); i++) {
        GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);
        if (gn->type == GEN_DNS &&
            strcmp((const char *)ASN1_STRING_get0_data(gn->d.dNSName), "localhost") == 0)
            found_localhost = 1;
    }
    GENERAL_NAMES_free(san);
    assert_true(found_localhost);
    assert_int_equal(X509_check_host(x, "localhost", 0, 0, NULL), 1);

    /* EKU serverAuth + clientAuth */
    assert_true((X509_get_extension_flags(x) & EXFLAG_XKUSAGE) != 0);
    assert_true((X509_get_extended_key_usage(x) & XKU_SSL_SERVER) != 0);
    assert_true((X509_get_extended_key_usage(x) & XKU_SSL_CLIENT) != 0);
    assert_int_equal(X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0), 1);
    assert_int_equal(X509_check_purpose(x, X509_PURPOSE_SSL_CLIENT, 0), 1);

    /* validity: started (backdated), lasts for decades */
    assert_true(X509_cmp_time(X509_get0_notBefore(x), &now) < 0);
    assert_true(X509_cmp_time(X509_get0_notAfter(x), &later) > 0);

    /* positive, non-zero serial */
    serial = X509_get0_serialNumber(x);
    bn = ASN1_INTEGER_to_BN(serial, NULL);
    assert_non_null(bn);
    assert_false(BN_is_negative(bn));
    assert_false(BN_is_zero(bn));
    BN_free(bn);

    /* the handshake field is the raw-std base64 of exactly this DER */
    der_len = i2d_X509(x, &der);
    assert_true(der_len > 0);
    b64_cap = ((size_t)der_len + 2) / 3 * 4 + 1;
    b64 = malloc(b64_cap);
    tfp__srv_base64_raw(b64, b64_cap, der, (size_t)der_len);
    assert_string_equal(b64, id.cert_b64);
    free(b64);
    OPENSSL_free(der);
    X509_free(x);

    tfp__srv_tls_dispose(&id);
    assert_null(id.key_pem);
    assert_null(id.key);
    tfp__srv_tls_dispose(&id); /* idempotent */
}

/* What gRPC's ssl_ctx_use_engine_private_key() does with an "engine:ID:KEY" private key. */
static EVP_PKEY *grpc_engine_load(const char *ref)
{
    char id[64];
    const char *colon;
    ENGINE *e;
    EVP_PKEY *key = NULL;

    if (strncmp(ref, "engine:", 7) != 0 || (colon = strchr(ref + 7, ':')) == NULL ||
        (size_t)(colon - ref - 7) >= sizeof(id))
        return NULL;
    memcpy(id, ref + 7, (size_t)(colon - ref - 7));
    id[colon - ref - 7] = '\0';
    e = ENGINE_by_id(id);
    if (e == NULL)
        return NULL;
    if (ENGINE_set_default(e, ENGINE_METHOD_ALL) && ENGINE_init(e)) {
        key = ENGINE_load_private_key(e, colon + 1, NULL, NULL);
        ENGINE_finish(e);
    }
    ENGINE_free(e);
    return key;
}

static void test_grpc_private_key(void **state)
{
    tfp__srv_tls_identity a, b;
    const char *ref_a, *ref_b;
    char *stale;
    EVP_PKEY *k;
    (void)state;

    assert_int_equal(tfp__srv_tls_generate(&a), 0);
    assert_int_equal(tfp__srv_tls_generate(&b), 0);
    ref_a = tfp__srv_tls_grpc_private_key(&a);
    ref_b = tfp__srv_tls_grpc_private_key(&b);
    assert_non_null(ref_a);
    assert_non_null(ref_b);
    assert_ptr_equal(tfp__srv_tls_grpc_private_key(&a), ref_a); /* made once */
    assert_null(a.key_pem);                                     /* no PEM on the way */
    assert_string_not_equal(ref_a, ref_b);
    assert_true(strncmp(ref_a, "engine:", 7) == 0);

    /* each reference loads its own identity's key, as a new reference */
    k = grpc_engine_load(ref_a);
    assert_non_null(k);
    assert_int_equal(EVP_PKEY_eq(k, a.key), 1);
    assert_int_equal(EVP_PKEY_eq(k, b.key), 0);
    EVP_PKEY_free(k);
    k = grpc_engine_load(ref_b);
    assert_non_null(k);
    assert_int_equal(EVP_PKEY_eq(k, b.key), 1);
    EVP_PKEY_free(k);

    /* unknown and malformed key names load nothing */
    assert_null(grpc_engine_load("engine:tfp-automtls:0"));
    assert_null(grpc_engine_load("engine:tfp-automtls:12x"));
    assert_null(grpc_engine_load("engine:tfp-automtls:"));

    /* a disposed identity's reference no longer resolves */
    stale = strdup(ref_a);
    tfp__srv_tls_dispose(&a);
    assert_null(grpc_engine_load(stale));
    k = grpc_engine_load(ref_b);
    assert_non_null(k);
    EVP_PKEY_free(k);
    free(stale);
    tfp__srv_tls_dispose(&b);
}

static void test_unique(void **state)
{
    tfp__srv_tls_identity a, b;
    (void)state;
    assert_int_equal(tfp__srv_tls_generate(&a), 0);
    assert_int_equal(tfp__srv_tls_generate(&b), 0);
    assert_string_not_equal(a.cert_b64, b.cert_b64);
    assert_int_equal(tfp__srv_tls_key_pem(&a), 0);
    assert_int_equal(tfp__srv_tls_key_pem(&b), 0);
    assert_string_not_equal(a.key_pem, b.key_pem);
    tfp__srv_tls_dispose(&a);
    tfp__srv_tls_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_grpc_private_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
