/*
 * provider/core/core.h - internal structures and helpers shared by the core's files.
 * Not installed; nothing here is exported from libtfp.
 */
#ifndef TFP_CORE_CORE_H
#define TFP_CORE_CORE_H

#include "util.h"

#include <tfp/tfp.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/** Maximum nesting depth accepted by the decoders (and produced by the encoders). */
#define TFP__MAX_DEPTH 64
/** Longest decimal text a number may have (digits + sign + exponent). */
#define TFP__MAX_NUMBER_TEXT 8192
/** Largest decimal exponent accepted in number text. */
#define TFP__MAX_EXPONENT 4000
/**
 * Memory bound of the value decoders: decoding @p len bytes may hold at most @p percent % of
 * len bytes of memory (the value tree and every temporary; for JSON also cJSON's tree, which
 * keeps its own copy of every string while the value is built), and never less than
 * TFP__DECODE_FLOOR, so that small inputs of any shape decode. A value that needs more (a
 * message of many tiny elements: each null in a list is one byte of msgpack but a whole tree
 * node) is refused with TFP_ETOOLARGE and a message saying so. Counted by a util_meter around
 * each decode (provider/util/alloc.c). With the message itself (the server holds one copy while
 * the value is decoded) a request never needs more than 4 x its size: 1 + 1.5 for msgpack,
 * 1 + 2.5 for JSON, plus the allocator's own overhead.
 */
#define TFP__DECODE_PERCENT_MSGPACK 150
#define TFP__DECODE_PERCENT_JSON 250
#define TFP__DECODE_FLOOR ((size_t)16 << 20)
size_t tfp__decode_budget(size_t len, unsigned int percent);
/** Ends a decode's meter: when @p error is an allocation the meter refused, returns
 *  TFP_ETOOLARGE and replaces *@p err by the message saying so; else returns @p error. */
int tfp__decode_end(util_meter *m,
                    int error,
                    char **err,
                    const char *codec,
                    unsigned int percent,
                    size_t len,
                    size_t values);
/** Upper bound of what cJSON allocates to parse @p len bytes of JSON (nodes, strings), plus the
 *  number texts the JSON decoder attaches: charged to the active util_meter around a parse.
 *  @p tokens (optional) receives the number of JSON values and keys in the text. */
size_t tfp__cjson_cost(const char *json, size_t len, size_t *tokens);

struct tfp_type {
    tfp_kind kind;
    int is_static;
    atomic_long refs;
    struct tfp_type *elem; /* list, set, map */
    size_t n;              /* object attributes / tuple elements */
    char **names;          /* object: sorted by name */
    struct tfp_type **types;
};

enum tfp__vstate { TFP__NULL = 0, TFP__UNKNOWN = 1, TFP__KNOWN = 2 };

struct tfp_value {
    tfp_type *type; /* referenced; concrete type (dynamic only for null/unknown "any") */
    int state;      /* enum tfp__vstate */
    int b;          /* bool */
    char *str;      /* string bytes (NUL-terminated) or number text */
    size_t slen;
    tfp_value **items; /* list, set, tuple, object (aligned with type names), map (by keys) */
    char **keys;       /* map keys, sorted */
    size_t n;
    size_t alloc;
};

/* ----- types ----- */
/** 1 if a value of type @p have may stand where @p want is expected (dynamic matches any). */
int tfp__type_conforms(const tfp_type *have, const tfp_type *want);
/** 1 if @p t contains dynamic anywhere. */
int tfp__type_has_dynamic(const tfp_type *t);
/** Index of attribute @p name in object type @p t, or -1. */
long tfp__type_attr_index(const tfp_type *t, const char *name);
/** Parses a type from a cJSON node (const void * to keep cJSON out of this header). */
int tfp__type_from_cjson(tfp_type **out, const void *node, int depth);
/** Appends the JSON form of @p t to @p b. */
int tfp__type_to_buf(util_buf *b, const tfp_type *t);

/* ----- values ----- */
/** A new value shell of type @p t in state @p state (t referenced). */
tfp_value *tfp__value_alloc(const tfp_type *t, int state);
/** Makes room for one more item (and key when @p with_keys). */
int tfp__value_grow(tfp_value *v, int with_keys);
/** Number from already validated text (copied). */
int tfp__value_new_number_text(tfp_value **out, const char *text, size_t len);
/** Appends to a set or list without re-checking the element type. Steals @p elem. */
int tfp__value_push(tfp_value *coll, tfp_value *elem);
/** Checks that @p v (and everything inside) conforms to @p t; on mismatch returns
 *  TFP_EINVALID and, when @p path is non-NULL, leaves the offending path in it. */
