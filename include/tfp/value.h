/**
 * @file tfp/value.h
 * @brief Terraform's dynamic values (cty semantics) and their types.
 *
 * A ::tfp_type is immutable and reference counted. The primitive types are static singletons:
 * tfp_type_ref() and tfp_type_free() accept them and do nothing.
 *
 * A ::tfp_value is a tree owned by whoever created it (or received it as "new"). Every value
 * carries its type. A value is either null, unknown, or known; collections and objects can be
 * known while holding unknown elements. Numbers keep their exact decimal text, so a number that
 * Terraform sent as "0.1" or "100000000000000000000" comes back byte for byte.
 *
 * Ownership words used below: "new" = the caller frees it (tfp_value_free / tfp_type_free /
 * tfp_free); "borrowed" = valid while the parent is alive and unmodified; "stolen" = the
 * function takes ownership, also when it fails.
 */
#ifndef TFP_VALUE_H
#define TFP_VALUE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfp_type tfp_type;
typedef struct tfp_value tfp_value;

/** Type kinds. */
typedef enum tfp_kind {
    TFP_KIND_STRING = 1,
    TFP_KIND_NUMBER = 2,
    TFP_KIND_BOOL = 3,
    TFP_KIND_LIST = 4,
    TFP_KIND_SET = 5,
    TFP_KIND_MAP = 6,
    TFP_KIND_OBJECT = 7,
    TFP_KIND_TUPLE = 8,
    TFP_KIND_DYNAMIC = 9 /**< "any type": the value carries its concrete type */
} tfp_kind;

/* ----- Types ----------------------------------------------------------------------------- */

/** Static singletons (never NULL, never need freeing). */
TFP_EXTERN const tfp_type *tfp_type_string(void);
TFP_EXTERN const tfp_type *tfp_type_number(void);
TFP_EXTERN const tfp_type *tfp_type_bool(void);
TFP_EXTERN const tfp_type *tfp_type_dynamic(void);

/**
 * Collection types. @p elem is referenced, not stolen.
 * @return 0, TFP_EINVALID (NULL argument), TFP_ENOMEM. On failure *out is untouched.
 */
TFP_EXTERN int tfp_type_list_new(tfp_type **out, const tfp_type *elem);
TFP_EXTERN int tfp_type_set_new(tfp_type **out, const tfp_type *elem);
TFP_EXTERN int tfp_type_map_new(tfp_type **out, const tfp_type *elem);

/**
 * Object type with @p n attributes; names are copied, types referenced. Attribute order does
 * not matter (attributes are kept sorted by name).
 * @return 0, TFP_EINVALID (duplicate or empty name, NULL argument), TFP_ENOMEM.
 */
TFP_EXTERN int tfp_type_object_new(tfp_type **out,
                                   size_t n,
                                   const char *const *names,
                                   const tfp_type *const *types);
/** Tuple type with @p n element types (referenced). @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_type_tuple_new(tfp_type **out, size_t n, const tfp_type *const *types);

/**
 * Parses a cty JSON type specification (`"string"`, `["list","number"]`,
 * `["object",{"a":"bool"}]`...). @return 0, TFP_EINVALID (malformed), TFP_ENOMEM.
 */
TFP_EXTERN int tfp_type_from_json(tfp_type **out, const char *json, size_t len);
/** The cty JSON type specification of @p t, NUL-terminated, new (tfp_free). */
TFP_EXTERN int tfp_type_to_json(char **out, const tfp_type *t);

/** A new reference to @p t (returns @p t). */
TFP_EXTERN tfp_type *tfp_type_ref(const tfp_type *t);
/** Drops one reference. NULL and singletons are ignored. */
TFP_EXTERN void tfp_type_free(tfp_type *t);

TFP_EXTERN tfp_kind tfp_type_kind(const tfp_type *t);
/** Element type of a list, set or map; NULL otherwise. Borrowed. */
TFP_EXTERN const tfp_type *tfp_type_element(const tfp_type *t);
/** Number of object attributes or tuple elements; 0 otherwise. */
TFP_EXTERN size_t tfp_type_length(const tfp_type *t);
/** i-th attribute of an object type (sorted by name). Borrowed; NULL if out of range. */
TFP_EXTERN const char *tfp_type_attr_name(const tfp_type *t, size_t i);
/** Type of the i-th object attribute or tuple element. Borrowed; NULL if out of range. */
TFP_EXTERN const tfp_type *tfp_type_at(const tfp_type *t, size_t i);
/** Type of the named object attribute. Borrowed; NULL if none. */
TFP_EXTERN const tfp_type *tfp_type_attr(const tfp_type *t, const char *name);
/** 1 if the types are identical, else 0. */
TFP_EXTERN int tfp_type_equal(const tfp_type *a, const tfp_type *b);

