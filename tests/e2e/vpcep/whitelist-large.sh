#!/usr/bin/env bash
# A large but valid whitelist is applied whole: the API takes at most 50
# records in one permissions request (EndPoint.3049 beyond), so 120 domains used to fail the
# create after the service existed. Now: create with 120 domains, the API holds exactly those;
# replace 60 of them in place, the API holds the new 120; plans are clean; destroy empties.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
E2E_DELAY_MS=0 e2e_start_emulator

# domains FROM TO -> a JSON var file with domains dom<FROM>..dom<TO-1> (letters and digits).
domains() {
  seq "$1" $(($2 - 1)) | awk '{ printf "dom%029d\n", $1 }' | jq -R . | jq -s '{domains: .}'
}
# api_domains SID -> the service's whitelist in the API (domain IDs, sorted)
api_domains() {
  api_ok owner GET "/vpc-endpoint-services/$1/permissions?limit=500" |
    jq -r '.permissions[].permission | sub("^iam:domain::"; "")' | sort
}

dir=$(e2e_workdir wl whitelist-large)
domains 0 120 >"$dir/d1.json"
tf_apply "$dir" -var-file=d1.json
sid=$(tf_state_attr "$dir" vpcep_service.s id)
[ "$(api_domains "$sid" | wc -l)" -eq 120 ] || fail "the API holds $(api_domains "$sid" | wc -l) whitelist records, expected 120"
[ "$(api_domains "$sid")" = "$(jq -r '.domains[]' "$dir/d1.json" | sort)" ] || fail "the API's whitelist differs from the configuration"
tf_plan_expect "$dir" 0 -var-file=d1.json

domains 60 180 >"$dir/d2.json"
tf_apply "$dir" -var-file=d2.json
out_has "1 changed" "the apply output (an in-place update)"
[ "$(tf_state_attr "$dir" vpcep_service.s id)" = "$sid" ] || fail "the service was replaced"
[ "$(api_domains "$sid")" = "$(jq -r '.domains[]' "$dir/d2.json" | sort)" ] || fail "after the update the API's whitelist differs from the configuration"
tf_plan_expect "$dir" 0 -var-file=d2.json
tf_destroy "$dir" -var-file=d2.json
assert_emu_empty
