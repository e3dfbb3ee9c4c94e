/*
 * provider/resources/move.c - `moved` blocks from the Go providers of this API.
 *
 * vpcep_service, vpcep_endpoint and vpcep_approval accept the state that
 * opentelekomcloud_vpcep_{service,endpoint,approval}_v1 (Open Telekom Cloud provider) and
 * huaweicloud_vpcep_{service,endpoint,approval} (Huawei Cloud provider) store, so a team can
 * switch providers without recreating objects (recreating an endpoint breaks the private
 * connections that use it).
 *
 * How a move works: Terraform hands over the source's raw JSON state (SDKv2, schema version 0)
 * to an unconfigured provider instance, so the conversion is pure: no API call. The source is
 * decoded with a type that lists only the attributes read here (other attributes, such as
 * enterprise_project_id or policy_statement, and those of other provider versions, are
 * skipped), then mapped attribute by attribute. Terraform then refreshes the moved object
 * with Read, which fills everything from the API; the move only has to get the identity right
 * and the attributes Read keeps from the prior state (timeouts, the provider-side booleans,
 * null versus empty).
 *
 * Region: the Huawei resources (and the OTC approval) record their region. Terraform does not
 * configure the provider for a move, so the region can only be checked later: it travels in
 * the private state ("region=<name>"), and Read refuses to look for the object in another
 * region (a 404 there would drop an existing object from the state and plan a new one).
 */
#include "types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OTC_PROVIDER "registry.terraform.io/opentelekomcloud/opentelekomcloud"
#define HW_PROVIDER "registry.terraform.io/huaweicloud/huaweicloud"
#define REGION_KEY "region="

const char *const tfpv_service_move_sources[] = {OTC_PROVIDER, "opentelekomcloud_vpcep_service_v1",
                                                 HW_PROVIDER, "huaweicloud_vpcep_service", NULL};
const char *const tfpv_endpoint_move_sources[] = {OTC_PROVIDER,
                                                  "opentelekomcloud_vpcep_endpoint_v1", HW_PROVIDER,
                                                  "huaweicloud_vpcep_endpoint", NULL};
const char *const tfpv_approval_move_sources[] = {OTC_PROVIDER,
                                                  "opentelekomcloud_vpcep_approval_v1", HW_PROVIDER,
                                                  "huaweicloud_vpcep_approval", NULL};

/* ----- The source shapes (the attributes read here; union of both providers) -------------- */

#define CONNECTIONS_T                                                                              \
    "[\"list\",[\"object\",{\"endpoint_id\":\"string\",\"packet_id\":\"number\","                  \
    "\"domain_id\":\"string\",\"status\":\"string\"}]]"
#define TIMEOUTS_T                                                                                 \
    "[\"object\",{\"default\":\"string\",\"create\":\"string\",\"update\":\"string\","             \
    "\"delete\":\"string\"}]"

static const char service_source_type[] =
    "[\"object\",{\"id\":\"string\",\"region\":\"string\",\"name\":\"string\","
    "\"description\":\"string\",\"vpc_id\":\"string\",\"port_id\":\"string\","
    "\"server_type\":\"string\",\"service_type\":\"string\",\"approval_enabled\":\"bool\","
    "\"approval\":\"bool\",\"tcp_proxy\":\"string\",\"whitelist\":[\"set\",\"string\"],"
    "\"permissions\":[\"set\",\"string\"],\"tags\":[\"map\",\"string\"],"
    "\"service_name\":\"string\",\"status\":\"string\","
    "\"port\":[\"set\",[\"object\",{\"client_port\":\"number\",\"server_port\":\"number\","
    "\"protocol\":\"string\"}]],"
    "\"port_mapping\":[\"list\",[\"object\",{\"service_port\":\"number\","
    "\"terminal_port\":\"number\",\"protocol\":\"string\"}]],"
    "\"connections\":" CONNECTIONS_T ",\"timeouts\":" TIMEOUTS_T "}]";

static const char endpoint_source_type[] =
    "[\"object\",{\"id\":\"string\",\"region\":\"string\",\"service_id\":\"string\","
    "\"service_name\":\"string\",\"vpc_id\":\"string\",\"subnet_id\":\"string\","
    "\"network_id\":\"string\",\"enable_dns\":\"bool\",\"port_ip\":\"string\","
    "\"ip_address\":\"string\",\"description\":\"string\","
    "\"route_tables\":[\"set\",\"string\"],\"routetables\":[\"set\",\"string\"],"
    "\"enable_whitelist\":\"bool\",\"whitelist\":[\"set\",\"string\"],"
    "\"tags\":[\"map\",\"string\"],\"marker_id\":\"number\",\"packet_id\":\"number\","
    "\"dns_names\":[\"set\",\"string\"],\"private_domain_name\":\"string\","
    "\"service_type\":\"string\",\"status\":\"string\",\"timeouts\":" TIMEOUTS_T "}]";

