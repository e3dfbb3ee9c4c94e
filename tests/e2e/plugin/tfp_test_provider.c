/*
 * tfp-test-provider: a test-only provider built on the public provider-plugin ABI
 * (include/tfp/tfp.h) and nothing else of ours. Not part of the product.
 *
 * resource "tfptest_thing":
 *   id    computed string
 *   name  required string, changing it forces replacement; validated ([a-z0-9-], 1..32)
 *   note  optional string, updated in place
 *   size  optional+computed number, kept exactly as given (big numbers included); 0 if unset
 *   tags  optional map(string)
 *   rule  nested set block { port = number (required), proto = string (optional) }
 * data "tfptest_echo": input (required string) -> output (computed string, same text)
 *
 * TFPTEST_APPLY_DELAY_MS=<n> makes every create/update wait n ms with tfp_call_sleep, so a
 * StopProvider cancels it (the apply then fails with "Apply cancelled").
 *
 * Stand-in mode: started as terraform-provider-<name> (a dev_overrides link) with
 * $TFPTEST_STANDIN_DIR/<name>.json present, it plays provider <name> instead: that file maps
 * resource type names to the cty type of their state ({"type": ["object", {...}]}), every
 * attribute becomes optional+computed, and the library's default handlers answer (read keeps
 * the state, upgrade decodes it). Enough for Terraform to hold another provider's state, e.g.
 * the source of a `moved` block.
 *
 * State lives in $TFPTEST_DIR/things.json (default $TMPDIR/tfptest-things-<uid>.json): {"<id>":
 * "<cty JSON of the object>", ...}, so it survives across the plugin processes Terraform starts,
 * and import can find objects by id.
 */
#include <tfp/tfp.h>

#include <cjson/cJSON.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;

static int is_null(const tfp_value *v)
{
    return v == NULL || tfp_value_is_null(v);
}

/* ----- the JSON file store ------------------------------------------------------------------ */

static void store_path(char *buf, size_t cap)
{
    const char *dir = getenv("TFPTEST_DIR");
    const char *tmp = getenv("TMPDIR");

    if (dir != NULL && dir[0] != '\0')
        snprintf(buf, cap, "%s/things.json", dir);
    else
        snprintf(buf, cap, "%s/tfptest-things-%u.json", tmp && tmp[0] ? tmp : "/tmp",
                 (unsigned int)getuid());
}

/* Loads the store under an exclusive lock; *fd_out stays open (and locked) until store_close. */
static cJSON *store_open(int *fd_out)
{
    char path[4096];
    char *text = NULL;
    cJSON *root = NULL;
    off_t size;
    int fd;

    *fd_out = -1;
    store_path(path, sizeof(path));
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    if (flock(fd, LOCK_EX) != 0)
        goto done;
    size = lseek(fd, 0, SEEK_END);
    if (size < 0 || size > 64 * 1024 * 1024 || lseek(fd, 0, SEEK_SET) != 0)
        goto done;
    text = calloc(1, (size_t)size + 1);
    if (text == NULL || read(fd, text, (size_t)size) != (ssize_t)size)
        goto done;
    root = size > 0 ? cJSON_Parse(text) : cJSON_CreateObject();
    if (root != NULL && !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        root = NULL;
    }
done:
    free(text);
    if (root == NULL)
        close(fd);
    else
        *fd_out = fd;
    return root;
}

/* Writes the store back (when @p save) and unlocks. @return 0 or -1. */
static int store_close(cJSON *root, int fd, int save)
{
    int rc = 0;

    if (save) {
        char *text = cJSON_PrintUnformatted(root);
        size_t len = text ? strlen(text) : 0;
        if (text == NULL || ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
            write(fd, text, len) != (ssize_t)len)
            rc = -1;
        free(text);
    }
    cJSON_Delete(root);
    close(fd);
    return rc;
}

/* Stored object @p id decoded with @p schema's type, or NULL (not found / error). */
static tfp_value *store_get(const tfp_schema *schema, const char *id)
{
    tfp_value *v = NULL;
    cJSON *root, *item;
    int fd;

    pthread_mutex_lock(&store_mu);
    root = store_open(&fd);
    if (root == NULL)
        goto done;
    item = cJSON_GetObjectItemCaseSensitive(root, id);
    if (cJSON_IsString(item))
        (void)tfp_value_from_json(&v, tfp_schema_type(schema), item->valuestring,
                                  strlen(item->valuestring), NULL);
    store_close(root, fd, 0);
done:
    pthread_mutex_unlock(&store_mu);
    return v;
}

