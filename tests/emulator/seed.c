/* vpcep-emulator: the seed (accounts, networks, public services). Documented in README.md. */
#include "emu.h"

#include <stdio.h>
#include <string.h>

static const char builtin_seed[] =
    "{\n"
    "  \"region\": \"eu-de\",\n"
    "  \"quotas\": {\"endpoint_service\": 20, \"endpoint\": 50},\n"
    "  \"accounts\": [\n"
    "    {\n"
    "      \"name\": \"owner\",\n"
    "      \"domain_id\": \"5fc973eea581490997e82ea11a1d0101\",\n"
    "      \"domain_name\": \"owner-domain\",\n"
    "      \"project_id\": \"6e9dfd51d1124e8d8498dce894923a01\",\n"
    "      \"project_name\": \"eu-de\",\n"
    "      \"access_key\": \"OWNERAK\",\n"
    "      \"secret_key\": \"OWNERSK\",\n"
    "      \"user_id\": \"ee4dfb6e5540447cb374190510000101\",\n"
    "      \"user_name\": \"owner\",\n"
    "      \"password\": \"owner-password\",\n"
    "      \"vpcs\": [\n"
    "        {\n"
    "          \"id\": \"4189d3c2-8882-4871-a3c2-d380272e0a01\",\n"
    "          \"name\": \"owner-vpc\",\n"
    "          \"cidr\": \"192.168.0.0/16\",\n"
    "          \"subnets\": [{\"id\": \"4189d3c2-8882-4871-a3c2-d380272e0b01\", "
    "\"cidr\": \"192.168.0.0/24\"}],\n"
    "          \"ports\": [{\"id\": \"4189d3c2-8882-4871-a3c2-d380272e0c01\", "
    "\"ip\": \"192.168.0.11\"},\n"
    "                    {\"id\": \"4189d3c2-8882-4871-a3c2-d380272e0c02\", "
    "\"ip\": \"192.168.0.12\"}],\n"
    "          \"route_tables\": [{\"id\": \"4189d3c2-8882-4871-a3c2-d380272e0d01\"}]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"consumer\",\n"
    "      \"domain_id\": \"5fc973eea581490997e82ea11a1d0202\",\n"
    "      \"domain_name\": \"consumer-domain\",\n"
    "      \"project_id\": \"6e9dfd51d1124e8d8498dce894923a02\",\n"
    "      \"project_name\": \"eu-de\",\n"
    "      \"access_key\": \"CONSUMERAK\",\n"
    "      \"secret_key\": \"CONSUMERSK\",\n"
    "      \"user_id\": \"ee4dfb6e5540447cb374190510000202\",\n"
    "      \"user_name\": \"consumer\",\n"
    "      \"password\": \"consumer-password\",\n"
    "      \"vpcs\": [\n"
    "        {\n"
    "          \"id\": \"4189d3c2-8882-4871-a3c2-d380272e1a01\",\n"
    "          \"name\": \"consumer-vpc\",\n"
    "          \"cidr\": \"10.1.0.0/16\",\n"
    "          \"subnets\": [{\"id\": \"4189d3c2-8882-4871-a3c2-d380272e1b01\", "
    "\"cidr\": \"10.1.0.0/24\"}],\n"
    "          \"ports\": [{\"id\": \"4189d3c2-8882-4871-a3c2-d380272e1c01\", "
    "\"ip\": \"10.1.0.11\"},\n"
    "                    {\"id\": \"4189d3c2-8882-4871-a3c2-d380272e1c02\", "
    "\"ip\": \"10.1.0.12\"}],\n"
    "          \"route_tables\": [{\"id\": \"4189d3c2-8882-4871-a3c2-d380272e1d01\"}]\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"public_services\": [\n"
    "    {\"id\": \"b0e22f6f-26f4-461c-b140-d873464d0001\", "
    "\"service_name\": \"com.t-systems.otc.eu-de.obs\",\n"
    "     \"service_type\": \"gateway\", \"server_type\": \"VM\", \"owner\": \"OTC\", "
    "\"is_charge\": false,\n"
    "     \"created_at\": \"2019-03-28T09:30:27Z\"},\n"
    "    {\"id\": \"b0e22f6f-26f4-461c-b140-d873464d0002\", "
    "\"service_name\": \"com.t-systems.otc.eu-de.dns\",\n"
    "     \"service_type\": \"interface\", \"server_type\": \"VM\", \"owner\": \"OTC\", "
    "\"is_charge\": false,\n"
    "     \"created_at\": \"2019-03-28T09:30:27Z\"}\n"
    "  ]\n"
    "}\n";

const char *emu_builtin_seed(void)
{
    return builtin_seed;
}

const char *emu_jstr(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *account_by(const cJSON *seed, const char *field, const char *value)
{
    if (!value) {
        return NULL;
    }
    const cJSON *a = NULL;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(seed, "accounts"))
    {
        const char *v = emu_jstr(a, field);
        if (v && strcmp(v, value) == 0) {
            return a;
        }
    }
    return NULL;
}

