#!/usr/bin/env bash
# Terraform-native logs: with TF_LOG=TRACE, the plugin's lines in Terraform's
# log carry the fields Go providers give theirs, so that parallel operations can be told apart:
#   * every line: @module and the timestamp (hclog's @level/@message/@timestamp are what
#     go-plugin turns into the [LEVEL], the message and timestamp=), tf_provider_addr;
#   * every line of an RPC: tf_rpc, tf_req_id (one ID per RPC: never two RPC names under one
#     ID, a new ID for each RPC), tf_proto_version; tf_resource_type for a resource's RPC,
#     tf_data_source_type for a data source's;
#   * every API call: tf_http_op_type, tf_http_req_method, tf_http_req_uri,
#     tf_http_res_status_code, tf_http_duration_ms, tf_http_attempt; at TRACE the request
#     (headers, tf_http_req_body) and the response body (tf_http_res_body), credentials
#     redacted: Authorization, X-Auth-Token, the password of the IAM token request;
#   * go-plugin's stdio and broker streams are served: no "status=12" / Unimplemented;
#   * no secret (secret key, password, IAM token) anywhere in the log.
# Both AK/SK (Authorization header) and password authentication (IAM body, X-Auth-Token) run.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

dir=$(e2e_workdir tflogs logs)
sk=$(acct owner secret_key)
password=$(acct owner password)
jq -n --arg u "$(acct owner user_name)" --arg p "$password" --arg d "$(acct owner domain_name)" \
  '{owner_user_name: $u, owner_password: $p, owner_domain_name: $d}' >"$dir/auth.auto.tfvars.json"
provider_block() { printf 'provider "vpcep" {\n%s\n}\n' "$1" >"$dir/providers.tf"; }

export TF_LOG=TRACE

e2e_log "a) AK/SK: apply and destroy with TF_LOG=TRACE"
provider_block '  endpoint   = var.endpoint
  region     = var.region
  project_id = var.owner_project_id
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key'
export TF_LOG_PATH="$E2E_WORK/logs/aksk.log"
tf_apply "$dir"
tf_destroy "$dir"
assert_emu_empty

e2e_log "b) password authentication: apply and destroy with TF_LOG=TRACE"
provider_block '  endpoint    = var.endpoint
  auth_url    = var.auth_url
  region      = var.region
  user_name   = var.owner_user_name
  password    = var.owner_password
  domain_name = var.owner_domain_name'
export TF_LOG_PATH="$E2E_WORK/logs/password.log"
tf_apply "$dir"
# the IAM token the plugin got: the emulator's request log does not hold it, IAM hands out one
# token per request, so take one the same way and check that tokens never show up
token=$(curl -sS -D - -o /dev/null -X POST "$BASE_URL/v3/auth/tokens" \
  -H 'Content-Type: application/json;charset=utf8' --data-binary "$(jq -nc \
  --arg u "$(acct owner user_name)" --arg p "$password" --arg d "$(acct owner domain_name)" \
  '{auth: {identity: {methods: ["password"], password: {user: {name: $u, password: $p, domain: {name: $d}}}},
          scope: {project: {name: "eu-de"}}}}')" | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' | tr -d '\r')
tf_destroy "$dir"
assert_emu_empty
unset TF_LOG TF_LOG_PATH

# The plugin's lines: "<time> [LEVEL] provider.terraform-provider-vpcep: <message>: k=v k=v ..."
plines="$E2E_WORK/plugin-lines.txt"
cat "$E2E_WORK/logs/aksk.log" "$E2E_WORK/logs/password.log" |
  grep -E '^[0-9TZ:.-]+ \[[A-Z]+\] +provider\.terraform-provider-vpcep: ' >"$plines" || true
[ -s "$plines" ] || fail "no plugin lines in the TRACE logs"
e2e_log "$(wc -l <"$plines") plugin lines"

need() { # need REGEX WHAT: some plugin line matches
  grep -Eq -- "$1" "$plines" || fail "no plugin line with $2 (regex: $1)"
}
# field VALUE-REGEX of key K on the same line as regex R
need ' @module=vpcep( |$)' '@module'
need ' timestamp=[0-9]{4}-' 'the line'"'"'s own timestamp (@timestamp)'
need '\[TRACE\] ' 'level TRACE'
need '\[DEBUG\] ' 'level DEBUG'
need ' tf_provider_addr=registry\.terraform\.io/otc/vpcep( |$)' tf_provider_addr
uuid='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
need " tf_req_id=$uuid( |\$)" 'a UUID tf_req_id'
need ' tf_proto_version=6( |$)' tf_proto_version
for rpc in GetProviderSchema ValidateProviderConfig ConfigureProvider ValidateResourceConfig \
  PlanResourceChange ApplyResourceChange ReadResource ReadDataSource; do
  need " tf_rpc=$rpc( |\$)" "tf_rpc=$rpc"
done
# a resource's RPC names its type, a data source's its own (grep -q in a pipe would make the
# first grep fail with SIGPIPE under pipefail: filter into variables)
apply_lines=$(grep -E ' tf_rpc=ApplyResourceChange( |$)' "$plines" || true)
ds_lines=$(grep -E ' tf_rpc=ReadDataSource( |$)' "$plines" || true)
grep -Eq ' tf_resource_type=vpcep_service( |$)' <<<"$apply_lines" ||
  fail "ApplyResourceChange lines lack tf_resource_type=vpcep_service"
