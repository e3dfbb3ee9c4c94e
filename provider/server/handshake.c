/*
 * provider/server/handshake.c - go-plugin handshake helpers: the magic cookie, protocol
 * negotiation, the handshake line.
 */
#include "handshake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* sun_path is 108 bytes on Linux, including the NUL. */
#define SRV_SUN_PATH_MAX 107
/* The socket's private directory (one per process) and its name inside it. */
#define SRV_SOCKET_DIR_PREFIX "tfplugin-"
#define SRV_SOCKET_NAME "plugin.sock"

unsigned int tfp__srv_parse_protocols(const char *list)
{
    unsigned int mask = 0;
    const char *s = list;

    if (s == NULL)
        return 0;
    while (*s != '\0') {
        unsigned long v = 0;
        int digits = 0, junk = 0;

        while (*s == ' ' || *s == '\t')
            s++;
        while (*s != '\0' && *s != ',') {
            if (*s >= '0' && *s <= '9' && v < 1000) {
                v = v * 10 + (unsigned long)(*s - '0');
                digits++;
            } else if (*s != ' ' && *s != '\t') {
                junk = 1;
            }
            s++;
        }
        if (digits > 0 && !junk && v >= 1 && v <= 31)
            mask |= 1u << v;
        if (*s == ',')
            s++;
    }
    return mask;
}

int tfp__srv_choose_protocol(const char *client_versions, unsigned int offered)
{
    unsigned int client, common;
    int v;

    offered &= TFP__SRV_PROTOS_ALL;
    if (offered == 0)
        offered = TFP__SRV_PROTOS_ALL;
    client = tfp__srv_parse_protocols(client_versions);
    common = client_versions != NULL && client_versions[0] != '\0' ? (client & offered) : offered;
    if (common != 0) {
        for (v = 31; v > 0; v--) {
            if (common & (1u << v))
                return v;
        }
    }
    for (v = 1; v < 32; v++) {
        if (offered & (1u << v))
            return v;
    }
    return 6;
}

size_t tfp__srv_base64_raw(char *out, size_t cap, const uint8_t *data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0, o = 0;

    if (cap == 0)
        return 0;
    while (i + 3 <= len && o + 4 < cap) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
        i += 3;
    }
    if (i + 3 > len && len - i == 1 && o + 2 < cap) {
        uint32_t v = (uint32_t)data[i] << 16;
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        i += 1;
    } else if (i + 3 > len && len - i == 2 && o + 3 < cap) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        i += 2;
    }
    out[o] = '\0';
    return o;
}

int tfp__srv_format_handshake(char *buf,
                              size_t cap,
                              int proto,
                              const char *network,
                              const char *address,
                              const char *cert_b64)
{
    int n = snprintf(buf, cap, "1|%d|%s|%s|grpc|%s\n", proto, network, address,
                     cert_b64 ? cert_b64 : "");
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return n;
}

/* Builds "<base>/tfplugin-XXXXXX" in @p dir when it and the socket path inside it fit. */
static int socket_dir_template(char *dir, size_t cap, const char *base, size_t blen)
{
    int n = snprintf(dir, cap, "%.*s/" SRV_SOCKET_DIR_PREFIX "XXXXXX", (int)blen, base);

    if (n <= 0 || (size_t)n >= cap ||
        (size_t)n + sizeof("/" SRV_SOCKET_NAME) - 1 > SRV_SUN_PATH_MAX)
        return -1;
    return 0;
}

int tfp__srv_socket_dir(char *dir,
                        size_t dir_cap,
                        char *sock,
                        size_t sock_cap,
                        const char *socket_dir,
                        const char *tmpdir)
{
    const char *base = "/tmp";
    size_t blen;
    int n;

    if (socket_dir != NULL && socket_dir[0] != '\0')
        base = socket_dir;
    else if (tmpdir != NULL && tmpdir[0] != '\0')
        base = tmpdir;
    blen = strlen(base);
    while (blen > 1 && base[blen - 1] == '/')
        blen--;
    if (socket_dir_template(dir, dir_cap, base, blen) != 0 &&
        socket_dir_template(dir, dir_cap, "/tmp", 4) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (mkdtemp(dir) == NULL)
        return -1;
    /* mkdtemp asks for 0700 but the umask may take bits away; nothing may add any. */
    if (chmod(dir, S_IRWXU) != 0) {
        int saved = errno;
        (void)rmdir(dir);
        errno = saved;
        return -1;
    }
    n = snprintf(sock, sock_cap, "%s/" SRV_SOCKET_NAME, dir);
    if (n <= 0 || (size_t)n >= sock_cap) {
        (void)rmdir(dir);
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int tfp__srv_wants_version(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc && argv != NULL; i++) {
        if (argv[i] != NULL &&
            (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-version") == 0))
            return 1;
    }
    return 0;
}
