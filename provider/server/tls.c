/*
 * provider/server/tls.c - AutoMTLS key pair and self-signed certificate with OpenSSL 3.
 *
 * Terraform starts the plugin several times per command and every start builds this identity,
 * so it is built directly rather than through OpenSSL's generic encoder/decoder machinery (each
 * OSSL_ENCODER/OSSL_DECODER context searches every key type and format, millions of
 * instructions): the public key goes into the certificate as its encoded point, the constant
 * extensions are their DER, the PEM certificate is the base64 of the DER, and gRPC gets the
 * private key as a key object through an in-process ENGINE that only loads keys (gRPC's
 * "engine:<id>:<key>" private-key form) instead of a PEM it would decode. A PEM of the key is
 * made only on request (clients of tests, and the fallback without ENGINE support).
 */
/* The ENGINE API is deprecated in OpenSSL 3.0 but it is the only way the gRPC C core takes a
 * key object; everything else here uses the 3.0 API. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include "tls.h"

#include "handshake.h"

#include <tfp/common.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#if !defined(OPENSSL_NO_ENGINE) && !defined(OPENSSL_NO_DEPRECATED_3_0)
#    include <openssl/engine.h>
#    define SRV_TLS_ENGINE 1
#endif

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 262980 hours, as go-plugin's certificate template. */
#define SRV_CERT_VALIDITY_SECONDS (262980L * 3600L)
/* An uncompressed P-256 point: 0x04 || X || Y. */
#define SRV_EC_POINT_LEN 65

/* The extensions of go-plugin's template, DER-encoded (they never change). */
static const unsigned char ext_basic_constraints[] = {0x30, 0x03, 0x01, 0x01, 0xff}; /* CA */
/* digitalSignature, keyEncipherment, keyAgreement, keyCertSign */
static const unsigned char ext_key_usage[] = {0x03, 0x02, 0x02, 0xac};
static const unsigned char ext_ext_key_usage[] = {0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05,
                                                  0x05, 0x07, 0x03, 0x01, 0x06, 0x08, 0x2b, 0x06,
                                                  0x01, 0x05, 0x05, 0x07, 0x03, 0x02};
static const unsigned char ext_san_localhost[] = {0x30, 0x0b, 0x82, 0x09, 'l', 'o', 'c',
                                                  'a',  'l',  'h',  'o',  's', 't'};

static int add_ext(X509 *cert, int nid, int critical, const unsigned char *der, size_t len)
{
    ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
    X509_EXTENSION *ext = NULL;
    int ok = 0;

    if (value != NULL && ASN1_OCTET_STRING_set(value, der, (int)len))
        ext = X509_EXTENSION_create_by_NID(NULL, nid, critical, value);
    if (ext != NULL)
        ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(value);
    return ok;
}

/* SubjectPublicKeyInfo from the key's encoded point, and the subject key identifier Go puts in
 * CA certificates (SHA-1 of the point). */
static int set_public_key(X509 *cert, EVP_PKEY *key)
{
    unsigned char point[SRV_EC_POINT_LEN], skid[2 + SHA_DIGEST_LENGTH];
    unsigned char *penc;
    size_t len = 0;

    if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                         sizeof(point), &len) ||
        len != sizeof(point))
        return 0;
    penc = OPENSSL_memdup(point, len);
    if (penc == NULL)
        return 0;
    if (!X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
                                V_ASN1_OBJECT, OBJ_nid2obj(NID_X9_62_prime256v1), penc, (int)len)) {
        OPENSSL_free(penc);
        return 0;
    }
    skid[0] = V_ASN1_OCTET_STRING;
    skid[1] = SHA_DIGEST_LENGTH;
    SHA1(point, len, skid + 2);
    return add_ext(cert, NID_subject_key_identifier, 0, skid, sizeof(skid));
}

