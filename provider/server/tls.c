/*
 * provider/server/tls.c - AutoMTLS key pair and self-signed certificate with OpenSSL.
 */
#include "tls.h"

#include "handshake.h"

#include <tfp/common.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdlib.h>
#include <string.h>

/* 262980 hours, as go-plugin's certificate template. */
#define SRV_CERT_VALIDITY_SECONDS (262980L * 3600L)

static char *bio_to_string(BIO *bio)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    char *s;

    if (n < 0 || data == NULL)
        return NULL;
    s = malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, data, (size_t)n);
    s[n] = '\0';
    return s;
}

static int add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *ext;
    int ok;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL)
        return 0;
    ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

int tfp__srv_tls_generate(tfp__srv_tls_identity *out)
{
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    X509_NAME *name = NULL;
    BIGNUM *serial = NULL;
    BIO *kbio = NULL, *cbio = NULL;
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
    if (!X509_set_pubkey(cert, key))
        goto done;
    name = X509_get_subject_name(cert);
    if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"HashiCorp", -1,
                                    -1, 0) ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost",
                                    -1, -1, 0) ||
        !X509_set_issuer_name(cert, name))
        goto done;
    if (!add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") ||
        !add_ext(cert, NID_key_usage,
                 "critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign") ||
        !add_ext(cert, NID_ext_key_usage, "serverAuth,clientAuth") ||
        !add_ext(cert, NID_subject_key_identifier, "hash") ||
        !add_ext(cert, NID_subject_alt_name, "DNS:localhost"))
        goto done;
    if (X509_sign(cert, key, EVP_sha256()) == 0)
        goto done;

    kbio = BIO_new(BIO_s_mem());
    cbio = BIO_new(BIO_s_mem());
    if (kbio == NULL || cbio == NULL)
        goto done;
    if (!PEM_write_bio_PrivateKey(kbio, key, NULL, NULL, 0, NULL, NULL) ||
        !PEM_write_bio_X509(cbio, cert))
        goto done;
    der_len = i2d_X509(cert, &der);
    if (der_len <= 0)
        goto done;
    rc = TFP_ENOMEM;
    out->key_pem = bio_to_string(kbio);
    out->cert_pem = bio_to_string(cbio);
    b64_cap = ((size_t)der_len + 2) / 3 * 4 + 1;
    out->cert_b64 = malloc(b64_cap);
    if (out->key_pem == NULL || out->cert_pem == NULL || out->cert_b64 == NULL)
        goto done;
    tfp__srv_base64_raw(out->cert_b64, b64_cap, der, (size_t)der_len);
    rc = TFP_OK;
done:
    if (rc != TFP_OK)
        tfp__srv_tls_dispose(out);
    OPENSSL_free(der);
    if (kbio != NULL) {
        /* The memory BIO held the private key: scrub it. */
        char *data = NULL;
        long n = BIO_get_mem_data(kbio, &data);
        if (n > 0 && data != NULL)
            OPENSSL_cleanse(data, (size_t)n);
    }
    BIO_free(kbio);
    BIO_free(cbio);
    BN_free(serial);
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

void tfp__srv_tls_dispose(tfp__srv_tls_identity *id)
{
    if (id == NULL)
        return;
    if (id->key_pem != NULL) {
        OPENSSL_cleanse(id->key_pem, strlen(id->key_pem));
        free(id->key_pem);
    }
    free(id->cert_pem);
    free(id->cert_b64);
    memset(id, 0, sizeof(*id));
}
