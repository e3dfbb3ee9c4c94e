#!/bin/sh
# The rule that lets libvpcep's model structs grow (include/vpcep/model.h): only the library
# allocates them; callers hold pointers and never allocate, copy by value, embed or take the
# size of one. The compiler cannot enforce that, so this checks every C file of the tree
# outside the library itself (provider/rest) and the headers that define the structs (include/,
# the frozen tests/abi/v1) for the shapes that break it:
#   a variable, member or parameter of a model type by value   vpcep_service s;  f(vpcep_tag t)
#   the size of a model type                                   sizeof(vpcep_service)
# (A copy through a pointer, `x = *svc`, needs a by-value variable, so it is caught as one.)
# usage: check_model_usage.sh <source-dir>
set -u
cd "$1" || exit 2
model=include/vpcep/model.h
types=$(sed -n 's/^typedef struct \(vpcep_[a-z_]*\) {.*/\1/p' "$model" | tr '\n' '|' | sed 's/|$//')
[ -n "$types" ] || { echo "no model types found in $model"; exit 1; }
files=$(git ls-files '*.c' '*.h' '*.cpp' 2>/dev/null)
[ -n "$files" ] || files=$(find include provider tests -name '*.c' -o -name '*.h' -o -name '*.cpp' |
  grep -v node_modules)
files=$(printf '%s\n' $files | grep -vE '^(provider/rest|include|tests/abi/v1)/')
bad=$(grep -nE "(^|[^A-Za-z0-9_])(${types})[[:space:]]+(const[[:space:]]+)?[A-Za-z_][A-Za-z0-9_]*[[:space:]]*([;=,)]|\[)|sizeof[[:space:]]*\([[:space:]]*(const[[:space:]]+)?(${types})[[:space:]]*\)" \
  $files | grep -vE "(^|[^A-Za-z0-9_])(${types})[[:space:]]+const[[:space:]]*\*")
if [ -n "$bad" ]; then
  echo "libvpcep model structs used by value or by size outside the library (vpcep/model.h:"
  echo "callers only ever hold pointers, so that the structs can grow):"
  printf '%s\n' "$bad"
  exit 1
fi
echo "no model struct is allocated, copied, embedded or sized outside provider/rest"
