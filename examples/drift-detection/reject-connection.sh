#!/usr/bin/env bash
# reject-connection.sh - an out-of-band change for the drift demo: the service owner rejects an
# endpoint's connection directly through the VPCEP API, as someone would in the console.
#
#   reject-connection.sh SERVICE_ID ENDPOINT_ID
#
# Uses an IAM token of the service owner (password authentication) from the environment:
#   VPCEP_ENDPOINT   base URL of the VPCEP API (e.g. the emulator's URL)
#   OS_AUTH_URL      IAM URL (default: $VPCEP_ENDPOINT/v3, which is where the emulator serves IAM)
#   OS_PROJECT_ID, OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME
set -euo pipefail
[ $# -eq 2 ] || {
  echo "usage: $0 SERVICE_ID ENDPOINT_ID" >&2
  exit 1
}
service_id=$1
endpoint_id=$2
: "${VPCEP_ENDPOINT:?set VPCEP_ENDPOINT}" "${OS_PROJECT_ID:?}" "${OS_USERNAME:?}" "${OS_PASSWORD:?}" \
  "${OS_DOMAIN_NAME:?}"
auth_url=${OS_AUTH_URL:-${VPCEP_ENDPOINT%/}/v3}

# JSON-escape a value for the request body (backslash and double quote).
esc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
body=$(printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","password":"%s","domain":{"name":"%s"}}}},"scope":{"project":{"id":"%s"}}}}' \
  "$(esc "$OS_USERNAME")" "$(esc "$OS_PASSWORD")" "$(esc "$OS_DOMAIN_NAME")" "$(esc "$OS_PROJECT_ID")")

# The token comes back in the X-Subject-Token header; it is never printed.
token=$(printf '%s' "$body" | curl -sS -D - -o /dev/null -X POST "${auth_url%/}/auth/tokens" \
  -H 'Content-Type: application/json;charset=utf8' --data-binary @- |
  sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' | tr -d '\r')
[ -n "$token" ] || {
  echo "reject-connection: IAM did not return a token (check the credentials and OS_AUTH_URL)" >&2
  exit 1
}

curl -sS --fail-with-body -X POST \
  "${VPCEP_ENDPOINT%/}/v1/$OS_PROJECT_ID/vpc-endpoint-services/$service_id/connections/action" \
  -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
  --data-binary "{\"action\":\"reject\",\"endpoints\":[\"$endpoint_id\"]}"
echo
echo "reject-connection: rejected endpoint $endpoint_id of service $service_id"
