/*
 * provider/resources/provider_config.c - the provider "vpcep" configuration: schema,
 * ValidateProviderConfig, ConfigureProvider, and the VPCEP client shared by the handlers.
 *
 * Values come from the configuration, else from the environment (OS_* / VPCEP_*), else
 * from defaults derived from the region. When the configuration holds unknown values (a
 * provider configured from another resource's attributes during plan), configure succeeds
 * without a client; handlers that need the API then skip plan-time verification or report
 * that the provider is not configured yet.
 */
#include "internal.h"

#include <vpcep/client.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct attr_spec {
    const char *name;
    const char *env;
    unsigned flags;
    const char *desc;
} attr_spec;

static const attr_spec string_attrs[] = {
    {"region", "OS_REGION_NAME", 0,
     "Region: eu-de, eu-nl or eu-ch2 (the Swiss cloud). Environment: OS_REGION_NAME."},
    {"project_id", "OS_PROJECT_ID", 0,
     "Project ID; resolved from the IAM token for password authentication, and looked up by "
     "project_name otherwise. Environment: OS_PROJECT_ID (or OS_TENANT_ID)."},
    {"project_name", "OS_PROJECT_NAME", 0,
     "Project name, e.g. eu-de_myproject: the token of password authentication is scoped to it, "
     "and with AK/SK or a token its ID is looked up in IAM. Environment: OS_PROJECT_NAME (or "
     "OS_TENANT_NAME)."},
    {"access_key", "OS_ACCESS_KEY", TFP_ATTR_SENSITIVE,
     "Access key (AK/SK request signing). Environment: OS_ACCESS_KEY."},
    {"secret_key", "OS_SECRET_KEY", TFP_ATTR_SENSITIVE,
     "Secret key (AK/SK request signing). Environment: OS_SECRET_KEY."},
    {"security_token", "OS_SECURITY_TOKEN", TFP_ATTR_SENSITIVE,
     "Security token of temporary AK/SK credentials (with access_key and secret_key); sent as "
     "X-Security-Token with every signed request. Environment: OS_SECURITY_TOKEN."},
    {"token", "OS_TOKEN", TFP_ATTR_SENSITIVE,
     "IAM token. Environment: OS_TOKEN (or OS_AUTH_TOKEN)."},
    {"user_name", "OS_USERNAME", 0, "IAM user name. Environment: OS_USERNAME."},
    {"password", "OS_PASSWORD", TFP_ATTR_SENSITIVE, "IAM password. Environment: OS_PASSWORD."},
    {"domain_name", "OS_DOMAIN_NAME", 0, "IAM domain (account) name. Environment: OS_DOMAIN_NAME."},
    {"domain_id", "OS_DOMAIN_ID", 0, "IAM domain (account) ID. Environment: OS_DOMAIN_ID."},
    {"user_domain_name", "OS_USER_DOMAIN_NAME", 0,
     "The domain (account) name of the user, for password authentication; wins over "
     "domain_name. Environment: OS_USER_DOMAIN_NAME."},
    {"user_domain_id", "OS_USER_DOMAIN_ID", 0,
     "The domain (account) ID of the user, for password authentication; wins over domain_id. "
     "Environment: OS_USER_DOMAIN_ID."},
    {"auth_url", "OS_AUTH_URL", 0,
     "IAM endpoint; default https://iam.{region}.otc.t-systems.com/v3 "
     "(https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3 for eu-ch2). Environment: OS_AUTH_URL."},
    {"endpoint", "VPCEP_ENDPOINT", 0,
     "Base URL of the VPCEP API; default https://vpcep.{region}.otc.t-systems.com "
     "(https://vpcep.eu-ch2.sc.otc.t-systems.com for eu-ch2). Environment: VPCEP_ENDPOINT."},
    {"cacert_file", NULL, 0, "PEM file with the CA certificates to verify the API with."},
    {"agency_name", "OS_AGENCY_NAME", 0,
     "Agency to assume (with agency_domain_name): every API call then uses the agency's token, "
     "which IAM hands out for the credentials given here. Environment: OS_AGENCY_NAME."},
    {"agency_domain_name", "OS_AGENCY_DOMAIN_NAME", 0,
     "The domain (account) that created the agency, whose resources are managed. Environment: "
     "OS_AGENCY_DOMAIN_NAME."},
    {"delegated_project", "OS_DELEGATED_PROJECT", 0,
     "With an agency: the delegating domain's project (by name) to work in; default the "
     "region's name. Environment: OS_DELEGATED_PROJECT."},
    {"cloud", "OS_CLOUD", 0,
     "Entry of clouds.yaml (and secure.yaml) to take the region, the IAM URL, the project and "
     "the credentials from, for what neither the configuration nor the environment sets. Files: "
     "OS_CLIENT_CONFIG_FILE, else ./clouds.yaml, ~/.config/openstack/clouds.yaml, "
     "/etc/openstack/clouds.yaml. Environment: OS_CLOUD."},
    {"connect_timeout", "VPCEP_CONNECT_TIMEOUT", 0,
     "How long one attempt may take to resolve the API's host name and connect, as a duration "
     "(\"10s\", \"500ms\"); default 10s. Environment: VPCEP_CONNECT_TIMEOUT."},
    {"request_timeout", "VPCEP_REQUEST_TIMEOUT", 0,
     "How long one attempt of an API request may take in all, connecting included, as a "
     "duration; default 30s. Environment: VPCEP_REQUEST_TIMEOUT."},
    {"retry_budget", "VPCEP_RETRY_BUDGET", 0,
     "How long one API request may take with all its retries and the waits between them, as a "
     "duration; default 90s. Environment: VPCEP_RETRY_BUDGET."},
};

