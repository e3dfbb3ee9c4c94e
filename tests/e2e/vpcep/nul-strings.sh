#!/usr/bin/env bash
# Strings with a NUL (U+0000): refused at validate with the attribute path, before any API call
# (the provider's C strings would have sent "a" for "a\u0000b" and stored the rest); and a state
# that already holds such a string (written by an older version) does not brick the workspace:
# plan, apply and `destroy -refresh=false` still work and replace it.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir nul-strings nul-strings)

# 1. Refused by validate and by plan, naming the attribute; nothing reaches the API. The bad
# value is a literal (an override file), as validate sees variables as unknown.
for case in 'tags:tags = { k = "a\u0000b" }:tags\["k"\]' \
            'description:description = "x\u0000y":description'; do
  name=${case%%:*}
  rest=${case#*:}
  attr=${rest##*:}
  printf 'resource "vpcep_service" "s" {\n  %s\n}\n' "${rest%:*}" >"$dir/bad_override.tf"
  tf "$dir" validate
  [ "$TF_RC" -ne 0 ] || fail "$name: validate accepted a string with a NUL character"
  out_has "Error:" "$name: validate"
  out_has "NUL" "$name: validate names the NUL character"
  out_has "$attr" "$name: validate names the attribute"
  out_has 'on bad_override.tf line 2' "$name: validate points at the line"
  tf "$dir" plan -input=false
  [ "$TF_RC" -ne 0 ] || fail "$name: plan accepted a string with a NUL character"
  out_has "$attr" "$name: plan names the attribute"
  tf "$dir" apply -input=false -auto-approve
  [ "$TF_RC" -ne 0 ] || fail "$name: apply accepted a string with a NUL character"
  rm -f "$dir/bad_override.tf"
  e2e_log "case $name: refused by validate, plan and apply with the attribute path"
done
# the same through a variable: known only at plan time, refused there
printf '%s\n' '{"svc_tags": {"k": "a\u0000b"}}' >"$dir/bad.auto.tfvars.json"
tf "$dir" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "plan accepted a NUL character that came through a variable"
out_has 'NUL' "plan of a variable's NUL"
out_has 'tags\["k"\]' "plan of a variable's NUL names the attribute"
rm -f "$dir/bad.auto.tfvars.json"
assert_emu_empty
[ "$(emu_mutation_count)" -eq 0 ] || fail "a refused configuration reached the API"

# 2. A state written by an older version that let "a\u0000b" through (the API got "a").
tf_apply "$dir"
sid=$(tf_output "$dir" service_id)
# poison_state JQ_FILTER: rewrites the stored state the way the old version wrote it.
poison_state() {
  "$TF" -chdir="$dir" state pull >"$E2E_WORK/state.json" || fail "state pull failed"
  jq "(.serial |= . + 1) | (.resources[] | select(.type == \"vpcep_service\") | .instances[0].attributes) |= ($1)" \
    "$E2E_WORK/state.json" >"$E2E_WORK/state-poisoned.json" || fail "cannot rewrite the state"
  grep -q 'a\\u0000b' "$E2E_WORK/state-poisoned.json" || fail "the rewritten state holds no NUL"
  "$TF" -chdir="$dir" state push "$E2E_WORK/state-poisoned.json" || fail "state push failed"
}
poison_state '.tags.k = "a\u0000b"'

# plan and apply with a fixed configuration: the refresh reads "a" back from the API, the plan
# changes it in place, the apply sends it.
printf '%s\n' '{"svc_tags": {"k": "ab"}}' >"$dir/fixed.auto.tfvars.json"
tf_plan_expect "$dir" 2
out_has 'vpcep_service.s will be updated in-place' "plan after the poisoned state"
tf_apply "$dir"
[ "$(tf_output "$dir" service_id)" = "$sid" ] || fail "the service was replaced"
got=$(api_ok owner GET "/vpc-endpoint-services/$sid" | jq -c '[.tags[]? | {key, value}]')
[ "$got" = '[{"key":"k","value":"ab"}]' ] || fail "API tags are $got after the fix"
[ "$(tf_state_attr "$dir" vpcep_service.s tags)" = '{"k":"ab"}' ] || fail "state tags after the fix"
tf_plan_expect "$dir" 0

# a poisoned state with an unchanged configuration: the refresh reads "ab" back, no changes
poison_state '.tags.k = "a\u0000b"'
tf_plan_expect "$dir" 0

# destroy without a refresh, straight from the poisoned state
poison_state '.tags.k = "a\u0000b" | .description = "x\u0000y"'
tf_destroy "$dir" -refresh=false
assert_emu_empty
e2e_log "a state holding NUL characters can be planned, applied and destroyed"