/* ----- Constructing values --------------------------------------------------------------- */

/** Null / unknown of type @p t (referenced). @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_value_new_null(tfp_value **out, const tfp_type *t);
TFP_EXTERN int tfp_value_new_unknown(tfp_value **out, const tfp_type *t);
/** Strings are copied. @return 0, TFP_EINVALID (NULL, invalid UTF-8), TFP_ENOMEM. */
TFP_EXTERN int tfp_value_new_string(tfp_value **out, const char *s);
TFP_EXTERN int tfp_value_new_stringn(tfp_value **out, const char *s, size_t len);
TFP_EXTERN int tfp_value_new_bool(tfp_value **out, int b);
TFP_EXTERN int tfp_value_new_int64(tfp_value **out, int64_t i);
/** @return TFP_EINVALID for NaN. Infinities are allowed, as in cty. */
TFP_EXTERN int tfp_value_new_double(tfp_value **out, double d);
/** An arbitrary-precision decimal ("-12.5e3", "100000000000000000000").
 *  @return TFP_EINVALID if @p decimal is not a number. */
TFP_EXTERN int tfp_value_new_number(tfp_value **out, const char *decimal);

/** An empty, known list, set or map of collection type @p t. */
TFP_EXTERN int tfp_value_new_collection(tfp_value **out, const tfp_type *t);
/**
 * Appends @p elem (stolen) to a known list or set; a set drops an element equal to one it
 * already holds. @return 0, TFP_EINVALID (not a list/set, element type mismatch), TFP_ENOMEM.
 */
TFP_EXTERN int tfp_value_append(tfp_value *collection, tfp_value *elem);
/** Sets map[@p key] = @p elem (stolen), replacing an existing entry.
 *  @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_value_map_put(tfp_value *map, const char *key, tfp_value *elem);

/** A known object of object type @p t with every attribute null; or a known tuple of nulls. */
TFP_EXTERN int tfp_value_new_object(tfp_value **out, const tfp_type *t);
/**
 * Replaces attribute @p name of a known object with @p v (stolen).
 * @return 0, TFP_ENOTFOUND (no such attribute), TFP_EINVALID (type mismatch; a value of
 * another type that converts, e.g. a string for a dynamic attribute, is accepted), TFP_ENOMEM.
 */
TFP_EXTERN int tfp_value_set_attr(tfp_value *obj, const char *name, tfp_value *v);
/** Replaces element @p i of a known tuple with @p v (stolen). */
TFP_EXTERN int tfp_value_set_index(tfp_value *tuple, size_t i, tfp_value *v);

/** Convenience setters on known objects: NULL string means null. Same codes as set_attr. */
TFP_EXTERN int tfp_value_set_attr_string(tfp_value *obj, const char *name, const char *s);
TFP_EXTERN int tfp_value_set_attr_bool(tfp_value *obj, const char *name, int b);
TFP_EXTERN int tfp_value_set_attr_int64(tfp_value *obj, const char *name, int64_t i);
TFP_EXTERN int tfp_value_set_attr_null(tfp_value *obj, const char *name);
TFP_EXTERN int tfp_value_set_attr_unknown(tfp_value *obj, const char *name);
/** Copies @p v (borrowed) into attribute @p name. */
TFP_EXTERN int tfp_value_set_attr_copy(tfp_value *obj, const char *name, const tfp_value *v);

/** Deep copy. @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_value_copy(tfp_value **out, const tfp_value *v);
/** Frees a value tree. NULL is ignored. */
TFP_EXTERN void tfp_value_free(tfp_value *v);

/* ----- Reading values -------------------------------------------------------------------- */

/** Borrowed. For a value of a dynamic attribute this is the concrete type. */
TFP_EXTERN const tfp_type *tfp_value_type(const tfp_value *v);
TFP_EXTERN int tfp_value_is_null(const tfp_value *v);
/** 1 if @p v itself is known (its elements may still be unknown). */
TFP_EXTERN int tfp_value_is_known(const tfp_value *v);
/** 1 if @p v and everything inside it is known. */
TFP_EXTERN int tfp_value_is_wholly_known(const tfp_value *v);

/** A known, non-null string's bytes (NUL-terminated, borrowed); NULL otherwise. A string that
 *  came from a state may contain U+0000, so this view can be shorter than the value;
 *  configuration strings never do (libtfp refuses them, with the attribute path, before any
 *  handler runs). */
TFP_EXTERN const char *tfp_value_string(const tfp_value *v);
/** @return 0, TFP_EINVALID if @p v is not a known, non-null bool. */
TFP_EXTERN int tfp_value_bool(int *out, const tfp_value *v);
/** @return 0, TFP_EINVALID (not a known number, not integral), TFP_ETOOLARGE (out of range). */
TFP_EXTERN int tfp_value_int64(int64_t *out, const tfp_value *v);
/** Nearest double. @return 0, TFP_EINVALID. */
TFP_EXTERN int tfp_value_double(double *out, const tfp_value *v);
/** The number's exact decimal text (borrowed); NULL if not a known number. */
TFP_EXTERN const char *tfp_value_number_text(const tfp_value *v);

