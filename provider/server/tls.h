/*
 * provider/server/tls.h - the one-time AutoMTLS server identity (go-plugin's PLUGIN_CLIENT_CERT).
 */
#ifndef TFP_SERVER_TLS_H
#define TFP_SERVER_TLS_H

#include <stddef.h>

struct evp_pkey_st;

typedef struct tfp__srv_tls_identity {
    struct evp_pkey_st *key; /**< EC P-256 private key (never logged) */
    char *cert_pem;          /**< PEM certificate */
    char *cert_b64;          /**< base64 (raw std, no padding) of the DER certificate: field 6 */
    char *key_pem;           /**< PKCS#8 PEM of the key; only after tfp__srv_tls_key_pem() */
    char *key_ref;           /**< gRPC's "engine:ID:KEY" form; only after ..._grpc_private_key() */
} tfp__srv_tls_identity;

/**
 * Generates an EC P-256 key and a self-signed certificate Go's verifier accepts: CN and SAN
 * DNS:localhost, EKU serverAuth+clientAuth, NotBefore now-30s, about 30 years of validity, a
 * positive random 128-bit serial, ecdsa-with-SHA256. Builds no PEM of the key.
 * @return 0, TFP_ENOMEM, TFP_ERROR (OpenSSL failure). *out is zeroed on failure.
 */
int tfp__srv_tls_generate(tfp__srv_tls_identity *out);

/**
 * The private key as gRPC's grpc_ssl_pem_key_cert_pair.private_key takes it, without a PEM for
 * gRPC to parse: "engine:tfp-automtls:N", which resolves to @p id's key object through an
 * in-process OpenSSL ENGINE that only loads keys (gRPC's documented engine key form). Falls back
 * to the PEM of tfp__srv_tls_key_pem() where OpenSSL has no ENGINE support. The reference is
 * valid until tfp__srv_tls_dispose(@p id). @return the string (owned by @p id), or NULL.
 */
const char *tfp__srv_tls_grpc_private_key(tfp__srv_tls_identity *id);

/** Fills id->key_pem (PKCS#8 PEM) if not done yet. @return 0, TFP_ENOMEM or TFP_ERROR. */
int tfp__srv_tls_key_pem(tfp__srv_tls_identity *id);

/** Frees (and scrubs the key of) an identity; safe on a zeroed one. */
void tfp__srv_tls_dispose(tfp__srv_tls_identity *id);

#endif
