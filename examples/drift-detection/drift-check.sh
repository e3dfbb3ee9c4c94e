#!/usr/bin/env bash
# drift-check.sh - a drift check as a CI job runs it.
#
#   drift-check.sh [DIR] [extra terraform plan arguments...]
#
# Runs `terraform plan -detailed-exitcode` in DIR (default: the current directory) and reports:
#   exit 0  no drift: the infrastructure matches the configuration
#   exit 2  drift: a summary of what changed outside Terraform and what a plan would do
#   exit 1  error: the plan failed (its output is shown)
# TERRAFORM selects the binary (default: terraform, else tofu). When GITHUB_STEP_SUMMARY is set
# (GitHub Actions), the summary is also appended there as Markdown. With jq installed, the summary
# names each object changed outside Terraform and the attributes that changed.
set -uo pipefail

dir=${1:-.}
[ $# -gt 0 ] && shift
tf=${TERRAFORM:-}
if [ -z "$tf" ]; then
  if command -v terraform >/dev/null 2>&1; then
    tf=terraform
  elif command -v tofu >/dev/null 2>&1; then
    tf=tofu
  else
    echo "drift-check: neither terraform nor tofu is on PATH" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export TF_IN_AUTOMATION=1

"$tf" -chdir="$dir" plan -detailed-exitcode -input=false -no-color -out="$tmp/plan" "$@" \
  >"$tmp/plan.log" 2>&1
rc=$?

case $rc in
0)
  echo "drift-check: no drift in $dir"
  exit 0
  ;;
2) ;;
*)
  echo "drift-check: ERROR: terraform plan failed (exit $rc) in $dir" >&2
  cat "$tmp/plan.log" >&2
  exit 1
  ;;
esac

# Drift. What changed outside Terraform (from the refresh) and what the plan would do.
"$tf" -chdir="$dir" show -no-color "$tmp/plan" >"$tmp/show.txt" 2>&1 || cp "$tmp/plan.log" "$tmp/show.txt"
if command -v jq >/dev/null 2>&1 &&
  "$tf" -chdir="$dir" show -json "$tmp/plan" >"$tmp/plan.json" 2>/dev/null; then
  # resource_drift: every object whose refreshed state differs from the state file.
  changed=$(jq -r '.resource_drift[]? |
    if .change.actions == ["delete"] then "\(.address): deleted"
    else (.change.before // {}) as $b | (.change.after // {}) as $a
      | "\(.address): \([$a | keys[] | select($b[.] != $a[.])] | join(", "))"
    end' "$tmp/plan.json")
else
  changed=$(sed -n 's/^  # \(.*\) has changed$/\1/p; s/^  # \(.*\) has been deleted$/\1: deleted/p' \
    "$tmp/plan.log" | sort -u)
fi
actions=$(sed -n 's/^  # \(.* will be .*\)$/\1/p; s/^  # \(.* must be replaced\)$/\1/p' "$tmp/show.txt")
totals=$(grep -E '^Plan:' "$tmp/show.txt" | head -n1)

{
  echo "drift-check: DRIFT detected in $dir"
  if [ -n "$changed" ]; then
    echo "Changed outside Terraform:"
    printf '%s\n' "$changed" | sed 's/^/  - /'
  fi
  if [ -n "$actions" ]; then
    echo "A plan would:"
    printf '%s\n' "$actions" | sed 's/^/  - /'
  fi
  [ -n "$totals" ] && printf '%s\n' "$totals"
  echo "Details: terraform -chdir=$dir plan"
} | tee "$tmp/summary.txt"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### Drift detected in \`$dir\`"
    echo
    echo '```'
    cat "$tmp/summary.txt"
    echo '```'
  } >>"$GITHUB_STEP_SUMMARY"
fi
exit 2