/* "-----BEGIN CERTIFICATE-----", 64-column base64 lines, "-----END CERTIFICATE-----". */
static char *pem_certificate(const unsigned char *der, size_t len)
{
    static const char head[] = "-----BEGIN CERTIFICATE-----\n",
                      tail[] = "-----END CERTIFICATE-----\n";
    size_t lines = (len + 47) / 48, cap = sizeof(head) + sizeof(tail) + lines * 65 + 1, off, i;
    char *pem = malloc(cap);

    if (pem == NULL)
        return NULL;
    memcpy(pem, head, sizeof(head) - 1);
    off = sizeof(head) - 1;
    for (i = 0; i < len; i += 48) {
        size_t n = len - i < 48 ? len - i : 48;
        off += (size_t)EVP_EncodeBlock((unsigned char *)pem + off, der + i, (int)n);
        pem[off++] = '\n';
    }
    memcpy(pem + off, tail, sizeof(tail));
    return pem;
}

int tfp__srv_tls_generate(tfp__srv_tls_identity *out)
{
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    X509_NAME *name = NULL;
    BIGNUM *serial = NULL;
    unsigned char *der = NULL;
    int der_len;
    size_t b64_cap;
    int rc = TFP_ERROR;

    memset(out, 0, sizeof(*out));
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    serial = BN_new();
    if (key == NULL || cert == NULL || serial == NULL)
        goto done;
    if (!X509_set_version(cert, 2))
        goto done;
    /* Positive, non-zero 128-bit serial. */
    do {
        if (!BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY))
            goto done;
    } while (BN_is_zero(serial));
    if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) == NULL)
        goto done;
    if (X509_gmtime_adj(X509_getm_notBefore(cert), -30) == NULL ||
        X509_gmtime_adj(X509_getm_notAfter(cert), SRV_CERT_VALIDITY_SECONDS) == NULL)
        goto done;
    name = X509_get_subject_name(cert);
    if (!X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8,
                                    (const unsigned char *)"HashiCorp", -1, -1, 0) ||
        !X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                    (const unsigned char *)"localhost", -1, -1, 0) ||
        !X509_set_issuer_name(cert, name))
        goto done;
    if (!add_ext(cert, NID_basic_constraints, 1, ext_basic_constraints,
                 sizeof(ext_basic_constraints)) ||
        !add_ext(cert, NID_key_usage, 1, ext_key_usage, sizeof(ext_key_usage)) ||
        !add_ext(cert, NID_ext_key_usage, 0, ext_ext_key_usage, sizeof(ext_ext_key_usage)) ||
        !set_public_key(cert, key) ||
        !add_ext(cert, NID_subject_alt_name, 0, ext_san_localhost, sizeof(ext_san_localhost)))
        goto done;
    if (X509_sign(cert, key, EVP_sha256()) == 0)
        goto done;

    der_len = i2d_X509(cert, &der);
    if (der_len <= 0)
        goto done;
    rc = TFP_ENOMEM;
    out->cert_pem = pem_certificate(der, (size_t)der_len);
    b64_cap = ((size_t)der_len + 2) / 3 * 4 + 1;
    out->cert_b64 = malloc(b64_cap);
    if (out->cert_pem == NULL || out->cert_b64 == NULL)
        goto done;
    tfp__srv_base64_raw(out->cert_b64, b64_cap, der, (size_t)der_len);
    out->key = key;
    key = NULL;
    rc = TFP_OK;
done:
    if (rc != TFP_OK)
        tfp__srv_tls_dispose(out);
    OPENSSL_free(der);
    BN_free(serial);
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

int tfp__srv_tls_key_pem(tfp__srv_tls_identity *id)
{
    BIO *bio;
    char *data = NULL;
    long n;
    int rc = TFP_ERROR;

    if (id == NULL || id->key == NULL)
        return TFP_ERROR;
    if (id->key_pem != NULL)
        return TFP_OK;
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return TFP_ENOMEM;
    if (PEM_write_bio_PrivateKey(bio, id->key, NULL, NULL, 0, NULL, NULL) &&
        (n = BIO_get_mem_data(bio, &data)) > 0 && data != NULL) {
        rc = TFP_ENOMEM;
        id->key_pem = malloc((size_t)n + 1);
        if (id->key_pem != NULL) {
            memcpy(id->key_pem, data, (size_t)n);
            id->key_pem[n] = '\0';
            rc = TFP_OK;
        }
        OPENSSL_cleanse(data, (size_t)n); /* the memory BIO held the private key */
    }
    BIO_free(bio);
    return rc;
}