/* The duration settings: attribute, environment variable, where the value goes. */
static const struct {
    const char *name;
    const char *env;
    size_t offset;
} duration_attrs[] = {
    {"connect_timeout", "VPCEP_CONNECT_TIMEOUT", offsetof(tfpv_settings, connect_timeout_ms)},
    {"request_timeout", "VPCEP_REQUEST_TIMEOUT", offsetof(tfpv_settings, request_timeout_ms)},
    {"retry_budget", "VPCEP_RETRY_BUDGET", offsetof(tfpv_settings, retry_budget_ms)},
};

/* Further environment variables of an attribute, read after the first (OpenStack aliases). */
static const char *const env_aliases[][2] = {
    {"OS_PROJECT_ID", "OS_TENANT_ID"},
    {"OS_PROJECT_NAME", "OS_TENANT_NAME"},
    {"OS_TOKEN", "OS_AUTH_TOKEN"},
};

int tfpv_provider_schema(tfp_schema **out)
{
    tfp_schema *s = NULL;
    tfp_block *b;
    int rc = tfp_schema_new(&s, 0);
    if (rc != 0) {
        return rc;
    }
    b = tfp_schema_root(s);
    for (size_t i = 0; rc == 0 && i < sizeof string_attrs / sizeof string_attrs[0]; i++) {
        rc = tfpv_add_attr(b, string_attrs[i].name, tfp_type_string(),
                           TFP_ATTR_OPTIONAL | string_attrs[i].flags, string_attrs[i].desc);
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "insecure", tfp_type_bool(), TFP_ATTR_OPTIONAL,
                           "Do not verify the API's TLS certificate (default false).");
    }
    if (rc == 0) {
        rc = tfpv_add_attr(b, "max_retries", tfp_type_number(), TFP_ATTR_OPTIONAL,
                           "Retries of throttled, failed (5xx) and dropped requests (default "
                           "5; 0 disables retries). Environment: VPCEP_MAX_RETRIES.");
    }
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

static const char *env_default(const char *name)
{
    return getenv(name);
}

/* config[name] if set, else env, else NULL. Unknown sets has_unknown. Empty counts as unset. */
static const char *pick(tfpv_settings *s,
                        const tfp_value *config,
                        const char *name,
                        const char *env,
                        const char *(*getenv_fn)(const char *))
{
    const tfp_value *v = tfpv_get(config, name);
    const char *str;
    if (tfpv_is_unknown(v)) {
        s->has_unknown = 1;
        return NULL;
    }
    str = tfp_value_string(v);
    if (str != NULL && str[0] != '\0') {
        return str;
    }
    if (env != NULL) {
        str = getenv_fn(env);
        if (str != NULL && str[0] != '\0') {
            return str;
        }
        for (size_t i = 0; i < sizeof env_aliases / sizeof env_aliases[0]; i++) {
            if (strcmp(env, env_aliases[i][0]) == 0) {
                str = getenv_fn(env_aliases[i][1]);
                if (str != NULL && str[0] != '\0') {
                    return str;
                }
            }
        }
    }
    return NULL;
}