grep -Eq ' tf_data_source_type=vpcep_public_services( |$)' <<<"$ds_lines" ||
  fail "ReadDataSource lines lack tf_data_source_type=vpcep_public_services"
grep -Eq ' tf_data_source_type=vpcep_service( |$)' <<<"$ds_lines" ||
  fail "ReadDataSource lines lack tf_data_source_type=vpcep_service"
if grep -q ' tf_resource_type=' <<<"$ds_lines"; then
  fail "a ReadDataSource line names a resource type"
fi
# one ID per RPC: an ID never spans two RPC names, and there are as many IDs as RPCs served
ids=$(grep -oE " tf_req_id=$uuid" "$plines" | sort -u | wc -l)
served=$(grep -cE ': rpc /[^ ]+ status=' "$plines" || true)
pairs=$(grep -E " tf_req_id=$uuid" "$plines" | sed -E "s/.* tf_req_id=($uuid).*/\\1/" >"$E2E_WORK/ids.txt";
  paste -d' ' "$E2E_WORK/ids.txt" <(grep -E " tf_req_id=$uuid" "$plines" | sed -E 's/.* tf_rpc=([A-Za-z]+).*/\1/') |
  sort -u | awk '{print $1}' | uniq -d | sed -n 1,3p)
[ -z "$pairs" ] || fail "one tf_req_id for two RPCs: $pairs"
[ "$ids" -ge "$served" ] || fail "$ids request IDs for $served RPCs served"
e2e_log "$ids request IDs, $served RPCs served"

# API calls
api_line=$(grep -E ' tf_http_op_type=response( |$)' <<<"$apply_lines" | grep -E 'vpc-endpoint-services' |
  sed -n 1p || true)
[ -n "$api_line" ] || fail "no API response line"
for k in tf_http_req_method tf_http_req_uri tf_http_res_status_code tf_http_duration_ms \
  tf_http_attempt tf_http_trans_id tf_rpc tf_req_id tf_resource_type; do
  grep -Eq " $k=[^ ]" <<<"$api_line" || fail "the API response line lacks $k: $api_line"
done
grep -Eq '\[DEBUG\] .* tf_http_req_method=POST( |$)' "$plines" || fail "no POST in the API lines"
grep -Eq ' tf_http_res_status_code=20[01]( |$)' "$plines" || fail "no 200/201 status in the API lines"
grep -Eq ' tf_http_attempt=1( |$)' "$plines" || fail "no attempt number in the API lines"
# TRACE: request lines with headers and bodies, response bodies; credentials redacted
grep -Eq '\[TRACE\] .* tf_http_op_type=request( |$).*tf_http_req_body=|\[TRACE\] .*tf_http_req_body=.* tf_http_op_type=request( |$)' "$plines" ||
  fail "no request body at TRACE"
grep -Eq ' tf_http_op_type=response( |$).*tf_http_res_body=|tf_http_res_body=.* tf_http_op_type=response( |$)' "$plines" ||
  fail "no response body at TRACE"
grep -q ' Authorization=\[REDACTED\]' "$plines" || fail "the AK/SK Authorization header is not shown redacted"
grep -q ' X-Auth-Token=\[REDACTED\]' "$plines" || fail "the X-Auth-Token header is not shown redacted"
grep -Eq 'auth/tokens.*tf_http_req_body=.*password[^ ]*REDACTED|tf_http_req_body=[^ ]*password[^ ]*REDACTED.*auth/tokens' "$plines" ||
  fail "the IAM token request body is not shown with its password redacted"

# go-plugin's streams: served, so neither side reports UNIMPLEMENTED
for log in "$E2E_WORK/logs/aksk.log" "$E2E_WORK/logs/password.log"; do
  if grep -nE 'status=12|code = Unimplemented|stdio service not available' "$log" >"$E2E_WORK/unimpl.txt"; then
    head -n 3 "$E2E_WORK/unimpl.txt"
    fail "UNIMPLEMENTED in $log"
  fi
done
grep -Eq ': rpc /plugin\.GRPCStdio/StreamStdio status=' "$plines" || fail "StreamStdio was not served"
grep -Eq ': rpc /plugin\.GRPCBroker/StartStream status=' "$plines" || fail "StartStream was not served"

# no secret anywhere
[ -n "$token" ] || fail "could not get an IAM token to look for"
for secret in "$sk" "$password"; do
  if grep -rlF -- "$secret" "$E2E_WORK/logs" >/dev/null; then
    fail "a secret (${#secret} characters, starting '${secret:0:3}') appears in: $(grep -rlF -- "$secret" "$E2E_WORK/logs" | tr '\n' ' ')"
  fi
done
# tokens the emulator issues share their first characters: look for the form instead
tokpfx=${token:0:12}
if grep -rF -- "$tokpfx" "$E2E_WORK/logs" >"$E2E_WORK/tokens.txt"; then
  head -c 300 "$E2E_WORK/tokens.txt"
  fail "an IAM token (prefix ${tokpfx:0:4}...) appears in the logs"
fi
e2e_log "no secret in $(cat "$E2E_WORK"/logs/* | wc -c) bytes of logs"
