#!/usr/bin/env bash
# Credentials the way the OTC provider takes them. The owner's project is
# named "eu-de_e2e" here (a seed of our own), so that a token scoped by the region's name
# ("eu-de", the default) is refused and only project_name gets the right one:
#   a) password authentication with project_name (token scoped by name, project ID from it),
#      the user's domain from OS_USER_DOMAIN_NAME; without project_name the same is refused;
#   b) AK/SK from the environment with OS_PROJECT_NAME only: the project ID is looked up in IAM
#      (GET /v3/projects?name=, signed);
#   c) an IAM token in OS_AUTH_TOKEN (the OpenStack name) with OS_PROJECT_NAME: looked up with
#      the token;
#   d) `cloud = "otc"` in the configuration: ./clouds.yaml (the working directory) holds the IAM
#      URL, the user, the project name and the user's domain, ~/.config/openstack/secure.yaml the
#      password (HOME is a directory of the test's own);
#   e) OS_CLOUD in the environment, an empty provider block: AK/SK from ~/.config/openstack, the
#      secret key in secure.yaml; a configuration value (region) still wins over the cloud's;
#   f) a cloud that clouds.yaml does not have is refused at the `cloud` argument;
#   g) temporary AK/SK (IAM's securitytokens call): with OS_SECURITY_TOKEN every request carries
#      X-Security-Token, signed; the same keys without it are refused by the API; the security
#      token in the block (security_token) works too;
#   h) an agency: the owner's AK/SK (environment) and OS_AGENCY_NAME / OS_AGENCY_DOMAIN_NAME of
#      the consumer's agency: the service is created in the consumer's project with the agency
#      token; the same with the owner's password and the agency in the block; an agency the
#      consumer does not have is refused;
# each applies a service, plans clean and destroys. No secret in any output or TRACE log.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
# the consumer's account lets the owner's domain act in it through the agency "e2e-ops"
jq '(.accounts[] | select(.name == "owner") | .project_name) = "eu-de_e2e" |
    (.accounts[] | select(.name == "consumer") | .agencies) =
      [{name: "e2e-ops", trusted_domain_name: (.accounts[] | select(.name == "owner") | .domain_name)}]' \
  "$E2E_WORK/seed.json" \
  >"$E2E_WORK/seed-creds.json"
cp "$E2E_WORK/seed-creds.json" "$E2E_WORK/seed.json"
e2e_start_emulator --seed "$E2E_WORK/seed-creds.json"

dir=$(e2e_workdir creds credentials)
sk=$(acct owner secret_key)
password=$(acct owner password)
pname=$(acct owner project_name)
[ "$pname" = eu-de_e2e ] || fail "seed: owner project_name is '$pname'"
jq -n --arg u "$(acct owner user_name)" --arg p "$password" --arg pn "$pname" \
  '{owner_user_name: $u, owner_password: $p, owner_project_name: $pn}' >"$dir/creds.auto.tfvars.json"
provider_block() { printf 'provider "vpcep" {\n%s\n}\n' "$1" >"$dir/providers.tf"; }
export TF_LOG=TRACE
log_mode() { export TF_LOG_PATH="$E2E_WORK/logs/tf-trace-$1.log"; }
cycle() {
  log_mode "$1"
  tf_apply "$dir"
  assert_emu_counts 1 0
  tf_plan_expect "$dir" 0
  tf_destroy "$dir"
  assert_emu_empty
}
lookups() { grep -c 'GET /v3/projects' "$E2E_WORK/emulator.err" || true; }

e2e_log "a) password with project_name, the user's domain from OS_USER_DOMAIN_NAME"
export OS_USER_DOMAIN_NAME
OS_USER_DOMAIN_NAME=$(acct owner domain_name)
provider_block '  endpoint     = var.endpoint
  auth_url     = var.auth_url
  region       = var.region
  user_name    = var.owner_user_name
  password     = var.owner_password
  project_name = var.owner_project_name'
cycle password-project-name
# the token request as the TRACE log shows it (password redacted, the scope in the clear)
grep -qF 'scope\":{\"project\":{\"name\":\"eu-de_e2e\"}' "$E2E_WORK/logs/tf-trace-password-project-name.log" ||
  fail "the token request is not scoped to project_name"
e2e_log "a') the same without project_name is scoped to the region's name and refused"
provider_block '  endpoint     = var.endpoint
  auth_url     = var.auth_url
  region       = var.region
  user_name    = var.owner_user_name
  password     = var.owner_password'
log_mode password-no-project-name
tf "$dir" apply -input=false -auto-approve
[ "$TF_RC" -ne 0 ] || fail "password authentication scoped to eu-de worked for a project named $pname"
out_has 'project in the scope does not exist|401'
assert_emu_empty
unset OS_USER_DOMAIN_NAME