static int attr_unknown(const tfp_value *config, const char *name)
{
    return tfpv_is_unknown(tfpv_get(config, name));
}

/* The clouds.yaml entry fills what neither the configuration nor the environment set: the
 * region, the IAM URL, the project and the user's domain one by one, the credentials only when
 * none came from elsewhere (they are one source, as between configuration and environment). */
static void apply_cloud(tfpv_settings *s, tfp_diags *d, const char *(*getenv_fn)(const char *))
{
    char err[1200];
    tfpv_cloud *c = &s->cloud;

    if (tfpv_cloud_load(c, s->cloud_name, getenv_fn, err, sizeof err) != 0) {
        tfp_diags_error(d, "cloud", "Cannot use the cloud configuration", "%s", err);
        return;
    }
    if (s->region == NULL) {
        s->region = c->region;
    }
    if (s->auth_url == NULL) {
        s->auth_url = c->auth_url;
    }
    if (s->project_id == NULL && s->project_name == NULL) {
        s->project_id = c->project_id;
        s->project_name = c->project_name;
    }
    if (s->domain_name == NULL && s->domain_id == NULL) {
        int user = c->user_domain_name != NULL || c->user_domain_id != NULL;
        s->domain_name = user ? c->user_domain_name : c->domain_name;
        s->domain_id = user ? c->user_domain_id : c->domain_id;
    }
    if (s->agency_name == NULL && s->agency_domain_name == NULL) {
        s->agency_name = c->agency_name;
        s->agency_domain_name = c->agency_domain_name;
    }
    if (s->delegated_project == NULL) {
        s->delegated_project = c->delegated_project;
    }
    if (s->access_key == NULL && s->secret_key == NULL && s->security_token == NULL &&
        s->token == NULL && s->user_name == NULL && s->password == NULL) {
        s->access_key = c->access_key;
        s->secret_key = c->secret_key;
        s->security_token = c->security_token;
        s->token = c->token;
        s->user_name = c->user_name;
        s->password = c->password;
    }
}

void tfpv_settings_dispose(tfpv_settings *s)
{
    if (s != NULL) {
        tfpv_cloud_dispose(&s->cloud);
    }
}

