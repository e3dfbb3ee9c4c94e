/*
 * provider/resources/clouds.c - `cloud` / OS_CLOUD: one entry of the OpenStack clouds.yaml, with
 * the secrets of secure.yaml laid over it, as the OTC provider (and every OpenStack client) reads
 * them. Parsed with libyaml's document loader; files are bounded in size.
 *
 * Files: $OS_CLIENT_CONFIG_FILE, else the first of ./clouds.yaml, ~/.config/openstack/clouds.yaml
 * and /etc/openstack/clouds.yaml that exists; secure.yaml likewise ($OS_CLIENT_SECURE_FILE, then
 * the same directories), optional. The entry `clouds.<name>` gives `region_name` and under
 * `auth`: auth_url, username / user_name, password, token, project_id, project_name,
 * user_domain_name, user_domain_id, domain_name, domain_id, ak / access_key, sk / secret_key,
 * security_token, agency_name, agency_domain_name, delegated_project.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Larger files are refused: a clouds.yaml holds a few entries. */
#define CLOUDS_MAX_BYTES (1024 * 1024)

/* Reads @p path into a new NUL-terminated buffer. @return 1 read, 0 no such file, -1 error
 * (@p err filled). */
static int read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    int rc = -1;

    *out = NULL;
    if (f == NULL) {
        return 0;
    }
    buf = malloc(CLOUDS_MAX_BYTES + 1);
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory reading %s", path);
        goto done;
    }
    n = fread(buf, 1, CLOUDS_MAX_BYTES + 1, f);
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read %s", path);
        goto done;
    }
    if (n > CLOUDS_MAX_BYTES) {
        snprintf(err, errlen, "%s is larger than %d bytes", path, CLOUDS_MAX_BYTES);
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 1;
done:
    free(buf);
    fclose(f);
    return rc;
}

/* The first file named @p base that exists: @p explicit_env's value, else ./base,
 * $HOME/.config/openstack/base, /etc/openstack/base. @return 1 found (@p path), 0 none. */
static int find_file(char *path,
                     size_t cap,
                     const char *base,
                     const char *explicit_env,
                     const char *(*getenv_fn)(const char *))
{
    const char *v = getenv_fn(explicit_env);
    const char *home = getenv_fn("HOME");
    FILE *f;

    if (v != NULL && v[0] != '\0') {
        snprintf(path, cap, "%s", v);
        return 1; /* named explicitly: must exist (reported by the reader) */
    }
    for (int i = 0; i < 3; i++) {
        if (i == 0) {
            snprintf(path, cap, "%s", base);
        } else if (i == 1) {
            if (home == NULL || home[0] == '\0') {
                continue;
            }
            snprintf(path, cap, "%s/.config/openstack/%s", home, base);
        } else {
            snprintf(path, cap, "/etc/openstack/%s", base);
        }
        f = fopen(path, "rb");
        if (f != NULL) {
            fclose(f);
            return 1;
        }
    }
    return 0;
}

/* The value node of @p key in mapping @p map (NULL if none or not a mapping). */
static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    yaml_node_pair_t *p;

    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
            memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0) {
            return yaml_document_get_node(doc, p->value);
        }
    }
    return NULL;
}

/* Sets *dst to a copy of scalar @p n (overwriting: the later file wins). A scalar with a NUL
 * or an empty one is ignored. @return 0 or -1 (ENOMEM). */
static int take(char **dst, yaml_node_t *n)
{
    char *copy;

    if (n == NULL || n->type != YAML_SCALAR_NODE || n->data.scalar.length == 0 ||
        memchr(n->data.scalar.value, '\0', n->data.scalar.length) != NULL) {
        return 0;
    }
    copy = malloc(n->data.scalar.length + 1);
    if (copy == NULL) {
        return -1;
    }
    memcpy(copy, n->data.scalar.value, n->data.scalar.length);
    copy[n->data.scalar.length] = '\0';
    if (*dst != NULL) {
        memset(*dst, 0, strlen(*dst)); /* may be a secret */
        free(*dst);
    }
    *dst = copy;
    return 0;
}

/* One key of `auth` and the field it fills (several spellings for some). */
typedef struct auth_key {
    const char *key;
    size_t offset;
} auth_key;

#define CLOUD_FIELD(f) offsetof(tfpv_cloud, f)

static const auth_key auth_keys[] = {
    {"auth_url", CLOUD_FIELD(auth_url)},
    {"username", CLOUD_FIELD(user_name)},
    {"user_name", CLOUD_FIELD(user_name)},
    {"password", CLOUD_FIELD(password)},
    {"token", CLOUD_FIELD(token)},
    {"project_id", CLOUD_FIELD(project_id)},
    {"tenant_id", CLOUD_FIELD(project_id)},
    {"project_name", CLOUD_FIELD(project_name)},
    {"tenant_name", CLOUD_FIELD(project_name)},
    {"user_domain_name", CLOUD_FIELD(user_domain_name)},
    {"user_domain_id", CLOUD_FIELD(user_domain_id)},
    {"domain_name", CLOUD_FIELD(domain_name)},
    {"domain_id", CLOUD_FIELD(domain_id)},
    {"ak", CLOUD_FIELD(access_key)},
    {"access_key", CLOUD_FIELD(access_key)},
    {"sk", CLOUD_FIELD(secret_key)},
    {"secret_key", CLOUD_FIELD(secret_key)},
    {"security_token", CLOUD_FIELD(security_token)},
    {"agency_name", CLOUD_FIELD(agency_name)},
    {"agency_domain_name", CLOUD_FIELD(agency_domain_name)},
    {"delegated_project", CLOUD_FIELD(delegated_project)},
};

