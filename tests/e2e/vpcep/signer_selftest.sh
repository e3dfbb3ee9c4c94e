#!/usr/bin/env bash
# Checks the e2e library's own AK/SK signer (used for out-of-band API changes) against the
# published SDK-HMAC-SHA256 vector (fixtures/vpcep/aksk_signing_test_vectors.json),
# so that a scenario failure can never be caused by a wrong test-side signature.
source "$(dirname "$0")/lib.sh"
for prog in openssl sha256sum; do
  command -v "$prog" >/dev/null 2>&1 || fail "$prog is not installed (scripts/setup.sh installs it)"
done

got=$(e2e_sign GET /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs \
  'marker=13551d6b-755d-4757-b956-536f674975c0&limit=2' service.region.example.com \
  20191115T033655Z '' QTWAOYTTINDUT2QVKYUC MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc)
want='SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'
[ "$got" = "$want" ] || fail "signature mismatch: got '$got'"

# Encoding rules: unreserved characters stay, everything else is %XX with upper-case hex.
[ "$(uri_encode 'a-b_c.d~e')" = 'a-b_c.d~e' ] || fail "uri_encode changed unreserved characters"
[ "$(uri_encode 'a b/c:@')" = 'a%20b%2Fc%3A%40' ] || fail "uri_encode: got '$(uri_encode 'a b/c:@')'"
echo "[$E2E_NAME] PASS"