e2e_log "b) AK/SK from the environment with OS_PROJECT_NAME only"
provider_block ''
before=$(lookups)
export OS_REGION_NAME OS_ACCESS_KEY OS_SECRET_KEY=$sk OS_PROJECT_NAME=$pname VPCEP_ENDPOINT=$BASE_URL \
  OS_AUTH_URL="$BASE_URL/v3"
OS_REGION_NAME=$(seed_get .region)
OS_ACCESS_KEY=$(acct owner access_key)
cycle env-aksk-project-name
[ "$(lookups)" -gt "$before" ] || fail "no project lookup (GET /v3/projects) with AK/SK"
unset OS_ACCESS_KEY OS_SECRET_KEY

e2e_log "c) an IAM token in OS_AUTH_TOKEN, project by OS_PROJECT_NAME"
body=$(jq -nc --arg u "$(acct owner user_name)" --arg p "$password" --arg d "$(acct owner domain_name)" \
  --arg pn "$pname" \
  '{auth: {identity: {methods: ["password"], password: {user: {name: $u, password: $p, domain: {name: $d}}}},
          scope: {project: {name: $pn}}}}')
token=$(curl -sS -D - -o /dev/null -X POST "$BASE_URL/v3/auth/tokens" \
  -H 'Content-Type: application/json;charset=utf8' --data-binary "$body" |
  sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' | tr -d '\r')
[ -n "$token" ] || fail "the emulator's IAM did not issue a token"
before=$(lookups)
export OS_AUTH_TOKEN=$token
cycle env-auth-token
[ "$(lookups)" -gt "$before" ] || fail "no project lookup (GET /v3/projects) with the token"
unset OS_AUTH_TOKEN OS_PROJECT_NAME OS_REGION_NAME VPCEP_ENDPOINT OS_AUTH_URL

e2e_log "d) cloud = \"otc\": ./clouds.yaml and ~/.config/openstack/secure.yaml"
home="$E2E_WORK/home"
orig_home=$HOME
mkdir -p "$home/.config/openstack"
cat >"$dir/clouds.yaml" <<YAML
# what openstack clients read; no secret here
clouds:
  otc:
    region_name: $(seed_get .region)
    auth:
      auth_url: $BASE_URL/v3
      username: $(acct owner user_name)
      project_name: $pname
      user_domain_name: $(acct owner domain_name)
  keys:
    region_name: eu-nl
    auth:
      ak: $(acct owner access_key)
      project_name: $pname
      auth_url: $BASE_URL/v3
YAML
cat >"$home/.config/openstack/secure.yaml" <<YAML
clouds:
  otc:
    auth:
      password: "$password"
  keys:
    auth:
      sk: "$sk"
YAML
export HOME="$home"
provider_block '  cloud    = "otc"
  endpoint = var.endpoint'
cycle cloud-config
grep -qF 'scope\":{\"project\":{\"name\":\"eu-de_e2e\"}' "$E2E_WORK/logs/tf-trace-cloud-config.log" ||
  fail "the cloud's token request is not scoped to its project_name"

e2e_log "e) OS_CLOUD: AK/SK from ~/.config/openstack/clouds.yaml, secret key in secure.yaml"
mv "$dir/clouds.yaml" "$home/.config/openstack/clouds.yaml"
before=$(lookups)
export OS_CLOUD=keys
provider_block '  endpoint = var.endpoint
  region   = var.region'
cycle cloud-env
[ "$(lookups)" -gt "$before" ] || fail "no project lookup for the cloud's project_name"
grep -q 'Authorization=\[REDACTED\]' "$E2E_WORK/logs/tf-trace-cloud-env.log" ||
  fail "the cloud's AK/SK did not sign the requests"

e2e_log "f) a cloud clouds.yaml does not have"
export OS_CLOUD=nowhere
log_mode cloud-missing
tf "$dir" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "an unknown cloud was accepted"
out_has 'Cannot use the cloud configuration'
out_has 'no entry clouds\.nowhere'
unset OS_CLOUD
export HOME="$orig_home"

e2e_log "g) temporary AK/SK with a security token"
tmp=$(curl -sS -X POST "$BASE_URL/v3.0/OS-CREDENTIAL/securitytokens" -H "X-Auth-Token: $token" \
  -H 'Content-Type: application/json;charset=utf8' \
  --data-binary '{"auth":{"identity":{"methods":["token"],"token":{"duration_seconds":900}}}}')
tmp_ak=$(jq -er .credential.access <<<"$tmp") || fail "no temporary credentials: $tmp"
tmp_sk=$(jq -er .credential.secret <<<"$tmp")
tmp_st=$(jq -er .credential.securitytoken <<<"$tmp")
provider_block '  endpoint   = var.endpoint
  region     = var.region
  project_id = var.owner_project_id'
export OS_ACCESS_KEY=$tmp_ak OS_SECRET_KEY=$tmp_sk OS_SECURITY_TOKEN=$tmp_st
cycle temporary-env
grep -q 'X-Security-Token=\[REDACTED\]' "$E2E_WORK/logs/tf-trace-temporary-env.log" ||
  fail "the requests did not carry X-Security-Token"
e2e_log "g') the temporary keys without their security token are refused"
unset OS_SECURITY_TOKEN
log_mode temporary-without-token
tf "$dir" apply -input=false -auto-approve
[ "$TF_RC" -ne 0 ] || fail "temporary keys worked without their security token"
out_has 'X-Security-Token|APIG\.0301'
assert_emu_empty
unset OS_ACCESS_KEY OS_SECRET_KEY
e2e_log "g'') the security token in the block"
jq --arg ak "$tmp_ak" --arg sk "$tmp_sk" --arg st "$tmp_st" \
  '. + {tmp_access_key: $ak, tmp_secret_key: $sk, tmp_security_token: $st}' \
  "$dir/creds.auto.tfvars.json" >"$dir/creds.tmp" && mv "$dir/creds.tmp" "$dir/creds.auto.tfvars.json"
provider_block '  endpoint       = var.endpoint
  region         = var.region
  project_id     = var.owner_project_id
  access_key     = var.tmp_access_key
  secret_key     = var.tmp_secret_key
  security_token = var.tmp_security_token'
cycle temporary-block

e2e_log "h) agency: the owner's AK/SK act in the consumer's project"
adir=$(e2e_workdir creds-agency credentials)
sed -i 's/var\.owner_vpc_id/var.consumer_vpc_id/; s/var\.owner_port_id/var.consumer_port_id/' "$adir/main.tf"
cp "$dir/creds.auto.tfvars.json" "$adir/"
printf 'provider "vpcep" {\n  endpoint = var.endpoint\n  auth_url = var.auth_url\n  region   = var.region\n}\n' \
  >"$adir/providers.tf"
export OS_ACCESS_KEY OS_SECRET_KEY=$sk OS_AGENCY_NAME=e2e-ops OS_AGENCY_DOMAIN_NAME
OS_ACCESS_KEY=$(acct owner access_key)
OS_AGENCY_DOMAIN_NAME=$(acct consumer domain_name)
agency_cycle() {
  log_mode "$1"
  tf_apply "$adir"
  assert_emu_counts 1 0
  [ "$(emu_objects | jq -r '.services[0].project_id')" = "$(acct consumer project_id)" ] ||
    fail "the agency's service is not in the consumer's project: $(emu_objects | head -c 600)"
  tf_plan_expect "$adir" 0
  tf_destroy "$adir"
  assert_emu_empty
}
agency_cycle agency-aksk
grep -q '"assume_role"\|assume_role' "$E2E_WORK/logs/tf-trace-agency-aksk.log" ||
  fail "no assume_role token request in the log"
unset OS_ACCESS_KEY OS_SECRET_KEY OS_AGENCY_NAME OS_AGENCY_DOMAIN_NAME
e2e_log "h') agency in the block, with the owner's password"
printf 'provider "vpcep" {\n  endpoint           = var.endpoint\n  auth_url           = var.auth_url\n  region             = var.region\n  user_name          = var.owner_user_name\n  password           = var.owner_password\n  domain_name        = "%s"\n  agency_name        = "e2e-ops"\n  agency_domain_name = "%s"\n}\n' \
  "$(acct owner domain_name)" "$(acct consumer domain_name)" >"$adir/providers.tf"
agency_cycle agency-password
e2e_log "h'') an agency the consumer does not have"
sed -i 's/agency_name        = "e2e-ops"/agency_name        = "nope"/' "$adir/providers.tf"
log_mode agency-missing
tf "$adir" apply -input=false -auto-approve
[ "$TF_RC" -ne 0 ] || fail "an unknown agency worked"
out_has 'assuming agency nope'
assert_emu_empty
unset TF_LOG TF_LOG_PATH

for secret in "$sk" "$password" "$token" "$tmp_sk" "$tmp_st"; do
  if grep -rlF -- "$secret" "$E2E_WORK/logs" >/dev/null; then
    fail "a secret (${#secret} characters, starting '${secret:0:3}') appears in: $(grep -rlF -- "$secret" "$E2E_WORK/logs" | tr '\n' ' ')"
  fi
done
e2e_log "no secret in $(find "$E2E_WORK/logs" -type f | wc -l) log files"