int tfpv_settings_resolve(tfpv_settings *s,
                          const tfp_value *config,
                          tfp_diags *d,
                          int final,
                          const char *(*getenv_fn)(const char *))
{
    int errors_before = tfp_diags_has_errors(d);
    int64_t retries = 0;
    static const char *const cred_attrs[] = {"access_key", "secret_key", "security_token",
                                             "token",      "user_name",  "password"};
    int ak_unknown, sk_unknown, b = 0, cfg_creds = 0;

    if (getenv_fn == NULL) {
        getenv_fn = env_default;
    }
    memset(s, 0, sizeof *s);
    s->max_retries = -1;
    s->region = pick(s, config, "region", "OS_REGION_NAME", getenv_fn);
    s->project_id = pick(s, config, "project_id", "OS_PROJECT_ID", getenv_fn);
    /* Credentials come from one source: when the configuration names any, the environment's
     * credentials are not mixed in (an OS_TOKEN in the shell must not conflict with keys
     * written in the configuration). */
    for (size_t i = 0; i < sizeof cred_attrs / sizeof cred_attrs[0]; i++) {
        const tfp_value *v = tfpv_get(config, cred_attrs[i]);
        if (tfpv_is_unknown(v) || !tfpv_is_empty(v)) {
            cfg_creds = 1;
        }
    }
    s->access_key = pick(s, config, "access_key", cfg_creds ? NULL : "OS_ACCESS_KEY", getenv_fn);
    s->secret_key = pick(s, config, "secret_key", cfg_creds ? NULL : "OS_SECRET_KEY", getenv_fn);
    s->security_token =
        pick(s, config, "security_token", cfg_creds ? NULL : "OS_SECURITY_TOKEN", getenv_fn);
    s->token = pick(s, config, "token", cfg_creds ? NULL : "OS_TOKEN", getenv_fn);
    s->user_name = pick(s, config, "user_name", cfg_creds ? NULL : "OS_USERNAME", getenv_fn);
    s->password = pick(s, config, "password", cfg_creds ? NULL : "OS_PASSWORD", getenv_fn);
    s->project_name = pick(s, config, "project_name", "OS_PROJECT_NAME", getenv_fn);
    /* The user's domain, by name or ID: the configuration before the environment, and in each
     * user_domain_* (OS_USER_DOMAIN_*) before domain_* (OS_DOMAIN_*). */
    {
        static const char *const dom[][2] = {{"user_domain_name", "OS_USER_DOMAIN_NAME"},
                                             {"user_domain_id", "OS_USER_DOMAIN_ID"},
                                             {"domain_name", "OS_DOMAIN_NAME"},
                                             {"domain_id", "OS_DOMAIN_ID"}};
        for (int env = 0; env < 2 && s->domain_name == NULL && s->domain_id == NULL; env++) {
            for (size_t i = 0; i < 4 && s->domain_name == NULL && s->domain_id == NULL; i += 2) {
                s->domain_name = env ? pick(s, NULL, dom[i][0], dom[i][1], getenv_fn)
                                     : pick(s, config, dom[i][0], NULL, getenv_fn);
                s->domain_id = env ? pick(s, NULL, dom[i + 1][0], dom[i + 1][1], getenv_fn)
                                   : pick(s, config, dom[i + 1][0], NULL, getenv_fn);
            }
        }
    }
    s->auth_url = pick(s, config, "auth_url", "OS_AUTH_URL", getenv_fn);
    s->endpoint = pick(s, config, "endpoint", "VPCEP_ENDPOINT", getenv_fn);
    s->cacert_file = pick(s, config, "cacert_file", NULL, getenv_fn);
    s->agency_name = pick(s, config, "agency_name", "OS_AGENCY_NAME", getenv_fn);
    s->agency_domain_name =
        pick(s, config, "agency_domain_name", "OS_AGENCY_DOMAIN_NAME", getenv_fn);
    s->delegated_project = pick(s, config, "delegated_project", "OS_DELEGATED_PROJECT", getenv_fn);
    s->cloud_name = pick(s, config, "cloud", "OS_CLOUD", getenv_fn);
    if (s->cloud_name != NULL) {
        apply_cloud(s, d, getenv_fn);
    }
    if (attr_unknown(config, "insecure") || attr_unknown(config, "max_retries")) {
        s->has_unknown = 1;
    }
    if (tfpv_bool(config, "insecure", &b)) {
        s->insecure = b;
    }
    if (tfpv_is_set(tfpv_get(config, "max_retries"))) {
        if (!tfpv_int(config, "max_retries", &retries) || retries < 0 || retries > 100) {
            tfp_diags_error(d, "max_retries", "Invalid max_retries",
                            "max_retries must be a whole number between 0 and 100.");
        } else {
            s->max_retries = retries;
        }
    } else if (!attr_unknown(config, "max_retries")) {
        const char *env = getenv_fn("VPCEP_MAX_RETRIES");
        char *end = NULL;
        long n = env != NULL && env[0] != '\0' ? strtol(env, &end, 10) : -1;
        if (env != NULL && env[0] != '\0') {
            if (end == env || *end != '\0' || n < 0 || n > 100) {
                tfp_diags_error(d, "max_retries", "Invalid VPCEP_MAX_RETRIES",
                                "VPCEP_MAX_RETRIES must be a whole number between 0 and 100, "
                                "not \"%.40s\".",
                                env);
            } else {
                s->max_retries = n;
            }
        }
    }
    for (size_t i = 0; i < sizeof duration_attrs / sizeof duration_attrs[0]; i++) {
        const char *v = pick(s, config, duration_attrs[i].name, duration_attrs[i].env, getenv_fn);
        int64_t ms = 0;
        if (v == NULL) {
            continue;
        }
        if (tfpv_parse_duration(v, &ms) != 0 || ms <= 0 || ms > 3600 * 1000) {
            tfp_diags_error(d, duration_attrs[i].name, "Invalid duration",
                            "%s (or %s) must be a duration such as \"10s\", \"500ms\" or "
                            "\"2m\", more than 0 and at most 1h, not \"%.40s\".",
                            duration_attrs[i].name, duration_attrs[i].env, v);
        } else {
            *(int64_t *)(void *)((char *)s + duration_attrs[i].offset) = ms;
        }
    }

    /* URLs: only what is known and set. */
    if (s->endpoint != NULL && !tfpv_valid_url(s->endpoint)) {
        tfp_diags_error(d, "endpoint", "Malformed URL",
                        "endpoint (or VPCEP_ENDPOINT) must be an absolute http or https URL "
                        "with a host, such as https://vpcep.eu-de.otc.t-systems.com.");
    }
    if (s->auth_url != NULL && !tfpv_valid_url(s->auth_url)) {
        tfp_diags_error(d, "auth_url", "Malformed URL",
                        "auth_url (or OS_AUTH_URL) must be an absolute http or https URL with "
                        "a host, such as https://iam.eu-de.otc.t-systems.com/v3.");
    }
    if (s->region != NULL && (strchr(s->region, '/') != NULL || strchr(s->region, ' ') != NULL ||
                              strlen(s->region) > 64)) {
        tfp_diags_error(d, "region", "Invalid region",
                        "region must be a region name such as eu-de.");
    }

    /* Credential combinations. */
    ak_unknown = attr_unknown(config, "access_key");
    sk_unknown = attr_unknown(config, "secret_key");
    if (s->token != NULL && (s->access_key != NULL || s->secret_key != NULL)) {
        tfp_diags_error(d, "token", "Conflicting credentials",
                        "Both token and access_key/secret_key are set (in the configuration or "
                        "the environment); use one authentication method.");
    }
    if (s->security_token != NULL && s->access_key == NULL && s->secret_key == NULL &&
        !ak_unknown && !sk_unknown) {
        tfp_diags_error(d, "security_token", "Incomplete temporary credentials",
                        "security_token (or OS_SECURITY_TOKEN) belongs to a temporary access_key "
                        "and secret_key; set them too.");
    }
    if (s->access_key != NULL && s->secret_key == NULL && !sk_unknown) {
        tfp_diags_error(d, "secret_key", "Incomplete AK/SK credentials",
                        "access_key is set but secret_key is not (set it or OS_SECRET_KEY).");
    }
    if (s->secret_key != NULL && s->access_key == NULL && !ak_unknown) {
        tfp_diags_error(d, "access_key", "Incomplete AK/SK credentials",
                        "secret_key is set but access_key is not (set it or OS_ACCESS_KEY).");
    }

    if (final && !s->has_unknown) {
        int aksk = s->access_key != NULL && s->secret_key != NULL;
        int pw = s->user_name != NULL || s->password != NULL;
        if (s->region == NULL) {
            tfp_diags_error(d, "region", "Missing region",
                            "Set region in the provider configuration or OS_REGION_NAME.");
        }
        if (!aksk && s->token == NULL && !pw && s->access_key == NULL && s->secret_key == NULL) {
            tfp_diags_error(d, NULL, "No credentials",
                            "Configure access_key and secret_key (OS_ACCESS_KEY, "
                            "OS_SECRET_KEY), or token (OS_TOKEN), or user_name, password and "
                            "domain_name (OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME).");
        }
        if (!aksk && s->token == NULL && pw) {
            if (s->user_name == NULL) {
                tfp_diags_error(d, "user_name", "Incomplete password credentials",
                                "password is set but user_name is not (set it or "
                                "OS_USERNAME).");
            }
            if (s->password == NULL) {
                tfp_diags_error(d, "password", "Incomplete password credentials",
                                "user_name is set but password is not (set it or "
                                "OS_PASSWORD).");
            }
            if (s->domain_name == NULL && s->domain_id == NULL) {
                tfp_diags_error(d, "domain_name", "Incomplete password credentials",
                                "Password authentication needs domain_name (or "
                                "OS_DOMAIN_NAME, user_domain_name, OS_USER_DOMAIN_NAME, or a "
                                "domain ID), the account the user belongs to.");
            }
        }
        if ((s->agency_name == NULL) != (s->agency_domain_name == NULL)) {
            tfp_diags_error(d, s->agency_name == NULL ? "agency_name" : "agency_domain_name",
                            "Incomplete agency",
                            "An agency is named by agency_name and agency_domain_name (the domain "
                            "that created it) together (OS_AGENCY_NAME, OS_AGENCY_DOMAIN_NAME).");
        }
        if ((aksk || s->token != NULL) && s->agency_name == NULL && s->project_id == NULL &&
            s->project_name == NULL) {
            tfp_diags_error(d, "project_id", "Missing project_id",
                            "AK/SK and token authentication need project_id (or "
                            "OS_PROJECT_ID) or project_name (OS_PROJECT_NAME), whose ID is "
                            "then looked up; it is only resolved automatically for "
                            "user_name/password authentication.");
        }
        if (s->cacert_file != NULL) {
            FILE *f = fopen(s->cacert_file, "r");
            if (f == NULL) {
                tfp_diags_error(d, "cacert_file", "Cannot read cacert_file",
                                "The CA bundle \"%s\" cannot be opened.", s->cacert_file);
            } else {
                fclose(f);
            }
        }
    }

    /* Defaults derived from the region. */
    if (s->region != NULL) {
        /* the Swiss cloud has a domain of its own, and its IAM is "iam-pub" */
        int swiss = strcmp(s->region, "eu-ch2") == 0;
        if (s->auth_url == NULL) {
            snprintf(s->auth_url_buf, sizeof s->auth_url_buf,
                     "https://%s.%s.%sotc.t-systems.com/v3", swiss ? "iam-pub" : "iam", s->region,
                     swiss ? "sc." : "");
            s->auth_url = s->auth_url_buf;
        }
        if (s->endpoint == NULL) {
            snprintf(s->endpoint_buf, sizeof s->endpoint_buf,
                     "https://vpcep.%s.%sotc.t-systems.com", s->region, swiss ? "sc." : "");
            s->endpoint = s->endpoint_buf;
        }
    }
    return (!errors_before && tfp_diags_has_errors(d)) ? TFP_EINVALID : 0;
}

