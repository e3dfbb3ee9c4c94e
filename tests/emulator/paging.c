/* vpcep-emulator: List parameters (limit, offset, sort_key, sort_dir), sorting and paging of list
 * answers. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* ---- list parameters, sorting, paging -------------------------------------------------------- */

int emu_parse_list_params(emu_ctx *c, emu_list_params *lp, long long max_limit)
{
    const char *v;
    lp->limit = 10;
    lp->offset = 0;
    lp->by_updated = 0;
    lp->asc = 0;
    if ((v = emu_query(c, "limit")) && emu_parse_int(v, 0, max_limit, &lp->limit) != EMU_OK) {
        return emu_bad(c, "EndPoint.0006", "Invalid limit '%s'.", strlen(v) > 32 ? "..." : v);
    }
    if ((v = emu_query(c, "offset")) && emu_parse_int(v, 0, 1000000000LL, &lp->offset) != EMU_OK) {
        return emu_bad(c, "EndPoint.0010", "Invalid offset '%s'.", strlen(v) > 32 ? "..." : v);
    }
    if ((v = emu_query(c, "sort_key"))) {
        if (strcmp(v, "created_at") == 0) {
            lp->by_updated = 0;
        } else if (strcmp(v, "updated_at") == 0) {
            lp->by_updated = 1;
        } else {
            return emu_bad(c, "EndPoint.0017", "Invalid sort_key '%s'.",
                           strlen(v) > 32 ? "..." : v);
        }
    }
    if ((v = emu_query(c, "sort_dir"))) {
        if (strcmp(v, "asc") == 0) {
            lp->asc = 1;
        } else if (strcmp(v, "desc") == 0) {
            lp->asc = 0;
        } else {
            return emu_bad(c, "EndPoint.0018", "Invalid sort_dir '%s'.",
                           strlen(v) > 32 ? "..." : v);
        }
    }
    return EMU_OK;
}

static int cmp_items(const void *a, const void *b, void *arg)
{
    const emu_list_params *lp = arg;
    const cJSON *x = *(const cJSON *const *)a;
    const cJSON *y = *(const cJSON *const *)b;
    const char *key = lp->by_updated ? "updated_at" : "created_at";
    const char *xs = emu_jstr(x, key);
    const char *ys = emu_jstr(y, key);
    int r = strcmp(xs ? xs : "", ys ? ys : "");
    if (r == 0) {
        double dx = emu_jnum(x, "_seq", 0);
        double dy = emu_jnum(y, "_seq", 0);
        r = dx < dy ? -1 : dx > dy ? 1 : 0;
    }
    return lp->asc ? r : -r;
}

/* Sorts the selected items, applies offset/limit and builds {list_key: [...], total_count}. */
void emu_respond_page(emu_ctx *c,
                      const cJSON **items,
                      size_t n,
                      const emu_list_params *lp,
                      const char *list_key,
                      emu_render_fn fn)
{
    qsort_r(items, n, sizeof(*items), cmp_items, (void *)lp);
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, list_key);
    for (size_t i = (size_t)lp->offset; i < n && i < (size_t)(lp->offset + lp->limit); i++) {
        cJSON_AddItemToArray(arr, fn(c->srv, items[i]));
    }
    cJSON_AddNumberToObject(out, "total_count", (double)n);
    c->resp->status = 200;
    c->resp->body = out;
}

const cJSON **emu_collect(cJSON *arr, size_t *n)
{
    size_t cap = (size_t)cJSON_GetArraySize(arr) + 1;
    const cJSON **items = calloc(cap, sizeof(*items));
    *n = 0;
    return items;
}