int tfp__value_conforms(const tfp_value *v, const tfp_type *t, tfp_path *path);
/** First unknown inside @p v: returns 1 and fills @p path (if non-NULL), or 0. */
int tfp__value_find_unknown(const tfp_value *v, tfp_path *path);
/** First known string inside @p v that contains U+0000: returns 1 and fills @p path, or 0. */
int tfp__value_find_nul(const tfp_value *v, tfp_path *path);
/**
 * What both codecs accept, in one place. A string value is any valid UTF-8 (no surrogates,
 * no overlong forms), U+0000 included: cty allows it, and a state written by an older version
 * may hold one, so decoding it must work (configuration strings with U+0000 are refused by the
 * RPC layer instead, with the attribute path). Map keys and attribute names are C strings in
 * the value model: valid UTF-8 without U+0000. Returns NULL for a valid key, else what is wrong
 * with it ("is not valid UTF-8", "contains a NUL character (U+0000)").
 */
const char *tfp__key_problem(const char *s, size_t len);
/** Structural hash consistent with tfp_value_equal for wholly known values. */
uint64_t tfp__value_hash(const tfp_value *v);
/** Drops later duplicates among the wholly known elements of a set (order otherwise kept). */
int tfp__value_set_dedup(tfp_value *set);
/** Sorts map entries by key and rejects duplicate keys (TFP_EINVALID). */
int tfp__value_map_finish(tfp_value *map);

/** Encodes @p v as declared type @p t (a dynamic @p t wraps concrete values in
 *  [type, value] / {"value","type"}). tfp_value_to_msgpack/_json use the value's own type. */
int tfp__value_to_msgpack_as(void **out, size_t *len_out, const tfp_value *v, const tfp_type *t);
int tfp__value_to_json_as(char **out, const tfp_value *v, const tfp_type *t);

/* ----- numbers (decimal text) ----- */
typedef struct tfp__decimal {
    int neg;
    int inf;      /* 1 for an infinity */
    char *digits; /* significant digits, no leading/trailing zeros; "" for zero; owned */
    long exp;     /* value = digits * 10^exp */
} tfp__decimal;

/** Parses decimal text (also "+Inf", "-Inf", "Infinity"). @return 0, TFP_EINVALID, TFP_ENOMEM. */
int tfp__decimal_parse(tfp__decimal *d, const char *text, size_t len);
void tfp__decimal_dispose(tfp__decimal *d);
int tfp__decimal_cmp_equal(const tfp__decimal *a, const tfp__decimal *b);
/** 1 if integral. */
int tfp__decimal_is_integer(const tfp__decimal *d);
/** @return 0, TFP_EINVALID (not integral), TFP_ETOOLARGE. */
int tfp__decimal_to_int64(const tfp__decimal *d, int64_t *out);
/** Plain text without exponent (Go's Text('f', -1)), new (util_free). */
char *tfp__decimal_to_plain(const tfp__decimal *d);
/** 1 if exactly representable as a finite double (sets *out). */
int tfp__decimal_exact_double(const tfp__decimal *d, const char *text, double *out);
/** The exact decimal value of @p d (what cty holds for a float64), new (util_free). */
char *tfp__double_exact_text(double d);
/** Shortest text that round-trips @p d (finite). buf >= 32. */
void tfp__double_text(char *buf, size_t size, double d);

/* ----- diagnostics / paths ----- */
struct tfp_path_step {
    int kind;
    char *name; /* buf for attribute and string-key steps, NULL for index steps */
    int64_t index;
    /* The slot's own name buffer, kept when the step is popped: decoders and validators push
     * and pop a step per attribute they visit, and reuse it without allocating. */
    char *buf;
    size_t cap;
};

struct tfp_path {
    struct tfp_path_step *steps;
    size_t n;
    size_t alloc;
};

struct tfp_diag {
    tfp_severity severity;
    char *summary;
    char *detail;
    tfp_path *path;
};

struct tfp_diags {
    struct tfp_diag *items;
    size_t n;
    size_t alloc;
    int has_errors;
};

