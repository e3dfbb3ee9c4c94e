/*
 * tests/docs/docs_schema_test.c - the user docs describe exactly the schemas the plugin serves.
 *
 * Registers the VPCEP resources on a provider (the same call provider/main.c makes), walks every
 * schema (provider configuration, resources, data sources) with the tfp_schema accessors, and
 * compares it with the docs in the Terraform registry layout:
 *
 *   provider               -> docs/index.md
 *   resource vpcep_X       -> docs/resources/X.md
 *   data source vpcep_X    -> docs/data-sources/X.md
 *
 * In a doc page, attributes are the bullets "* `name` - ..." of the sections
 * "## Argument Reference" and "## Attribute Reference"; a bullet indented under another one
 * documents an attribute of that block or object ("port.client_port"; deeper indents nest
 * further: "services.port.client_port"); the bullets of
 * "## Timeouts" document the attributes of the `timeouts` block. Checks:
 *   1. every schema attribute and nested block is documented;
 *   2. every documented name exists in the schema;
 *   3. arguments say "(Required" / "(Optional" as the schema does, and computed-only attributes
 *      are listed under "## Attribute Reference";
 *   4. sensitive attributes are documented as "Sensitive".
 *
 *   docs_schema_test DOCS_DIR      exit 0 = docs match, 1 = mismatches (all listed on stderr)
 */
#include "resources.h"
#include "rpc.h"

#include <tfp/tfp.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DOC_MAX_LINE = 4096, DOC_MAX_NAME = 256, DOC_MAX_ENTRIES = 1024, DOC_MAX_DEPTH = 8 };

/* What the schema holds at one path ("name", "port.client_port", "timeouts.create"). */
typedef struct sch_entry {
    char path[DOC_MAX_NAME];
    unsigned int flags; /* TFP_ATTR_*; blocks: REQUIRED when min_items >= 1, else OPTIONAL */
    int top_level;
    int seen;
} sch_entry;

/* What a doc page says about one path. */
typedef struct doc_entry {
    char path[DOC_MAX_NAME];
    int in_arguments;  /* listed under Argument Reference */
    int in_attributes; /* listed under Attribute Reference (or Timeouts) */
    int says_required;
    int says_optional;
    int says_sensitive;
    int line;
} doc_entry;

typedef struct check {
    sch_entry sch[DOC_MAX_ENTRIES];
    size_t nsch;
    doc_entry doc[DOC_MAX_ENTRIES];
    size_t ndoc;
    const char *file;
    int errors;
} check;

static void fail(check *c, const char *fmt, ...) TFP_PRINTF(2, 3);

static void fail(check *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", c->file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    c->errors++;
}

static int join(char *out, size_t cap, const char *prefix, const char *name)
{
    int n = prefix[0] ? snprintf(out, cap, "%s.%s", prefix, name) : snprintf(out, cap, "%s", name);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

static int sch_add(check *c, const char *prefix, const char *name, unsigned int flags)
{
    sch_entry *e;

    if (c->nsch >= DOC_MAX_ENTRIES) {
        return -1;
    }
    e = &c->sch[c->nsch];
    memset(e, 0, sizeof(*e));
    if (join(e->path, sizeof(e->path), prefix, name) != 0) {
        return -1;
    }
    e->flags = flags;
    e->top_level = prefix[0] == '\0';
    c->nsch++;
    return 0;
}

/* Attributes of an object type, also inside a list/set/map: documented as nested bullets. */
static int walk_type(check *c, const char *prefix, const tfp_type *t)
{
    tfp_kind k = tfp_type_kind(t);

    if (k == TFP_KIND_LIST || k == TFP_KIND_SET || k == TFP_KIND_MAP) {
        return walk_type(c, prefix, tfp_type_element(t));
    }
    if (k != TFP_KIND_OBJECT) {
        return 0;
    }
    for (size_t i = 0; i < tfp_type_length(t); i++) {
        char path[DOC_MAX_NAME];
        const char *name = tfp_type_attr_name(t, i);

        if (sch_add(c, prefix, name, TFP_ATTR_COMPUTED) != 0 ||
            join(path, sizeof(path), prefix, name) != 0 ||
            walk_type(c, path, tfp_type_at(t, i)) != 0) {
            return -1;
        }
    }
    return 0;
}

static int walk_block(check *c, const char *prefix, const tfp_block *b)
{
    for (size_t i = 0; i < tfp_block_attribute_count(b); i++) {
        const char *name = NULL;
        const tfp_type *type = NULL;
        unsigned int flags = 0;
        char path[DOC_MAX_NAME];

        if (tfp_block_attribute_at(&name, &type, &flags, NULL, b, i) != 0 ||
            sch_add(c, prefix, name, flags) != 0 || join(path, sizeof(path), prefix, name) != 0 ||
            walk_type(c, path, type) != 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < tfp_block_block_count(b); i++) {
        const char *name = NULL;
        int64_t min_items = 0;
        const tfp_block *child = NULL;
        char path[DOC_MAX_NAME];
        unsigned int flags = TFP_ATTR_OPTIONAL;

        if (tfp_block_block_at(&name, NULL, &min_items, NULL, &child, b, i) != 0) {
            return -1;
        }
        if (min_items >= 1) {
            flags = TFP_ATTR_REQUIRED;
        }
        if (sch_add(c, prefix, name, flags) != 0 || join(path, sizeof(path), prefix, name) != 0 ||
            walk_block(c, path, child) != 0) {
            return -1;
        }
    }
    return 0;
}

static doc_entry *doc_find(check *c, const char *path)
{
    for (size_t i = 0; i < c->ndoc; i++) {
        if (strcmp(c->doc[i].path, path) == 0) {
            return &c->doc[i];
        }
    }
    return NULL;
}

static const sch_entry *sch_find(const check *c, const char *path)
{
    for (size_t i = 0; i < c->nsch; i++) {
        if (strcmp(c->sch[i].path, path) == 0) {
            return &c->sch[i];
        }
    }
    return NULL;
}

enum section { SEC_OTHER, SEC_ARGS, SEC_ATTRS, SEC_TIMEOUTS };

/*
 * Parses "<indent>* `name` - text" (or "- `name`"). Returns the indent (>= 0) and copies the
 * name, or -1 when the line is not such a bullet.
 */
static int parse_bullet(const char *line, char *name, size_t cap, const char **rest)
{
    int indent = 0;
    const char *p = line;
    const char *end;
    size_t n;

    while (*p == ' ') {
        p++;
        indent++;
    }
    if ((*p != '*' && *p != '-') || p[1] != ' ') {
        return -1;
    }
    p += 2;
    while (*p == ' ') {
        p++;
    }
    if (*p != '`') {
        return -1;
    }
    p++;
    end = strchr(p, '`');
    if (end == NULL) {
        return -1;
    }
    n = (size_t)(end - p);
    if (n == 0 || n >= cap) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
            return -1; /* not an attribute name (e.g. a value like `TCP`) */
        }
    }
    memcpy(name, p, n);
    name[n] = '\0';
    *rest = end + 1;
    return indent;
}