/* ----- the key-loading ENGINE ------------------------------------------------------------- */
#ifdef SRV_TLS_ENGINE
#    define SRV_ENGINE_ID "tfp-automtls"
#    define SRV_ENGINE_SLOTS 16

/* The keys the engine hands out, by the number in their reference. */
static struct {
    unsigned long ref;
    EVP_PKEY *key;
} engine_keys[SRV_ENGINE_SLOTS];
static unsigned long engine_next_ref = 1;
static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static int engine_ready;

/* ENGINE_load_private_key(): a new reference to the key named by @p key_id, or NULL. */
static EVP_PKEY *engine_load_key(ENGINE *e, const char *key_id, UI_METHOD *ui, void *cb_data)
{
    EVP_PKEY *key = NULL;
    char *end = NULL;
    unsigned long ref = key_id != NULL ? strtoul(key_id, &end, 10) : 0;
    size_t i;

    (void)e;
    (void)ui;
    (void)cb_data;
    if (ref == 0 || end == NULL || *end != '\0')
        return NULL;
    pthread_mutex_lock(&engine_lock);
    for (i = 0; i < SRV_ENGINE_SLOTS; i++) {
        if (engine_keys[i].ref == ref && EVP_PKEY_up_ref(engine_keys[i].key)) {
            key = engine_keys[i].key;
            break;
        }
    }
    pthread_mutex_unlock(&engine_lock);
    return key;
}

static void engine_register(void)
{
    ENGINE *e = ENGINE_new();

    if (e == NULL)
        return;
    if (ENGINE_set_id(e, SRV_ENGINE_ID) && ENGINE_set_name(e, "tfp AutoMTLS key loader") &&
        ENGINE_set_load_privkey_function(e, engine_load_key) && ENGINE_add(e))
        engine_ready = 1;
    ENGINE_free(e); /* the engine list keeps its own reference */
}

static const char *engine_key_ref(tfp__srv_tls_identity *id)
{
    char buf[64];
    size_t i;
    unsigned long ref = 0;

    pthread_once(&engine_once, engine_register);
    if (!engine_ready)
        return NULL;
    pthread_mutex_lock(&engine_lock);
    for (i = 0; i < SRV_ENGINE_SLOTS; i++) {
        if (engine_keys[i].key == NULL && EVP_PKEY_up_ref(id->key)) {
            ref = engine_next_ref++;
            engine_keys[i].ref = ref;
            engine_keys[i].key = id->key;
            break;
        }
    }
    pthread_mutex_unlock(&engine_lock);
    if (ref == 0)
        return NULL;
    snprintf(buf, sizeof(buf), "engine:%s:%lu", SRV_ENGINE_ID, ref);
    id->key_ref = strdup(buf);
    return id->key_ref;
}

static void engine_key_release(EVP_PKEY *key)
{
    size_t i;

    pthread_mutex_lock(&engine_lock);
    for (i = 0; i < SRV_ENGINE_SLOTS; i++) {
        if (engine_keys[i].key == key) {
            EVP_PKEY_free(engine_keys[i].key);
            engine_keys[i].key = NULL;
            engine_keys[i].ref = 0;
        }
    }
    pthread_mutex_unlock(&engine_lock);
}
#endif

const char *tfp__srv_tls_grpc_private_key(tfp__srv_tls_identity *id)
{
    if (id == NULL || id->key == NULL)
        return NULL;
    if (id->key_ref != NULL)
        return id->key_ref;
#ifdef SRV_TLS_ENGINE
    if (engine_key_ref(id) != NULL)
        return id->key_ref;
#endif
    return tfp__srv_tls_key_pem(id) == TFP_OK ? id->key_pem : NULL;
}

void tfp__srv_tls_dispose(tfp__srv_tls_identity *id)
{
    if (id == NULL)
        return;
#ifdef SRV_TLS_ENGINE
    if (id->key_ref != NULL && id->key != NULL)
        engine_key_release(id->key);
#endif
    if (id->key_pem != NULL) {
        OPENSSL_cleanse(id->key_pem, strlen(id->key_pem));
        free(id->key_pem);
    }
    EVP_PKEY_free(id->key);
    free(id->key_ref);
    free(id->cert_pem);
    free(id->cert_b64);
    memset(id, 0, sizeof(*id));
}