/* Stores @p v under @p id (v NULL: deletes). @return 0 or -1. */
static int store_put(const char *id, const tfp_value *v)
{
    char *json = NULL;
    cJSON *root;
    int fd, rc = -1;

    if (v != NULL && tfp_value_to_json(&json, v) != 0)
        return -1;
    pthread_mutex_lock(&store_mu);
    root = store_open(&fd);
    if (root == NULL)
        goto done;
    cJSON_DeleteItemFromObjectCaseSensitive(root, id);
    if (json != NULL)
        cJSON_AddStringToObject(root, id, json);
    rc = store_close(root, fd, 1);
done:
    pthread_mutex_unlock(&store_mu);
    tfp_free(json);
    return rc;
}

/* ----- tfptest_thing handlers ------------------------------------------------------------- */

static int name_valid(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > 32)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

static int thing_validate(tfp_call *call)
{
    const char *name = tfp_value_attr_string(tfp_call_config(call), "name");

    /* unknown or null: nothing to check yet */
    if (name != NULL && !name_valid(name))
        tfp_diags_error(tfp_call_diags(call), "name", "Invalid name",
                        "The name \"%s\" must be 1 to 32 characters of a-z, 0-9 and '-'.", name);
    return 0;
}

static int thing_plan(tfp_call *call)
{
    const tfp_value *proposed = tfp_call_proposed_state(call);
    const tfp_value *prior = tfp_call_prior_state(call);
    const tfp_value *config = tfp_call_config(call);
    tfp_value *planned = NULL;
    int rc;

    if (is_null(proposed))
        return tfp_call_set_result(call, NULL);
    rc = tfp_value_copy(&planned, proposed);
    if (rc != 0)
        return rc;
    if (is_null(prior)) {
        rc = tfp_value_set_attr_unknown(planned, "id");
        if (rc == 0 && is_null(tfp_value_attr(config, "size")))
            rc = tfp_value_set_attr_unknown(planned, "size");
    }
    if (rc != 0) {
        tfp_value_free(planned);
        return rc;
    }
    rc = tfp_call_set_result(call, planned);
    if (rc == 0)
        rc = tfp_call_require_replace(call, "name");
    return rc;
}

static int thing_apply(tfp_call *call)
{
    const tfp_value *planned = tfp_call_planned_state(call);
    const tfp_value *prior = tfp_call_prior_state(call);
    tfp_value *v = NULL, *zero = NULL;
    const char *id, *delay;
    char newid[40];
    int rc;

    if (is_null(planned)) {
        id = tfp_value_attr_string(prior, "id");
        if (id != NULL && store_put(id, NULL) != 0)
            tfp_diags_error(tfp_call_diags(call), NULL, "Cannot write the state file", NULL);
        return tfp_call_set_result(call, NULL);
    }
    delay = getenv("TFPTEST_APPLY_DELAY_MS");
    if (delay != NULL && atoi(delay) > 0 &&
        tfp_call_sleep(call, (unsigned int)atoi(delay)) == TFP_ECANCELED) {
        tfp_diags_error(tfp_call_diags(call), NULL, "Apply cancelled",
                        "StopProvider arrived while the apply was waiting.");
        return 0;
    }
    rc = tfp_value_copy(&v, planned);
    if (rc != 0)
        return rc;
    if (is_null(prior)) {
        unsigned int rnd = 0;
        if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
            rnd = (unsigned int)getpid();
        snprintf(newid, sizeof(newid), "thing-%08x", rnd);
        rc = tfp_value_set_attr_string(v, "id", newid);
    }
    if (rc == 0 && !tfp_value_is_known(tfp_value_attr(v, "size"))) {
        rc = tfp_value_new_number(&zero, "0");
        if (rc == 0)
            rc = tfp_value_set_attr(v, "size", zero);
    }
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    id = tfp_value_attr_string(v, "id");
    if (id == NULL || store_put(id, v) != 0) {
        tfp_diags_error(tfp_call_diags(call), NULL, "Cannot write the state file", NULL);
        tfp_value_free(v);
        return 0;
    }
    return tfp_call_set_result(call, v);
}