static int parse_doc(check *c, const char *file)
{
    FILE *f = fopen(file, "r");
    char line[DOC_MAX_LINE];
    enum section sec = SEC_OTHER;
    /* The bullets this one may be nested in: their paths and indents, outermost first. */
    char parents[DOC_MAX_DEPTH][DOC_MAX_NAME];
    int parent_indent[DOC_MAX_DEPTH];
    size_t depth = 0;
    int in_fence = 0;
    int lineno = 0;
    int rc = 0;

    if (f == NULL) {
        fail(c, "cannot open the page");
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char name[DOC_MAX_NAME];
        char path[DOC_MAX_NAME];
        const char *rest = NULL;
        int indent;
        doc_entry *e;

        lineno++;
        if (strchr(line, '\n') == NULL && !feof(f)) {
            fail(c, "line %d is longer than the test reads", lineno);
            rc = -1;
            goto done;
        }
        if (strncmp(line, "```", 3) == 0) {
            in_fence = !in_fence;
            continue;
        }
        if (in_fence) {
            continue;
        }
        if (strncmp(line, "## ", 3) == 0) {
            depth = 0;
            if (strncmp(line, "## Argument Reference", 21) == 0) {
                sec = SEC_ARGS;
            } else if (strncmp(line, "## Attribute Reference", 22) == 0) {
                sec = SEC_ATTRS;
            } else if (strncmp(line, "## Timeouts", 11) == 0) {
                sec = SEC_TIMEOUTS;
            } else {
                sec = SEC_OTHER;
            }
            continue;
        }
        if (sec == SEC_OTHER) {
            continue;
        }
        indent = parse_bullet(line, name, sizeof(name), &rest);
        if (indent < 0) {
            continue;
        }
        if (sec == SEC_TIMEOUTS) {
            if (indent != 0 || join(path, sizeof(path), "timeouts", name) != 0) {
                continue;
            }
        } else {
            while (depth > 0 && parent_indent[depth - 1] >= indent) {
                depth--;
            }
            if (indent > 0 && depth == 0) {
                fail(c, "nested bullet `%s` (line %d) without a parent", name, lineno);
                continue;
            }
            if (join(path, sizeof(path), depth > 0 ? parents[depth - 1] : "", name) != 0) {
                continue;
            }
            if (depth < DOC_MAX_DEPTH) {
                snprintf(parents[depth], sizeof(parents[depth]), "%s", path);
                parent_indent[depth] = indent;
                depth++;
            }
        }
        e = doc_find(c, path);
        if (e == NULL) {
            if (c->ndoc >= DOC_MAX_ENTRIES) {
                rc = -1;
                goto done;
            }
            e = &c->doc[c->ndoc++];
            memset(e, 0, sizeof(*e));
            snprintf(e->path, sizeof(e->path), "%s", path);
            e->line = lineno;
        }
        if (sec == SEC_ARGS) {
            e->in_arguments = 1;
            e->says_required |= strstr(rest, "(Required") != NULL;
            e->says_optional |= strstr(rest, "(Optional") != NULL;
        } else {
            e->in_attributes = 1;
        }
        e->says_sensitive |= strstr(rest, "Sensitive") != NULL;
    }
done:
    fclose(f);
    return rc;
}