/** Number of elements (list, set, map, tuple) or attributes (object); 0 if null/unknown. */
TFP_EXTERN size_t tfp_value_length(const tfp_value *v);
/** i-th element of a list, set (unspecified but stable order), tuple, or map (sorted by key);
 *  i-th attribute of an object (sorted by name). Borrowed; NULL if out of range. */
TFP_EXTERN const tfp_value *tfp_value_at(const tfp_value *v, size_t i);
/** i-th map key (sorted) or object attribute name. Borrowed; NULL if out of range. */
TFP_EXTERN const char *tfp_value_key_at(const tfp_value *v, size_t i);
/** map[key]; NULL if absent, or if @p v is not a known map. Borrowed. */
TFP_EXTERN const tfp_value *tfp_value_map_get(const tfp_value *v, const char *key);
/** Attribute of a known object; NULL if no such attribute or @p obj is null/unknown. */
TFP_EXTERN const tfp_value *tfp_value_attr(const tfp_value *obj, const char *name);
/** Shortcut: tfp_value_string(tfp_value_attr(obj, name)). */
TFP_EXTERN const char *tfp_value_attr_string(const tfp_value *obj, const char *name);

/**
 * Semantic equality with cty rules: sets compare as sets, numbers by value, null equals null
 * of the same type. An unknown anywhere makes values unequal unless both are unknown at the
 * same place. @return 1 or 0.
 */
TFP_EXTERN int tfp_value_equal(const tfp_value *a, const tfp_value *b);

/* ----- Codecs ---------------------------------------------------------------------------- */

/**
 * Decodes cty msgpack (the DynamicValue wire form) as type @p t: ext values are unknown
 * (refinements accepted and dropped), numbers may be ints, floats or decimal strings, objects
 * must carry exactly their attributes, dynamic values are [type-json, value] pairs.
 * @param err_out optional: on failure a new message (tfp_free) saying what and where.
 * @return 0, TFP_EINVALID (malformed or wrong shape), TFP_ETOOLARGE (nesting deeper than 64),
 *         TFP_ENOMEM.
 */
TFP_EXTERN int tfp_value_from_msgpack(
    tfp_value **out, const tfp_type *t, const void *data, size_t len, char **err_out);
/** Encodes @p v as cty msgpack (unknown = d4 00 00, every object attribute present), as a
 *  value of its own type (tfp_value_type): a value that was decoded as "dynamic" is written
 *  unwrapped; dynamic attributes inside objects, lists and maps are wrapped as they should be.
 *  *out is new (tfp_free). @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_value_to_msgpack(void **out, size_t *len_out, const tfp_value *v);
/**
 * Decodes cty JSON (stored state): missing object attributes become null, unknown attributes
 * are an error, numbers keep their text. Unknown values cannot appear. Strings are any valid
 * UTF-8, "\u0000" included (kept whole, as by tfp_value_from_msgpack); a map key or attribute
 * name with "\u0000", a lone surrogate or an unescaped control character is TFP_EINVALID.
 * @return 0, TFP_EINVALID, TFP_ETOOLARGE, TFP_ENOMEM.
 */
TFP_EXTERN int tfp_value_from_json(
    tfp_value **out, const tfp_type *t, const char *json, size_t len, char **err_out);

/** Flags of tfp_value_from_json_flags(). */
#define TFP_JSON_IGNORE_UNKNOWN 1u /**< skip object attributes that @p t does not have */

/**
 * tfp_value_from_json() with @p flags (0 = the same behaviour). With TFP_JSON_IGNORE_UNKNOWN,
 * object attributes (at any depth) that the type does not have are skipped instead of
 * refused: a handler reads the attributes it knows from state written by another schema
 * (another provider's state in a MOVE, an older version's in an UPGRADE). Other flag bits
 * are TFP_EINVALID. @return 0, TFP_EINVALID, TFP_ETOOLARGE, TFP_ENOMEM.
 */
TFP_EXTERN int tfp_value_from_json_flags(tfp_value **out,
                                         const tfp_type *t,
                                         const char *json,
                                         size_t len,
                                         unsigned int flags,
                                         char **err_out);
/** Encodes a wholly known value as cty JSON, NUL-terminated, new (tfp_free).
 *  @return 0, TFP_EINVALID (contains unknowns), TFP_ENOMEM. */
TFP_EXTERN int tfp_value_to_json(char **out, const tfp_value *v);

#ifdef __cplusplus
}
#endif

#endif
