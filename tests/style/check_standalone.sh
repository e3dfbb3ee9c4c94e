#!/bin/sh
# Comments that stand alone: the sources, build files and tests never point to a document
# outside the repository (the project's design notes, API transcriptions or issue tracker
# are not shipped with it). Say what the reference said instead, or point to a file in the tree
# (docs/, include/, a test).
# usage: check_standalone.sh <source-dir>
set -u
cd "$1" || exit 2
pattern='design\.md|vpcep-api\.md|plugin-protocol\.md|provider-anchors\.md|style-anchors\.md|shared/(docs|fixtures)|[Ii]ssue #?[0-9]'
files=$(git ls-files provider include tests cmake CMakeLists.txt 2>/dev/null | grep -v '^tests/fuzz/corpus/')
[ -n "$files" ] || files=$(find provider include tests cmake CMakeLists.txt -type f | grep -v -e node_modules -e '^tests/fuzz/corpus/')
hits=$(printf '%s\n' $files | grep -v '^tests/style/check_standalone.sh$' | xargs grep -nIE "$pattern" 2>/dev/null)
if [ -n "$hits" ]; then
  echo "references to documents outside the repository (reword so that the text stands alone):"
  printf '%s\n' "$hits"
  exit 1
fi
echo "no references to documents outside the repository"