/* Lays entry @p name of the file @p path over @p c. @return 1 entry found, 0 file without it,
 * -1 error (@p err filled). */
static int apply_file(
    tfpv_cloud *c, const char *path, const char *name, int must_exist, char *err, size_t errlen)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *entry, *auth;
    char *text = NULL;
    size_t len = 0;
    int rc = -1, parsed = 0, have_parser = 0;

    rc = read_file(path, &text, &len, err, errlen);
    if (rc == 0) {
        if (must_exist) {
            snprintf(err, errlen, "%s does not exist", path);
            return -1;
        }
        return 0;
    }
    if (rc < 0) {
        return -1;
    }
    rc = -1;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "out of memory parsing %s", path);
        goto done;
    }
    have_parser = 1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(err, errlen, "%s is not valid YAML: %s at line %lu", path,
                 parser.problem != NULL ? parser.problem : "error",
                 (unsigned long)parser.problem_mark.line + 1);
        goto done;
    }
    parsed = 1;
    root = yaml_document_get_root_node(&doc);
    entry = map_get(&doc, map_get(&doc, root, "clouds"), name);
    if (entry == NULL || entry->type != YAML_MAPPING_NODE) {
        rc = 0;
        goto done;
    }
    if (take(&c->region, map_get(&doc, entry, "region_name")) != 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    auth = map_get(&doc, entry, "auth");
    for (size_t i = 0; i < sizeof auth_keys / sizeof auth_keys[0]; i++) {
        char **dst = (char **)(void *)((char *)c + auth_keys[i].offset);
        if (take(dst, map_get(&doc, auth, auth_keys[i].key)) != 0) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    rc = 1;
done:
    if (parsed) {
        yaml_document_delete(&doc);
    }
    if (have_parser) {
        yaml_parser_delete(&parser);
    }
    if (text != NULL) {
        memset(text, 0, len); /* secure.yaml holds secrets */
        free(text);
    }
    return rc;
}

int tfpv_cloud_load(tfpv_cloud *c,
                    const char *name,
                    const char *(*getenv_fn)(const char *),
                    char *err,
                    size_t errlen)
{
    char path[1024];
    int explicit_file, rc;

    memset(c, 0, sizeof(*c));
    explicit_file =
        getenv_fn("OS_CLIENT_CONFIG_FILE") != NULL && getenv_fn("OS_CLIENT_CONFIG_FILE")[0] != '\0';
    if (!find_file(path, sizeof path, "clouds.yaml", "OS_CLIENT_CONFIG_FILE", getenv_fn)) {
        snprintf(err, errlen,
                 "cloud \"%.64s\" is set but no clouds.yaml was found (looked in the current "
                 "directory, ~/.config/openstack and /etc/openstack; OS_CLIENT_CONFIG_FILE names "
                 "another file)",
                 name);
        return TFP_EINVALID;
    }
    rc = apply_file(c, path, name, explicit_file, err, errlen);
    if (rc < 0) {
        goto fail;
    }
    if (rc == 0) {
        snprintf(err, errlen, "%s has no entry clouds.%.64s", path, name);
        goto fail;
    }
    snprintf(c->file, sizeof c->file, "%s", path);
    if (find_file(path, sizeof path, "secure.yaml", "OS_CLIENT_SECURE_FILE", getenv_fn)) {
        int explicit_secure = getenv_fn("OS_CLIENT_SECURE_FILE") != NULL &&
                              getenv_fn("OS_CLIENT_SECURE_FILE")[0] != '\0';
        if (apply_file(c, path, name, explicit_secure, err, errlen) < 0) {
            goto fail;
        }
    }
    return 0;
fail:
    tfpv_cloud_dispose(c);
    return TFP_EINVALID;
}

static void free_secret(char *s)
{
    if (s != NULL) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

void tfpv_cloud_dispose(tfpv_cloud *c)
{
    if (c == NULL) {
        return;
    }
    free(c->region);
    free(c->auth_url);
    free(c->user_name);
    free_secret(c->password);
    free_secret(c->token);
    free(c->project_id);
    free(c->project_name);
    free(c->user_domain_name);
    free(c->user_domain_id);
    free(c->domain_name);
    free(c->domain_id);
    free(c->access_key);
    free_secret(c->secret_key);
    free_secret(c->security_token);
    free(c->agency_name);
    free(c->agency_domain_name);
    free(c->delegated_project);
    memset(c, 0, sizeof(*c));
}
