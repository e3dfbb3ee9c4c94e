/**
 * @file tfp/diag.h
 * @brief Diagnostics with attribute paths: how handlers report errors and warnings.
 *
 * A diagnostic maps one to one onto a Terraform diagnostic: severity, one-line summary,
 * optional detail, optional attribute path (shown by Terraform at the argument's source).
 * Never put secrets in a diagnostic.
 */
#ifndef TFP_DIAG_H
#define TFP_DIAG_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfp_path tfp_path;
typedef struct tfp_diags tfp_diags;

typedef enum tfp_severity { TFP_SEVERITY_ERROR = 1, TFP_SEVERITY_WARNING = 2 } tfp_severity;

typedef enum tfp_path_step_kind {
    TFP_STEP_ATTR = 1,       /**< an attribute name */
    TFP_STEP_KEY_STRING = 2, /**< a map key */
    TFP_STEP_KEY_INT = 3     /**< a list or tuple index */
} tfp_path_step_kind;

/** An empty path (the resource root). @return 0, TFP_ENOMEM. */
TFP_EXTERN int tfp_path_new(tfp_path **out);
/** A path of one attribute step: the common case. @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_path_new_attr(tfp_path **out, const char *attr);
/** Deep copy. */
TFP_EXTERN int tfp_path_copy(tfp_path **out, const tfp_path *p);
TFP_EXTERN void tfp_path_free(tfp_path *p);
/** Append a step (names copied). @return 0, TFP_EINVALID, TFP_ENOMEM. */
TFP_EXTERN int tfp_path_push_attr(tfp_path *p, const char *name);
TFP_EXTERN int tfp_path_push_key(tfp_path *p, const char *key);
TFP_EXTERN int tfp_path_push_index(tfp_path *p, int64_t index);
/** Removes the last step (no-op on an empty path). */
TFP_EXTERN void tfp_path_pop(tfp_path *p);
TFP_EXTERN size_t tfp_path_length(const tfp_path *p);
/** Step @p i: its kind, and its name/key (borrowed) or index; any out pointer may be NULL.
 *  @return 0, TFP_EINVALID (out of range). */
TFP_EXTERN int tfp_path_step(tfp_path_step_kind *kind_out,
                             const char **name_out,
                             int64_t *index_out,
                             const tfp_path *p,
                             size_t i);
/** Renders a path as HCL-like text (`port[0].client_port`, `tags["env"]`); new (tfp_free). */
TFP_EXTERN int tfp_path_to_string(char **out, const tfp_path *p);

/** An empty diagnostics list. Handlers receive theirs from the call; this is for tests. */
TFP_EXTERN int tfp_diags_new(tfp_diags **out);
TFP_EXTERN void tfp_diags_free(tfp_diags *d);

/**
 * Adds a diagnostic. @p path is copied (NULL = no attribute). @p detail_fmt may be NULL.
 * @return 0, TFP_EINVALID (NULL diags or summary), TFP_ENOMEM.
 */
TFP_EXTERN int tfp_diags_add(tfp_diags *d,
                             tfp_severity severity,
                             const tfp_path *path,
                             const char *summary,
                             const char *detail_fmt,
                             ...) TFP_PRINTF(5, 6);
/** An error at top-level attribute @p attr (NULL = no attribute). */
TFP_EXTERN int
tfp_diags_error(tfp_diags *d, const char *attr, const char *summary, const char *detail_fmt, ...)
    TFP_PRINTF(4, 5);
/** A warning at top-level attribute @p attr (NULL = no attribute). */
TFP_EXTERN int
tfp_diags_warning(tfp_diags *d, const char *attr, const char *summary, const char *detail_fmt, ...)
    TFP_PRINTF(4, 5);

/** 1 if at least one error was added. */
TFP_EXTERN int tfp_diags_has_errors(const tfp_diags *d);
TFP_EXTERN size_t tfp_diags_count(const tfp_diags *d);
/** Accessors for diagnostic @p i (borrowed); NULL / 0 if out of range. */
TFP_EXTERN tfp_severity tfp_diags_severity(const tfp_diags *d, size_t i);
TFP_EXTERN const char *tfp_diags_summary(const tfp_diags *d, size_t i);
TFP_EXTERN const char *tfp_diags_detail(const tfp_diags *d, size_t i);
TFP_EXTERN const tfp_path *tfp_diags_path(const tfp_diags *d, size_t i);

#ifdef __cplusplus
}
#endif

#endif