static void compare(check *c)
{
    for (size_t i = 0; i < c->nsch; i++) {
        sch_entry *s = &c->sch[i];
        doc_entry *d = doc_find(c, s->path);
        unsigned int f = s->flags;

        if (d == NULL) {
            fail(c, "schema attribute `%s` is not documented", s->path);
            continue;
        }
        s->seen = 1;
        if (strncmp(s->path, "timeouts.", 9) == 0) {
            continue; /* documented under ## Timeouts */
        }
        if ((f & TFP_ATTR_REQUIRED) && !(d->in_arguments && d->says_required)) {
            fail(c, "`%s` is required: document it under Argument Reference as (Required)",
                 s->path);
        }
        if ((f & TFP_ATTR_OPTIONAL) && !(d->in_arguments && d->says_optional)) {
            fail(c, "`%s` is optional: document it under Argument Reference as (Optional)",
                 s->path);
        }
        if (s->top_level && f == TFP_ATTR_COMPUTED && !d->in_attributes) {
            fail(c, "`%s` is computed only: list it under Attribute Reference", s->path);
        }
        if (s->top_level && f == TFP_ATTR_COMPUTED && d->in_arguments) {
            fail(c, "`%s` is computed only: it is not an argument", s->path);
        }
        if ((f & TFP_ATTR_SENSITIVE) && !d->says_sensitive) {
            fail(c, "`%s` is sensitive: say \"Sensitive\" in its bullet", s->path);
        }
    }
    for (size_t i = 0; i < c->ndoc; i++) {
        if (sch_find(c, c->doc[i].path) == NULL) {
            fail(c, "documents `%s` (line %d), which the schema does not have", c->doc[i].path,
                 c->doc[i].line);
        }
    }
}

/* Checks one page against one schema; returns the number of problems. */
static int check_page(const char *docs, const char *sub, const char *page, const tfp_schema *s)
{
    check *c = calloc(1, sizeof(*c));
    char file[1024];
    int errors = 1;
    int n;

    if (c == NULL) {
        fprintf(stderr, "out of memory\n");
        goto done;
    }
    n = snprintf(file, sizeof(file), "%s/%s%s", docs, sub, page);
    if (n < 0 || (size_t)n >= sizeof(file)) {
        fprintf(stderr, "path too long: %s/%s%s\n", docs, sub, page);
        goto done;
    }
    c->file = file;
    if (walk_block(c, "", tfp_schema_root_const(s)) != 0) {
        fail(c, "schema too large for the test's tables");
        errors = c->errors;
        goto done;
    }
    if (parse_doc(c, file) == 0) {
        compare(c);
    }
    errors = c->errors;
    fprintf(stderr, "%s: %zu schema attributes, %zu documented, %d problem(s)\n", file, c->nsch,
            c->ndoc, c->errors);
done:
    free(c);
    return errors;
}

/* "vpcep_public_services" -> "public_services.md" */
static int page_name(char *out, size_t cap, const char *type_name)
{
    const char *prefix = "vpcep_";
    const char *base = type_name;
    int n;

    if (strncmp(type_name, prefix, strlen(prefix)) == 0) {
        base = type_name + strlen(prefix);
    }
    n = snprintf(out, cap, "%s.md", base);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

int main(int argc, char **argv)
{
    tfp_provider *p = NULL;
    int errors = 0;
    int status = 1;
    char page[256];

    if (argc != 2) {
        fprintf(stderr, "usage: %s DOCS_DIR\n", argv[0]);
        goto done;
    }
    if (tfp_provider_new(&p, "vpcep", "0.0.0") != 0 || tfpv_resources_register(p) != 0) {
        fprintf(stderr, "could not register the VPCEP resources\n");
        goto done;
    }
    errors += check_page(argv[1], "", "index.md", tfp__rpc_provider_schema(p));
    for (size_t i = 0; i < tfp__rpc_resource_count(p); i++) {
        const char *name = NULL;
        const tfp_schema *s = NULL;

        if (tfp__rpc_resource_at(p, i, &name, &s) != 0 ||
            page_name(page, sizeof(page), name) != 0) {
            errors++;
            continue;
        }
        errors += check_page(argv[1], "resources/", page, s);
    }
    for (size_t i = 0; i < tfp__rpc_data_source_count(p); i++) {
        const char *name = NULL;
        const tfp_schema *s = NULL;

        if (tfp__rpc_data_source_at(p, i, &name, &s) != 0 ||
            page_name(page, sizeof(page), name) != 0) {
            errors++;
            continue;
        }
        errors += check_page(argv[1], "data-sources/", page, s);
    }
    if (tfp__rpc_resource_count(p) == 0 || tfp__rpc_data_source_count(p) == 0) {
        fprintf(stderr, "no resources or no data sources registered\n");
        errors++;
    }
    if (errors == 0) {
        printf("docs match the schemas\n");
        status = 0;
    } else {
        fprintf(stderr, "%d problem(s): the docs and the schemas differ\n", errors);
    }
done:
    tfp_provider_free(p);
    return status;
}