static const char approval_source_type[] =
    "[\"object\",{\"id\":\"string\",\"region\":\"string\",\"service_id\":\"string\","
    "\"endpoints\":[\"set\",\"string\"],\"connections\":" CONNECTIONS_T ",\"timeouts\":" TIMEOUTS_T
    "}]";

static int is_huawei(const char *source_type)
{
    return source_type != NULL && strncmp(source_type, "huaweicloud_", 12) == 0;
}

/* ----- Attribute helpers ---------------------------------------------------------------------- */

/* dst[to] = src[from] (null when absent). */
static int copy_as(tfp_value *dst, const char *to, const tfp_value *src, const char *from)
{
    const tfp_value *v = tfp_value_attr(src, from);
    if (v == NULL) {
        return tfp_value_set_attr_null(dst, to);
    }
    return tfp_value_set_attr_copy(dst, to, v);
}

/* dst[to] = the first of src[a], src[b] that is set (b may be NULL). */
static int
copy_first(tfp_value *dst, const char *to, const tfp_value *src, const char *a, const char *b)
{
    const tfp_value *v = tfp_value_attr(src, a);
    if ((v == NULL || tfp_value_is_null(v)) && b != NULL) {
        v = tfp_value_attr(src, b);
    }
    if (v == NULL || tfp_value_is_null(v)) {
        return tfp_value_set_attr_null(dst, to);
    }
    return tfp_value_set_attr_copy(dst, to, v);
}

/* Like copy_first, but an empty string or empty collection becomes null: the SDKv2 providers
 * store "" and [] for arguments the user never set, where this provider keeps null. */
static int
copy_nonempty(tfp_value *dst, const char *to, const tfp_value *src, const char *a, const char *b)
{
    const tfp_value *v = tfp_value_attr(src, a);
    if (tfpv_is_empty(v) && b != NULL) {
        v = tfp_value_attr(src, b);
    }
    if (tfpv_is_empty(v)) {
        return tfp_value_set_attr_null(dst, to);
    }
    return tfp_value_set_attr_copy(dst, to, v);
}

