/* An anchor translation unit: the shared libraries are assembled from module archives. */
typedef int tfpv_version_anchor_unused;
