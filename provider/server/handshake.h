/*
 * provider/server/handshake.h - the go-plugin handshake, as pure functions (unit-tested), and
 * the private directory of the Unix socket.
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
 * Creates the private directory that holds the Unix socket and builds the socket's path.
 * The directory is `<base>/tfplugin-XXXXXX` (mkdtemp), where base is PLUGIN_UNIX_SOCKET_DIR,
 * else TMPDIR, else /tmp (arguments are the environment values, NULL when unset); it is made
 * mode 0700 whatever the umask, so no other user can reach the socket inside it, which is
 * `<dir>/plugin.sock` in @p sock. A path that would not fit in sun_path (107 bytes) uses /tmp
 * as the base instead. The caller removes both (unlink, then rmdir) when it stops serving.
 * @return 0, or -1 (errno set) if no directory could be created or even /tmp is too long.
 */
int tfp__srv_socket_dir(char *dir,
                        size_t dir_cap,
                        char *sock,
                        size_t sock_cap,
                        const char *socket_dir,
                        const char *tmpdir);

/** 1 if @p argv contains "--version" or "-version" (go-plugin hosts pass neither). */
int tfp__srv_wants_version(int argc, char **argv);

#endif
