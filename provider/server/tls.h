/*
 * provider/server/tls.h - the one-time AutoMTLS server identity (plugin-protocol.md 1.5).
 */
#ifndef TFP_SERVER_TLS_H
#define TFP_SERVER_TLS_H

#include <stddef.h>

typedef struct tfp__srv_tls_identity {
    char *key_pem;  /**< PKCS#8 PEM private key (never logged) */
    char *cert_pem; /**< PEM certificate */
    char *cert_b64; /**< base64 (raw std, no padding) of the DER certificate: handshake field 6 */
} tfp__srv_tls_identity;

/**
 * Generates an EC P-256 key and a self-signed certificate Go's verifier accepts: CN and SAN
 * DNS:localhost, EKU serverAuth+clientAuth, NotBefore now-30s, about 30 years of validity, a
 * positive random 128-bit serial, ecdsa-with-SHA256.
 * @return 0, TFP_ENOMEM, TFP_ERROR (OpenSSL failure). *out is zeroed on failure.
 */
int tfp__srv_tls_generate(tfp__srv_tls_identity *out);

/** Frees (and scrubs the key of) an identity; safe on a zeroed one. */
void tfp__srv_tls_dispose(tfp__srv_tls_identity *id);

#endif