int tfpv_provider_validate(tfp_call *call)
{
    tfpv_settings s;
    (void)tfpv_settings_resolve(&s, tfp_call_config(call), tfp_call_diags(call), 0, NULL);
    tfpv_settings_dispose(&s);
    return 0; /* problems travel as diagnostics */
}

void tfpv_ctx_free(void *p)
{
    tfpv_ctx *ctx = p;
    if (ctx == NULL) {
        return;
    }
    vpcep_client_free(ctx->client);
    free(ctx->region);
    free(ctx);
}

static void log_to_tfp(void *ud, int level, const char *msg)
{
    (void)ud;
    if (level < TFP_LOG_TRACE || level > TFP_LOG_ERROR) {
        level = TFP_LOG_DEBUG;
    }
    tfp_log((tfp_log_level)level, "vpcep", "%s", msg);
}

/* The client's structured lines (the API calls) keep their fields: tf_http_* next to the RPC's
 * tf_rpc, tf_req_id and resource type. */
static void
log_fields_to_tfp(void *ud, int level, const char *msg, const vpcep_log_field *fields, size_t n)
{
    tfp_log_field f[24];
    size_t i;
    (void)ud;
    if (level < TFP_LOG_TRACE || level > TFP_LOG_ERROR) {
        level = TFP_LOG_DEBUG;
    }
    if (n > sizeof f / sizeof f[0]) {
        n = sizeof f / sizeof f[0];
    }
    for (i = 0; i < n; i++) {
        f[i].key = fields[i].key;
        f[i].value = fields[i].value;
        f[i].number = fields[i].number;
    }
    tfp_log_fields((tfp_log_level)level, "vpcep", f, n, "%s", msg);
}

