#!/bin/sh
# Banned functions (curl's checksrc habit): fails when C code in provider/ or tests/emulator/
# calls a function whose bound the compiler cannot check, or when provider/rest/ allocates
# outside provider/util (whose allocator the allocation-failure tests drive).
#   * strcpy, stpcpy, strcat, strncat, sprintf, vsprintf, gets: use util_strlcpy,
#     util_snprintf, util_buf_* (provider/) or snprintf / memcpy after a length check;
#   * sscanf/fscanf/scanf with an unbounded %s or %[ conversion: give it a width (%63s);
#   * provider/rest/: malloc, calloc, realloc, free, strdup, strndup: use util_malloc, ...
# Comments and string literals are ignored. A line that must keep a banned call says why in a
# comment containing "banned-ok" (there is none today).
# usage: check_banned.sh <source-dir>
set -u
cd "$1" || exit 2
files=$(git ls-files 'provider/*.c' 'provider/*.h' 'tests/emulator/*.c' 'tests/emulator/*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find provider tests/emulator -name '*.c' -o -name '*.h')

# Prints "file:line:code" for each line of the files: block and line comments removed, and
# with STRINGS=blank the contents of string and character literals blanked as well.
strip() {
  awk -v mode="$1" '
    FNR == 1 { incomment = 0 }
    {
      line = $0; out = ""; keep_ok = (index(line, "banned-ok") > 0)
      i = 1; n = length(line)
      while (i <= n) {
        c = substr(line, i, 1); c2 = substr(line, i, 2)
        if (incomment) {
          if (c2 == "*/") { incomment = 0; i += 2 } else i++
          continue
        }
        if (c2 == "/*") { incomment = 1; i += 2; continue }
        if (c2 == "//") break
        if (c == "\"" || c == "\047") {
          q = c; out = out c; i++
          while (i <= n) {
            c = substr(line, i, 1)
            if (c == "\\") { out = out (mode == "blank" ? "  " : substr(line, i, 2)); i += 2; continue }
            if (c == q) break
            out = out (mode == "blank" ? " " : c); i++
          }
          out = out q; i++
          continue
        }
        out = out c; i++
      }
      if (!keep_ok) print FILENAME ":" FNR ":" out
    }' "$2"
}

bad=0
for f in $files; do
  hits=$(strip blank "$f" |
    grep -E '(^|[^A-Za-z0-9_])(strcpy|stpcpy|strcat|strncat|sprintf|vsprintf|gets)[[:space:]]*\(')
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed 's/$/    <- unbounded string function/'
    bad=1
  fi
  hits=$(strip keep "$f" |
    grep -E '(^|[^A-Za-z0-9_])(sscanf|fscanf|scanf)[[:space:]]*\(.*"[^"]*%(s|\[)')
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed 's/$/    <- scanf conversion without a width/'
    bad=1
  fi
  case $f in
  provider/rest/*)
    hits=$(strip blank "$f" |
      grep -E '(^|[^A-Za-z0-9_.>])(malloc|calloc|realloc|free|strdup|strndup)[[:space:]]*\(')
    if [ -n "$hits" ]; then
      printf '%s\n' "$hits" | sed 's/$/    <- allocation outside provider\/util/'
      bad=1
    fi
    ;;
  esac
done
[ $bad -eq 0 ] && echo "no banned functions in provider/ and tests/emulator/"
exit $bad