/* connections: packet_id is this provider's marker_id. */
static int map_connections(tfp_value *dst, const tfp_value *src)
{
    const tfp_value *list = tfp_value_attr(src, "connections");
    const tfp_type *lt = tfpv_attr_type(dst, "connections");
    tfp_value *out = NULL, *item = NULL;
    int rc;
    if (lt == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_new_collection(&out, lt);
    for (size_t i = 0; rc == 0 && list != NULL && i < tfp_value_length(list); i++) {
        const tfp_value *c = tfp_value_at(list, i);
        rc = tfp_value_new_object(&item, tfp_type_element(lt));
        if (rc == 0) {
            rc = copy_as(item, "endpoint_id", c, "endpoint_id");
        }
        if (rc == 0) {
            rc = copy_as(item, "marker_id", c, "packet_id");
        }
        if (rc == 0) {
            rc = copy_as(item, "domain_id", c, "domain_id");
        }
        if (rc == 0) {
            rc = copy_as(item, "status", c, "status");
        }
        if (rc == 0) {
            rc = tfp_value_append(out, item);
            item = NULL; /* stolen */
        }
    }
    tfp_value_free(item);
    if (rc != 0) {
        tfp_value_free(out);
        return rc;
    }
    return tfp_value_set_attr(dst, "connections", out);
}

/* timeouts: OTC's single `default` becomes each of this type's operations; the Huawei
 * create/delete keep their names. A source without timeouts gives none. */
static int map_timeouts(tfp_value *dst, const tfp_value *src)
{
    const tfp_value *t = tfp_value_attr(src, "timeouts");
    const tfp_type *tt = tfpv_attr_type(dst, "timeouts");
    const char *dflt;
    tfp_value *out = NULL;
    int rc;
    if (t == NULL || tfp_value_is_null(t)) {
        return tfp_value_set_attr_null(dst, "timeouts");
    }
    if (tt == NULL) {
        return TFP_EINVALID;
    }
    dflt = tfp_value_attr_string(t, "default");
    rc = tfp_value_new_object(&out, tt);
    for (size_t i = 0; rc == 0 && i < tfp_type_length(tt); i++) {
        const char *op = tfp_type_attr_name(tt, i);
        const char *s = tfp_value_attr_string(t, op);
        if (s == NULL) {
            s = dflt;
        }
        rc = s != NULL ? tfp_value_set_attr_string(out, op, s) : 0;
    }
    if (rc != 0) {
        tfp_value_free(out);
        return rc;
    }
    return tfp_value_set_attr(dst, "timeouts", out);
}

/* HW permissions are raw API strings ("iam:domain::<id>", "*"); the whitelist holds IDs.
 * Organization permissions are another attribute in that provider and stay out. */
static int map_permissions(tfp_value *dst, const tfp_value *perms)
{
    const size_t plen = strlen(TFPV_DOMAIN_PREFIX);
    const char **ids = NULL;
    size_t n = 0, total = perms != NULL ? tfp_value_length(perms) : 0;
    int rc;
    if (total == 0) {
        return tfp_value_set_attr_null(dst, "whitelist");
    }
    ids = calloc(total, sizeof *ids);
    if (ids == NULL) {
        return TFP_ENOMEM;
    }
    for (size_t i = 0; i < total; i++) {
        const char *p = tfp_value_string(tfp_value_at(perms, i));
        if (p == NULL) {
            continue;
        }
        ids[n++] = strncmp(p, TFPV_DOMAIN_PREFIX, plen) == 0 ? p + plen : p;
    }
    rc = n > 0 ? tfpv_set_string_collection(dst, "whitelist", ids, n)
               : tfp_value_set_attr_null(dst, "whitelist");
    free(ids);
    return rc;
}

/* port: OTC's port set has this provider's shape; Huawei's port_mapping calls the backend
 * port service_port and the endpoint-facing port terminal_port. */
static int map_ports(tfp_value *dst, const tfp_value *src, int huawei)
{
    const tfp_value *in = tfp_value_attr(src, huawei ? "port_mapping" : "port");
    const tfp_type *pt = tfpv_attr_type(dst, "port");
    tfp_value *out = NULL, *item = NULL;
    int rc;
    if (pt == NULL) {
        return TFP_EINVALID;
    }
    rc = tfp_value_new_collection(&out, pt);
    for (size_t i = 0; rc == 0 && in != NULL && i < tfp_value_length(in); i++) {
        const tfp_value *p = tfp_value_at(in, i);
        const char *proto = tfp_value_attr_string(p, "protocol");
        rc = tfp_value_new_object(&item, tfp_type_element(pt));
        if (rc == 0) {
            rc = copy_as(item, "client_port", p, huawei ? "terminal_port" : "client_port");
        }
        if (rc == 0) {
            rc = copy_as(item, "server_port", p, huawei ? "service_port" : "server_port");
        }
        if (rc == 0) {
            rc = tfp_value_set_attr_string(item, "protocol",
                                           proto != NULL && proto[0] != '\0' ? proto : "TCP");
        }
        if (rc == 0) {
            rc = tfp_value_append(out, item);
            item = NULL; /* stolen */
        }
    }
    tfp_value_free(item);
    if (rc != 0) {
        tfp_value_free(out);
        return rc;
    }
    return tfp_value_set_attr(dst, "port", out);
}

/* dns_names: OTC stores a set, Huawei the first name only. */
static int map_dns_names(tfp_value *dst, const tfp_value *src)
{
    const tfp_value *set = tfp_value_attr(src, "dns_names");
    const char *one = tfp_value_attr_string(src, "private_domain_name");
    tfpv_strs names = {NULL, 0};
    int rc;
    if (set != NULL && tfp_value_length(set) > 0) {
        rc = tfpv_strs_from(&names, set);
        if (rc == 0) {
            rc = tfpv_set_string_collection(dst, "dns_names", names.items, names.n);
        }
        tfpv_strs_dispose(&names);
        return rc;
    }
    if (one != NULL && one[0] != '\0') {
        return tfpv_set_string_collection(dst, "dns_names", &one, 1);
    }
    return tfpv_set_empty_collection(dst, "dns_names");
}

/* ----- The three conversions (pure: tested in tests/unit/resources/move_test.c) ----------- */

int tfpv_service_from_go(tfp_value **out, const tfp_type *type, const tfp_value *src, int huawei)
{
    tfp_value *st = NULL;
    int rc = tfp_value_new_object(&st, type);
    if (rc == 0) {
        rc = copy_as(st, "id", src, "id");
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "name", src, "name", NULL);
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "description", src, "description", NULL);
    }
    if (rc == 0) {
        rc = copy_as(st, "vpc_id", src, "vpc_id");
    }
    if (rc == 0) {
        rc = copy_as(st, "port_id", src, "port_id");
    }
    if (rc == 0) {
        rc = copy_as(st, "server_type", src, "server_type");
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "service_type", src, "service_type", NULL);
    }
    if (rc == 0) {
        rc =
            copy_first(st, "approval_enabled", src, huawei ? "approval" : "approval_enabled", NULL);
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "tcp_proxy", src, "tcp_proxy", NULL);
    }
    if (rc == 0) {
        rc = huawei ? map_permissions(st, tfp_value_attr(src, "permissions"))
                    : copy_nonempty(st, "whitelist", src, "whitelist", NULL);
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "tags", src, "tags", NULL);
    }
    if (rc == 0) {
        /* OTC has no full name in this resource: Read fills it */
        rc = copy_nonempty(st, "service_name", src, "service_name", NULL);
    }
    if (rc == 0) {
        rc = copy_as(st, "status", src, "status");
    }
    if (rc == 0) {
        rc = map_connections(st, src);
    }
    if (rc == 0) {
        rc = map_ports(st, src, huawei);
    }
    if (rc == 0) {
        rc = map_timeouts(st, src);
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

int tfpv_endpoint_from_go(tfp_value **out, const tfp_type *type, const tfp_value *src, int huawei)
{
    tfp_value *st = NULL;
    int rc = tfp_value_new_object(&st, type);
    if (rc == 0) {
        rc = copy_as(st, "id", src, "id");
    }
    if (rc == 0) {
        rc = copy_as(st, "service_id", src, "service_id");
    }
    if (rc == 0) {
        /* OTC stores only the middle part of the service name; Huawei the full name */
        rc = huawei ? copy_nonempty(st, "service_name", src, "service_name", NULL)
                    : tfp_value_set_attr_null(st, "service_name");
    }
    if (rc == 0) {
        rc = copy_as(st, "vpc_id", src, "vpc_id");
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "subnet_id", src, huawei ? "network_id" : "subnet_id", NULL);
    }
    if (rc == 0) {
        rc = copy_as(st, "enable_dns", src, "enable_dns");
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "ip_address", src, huawei ? "ip_address" : "port_ip", NULL);
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "whitelist", src, "whitelist", NULL);
    }
    if (rc == 0) {
        rc = copy_as(st, "enable_whitelist", src, "enable_whitelist");
    }
    if (rc == 0) {
        rc = copy_first(st, "route_tables", src, huawei ? "routetables" : "route_tables", NULL);
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "description", src, "description", NULL);
    }
    if (rc == 0) {
        rc = copy_nonempty(st, "tags", src, "tags", NULL);
    }
    if (rc == 0) {
        /* provider-side settings the Go providers do not have: their defaults */
        rc = tfp_value_set_attr_bool(st, "wait_for_acceptance", 0);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_bool(st, "auto_accept", 0);
    }
    if (rc == 0) {
        rc = copy_as(st, "status", src, "status");
    }
    if (rc == 0) {
        rc = map_dns_names(st, src);
    }
    if (rc == 0) {
        rc = copy_as(st, "service_type", src, "service_type");
    }
    if (rc == 0) {
        rc = copy_first(st, "marker_id", src, huawei ? "packet_id" : "marker_id", NULL);
    }
    if (rc == 0) {
        rc = map_timeouts(st, src);
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

int tfpv_approval_from_go(tfp_value **out, const tfp_type *type, const tfp_value *src)
{
    const char *sid = tfp_value_attr_string(src, "service_id");
    tfp_value *st = NULL;
    int rc = tfp_value_new_object(&st, type);
    if (sid == NULL) {
        sid = tfp_value_attr_string(src, "id"); /* the ID is the service ID in both */
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "id", sid);
    }
    if (rc == 0) {
        rc = tfp_value_set_attr_string(st, "service_id", sid);
    }
    if (rc == 0) {
        const tfp_value *eps = tfp_value_attr(src, "endpoints");
        rc = eps != NULL && !tfp_value_is_null(eps) ? tfp_value_set_attr_copy(st, "endpoints", eps)
                                                    : tfpv_set_empty_collection(st, "endpoints");
    }
    if (rc == 0) {
        rc = map_connections(st, src);
    }
    if (rc == 0) {
        rc = map_timeouts(st, src);
    }
    if (rc != 0) {
        tfp_value_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* ----- The MOVE handler ----------------------------------------------------------------- */

/* Which object the source state must identify, per target type. */
static const char *identity_attr(const char *target)
{
    return strcmp(target, "vpcep_approval") == 0 ? "service_id" : "id";
}

int tfpv_move_from_go(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    const char *target = tfp_call_type_name(call);
    const char *source = tfp_call_move_source_type(call);
    const char *spec = strcmp(target, "vpcep_service") == 0    ? service_source_type
                       : strcmp(target, "vpcep_endpoint") == 0 ? endpoint_source_type
                                                               : approval_source_type;
    const tfp_type *type = tfp_schema_type(tfp_call_schema(call));
    int huawei = is_huawei(source);
    tfp_type *stype = NULL;
    tfp_value *src = NULL, *st = NULL;
    size_t len = 0;
    const char *raw = NULL;
    const char *region, *ident;
    char *err = NULL;
    int rc;

    (void)tfp_call_raw_state(&raw, &len, call);
    if (tfp_call_state_version(call) != 0) {
        tfp_diags_error(d, NULL, "Unsupported source schema version",
                        "%s state with schema version %lld cannot be moved into %s: only "
                        "version 0 (what the provider versions this provider knows write) is "
                        "understood. Move it with the provider version that wrote it, or import "
                        "the object instead.",
                        source, (long long)tfp_call_state_version(call), target);
        return 0;
    }
    rc = tfp_type_from_json(&stype, spec, strlen(spec));
    if (rc == 0) {
        rc = tfp_value_from_json_flags(&src, stype, raw != NULL ? raw : "", len,
                                       TFP_JSON_IGNORE_UNKNOWN, &err);
    }
    if (rc == TFP_EINVALID || rc == TFP_ETOOLARGE) {
        tfp_diags_error(d, NULL, "Cannot read the source state",
                        "The state of %s could not be read as the %s provider stores it: %s",
                        source, huawei ? "Huawei Cloud" : "Open Telekom Cloud",
                        err != NULL ? err : tfp_strerror(rc));
        rc = 0;
        goto done;
    }
    if (rc != 0) {
        goto done;
    }
    ident = tfp_value_attr_string(src, identity_attr(target));
    if (ident == NULL && strcmp(target, "vpcep_approval") == 0) {
        ident = tfp_value_attr_string(src, "id");
    }
    if (ident == NULL || ident[0] == '\0') {
        tfp_diags_error(d, NULL, "Cannot read the source state",
                        "The state of %s holds no %s: there is no object to take over.", source,
                        identity_attr(target));
        goto done;
    }
    if (strcmp(target, "vpcep_service") == 0) {
        rc = tfpv_service_from_go(&st, type, src, huawei);
    } else if (strcmp(target, "vpcep_endpoint") == 0) {
        rc = tfpv_endpoint_from_go(&st, type, src, huawei);
    } else {
        rc = tfpv_approval_from_go(&st, type, src);
    }
    region = tfp_value_attr_string(src, "region");
    if (rc == 0 && region != NULL && region[0] != '\0') {
        char priv[128];
        int n = snprintf(priv, sizeof priv, REGION_KEY "%s", region);
        if (n > 0 && (size_t)n < sizeof priv) {
            rc = tfp_call_set_private(call, priv, (size_t)n);
        }
    }
    if (rc == 0) {
        tfp_log(TFP_LOG_INFO, "vpcep", "moving %s %s from %s into %s", source, ident,
                tfp_call_move_source_provider(call), target);
        rc = tfp_call_set_result(call, st);
        st = NULL;
    }
done:
    tfp_value_free(st);
    tfp_value_free(src);
    tfp_type_free(stype);
    tfp_free(err);
    return rc;
}

int tfpv_moved_region_mismatch(tfp_call *call)
{
    size_t len = 0;
    const void *priv = NULL;
    const char *configured = tfpv_region(call);
    const size_t klen = strlen(REGION_KEY);
    char region[96];
    (void)tfp_call_private(&priv, &len, call);
    if (priv == NULL || len <= klen || len - klen >= sizeof region ||
        memcmp(priv, REGION_KEY, klen) != 0) {
        return 0;
    }
    memcpy(region, (const char *)priv + klen, len - klen);
    region[len - klen] = '\0';
    if (strcmp(configured, "?") == 0 || tfpv_streq_nocase(configured, region)) {
        return 0;
    }
    tfp_diags_error(tfp_call_diags(call), NULL, "Object is in another region",
                    "This %s was moved from a provider that manages it in region %s, but this "
                    "provider is configured for region %s. Set region = \"%s\" on the provider "
                    "(or on an alias used by this resource); looking in %s would find nothing "
                    "and drop the object from the state.",
                    tfp_call_type_name(call), region, configured, region, configured);
    return 1;
}
