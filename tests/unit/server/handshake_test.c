/* Unit tests of provider/server/handshake.c: protocol choice, handshake line, base64, the socket
 * directory. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */
#include "handshake.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_parse_protocols(void **state)
{
    (void)state;
    assert_int_equal(tfp__srv_parse_protocols(NULL), 0);
    assert_int_equal(tfp__srv_parse_protocols(""), 0);
    assert_int_equal(tfp__srv_parse_protocols("5"), 1u << 5);
    assert_int_equal(tfp__srv_parse_protocols("5,6"), (1u << 5) | (1u << 6));
    assert_int_equal(tfp__srv_parse_protocols(" 6 , 5 "), (1u << 5) | (1u << 6));
    assert_int_equal(tfp__srv_parse_protocols("x,6,99,5a"), 1u << 6);
    assert_int_equal(tfp__srv_parse_protocols(",,,"), 0);
}

static void test_choose_protocol(void **state)
{
    (void)state;
    assert_int_equal(tfp__srv_choose_protocol("5", 0), 5);
    assert_int_equal(tfp__srv_choose_protocol("6", 0), 6);
    assert_int_equal(tfp__srv_choose_protocol("5,6", 0), 6);
    assert_int_equal(tfp__srv_choose_protocol("6,5", 0), 6);
    /* unset: highest offered */
    assert_int_equal(tfp__srv_choose_protocol(NULL, 0), 6);
    assert_int_equal(tfp__srv_choose_protocol("", 1u << 5), 5);
    /* restricted offer (TFP_PROTOCOLS=5) */
    assert_int_equal(tfp__srv_choose_protocol("5,6", 1u << 5), 5);
    assert_int_equal(tfp__srv_choose_protocol("6,5", 1u << 5), 5);
    /* no match: the lowest offered, the client reports the incompatibility */
    assert_int_equal(tfp__srv_choose_protocol("7", 0), 5);
    assert_int_equal(tfp__srv_choose_protocol("7", 1u << 6), 6);
    assert_int_equal(tfp__srv_choose_protocol("6", 1u << 5), 5);
}

static void test_base64_raw(void **state)
{
    char out[64];
    (void)state;
    /* RFC 4648 vectors without padding */
    assert_int_equal(tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"", 0), 0);
    assert_string_equal(out, "");
    tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"f", 1);
    assert_string_equal(out, "Zg");
    tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"fo", 2);
    assert_string_equal(out, "Zm8");
    tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"foo", 3);
    assert_string_equal(out, "Zm9v");
    tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"foob", 4);
    assert_string_equal(out, "Zm9vYg");
    tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"fooba", 5);
    assert_string_equal(out, "Zm9vYmE");
    assert_int_equal(tfp__srv_base64_raw(out, sizeof(out), (const uint8_t *)"foobar", 6), 8);
    assert_string_equal(out, "Zm9vYmFy");
    /* standard alphabet (+ and /), not URL-safe */
    {
        const uint8_t b[] = {0xfb, 0xff, 0xbf};
        tfp__srv_base64_raw(out, sizeof(out), b, sizeof(b));
        assert_string_equal(out, "+/+/");
    }
    /* never overflows a short buffer */
    assert_true(tfp__srv_base64_raw(out, 5, (const uint8_t *)"foobar", 6) <= 4);
    assert_int_equal(strlen(out), 4);
}

static void test_format_handshake(void **state)
{
    char buf[256];
    char small[8];
    (void)state;
    assert_int_equal(tfp__srv_format_handshake(buf, sizeof(buf), 6, "unix", "/tmp/plugin1", NULL),
                     (int)strlen("1|6|unix|/tmp/plugin1|grpc|\n"));
    assert_string_equal(buf, "1|6|unix|/tmp/plugin1|grpc|\n");
    tfp__srv_format_handshake(buf, sizeof(buf), 5, "tcp", "127.0.0.1:10000", "MIIBabc");
    assert_string_equal(buf, "1|5|tcp|127.0.0.1:10000|grpc|MIIBabc\n");
    assert_int_equal(tfp__srv_format_handshake(small, sizeof(small), 6, "unix", "/tmp/x", NULL),
                     -1);
}

/* A new socket directory under @p base with umask @p mask: checks its place and mode, then
 * removes it. */
static void check_socket_dir(const char *base, const char *expect_parent, mode_t mask)
{
    char dir[256], sock[256];
    struct stat sb;
    mode_t old = umask(mask);
    int rc = tfp__srv_socket_dir(dir, sizeof(dir), sock, sizeof(sock), base, NULL);
    umask(old);
    assert_int_equal(rc, 0);
    assert_true(strncmp(dir, expect_parent, strlen(expect_parent)) == 0);
    assert_true(strncmp(dir + strlen(expect_parent), "/tfplugin-", 10) == 0);
    assert_int_equal(lstat(dir, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0700);
    assert_int_equal(sb.st_uid, getuid());
    assert_true(strncmp(sock, dir, strlen(dir)) == 0);
    assert_string_equal(sock + strlen(dir), "/plugin.sock");
    assert_true(strlen(sock) <= 107);
    assert_int_equal(rmdir(dir), 0);
}

static void test_socket_dir(void **state)
{
    char base[] = "/tmp/tfp-sockdir-test-XXXXXX";
    char slashed[64];
    char longdir[200];
    char dir[256], sock[256];
    (void)state;
    assert_non_null(mkdtemp(base));
    /* whatever the umask: 0700, never 0777 (umask 000) or 0000 (umask 777) */
    check_socket_dir(base, base, 0);
    check_socket_dir(base, base, 0777);
    check_socket_dir(base, base, 022);
    snprintf(slashed, sizeof(slashed), "%s//", base);
    check_socket_dir(slashed, base, 0);
    /* too long for sun_path: /tmp instead */
    memset(longdir, 'a', sizeof(longdir) - 1);
    longdir[0] = '/';
    longdir[sizeof(longdir) - 1] = '\0';
    check_socket_dir(longdir, "/tmp", 0);
    /* TMPDIR when there is no PLUGIN_UNIX_SOCKET_DIR */
    assert_int_equal(tfp__srv_socket_dir(dir, sizeof(dir), sock, sizeof(sock), "", base), 0);
    assert_true(strncmp(dir, base, strlen(base)) == 0);
    assert_int_equal(rmdir(dir), 0);
    /* a base that does not exist, buffers too small: -1, nothing created */
    assert_int_equal(
        tfp__srv_socket_dir(dir, sizeof(dir), sock, sizeof(sock), "/nonexistent-tfp-dir", NULL),
        -1);
    assert_int_equal(tfp__srv_socket_dir(dir, 4, sock, sizeof(sock), base, NULL), -1);
    assert_int_equal(rmdir(base), 0);
}

static void test_wants_version(void **state)
{
    char a0[] = "prog", a1[] = "--version", a2[] = "other";
    char *with[] = {a0, a1, NULL};
    char *without[] = {a0, a2, NULL};
    (void)state;
    assert_true(tfp__srv_wants_version(2, with));
    assert_false(tfp__srv_wants_version(2, without));
    assert_false(tfp__srv_wants_version(0, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_protocols), cmocka_unit_test(test_choose_protocol),
        cmocka_unit_test(test_base64_raw),      cmocka_unit_test(test_format_handshake),
        cmocka_unit_test(test_socket_dir),      cmocka_unit_test(test_wants_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
