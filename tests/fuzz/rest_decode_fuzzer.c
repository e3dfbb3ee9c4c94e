/*
 * Fuzz target of the VPCEP client's response decoders (provider/rest/decode.c, error.c): the
 * first byte picks the decoder, the rest is the response body. Every decoder must either fail
 * cleanly or return an object that can be walked and freed.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk_str(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *json;
    size_t len, i, sum = 0;
    int64_t t;

    if (size < 1)
        return 0;
    json = (const char *)data + 1;
    len = size - 1;
    switch (data[0] % 14) {
    case 0: {
        vpcep_service *s = NULL;
        if (vpcep_decode_service(&s, json, len) == 0) {
            for (i = 0; i < s->n_ports; i++)
                sum += walk_str(s->ports[i]->protocol);
            for (i = 0; i < s->n_tags; i++)
                sum += walk_str(s->tags[i]->key) + walk_str(s->tags[i]->value);
            for (i = 0; i < s->n_errors; i++)
                sum += walk_str(s->errors[i]->error_code) + walk_str(s->errors[i]->error_message);
        }
        vpcep_service_free(s);
        break;
    }
    case 1: {
        vpcep_service_list *l = NULL;
        if (vpcep_decode_service_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->id);
        vpcep_service_list_free(l);
        break;
    }
    case 2: {
        vpcep_service_info *s = NULL;
        if (vpcep_decode_service_info(&s, json, len) == 0)
            sum += walk_str(s->service_name);
        vpcep_service_info_free(s);
        break;
    }
    case 3: {
        vpcep_service_info_list *l = NULL;
        if (vpcep_decode_service_info_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->owner);
        vpcep_service_info_list_free(l);
        break;
    }
    case 4: {
        vpcep_connection_list *l = NULL;
        if (vpcep_decode_connection_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->status) + (size_t)l->items[i]->n_errors;
        vpcep_connection_list_free(l);
        break;
    }
    case 5: {
        vpcep_permission_list *l = NULL;
        if (vpcep_decode_permission_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->domain_id);
        vpcep_permission_list_free(l);
        break;
    }
    case 6: {
        vpcep_endpoint *e = NULL;
        if (vpcep_decode_endpoint(&e, json, len) == 0) {
            for (i = 0; i < e->n_policy_statements; i++)
                sum += e->policy_statements[i]->n_actions + e->policy_statements[i]->n_resources;
            for (i = 0; i < e->n_dns_names; i++)
                sum += walk_str(e->dns_names[i]);
        }
        vpcep_endpoint_free(e);
        break;
    }
    case 7: {
        vpcep_endpoint_list *l = NULL;
        if (vpcep_decode_endpoint_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->ip);
        vpcep_endpoint_list_free(l);
        break;
    }
    case 8: {
        vpcep_quota_list *l = NULL;
        if (vpcep_decode_quota_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->type);
        vpcep_quota_list_free(l);
        break;
    }
    case 9: {
        vpcep_api_version_list *l = NULL;
        if (vpcep_decode_api_version_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->id);
        vpcep_api_version_list_free(l);
        break;
    }
    case 10: {
        vpcep_project_tag_list *l = NULL;
        if (vpcep_decode_project_tag_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += l->items[i]->n_values;
        vpcep_project_tag_list_free(l);
        break;
    }
    case 11: {
        vpcep_error err = VPCEP_ERROR_INIT;
        int rc = rest_error_from_response(&err, 400 + (long)(len % 200), json, len, NULL);
        if (rc >= 0 || err.error_msg[sizeof(err.error_msg) - 1] != '\0')
            abort(); /* an error answer is never success; strings stay terminated */
        break;
    }
    case 13: {
        vpcep_tagged_resource_list *l = NULL;
        if (vpcep_decode_tagged_resource_list(&l, json, len) == 0)
            for (i = 0; i < l->count; i++)
                sum += walk_str(l->items[i]->resource_detail_json) + l->items[i]->n_tags;
        vpcep_tagged_resource_list_free(l);
        break;
    }
    default: {
        char *s = malloc(len + 1);
        if (s == NULL)
            return 0;
        memcpy(s, json, len);
        s[len] = '\0';
        (void)vpcep_parse_time(&t, s);
        free(s);
        break;
    }
    }
    (void)sum;
    return 0;
}
