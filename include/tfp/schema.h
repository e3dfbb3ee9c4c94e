/**
 * @file tfp/schema.h
 * @brief Schemas: attributes and nested blocks, flags, descriptions, versions.
 *
 * A schema is built once at start-up and is read-only afterwards (safe to share between
 * threads). The value of a resource, data source or provider configuration has the schema's
 * implied type: an object with one attribute per attribute and per nested block.
 */
#ifndef TFP_SCHEMA_H
#define TFP_SCHEMA_H

#include "common.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfp_schema tfp_schema;
typedef struct tfp_block tfp_block;

/** Attribute flags: exactly one of REQUIRED, OPTIONAL, COMPUTED or OPTIONAL|COMPUTED. */
enum tfp_attr_flag {
    TFP_ATTR_REQUIRED = 1u << 0,
    TFP_ATTR_OPTIONAL = 1u << 1,
    TFP_ATTR_COMPUTED = 1u << 2,
    TFP_ATTR_SENSITIVE = 1u << 3,
    TFP_ATTR_DEPRECATED = 1u << 4
};

/** Nested block modes (numbered like the protocol). */
typedef enum tfp_nesting {
    TFP_NESTING_SINGLE = 1,
    TFP_NESTING_LIST = 2,
    TFP_NESTING_SET = 3,
    TFP_NESTING_MAP = 4,
    TFP_NESTING_GROUP = 5
} tfp_nesting;

/** A new schema with an empty root block. @p version >= 0. @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_schema_new(tfp_schema **out, int64_t version);
TFP_EXTERN void tfp_schema_free(tfp_schema *s);
/** The root block, borrowed from the schema (mutable until the schema is registered). */
TFP_EXTERN tfp_block *tfp_schema_root(tfp_schema *s);
TFP_EXTERN const tfp_block *tfp_schema_root_const(const tfp_schema *s);
TFP_EXTERN int64_t tfp_schema_version(const tfp_schema *s);
/** The implied value type (an object type), borrowed; computed when first asked. NULL on ENOMEM. */
TFP_EXTERN const tfp_type *tfp_schema_type(const tfp_schema *s);

/**
 * Adds an attribute. @p type is referenced; @p description copied (may be NULL).
 * @return 0, TFP_EINVALID (bad flag combination, duplicate name, name not an identifier),
 *         TFP_ENOMEM.
 */
TFP_EXTERN int tfp_block_add_attribute(tfp_block *b,
                                       const char *name,
                                       const tfp_type *type,
                                       unsigned int flags,
                                       const char *description);
/**
 * Adds a nested block type and returns it in *child_out (borrowed from @p b).
 * Rules: SINGLE min=max in {0,1}; GROUP and MAP 0/0; LIST/SET min <= max or max = 0 (no limit).
 * @return 0, TFP_EINVALID, TFP_ENOMEM.
 */
TFP_EXTERN int tfp_block_add_block(tfp_block **child_out,
                                   tfp_block *b,
                                   const char *type_name,
                                   tfp_nesting nesting,
                                   int64_t min_items,
                                   int64_t max_items);
/** Block description (copied; NULL clears). @return 0, TFP_ENOMEM. */
TFP_EXTERN int tfp_block_set_description(tfp_block *b, const char *description);
TFP_EXTERN const char *tfp_block_description(const tfp_block *b);

/* Read access, in declaration order. Borrowed pointers. */
TFP_EXTERN size_t tfp_block_attribute_count(const tfp_block *b);
/** @return 0 or TFP_EINVALID (out of range). Any out pointer may be NULL. */
TFP_EXTERN int tfp_block_attribute_at(const char **name_out,
                                      const tfp_type **type_out,
                                      unsigned int *flags_out,
                                      const char **description_out,
                                      const tfp_block *b,
                                      size_t i);
TFP_EXTERN size_t tfp_block_block_count(const tfp_block *b);
TFP_EXTERN int tfp_block_block_at(const char **type_name_out,
                                  tfp_nesting *nesting_out,
                                  int64_t *min_items_out,
                                  int64_t *max_items_out,
                                  const tfp_block **child_out,
                                  const tfp_block *b,
                                  size_t i);
/** The implied object type of a block, borrowed. */
TFP_EXTERN const tfp_type *tfp_block_type(const tfp_block *b);

#ifdef __cplusplus
}
#endif

#endif
