/*
 * tests/unit/resources/validate_test.c - the pure validators of provider/resources/validate.c.
 */
#include "helpers.h"

static void test_service_name(void **state)
{
    (void)state;
    assert_true(tfpv_valid_service_name("a"));
    assert_true(tfpv_valid_service_name("ok-name_1"));
    assert_true(tfpv_valid_service_name("noHyphenNeeded"));     /* OTC bug #2967 */
    assert_true(tfpv_valid_service_name("abcdefghijklmnop"));   /* 16 */
    assert_false(tfpv_valid_service_name("abcdefghijklmnopq")); /* 17 */
    assert_false(tfpv_valid_service_name(""));
    assert_false(tfpv_valid_service_name("bad name!"));
    assert_false(tfpv_valid_service_name("dot.name"));
    assert_false(tfpv_valid_service_name("ümlaut"));
    assert_false(tfpv_valid_service_name(NULL));
}

static void test_description(void **state)
{
    char buf[200];
    (void)state;
    assert_true(tfpv_valid_description(""));
    assert_true(tfpv_valid_description("a valid description"));
    assert_false(tfpv_valid_description("a <b> c"));
    assert_false(tfpv_valid_description("x>"));
    memset(buf, 'd', 128);
    buf[128] = '\0';
    assert_true(tfpv_valid_description(buf));
    buf[128] = 'd';
    buf[129] = '\0';
    assert_false(tfpv_valid_description(buf));
    /* 128 two-byte characters are 128 characters */
    for (int i = 0; i < 64; i++) {
        buf[2 * i] = (char)0xC3;
        buf[2 * i + 1] = (char)0xA4;
    }
    buf[128] = '\0';
    assert_true(tfpv_valid_description(buf));
}

static void test_tags(void **state)
{
    char k[40], v[50];
    (void)state;
    memset(k, 'k', sizeof k);
    memset(v, 'v', sizeof v);
    k[36] = '\0';
    assert_true(tfpv_valid_tag_key(k));
    k[36] = 'k';
    k[37] = '\0';
    assert_false(tfpv_valid_tag_key(k));
    assert_false(tfpv_valid_tag_key(""));
    assert_false(tfpv_valid_tag_key("a@b"));
    assert_false(tfpv_valid_tag_key("bad key"));
    assert_true(tfpv_valid_tag_key("key-2_x"));
    assert_true(tfpv_valid_tag_value(""));
    v[43] = '\0';
    assert_true(tfpv_valid_tag_value(v));
    v[43] = 'v';
    v[44] = '\0';
    assert_false(tfpv_valid_tag_value(v));
    assert_false(tfpv_valid_tag_value("bad value!"));
}

static void test_ip_cidr(void **state)
{
    (void)state;
    assert_true(tfpv_valid_ipv4("10.0.0.1"));
    assert_true(tfpv_valid_ipv4("255.255.255.255"));
    assert_false(tfpv_valid_ipv4("256.0.0.1"));
    assert_false(tfpv_valid_ipv4("10.0.0"));
    assert_false(tfpv_valid_ipv4("10.0.0.1/8"));
    assert_false(tfpv_valid_ipv4("01.0.0.1"));
    assert_false(tfpv_valid_ipv4(""));
    assert_true(tfpv_valid_ipv4_or_cidr("10.0.0.0/8"));
    assert_true(tfpv_valid_ipv4_or_cidr("192.168.1.7"));
    assert_true(tfpv_valid_ipv4_or_cidr("0.0.0.0/0"));
    assert_false(tfpv_valid_ipv4_or_cidr("10.0.0.0/33"));
    assert_false(tfpv_valid_ipv4_or_cidr("10.0.0.0/"));
    assert_false(tfpv_valid_ipv4_or_cidr("10.0.0.0/8x"));
    assert_false(tfpv_valid_ipv4_or_cidr("host.example"));
}

static void test_duration(void **state)
{
    int64_t ms = 0;
    (void)state;
    assert_int_equal(tfpv_parse_duration("10m", &ms), 0);
    assert_int_equal(ms, 600000);
    assert_int_equal(tfpv_parse_duration("30s", &ms), 0);
    assert_int_equal(ms, 30000);
    assert_int_equal(tfpv_parse_duration("1h", &ms), 0);
    assert_int_equal(ms, 3600000);
    assert_int_equal(tfpv_parse_duration("1h30m", &ms), 0);
    assert_int_equal(ms, 5400000);
    assert_int_equal(tfpv_parse_duration("500ms", &ms), 0);
    assert_int_equal(ms, 500);
    assert_int_not_equal(tfpv_parse_duration("", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("10", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("m", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("10x", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("0s", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("-5m", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("25h", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration("99999999999999999999s", &ms), 0);
    assert_int_not_equal(tfpv_parse_duration(NULL, &ms), 0);
}

static void test_url_domain_enum(void **state)
{
    (void)state;
    assert_true(tfpv_valid_url("https://vpcep.eu-de.otc.t-systems.com"));
    assert_true(tfpv_valid_url("http://127.0.0.1:8080/v3"));
    assert_false(tfpv_valid_url("vpcep.eu-de.otc.t-systems.com"));
    assert_false(tfpv_valid_url("ftp://x"));
    assert_false(tfpv_valid_url("https://"));
    assert_false(tfpv_valid_url("https:// spaces.example"));
    assert_false(tfpv_valid_url("not a url"));
    assert_true(tfpv_valid_domain_id("0123abcdef"));
    assert_true(tfpv_valid_domain_id("*"));
    assert_false(tfpv_valid_domain_id("iam:domain::x"));
    assert_false(tfpv_valid_domain_id(""));
    assert_int_equal(tfpv_enum_index("vm", tfpv_server_types), 0);
    assert_int_equal(tfpv_enum_index("LB", tfpv_server_types), 2);
    assert_int_equal(tfpv_enum_index("BMS", tfpv_server_types), -1);
    assert_int_equal(tfpv_enum_index("Gateway", tfpv_service_types), 1);
    assert_int_equal(tfpv_enum_index("proxy_open", tfpv_tcp_proxy_modes), 2);
    assert_int_equal(tfpv_enum_index("udp", tfpv_protocols), 1);
    assert_int_equal(tfpv_enum_index(NULL, tfpv_protocols), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_name), cmocka_unit_test(test_description),
        cmocka_unit_test(test_tags),         cmocka_unit_test(test_ip_cidr),
        cmocka_unit_test(test_duration),     cmocka_unit_test(test_url_domain_enum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
