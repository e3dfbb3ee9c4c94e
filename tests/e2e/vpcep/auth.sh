#!/usr/bin/env bash
# Provider configuration and authentication (docs/index.md: arguments, environment variables, secrets):
#   a) password authentication, project_id resolved from the token;
#   b) an IAM token in `token` with project_id;
#   c) AK/SK from the environment only (OS_*, VPCEP_ENDPOINT), empty provider block;
#   d) password authentication from the environment only;
# each applies a service, plans clean and destroys; then configurations that must be refused
# with a diagnostic and without creating anything:
#   e) no credentials, f) token and AK/SK together, g) a malformed endpoint URL,
#   h) a wrong secret key (the API's authentication error as a diagnostic).
# All terraform output and TF_LOG=TRACE logs (plugin logs included) must never contain the secret
# key, the password or the token.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir auth auth)
sk=$(acct owner secret_key)
password=$(acct owner password)
wrong_sk="WrongSecret-e2e-$$"

# An IAM token for the owner (project scope), as a user would get it.
body=$(jq -nc --arg u "$(acct owner user_name)" --arg p "$password" --arg d "$(acct owner domain_name)" \
  --arg pid "$(acct owner project_id)" \
  '{auth: {identity: {methods: ["password"], password: {user: {name: $u, password: $p, domain: {name: $d}}}},
          scope: {project: {id: $pid}}}}')
token=$(curl -sS -D - -o /dev/null -X POST "$BASE_URL/v3/auth/tokens" \
  -H 'Content-Type: application/json;charset=utf8' --data-binary "$body" |
  sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' | tr -d '\r')
[ -n "$token" ] || fail "the emulator's IAM did not issue a token"

jq -n --arg u "$(acct owner user_name)" --arg p "$password" --arg d "$(acct owner domain_name)" \
  --arg t "$token" '{owner_user_name: $u, owner_password: $p, owner_domain_name: $d, token: $t}' \
  >"$dir/auth.auto.tfvars.json"

provider_block() { printf 'provider "vpcep" {\n%s\n}\n' "$1" >"$dir/providers.tf"; }

export TF_LOG=TRACE
log_mode() { export TF_LOG_PATH="$E2E_WORK/logs/tf-trace-$1.log"; }

# cycle MODE: apply, clean plan, destroy, emulator empty.
cycle() {
  log_mode "$1"
  tf_apply "$dir"
  assert_emu_counts 1 0
  tf_plan_expect "$dir" 0
  tf_destroy "$dir"
  assert_emu_empty
}

# refused MODE REGEX...: plan + apply must fail with a diagnostic matching every REGEX.
refused() {
  local mode=$1 re
  shift
  log_mode "$mode"
  tf "$dir" apply -input=false -auto-approve
  [ "$TF_RC" -ne 0 ] || fail "mode $mode: apply succeeded"
  out_has 'Error:'
  for re in "$@"; do
    out_has "$re" "mode $mode: the diagnostic"
  done
  assert_emu_empty
}

e2e_log "a) password authentication, project_id from the token"
provider_block '  endpoint    = var.endpoint
  auth_url    = var.auth_url
  region      = var.region
  user_name   = var.owner_user_name
  password    = var.owner_password
  domain_name = var.owner_domain_name'
cycle password

e2e_log "b) IAM token"
provider_block '  endpoint   = var.endpoint
  region     = var.region
  project_id = var.owner_project_id
  token      = var.token'
cycle token

e2e_log "c) AK/SK from the environment"
provider_block ''
OS_REGION_NAME=$(seed_get .region)
OS_PROJECT_ID=$(acct owner project_id)
OS_ACCESS_KEY=$(acct owner access_key)
export OS_REGION_NAME OS_PROJECT_ID OS_ACCESS_KEY OS_SECRET_KEY=$sk VPCEP_ENDPOINT=$BASE_URL \
  OS_AUTH_URL="$BASE_URL/v3"
cycle env-aksk
unset OS_PROJECT_ID OS_ACCESS_KEY OS_SECRET_KEY

e2e_log "d) password from the environment"
OS_USERNAME=$(acct owner user_name)
OS_DOMAIN_NAME=$(acct owner domain_name)
export OS_USERNAME OS_DOMAIN_NAME OS_PASSWORD=$password
cycle env-password
unset OS_REGION_NAME OS_USERNAME OS_PASSWORD OS_DOMAIN_NAME VPCEP_ENDPOINT OS_AUTH_URL

e2e_log "e) no credentials"
provider_block '  endpoint   = var.endpoint
  auth_url   = var.auth_url
  region     = var.region
  project_id = var.owner_project_id'
refused no-credentials 'access_key|secret_key|token|password|credential'

e2e_log "f) token and AK/SK together"
provider_block '  endpoint   = var.endpoint
  region     = var.region
  project_id = var.owner_project_id
  token      = var.token
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key'
refused token-and-aksk 'token' 'access_key|secret_key|AK/SK'

e2e_log "g) malformed endpoint URL"
provider_block '  endpoint   = var.bad_endpoint
  region     = var.region
  project_id = var.owner_project_id
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key'
refused bad-url 'endpoint'

e2e_log "h) wrong secret key"
echo "{\"owner_secret_key\": \"$wrong_sk\"}" >"$dir/wrong.auto.tfvars.json"
provider_block '  endpoint   = var.endpoint
  region     = var.region
  project_id = var.owner_project_id
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key'
refused wrong-secret 'APIG\.0301|401|authenticat|signature'
rm -f "$dir/wrong.auto.tfvars.json"
unset TF_LOG TF_LOG_PATH

# No secret anywhere in what terraform printed or logged (plugin logs included).
grep -q 'terraform-provider-vpcep' "$E2E_WORK"/logs/tf-trace-*.log ||
  fail "the TRACE logs hold no plugin output (TF_LOG_PATH not honoured?)"
# The plugin logs in the format Terraform shows with TF_LOG (go-plugin parsed its JSON
# lines into leveled, structured entries), including the API calls and the waits.
plog="$E2E_WORK/logs/tf-trace-password.log"
grep -Eq '\[(DEBUG|INFO|TRACE)\] +provider\.terraform-provider-vpcep: .*@module=' "$plog" ||
  fail "no structured (JSON-parsed) plugin log entry in $plog"
grep -Eq 'provider\.terraform-provider-vpcep: .*POST [^ ]*vpc-endpoint-services' "$plog" ||
  fail "the plugin's DEBUG log does not show the create API call"
grep -Eiq 'provider\.terraform-provider-vpcep: .*wait' "$plog" ||
  fail "the plugin's DEBUG log does not show the wait"
for secret in "$sk" "$password" "$token" "$wrong_sk"; do
  if grep -rlF -- "$secret" "$E2E_WORK/logs" >/dev/null; then
    fail "a secret (${#secret} characters, starting '${secret:0:3}') appears in: $(grep -rlF -- "$secret" "$E2E_WORK/logs" | tr '\n' ' ')"
  fi
done
e2e_log "no secret found in $(find "$E2E_WORK/logs" -type f | wc -l) log files ($(cat "$E2E_WORK"/logs/* | wc -c) bytes)"