static int log_enabled_tfp(void *ud, int level)
{
    (void)ud;
    return tfp_log_enabled((tfp_log_level)level);
}

int tfpv_provider_configure(tfp_call *call)
{
    tfp_diags *d = tfp_call_diags(call);
    tfpv_settings s;
    tfpv_ctx *ctx = NULL;
    vpcep_client_options opts;
    vpcep_error err = VPCEP_ERROR_INIT;
    int rc;

    rc = tfpv_settings_resolve(&s, tfp_call_config(call), d, 1, NULL);
    if (rc != 0 || tfp_diags_has_errors(d)) {
        rc = 0; /* reported as diagnostics */
        goto done;
    }
    ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) {
        rc = TFP_ENOMEM;
        goto done;
    }
    if (s.region != NULL) {
        ctx->region = tfpv_strdup(s.region);
        if (ctx->region == NULL) {
            rc = TFP_ENOMEM;
            goto done;
        }
    }
    if (s.has_unknown) {
        /* Deferred: the values are known at apply time, when Terraform configures again. */
        tfp_log(TFP_LOG_DEBUG, "vpcep",
                "provider configuration holds unknown values; client creation deferred");
        rc = tfp_call_set_provider_data(call, ctx, tfpv_ctx_free);
        if (rc == 0) {
            ctx = NULL;
        }
        goto done;
    }

    vpcep_client_options_init(&opts, VPCEP_CLIENT_OPTIONS_VERSION);
    opts.region = s.region;
    opts.endpoint = s.endpoint;
    opts.project_id = s.project_id;
    opts.auth_url = s.auth_url;
    if (s.access_key != NULL && s.secret_key != NULL) {
        opts.access_key = s.access_key;
        opts.secret_key = s.secret_key;
        opts.security_token = s.security_token;
    } else if (s.token != NULL) {
        opts.token = s.token;
    } else {
        opts.user_name = s.user_name;
        opts.password = s.password;
        opts.domain_name = s.domain_name;
        opts.domain_id = s.domain_id;
    }
    opts.project_name = s.project_name;
    opts.agency_name = s.agency_name;
    opts.agency_domain_name = s.agency_domain_name;
    opts.delegated_project = s.delegated_project;
    opts.insecure = s.insecure;
    opts.cacert_file = s.cacert_file;
    if (s.max_retries >= 0) {
        opts.max_retries = s.max_retries == 0 ? VPCEP_RETRIES_NONE : (int)s.max_retries;
    }
    opts.connect_timeout_ms = (long)s.connect_timeout_ms;
    opts.timeout_ms = (long)s.request_timeout_ms;
    opts.retry_budget_ms = (long)s.retry_budget_ms;
    opts.user_agent = "terraform-provider-vpcep";
    opts.log = log_to_tfp;
    opts.log_fields = log_fields_to_tfp;
    opts.log_enabled = log_enabled_tfp;
    opts.cancelled = tfpv_cancelled_hook;

    rc = vpcep_client_new(&ctx->client, &opts, &err);
    if (rc != 0) {
        tfp_diags_error(d, NULL, "Cannot configure the VPCEP client", "%s",
                        err.error_msg[0] != '\0' ? err.error_msg : vpcep_strerror(rc));
        rc = 0;
        goto done;
    }
    ctx->configured = 1;
    tfp_log(TFP_LOG_DEBUG, "vpcep", "provider configured: region=%s endpoint=%s auth=%s%s%s",
            s.region != NULL ? s.region : "", vpcep_client_endpoint(ctx->client),
            opts.access_key != NULL ? (opts.security_token != NULL ? "temporary aksk" : "aksk")
                                    : (opts.token != NULL ? "token" : "password"),
            s.agency_name != NULL ? " agency=" : "", s.agency_name != NULL ? s.agency_name : "");
    rc = tfp_call_set_provider_data(call, ctx, tfpv_ctx_free);
    if (rc == 0) {
        ctx = NULL;
    }