static int thing_read(tfp_call *call)
{
    const char *id = tfp_value_attr_string(tfp_call_prior_state(call), "id");

    if (id == NULL)
        return tfp_call_set_result(call, NULL);
    /* NULL when gone: Terraform drops it from state and plans a create */
    return tfp_call_set_result(call, store_get(tfp_call_schema(call), id));
}

static int thing_import(tfp_call *call)
{
    const char *id = tfp_call_import_id(call);
    tfp_value *v = store_get(tfp_call_schema(call), id);

    if (v == NULL) {
        tfp_diags_error(tfp_call_diags(call), NULL, "Cannot import non-existent object",
                        "No tfptest_thing has the id \"%s\".", id ? id : "");
        return 0;
    }
    return tfp_call_set_result(call, v);
}

static int echo_read(tfp_call *call)
{
    tfp_value *v = NULL;
    int rc = tfp_value_copy(&v, tfp_call_config(call));

    if (rc == 0)
        rc = tfp_value_set_attr_string(v, "output", tfp_value_attr_string(v, "input"));
    if (rc != 0) {
        tfp_value_free(v);
        return rc;
    }
    return tfp_call_set_result(call, v);
}

/* ----- registration ------------------------------------------------------------------------- */

static int build_thing(tfp_resource **out)
{
    tfp_schema *s = NULL;
    tfp_block *root, *rule = NULL;
    tfp_type *tags = NULL;
    int rc;

    *out = NULL;
    rc = tfp_schema_new(&s, 0);
    if (rc != 0)
        return rc;
    root = tfp_schema_root(s);
    rc = tfp_type_map_new(&tags, tfp_type_string());
    if (rc == 0)
        rc = tfp_block_add_attribute(root, "id", tfp_type_string(), TFP_ATTR_COMPUTED,
                                     "Identifier assigned on create.");
    if (rc == 0)
        rc = tfp_block_add_attribute(root, "name", tfp_type_string(), TFP_ATTR_REQUIRED,
                                     "Name; changing it replaces the thing.");
    if (rc == 0)
        rc = tfp_block_add_attribute(root, "note", tfp_type_string(), TFP_ATTR_OPTIONAL,
                                     "Free text, updated in place.");
    if (rc == 0)
        rc = tfp_block_add_attribute(root, "size", tfp_type_number(),
                                     TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED,
                                     "A number kept exactly; 0 when unset.");
    if (rc == 0)
        rc = tfp_block_add_attribute(root, "tags", tags, TFP_ATTR_OPTIONAL, "Tags.");
    if (rc == 0)
        rc = tfp_block_add_block(&rule, root, "rule", TFP_NESTING_SET, 0, 0);
    if (rc == 0)
        rc = tfp_block_add_attribute(rule, "port", tfp_type_number(), TFP_ATTR_REQUIRED, NULL);
    if (rc == 0)
        rc = tfp_block_add_attribute(rule, "proto", tfp_type_string(), TFP_ATTR_OPTIONAL, NULL);
    if (rc == 0)
        rc = tfp_block_set_description(root, "A test-only thing kept in a JSON file.");
    tfp_type_free(tags);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    rc = tfp_resource_new(out, "tfptest_thing", s);
    if (rc != 0)
        return rc;
    if (tfp_resource_set_handler(*out, TFP_OP_VALIDATE, thing_validate) != 0 ||
        tfp_resource_set_handler(*out, TFP_OP_PLAN, thing_plan) != 0 ||
        tfp_resource_set_handler(*out, TFP_OP_APPLY, thing_apply) != 0 ||
        tfp_resource_set_handler(*out, TFP_OP_READ, thing_read) != 0 ||
        tfp_resource_set_handler(*out, TFP_OP_IMPORT, thing_import) != 0) {
        tfp_resource_free(*out);
        *out = NULL;
        return TFP_ERROR;
    }
    return 0;
}