const cJSON *emu_seed_account_by_ak(const cJSON *seed, const char *ak)
{
    return account_by(seed, "access_key", ak);
}

const cJSON *emu_seed_account_by_name(const cJSON *seed, const char *name)
{
    return account_by(seed, "name", name);
}

const cJSON *emu_seed_account_by_project(const cJSON *seed, const char *project_id)
{
    return account_by(seed, "project_id", project_id);
}

const cJSON *emu_seed_vpc(const cJSON *account, const char *vpc_id)
{
    const cJSON *v = NULL;
    if (!vpc_id) {
        return NULL;
    }
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(account, "vpcs"))
    {
        const char *id = emu_jstr(v, "id");
        if (id && strcmp(id, vpc_id) == 0) {
            return v;
        }
    }
    return NULL;
}

static int
need_strings(const cJSON *obj, const char *const *keys, const char *what, char *err, size_t errlen)
{
    for (size_t i = 0; keys[i]; i++) {
        const char *v = emu_jstr(obj, keys[i]);
        if (!v || !*v) {
            snprintf(err, errlen, "%s: missing string field \"%s\"", what, keys[i]);
            return EMU_EINVAL;
        }
    }
    return EMU_OK;
}

static int check_id_list(const cJSON *vpc, const char *key, int required, char *err, size_t errlen)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(vpc, key);
    if (!arr && !required) {
        return EMU_OK;
    }
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errlen, "vpc %s: \"%s\" must be an array", emu_jstr(vpc, "id"), key);
        return EMU_EINVAL;
    }
    const cJSON *e = NULL;
    cJSON_ArrayForEach(e, arr)
    {
        if (!emu_jstr(e, "id")) {
            snprintf(err, errlen, "vpc %s: every entry of \"%s\" needs an \"id\"",
                     emu_jstr(vpc, "id"), key);
            return EMU_EINVAL;
        }
    }
    return EMU_OK;
}

cJSON *emu_seed_parse(const char *text, char *err, size_t errlen)
{
    static const char *const acct_keys[] = {"name",       "domain_id",  "domain_name",
                                            "project_id", "access_key", "secret_key",
                                            "user_name",  "password",   NULL};
    static const char *const pub_keys[] = {"id", "service_name", "service_type", NULL};
    cJSON *seed = cJSON_Parse(text);
    cJSON *result = NULL;
    if (!cJSON_IsObject(seed)) {
        snprintf(err, errlen, "seed is not a JSON object");
        goto done;
    }
    if (!emu_jstr(seed, "region")) {
        snprintf(err, errlen, "seed: missing \"region\"");
        goto done;
    }
    const cJSON *accts = cJSON_GetObjectItemCaseSensitive(seed, "accounts");
    if (!cJSON_IsArray(accts) || cJSON_GetArraySize(accts) == 0) {
        snprintf(err, errlen, "seed: \"accounts\" must be a non-empty array");
        goto done;
    }
    const cJSON *a = NULL;
    cJSON_ArrayForEach(a, accts)
    {
        if (need_strings(a, acct_keys, "account", err, errlen) != EMU_OK) {
            goto done;
        }
        const cJSON *b = NULL;
        cJSON_ArrayForEach(b, accts)
        {
            if (b != a &&
                (strcmp(emu_jstr(a, "name"), emu_jstr(b, "name") ? emu_jstr(b, "name") : "") == 0 ||
                 strcmp(emu_jstr(a, "access_key"),
                        emu_jstr(b, "access_key") ? emu_jstr(b, "access_key") : "") == 0 ||
                 strcmp(emu_jstr(a, "project_id"),
                        emu_jstr(b, "project_id") ? emu_jstr(b, "project_id") : "") == 0)) {
                snprintf(err, errlen,
                         "seed: account names, access keys and projects must be "
                         "unique");
                goto done;
            }
        }
        const cJSON *vpcs = cJSON_GetObjectItemCaseSensitive(a, "vpcs");
        if (vpcs && !cJSON_IsArray(vpcs)) {
            snprintf(err, errlen, "account %s: \"vpcs\" must be an array", emu_jstr(a, "name"));
            goto done;
        }
        const cJSON *v = NULL;
        cJSON_ArrayForEach(v, vpcs)
        {
            if (!emu_jstr(v, "id")) {
                snprintf(err, errlen, "account %s: every vpc needs an \"id\"", emu_jstr(a, "name"));
                goto done;
            }
            if (check_id_list(v, "subnets", 1, err, errlen) ||
                check_id_list(v, "ports", 1, err, errlen) ||
                check_id_list(v, "route_tables", 0, err, errlen)) {
                goto done;
            }
        }
    }
    const cJSON *pubs = cJSON_GetObjectItemCaseSensitive(seed, "public_services");
    if (pubs && !cJSON_IsArray(pubs)) {
        snprintf(err, errlen, "seed: \"public_services\" must be an array");
        goto done;
    }
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, pubs)
    {
        if (need_strings(p, pub_keys, "public service", err, errlen) != EMU_OK) {
            goto done;
        }
    }
    result = seed;
    seed = NULL;
done:
    cJSON_Delete(seed);
    return result;
}