done:
    tfpv_settings_dispose(&s);
    tfpv_ctx_free(ctx);
    return rc;
}

struct vpcep_client *tfpv_client_opt(tfp_call *call)
{
    const tfpv_ctx *ctx = tfp_call_provider_data(call);
    if (ctx == NULL || !ctx->configured) {
        return NULL;
    }
    return ctx->client;
}

struct vpcep_client *tfpv_client(tfp_call *call)
{
    struct vpcep_client *c = tfpv_client_opt(call);
    if (c == NULL) {
        tfp_diags_error(tfp_call_diags(call), NULL, "Provider not configured",
                        "The vpcep provider configuration is not known yet (it depends on "
                        "values known only after apply) or failed; this operation needs the "
                        "API.");
    }
    return c;
}

int tfpv_deferred(tfp_call *call)
{
    const tfpv_ctx *ctx = tfp_call_provider_data(call);
    return ctx != NULL && !ctx->configured;
}

int tfpv_keep_prior(tfp_call *call)
{
    const tfp_value *prior = tfp_call_prior_state(call);
    tfp_value *copy = NULL;
    int rc;
    if (prior == NULL || tfp_value_is_null(prior)) {
        return tfp_call_set_result(call, NULL);
    }
    tfp_log(TFP_LOG_DEBUG, "vpcep", "provider configuration not known yet: %s not refreshed",
            tfp_call_type_name(call));
    rc = tfp_value_copy(&copy, prior);
    if (rc != 0) {
        return rc;
    }
    return tfp_call_set_result(call, copy);
}

const char *tfpv_region(tfp_call *call)
{
    const tfpv_ctx *ctx = tfp_call_provider_data(call);
    if (ctx == NULL || ctx->region == NULL) {
        return "?";
    }
    return ctx->region;
}