static int build_echo(tfp_resource **out)
{
    tfp_schema *s = NULL;
    int rc;

    *out = NULL;
    rc = tfp_schema_new(&s, 0);
    if (rc != 0)
        return rc;
    rc = tfp_block_add_attribute(tfp_schema_root(s), "input", tfp_type_string(), TFP_ATTR_REQUIRED,
                                 NULL);
    if (rc == 0)
        rc = tfp_block_add_attribute(tfp_schema_root(s), "output", tfp_type_string(),
                                     TFP_ATTR_COMPUTED, NULL);
    if (rc != 0) {
        tfp_schema_free(s);
        return rc;
    }
    rc = tfp_resource_new(out, "tfptest_echo", s);
    if (rc == 0 && tfp_resource_set_handler(*out, TFP_OP_READ_DATA, echo_read) != 0) {
        tfp_resource_free(*out);
        *out = NULL;
        rc = TFP_ERROR;
    }
    return rc;
}

/* ----- stand-in mode ----------------------------------------------------------------------- */

/* The stand-in's JSON description for the name in argv[0], or NULL (normal mode). */
static cJSON *standin_load(const char *argv0, char *name, size_t cap)
{
    const char *dir = getenv("TFPTEST_STANDIN_DIR");
    const char *base = strrchr(argv0, '/');
    char path[4096];
    char *text = NULL;
    cJSON *root = NULL;
    FILE *f;
    long size;

    base = base ? base + 1 : argv0;
    if (dir == NULL || dir[0] == '\0' || strncmp(base, "terraform-provider-", 19) != 0)
        return NULL;
    snprintf(name, cap, "%s", base + 19);
    name[strcspn(name, "_.")] = '\0';
    snprintf(path, sizeof(path), "%s/%s.json", dir, name);
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && size < (1L << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (text = calloc(1, (size_t)size + 1)) != NULL &&
        fread(text, 1, (size_t)size, f) == (size_t)size)
        root = cJSON_Parse(text);
    fclose(f);
    free(text);
    return root;
}

/* Registers one resource type per entry of @p desc. @return 0 or -1. */
static int standin_build(tfp_provider *p, const cJSON *desc)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, desc)
    {
        char *spec = cJSON_PrintUnformatted(e);
        tfp_type *t = NULL;
        tfp_schema *s = NULL;
        tfp_resource *r = NULL;
        int rc = spec ? tfp_type_from_json(&t, spec, strlen(spec)) : TFP_ENOMEM;
        size_t i;

        free(spec);
        if (rc == 0 && tfp_type_kind(t) != TFP_KIND_OBJECT)
            rc = TFP_EINVALID;
        if (rc == 0)
            rc = tfp_schema_new(&s, 0);
        for (i = 0; rc == 0 && i < tfp_type_length(t); i++)
            rc = tfp_block_add_attribute(tfp_schema_root(s), tfp_type_attr_name(t, i),
                                         tfp_type_at(t, i), TFP_ATTR_OPTIONAL | TFP_ATTR_COMPUTED,
                                         NULL);
        tfp_type_free(t);
        if (rc == 0)
            rc = tfp_resource_new(&r, e->string, s);
        else
            tfp_schema_free(s);
        if (rc == 0)
            rc = tfp_provider_add_resource(p, r);
        if (rc != 0) {
            fprintf(stderr, "tfp-test-provider: bad stand-in type %s\n", e->string);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    tfp_provider *p = NULL;
    tfp_resource *thing = NULL, *echo = NULL;
    char name[128];
    cJSON *standin = argc > 0 ? standin_load(argv[0], name, sizeof(name)) : NULL;
    int rc = 1;

    if (standin != NULL) {
        if (tfp_provider_new(&p, name, "0.0.1") != 0 || standin_build(p, standin) != 0) {
            fprintf(stderr, "tfp-test-provider: cannot build the stand-in %s\n", name);
            goto done;
        }
        rc = tfp_serve(p, argc, argv, NULL);
        goto done;
    }
    if (tfp_provider_new(&p, "tfptest", "0.0.1") != 0 || build_thing(&thing) != 0 ||
        tfp_provider_add_resource(p, thing) != 0 || build_echo(&echo) != 0 ||
        tfp_provider_add_data_source(p, echo) != 0) {
        fprintf(stderr, "tfp-test-provider: cannot build the provider\n");
        goto done;
    }
    rc = tfp_serve(p, argc, argv, NULL);
done:
    cJSON_Delete(standin);
    tfp_provider_free(p);
    return rc;
}
