#!/usr/bin/env bash
# Scenario 12: one example directory (examples/<name>, written for users) applied against the
# emulator: variables from the emulator's seed, apply, a clean `plan -detailed-exitcode` (0),
# destroy, and the emulator is empty afterwards. The quick start's outputs show the endpoint's
# private IP address and domain name after the first apply. The drift-detection example also runs its
# pipeline script around an out-of-band rejection made with its own helper script.
#
#   examples.sh --plugin PATH --emulator PATH --example DIR
source "$(dirname "$0")/lib.sh"
example=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --example) example=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
E2E_NAME="example-$(basename "${example:-none}")"
e2e_init "${args[@]}"
[ -n "$example" ] && [ -f "$example/main.tf" ] || fail "no example directory given or no main.tf in '$example'"
e2e_start_emulator

dir="$E2E_WORK/$(basename "$example")"
cp -r "$example" "$dir"
rm -rf "$dir/.terraform" "$dir"/terraform.tfstate* "$dir"/*.tfvars "$dir"/*.tfvars.json "$dir/.terraform.lock.hcl"

# Map the example's declared variables onto the emulator and its seed: region, api_endpoint,
# auth_url, and <field> / owner_<field> / consumer_<field> for the accounts' IDs and credentials.
# Variables not listed keep their defaults; a required one without a mapping fails the plan with
# Terraform's own "No value for required variable" message.
tfvars_args=()
for v in $(sed -n 's/^variable "\([^"]*\)".*/\1/p' "$dir"/*.tf); do
  val=""
  case "$v" in
    region) val=$(seed_get .region) ;;
    api_endpoint | endpoint | vpcep_endpoint) val=$BASE_URL ;;
    auth_url) val="$BASE_URL/v3" ;;
    *)
      who=owner
      field=$v
      case "$v" in
        owner_*) field=${v#owner_} ;;
        consumer_*) who=consumer; field=${v#consumer_} ;;
      esac
      case "$field" in
        project_id | access_key | secret_key | domain_id | domain_name | user_name | password | \
          vpc_id | subnet_id | port_id) val=$(acct "$who" "$field") ;;
      esac
      ;;
  esac
  [ -z "$val" ] || tfvars_args+=(--arg "$v" "$val")
done
jq -n "${tfvars_args[@]}" '$ARGS.named' >"$dir/terraform.tfvars.json"
e2e_log "variables set from the seed: $(jq -c 'keys' "$dir/terraform.tfvars.json")"

if grep -Eq '^[[:space:]]*module[[:space:]]+"' "$dir"/*.tf; then
  tf_ok "$dir" get
fi
tf_ok "$dir" validate
tf_apply "$dir"
n=$(($(emu_count services) + $(emu_count endpoints)))
e2e_log "the example created $n object(s) in the emulator"
[ "$n" -gt 0 ] || fail "apply created nothing in the emulator"
if [ "$(basename "$example")" = quickstart ]; then
  # The user guide's last step in the one-configuration layout: the first apply already shows the
  # endpoint's private IP address and private domain name (the data source read after the
  # approval), before any refresh.
  out=$("$TF" -chdir="$dir" output -no-color -json)
  echo "$out" | jq '{endpoint_status, endpoint_ip, endpoint_domain_name}'
  eid=$(tf_output "$dir" endpoint_id)
  api_ip=$(emu_objects | jq -r --arg id "$eid" '.endpoints[] | select(.id == $id) | .ip')
  jq -e --arg ip "$api_ip" '.endpoint_status.value == "accepted" and .endpoint_ip.value == $ip and ($ip | length) > 0 and (.endpoint_domain_name.value | type) == "string" and (.endpoint_domain_name.value | length) > 0' <<<"$out" >/dev/null ||
    fail "the quick start's outputs lack the endpoint's private IP ($api_ip in the API) or domain name"
fi
tf_plan_expect "$dir" 0

if [ "$(basename "$example")" = drift-detection ] && [ -x "$dir/drift-check.sh" ]; then
  # The pipeline script: no drift, then an out-of-band rejection (the example's own helper, with
  # the owner's IAM password credentials), drift (exit 2), apply, no drift again.
  run_check() {
    set +e
    TERRAFORM=$TF "$dir/drift-check.sh" "$dir" >"$E2E_WORK/logs/drift-check.log" 2>&1
    DRIFT_RC=$?
    set -e
    sed 's/^/  | /' "$E2E_WORK/logs/drift-check.log"
  }
  run_check
  [ "$DRIFT_RC" -eq 0 ] || fail "drift-check.sh exited $DRIFT_RC right after apply, expected 0"
  sid=$(tf_output "$dir" service_id)
  eid=$(tf_output "$dir" endpoint_id)
  (
    export VPCEP_ENDPOINT=$BASE_URL OS_AUTH_URL="$BASE_URL/v3"
    OS_PROJECT_ID=$(acct owner project_id)
    OS_USERNAME=$(acct owner user_name)
    OS_PASSWORD=$(acct owner password)
    OS_DOMAIN_NAME=$(acct owner domain_name)
    export OS_PROJECT_ID OS_USERNAME OS_PASSWORD OS_DOMAIN_NAME
    "$dir/reject-connection.sh" "$sid" "$eid"
  ) || fail "reject-connection.sh failed"
  is_rejected() { [ "$(connection_status "$sid" "$eid")" = rejected ]; }
  wait_until 30 "connection of $eid to be rejected" is_rejected
  run_check
  [ "$DRIFT_RC" -eq 2 ] || fail "drift-check.sh exited $DRIFT_RC after an out-of-band rejection, expected 2"
  grep -q 'vpcep_approval' "$E2E_WORK/logs/drift-check.log" || fail "drift-check.sh did not name the approval"
  tf_apply "$dir"
  run_check
  [ "$DRIFT_RC" -eq 0 ] || fail "drift-check.sh exited $DRIFT_RC after the re-accepting apply, expected 0"
fi

tf_destroy "$dir"
[ -z "$(tf_state_list "$dir")" ] || fail "state not empty after destroy"
assert_emu_empty