/** Longest summary or detail a diagnostic keeps (bytes); longer texts are cut, with a note. */
#define TFP__DIAG_TEXT_MAX 4096
/** Adds a diagnostic with a preformatted detail (copied). */
int tfp__diags_add_text(tfp_diags *d,
                        tfp_severity severity,
                        const tfp_path *path,
                        const char *summary,
                        const char *detail);

/* ----- schema ----- */
struct tfp__attr {
    char *name;
    tfp_type *type;
    unsigned int flags;
    char *description;
};

struct tfp__nested {
    char *type_name;
    tfp_nesting nesting;
    int64_t min_items;
    int64_t max_items;
    tfp_block *block;
};

struct tfp_block {
    struct tfp__attr *attrs;
    size_t nattrs;
    size_t attrs_alloc;
    struct tfp__nested *blocks;
    size_t nblocks;
    size_t blocks_alloc;
    char *description;
    tfp_block *parent;
    tfp_nesting nesting; /* how this block is nested in its parent (0 for the root) */
    _Atomic(tfp_type *) type_cache;
    tfp_type **retired; /* stale cached types, freed with the block */
    size_t nretired;
};

struct tfp_schema {
    int64_t version;
    tfp_block root;
};

/* ----- provider, resources, calls ----- */
/** A source a resource type accepts `moved` blocks from (tfp_resource_accept_move). */
struct tfp__move_source {
    char *provider; /* normalised: lower case, with the registry host */
    char *type;
};

struct tfp_resource {
    char *type_name;
    tfp_schema *schema;
    tfp_handler_fn handlers[10]; /* indexed by tfp_op */
    void *payload;
    struct tfp__move_source *moves;
    size_t nmoves;
    int is_data_source;
    int registered;
};

struct tfp_provider {
    char *name;
    char *version;
    char *address; /* tfp_provider_set_address(), or NULL */
    tfp_schema *schema;
    tfp_handler_fn validate;
    tfp_handler_fn configure;
    void *payload;
    tfp_resource **resources; /* sorted by name */
    size_t nresources;
    tfp_resource **data_sources;
    size_t ndata_sources;
    pthread_mutex_t lock; /* provider data, stop flag */
    pthread_cond_t stop_cond;
    int stopped;
    void *provider_data;
    void (*provider_data_free)(void *);
};

struct tfp_call {
    tfp_op op;
    tfp_provider *provider;
    const char *type_name;
    const tfp_schema *schema;
    void *payload;
    tfp_diags *diags;
    const tfp_value *config;
    const tfp_value *prior;
    const tfp_value *proposed;
    const tfp_value *planned;
    const void *priv;
    size_t priv_len;
    const char *import_id;
    int64_t state_version;
    const char *raw_state;
    size_t raw_state_len;
    const char *tf_version;
    const char *move_provider; /* MOVE: source provider address */
    const char *move_type;     /* MOVE: source resource type */
    tfp_value *result;
    int result_set;
    void *priv_out;
    size_t priv_out_len;
    int priv_out_set;
    tfp_path **replace;
    size_t nreplace;
    size_t replace_alloc;
};

void tfp__call_init(tfp_call *call, tfp_provider *p, tfp_op op);

/** Normalises a provider source address: "ns/name" gains the public registry host, and the
 *  whole address is lower-cased. *out is new (util_free). @return 0, TFP_EINVALID, TFP_ENOMEM. */
int tfp__provider_address_normalize(char **out, const char *addr);
void tfp__call_dispose(tfp_call *call);

/* ----- logging (test hooks) ----- */
/** Re-reads TF_LOG_PROVIDER / TF_LOG. */
void tfp__log_reload(void);
/** Redirects log output to @p fd (-1 restores stderr). */
void tfp__log_set_fd(int fd);

/* ----- logging context: the fields every line of an RPC carries ----- */
/** tf_provider_addr of every line (copied; NULL or "" = none). */
void tfp__log_set_provider_addr(const char *addr);
/** The calling thread serves RPC @p rpc ("ApplyResourceChange") of protocol @p proto (0 =
 *  unknown): its lines carry tf_rpc, tf_proto_version and a new tf_req_id until
 *  tfp__log_rpc_end(). */
void tfp__log_rpc_begin(const char *rpc, int proto);
/** The RPC concerns resource (or, with @p data_source, data source) type @p type_name. */
void tfp__log_rpc_type(const char *type_name, int data_source);
void tfp__log_rpc_end(void);
/** The calling thread's tf_req_id ("" outside an RPC). */
const char *tfp__log_req_id(void);

#endif
