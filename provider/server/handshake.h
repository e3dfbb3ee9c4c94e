/*
 * provider/server/handshake.h - the go-plugin handshake, as pure functions (unit-tested).
 */
#ifndef TFP_SERVER_HANDSHAKE_H
#define TFP_SERVER_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#define TFP__SRV_MAGIC_COOKIE_KEY "TF_PLUGIN_MAGIC_COOKIE"
#define TFP__SRV_MAGIC_COOKIE_VALUE                                                                \
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

/** Bit set of protocol majors we can serve. */
#define TFP__SRV_PROTOS_ALL ((1u << 5) | (1u << 6))

/**
 * Parses a comma-separated list of protocol majors ("5,6", " 6 , 5") into a bit set of the
 * majors in 1..31. Unknown or malformed items are ignored. NULL gives 0.
 */
unsigned int tfp__srv_parse_protocols(const char *list);

/**
 * Chooses the protocol major: the highest one in @p offered (bit set, 0 = 5 and 6) that the
 * client lists in @p client_versions (PLUGIN_PROTOCOL_VERSIONS, by value, any order). When the
 * variable is unset or empty, the highest offered. When nothing matches, the lowest offered
 * (as go-plugin does; the client then reports the incompatibility).
 */
int tfp__srv_choose_protocol(const char *client_versions, unsigned int offered);

/** Go's base64.RawStdEncoding: standard alphabet, no padding, no newlines.
 *  @p out receives a NUL-terminated string; needs ((len + 2) / 3) * 4 + 1 bytes.
 *  @return the length written (without the NUL). */
size_t tfp__srv_base64_raw(char *out, size_t cap, const uint8_t *data, size_t len);

/**
 * Formats `1|<proto>|<network>|<address>|grpc|<cert>\n` into @p buf (@p cert may be NULL:
 * empty 6th field). @return the length, or -1 if it does not fit.
 */
int tfp__srv_format_handshake(char *buf,
                              size_t cap,
                              int proto,
                              const char *network,
                              const char *address,
                              const char *cert_b64);

/**
 * Picks the directory for the Unix socket: PLUGIN_UNIX_SOCKET_DIR, else TMPDIR, else /tmp
 * (arguments are the environment values, NULL when unset), and builds
 * `<dir>/plugin<suffix>` in @p buf. A path that would not fit in sun_path (107 bytes) falls
 * back to /tmp. @return 0, or -1 if even the fallback does not fit.
 */
int tfp__srv_socket_path(
    char *buf, size_t cap, const char *socket_dir, const char *tmpdir, const char *suffix);

/** 1 if @p argv contains "--version" or "-version" (go-plugin hosts pass neither). */
int tfp__srv_wants_version(int argc, char **argv);

#endif
