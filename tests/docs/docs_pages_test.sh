#!/bin/sh
# Registry-layout check of docs/ (label docs): docs/ holds only what the Terraform registry renders
# (index.md, resources/, data-sources/, guides/), every page has the registry's front matter
# (page_title, subcategory, description), and no link breaks when the registry renders a page:
# links are absolute (https://...) or same-page anchors (#...); links to this provider's own
# registry pages name a page that exists, and an anchor names a heading of that page.
#   docs_pages_test.sh <docs dir>
set -u
DOCS=${1:?usage: docs_pages_test.sh <docs dir>}
REG=https://registry.terraform.io/providers/otc/vpcep/latest/docs
errors=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
problem() {
  echo "docs_pages: $*" >&2
  errors=$((errors + 1))
}

# The anchors GitHub and the registry give a page's headings: lower case, spaces to '-', and
# everything but letters, digits, '-' and '_' dropped.
anchors() {
  sed -n 's/^#\{1,6\} \{1,\}//p' "$1" | tr 'A-Z' 'a-z' | sed 's/ /-/g; s/[^a-z0-9_-]//g'
}

pages=$(cd "$DOCS" && find . -type f | sed 's|^\./||' | sort)
[ -n "$pages" ] || problem "no pages in $DOCS"
for p in $pages; do
  case "$p" in
  index.md | resources/*.md | data-sources/*.md | guides/*.md) ;;
  *)
    problem "$p: not part of the registry layout (index.md, resources/, data-sources/, guides/)"
    continue
    ;;
  esac
  f="$DOCS/$p"
  # Front matter: the first line is ---, the block ends at the next ---.
  if [ "$(sed -n 1p "$f")" != "---" ]; then
    problem "$p: no front matter"
    continue
  fi
  fm=$(sed -n '2,/^---$/p' "$f")
  for key in page_title subcategory description; do
    printf '%s\n' "$fm" | grep -q "^$key:" || problem "$p: front matter lacks $key"
  done

  # Every link target: [text](target).
  grep -o '\]([^)]*)' "$f" | sed 's/^](//; s/)$//' | while IFS= read -r target; do
    case "$target" in
    "$REG"*)
      rest=${target#"$REG"}
      page=${rest%%#*}
      anchor=""
      case "$rest" in *'#'*) anchor=${rest#*#} ;; esac
      if [ -z "$page" ]; then
        tf="$DOCS/index.md"
      else
        tf="$DOCS${page}.md"
      fi
      if [ ! -f "$tf" ]; then
        echo "docs_pages: $p: link to a page that does not exist: $target" >&2
        echo x
      elif [ -n "$anchor" ] && ! anchors "$tf" | grep -qx "$anchor"; then
        echo "docs_pages: $p: link to a heading that does not exist: $target" >&2
        echo x
      fi
      ;;
    https://* | http://* | mailto:*) ;;
    '#'*)
      anchors "$f" | grep -qx "${target#'#'}" || {
        echo "docs_pages: $p: anchor names no heading of the page: $target" >&2
        echo x
      }
      ;;
    *)
      echo "docs_pages: $p: relative link breaks on the registry: ($target); use an absolute URL" >&2
      echo x
      ;;
    esac
  done >"$tmp" 2>&1
  # The loop runs in a subshell: count its problems from what it printed.
  if [ -s "$tmp" ]; then
    grep -v '^x$' "$tmp" >&2
    errors=$((errors + $(grep -c '^x$' "$tmp")))
  fi
done

if [ "$errors" -gt 0 ]; then
  echo "docs_pages: $errors problem(s)" >&2
  exit 1
fi
echo "docs_pages: $(echo "$pages" | wc -l) pages in the registry layout, front matter and links correct"
