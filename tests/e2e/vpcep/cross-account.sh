#!/usr/bin/env bash
# Scenario 7: a consumer account that is not whitelisted gets the API's error (EndPoint.2012) as
# a Terraform diagnostic on the endpoint; once the owner whitelists the consumer's domain, the
# same configuration applies, the owner's approval accepts the cross-account connection, and the
# plan is clean.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir cross cross)
tf "$dir" apply -input=false -auto-approve
[ "$TF_RC" -ne 0 ] || fail "apply succeeded although the consumer is not whitelisted"
out_has 'Error:'
out_has 'EndPoint\.2012' "the diagnostic (it must carry the API's error code)"
out_has 'vpcep_endpoint\.e' "the diagnostic (it must name the endpoint resource)"
assert_emu_counts 1 0

printf '{"whitelist": ["%s"]}\n' "$(acct consumer domain_id)" >"$dir/whitelisted.tfvars.json"
tf "$dir" plan -input=false -detailed-exitcode -var-file=whitelisted.tfvars.json
[ "$TF_RC" -eq 2 ] || fail "plan after whitelisting exited $TF_RC, expected 2"
out_has 'vpcep_service\.s will be updated in-place'
out_lacks 'vpcep_service\.s must be replaced'
tf_apply "$dir" -var-file=whitelisted.tfvars.json
sid=$(tf_output "$dir" service_id)
eid=$(tf_output "$dir" endpoint_id)
assert_emu_counts 1 1
st=$(connection_status "$sid" "$eid")
[ "$st" = accepted ] || fail "cross-account connection is '$st', expected accepted"
# The endpoint belongs to the consumer: the consumer's own API shows it.
api_ok consumer GET "/vpc-endpoints/$eid" >/dev/null
tf_plan_expect "$dir" 0 -var-file=whitelisted.tfvars.json

tf_destroy "$dir" -var-file=whitelisted.tfvars.json
assert_emu_empty
