#!/usr/bin/env bash
# Import with generated configuration, for every resource type: a configuration holding only
# `import` blocks, `terraform plan -generate-config-out=generated.tf` writes the resource
# blocks, and that plan shows imports only (the generated file is valid as written: an
# endpoint gets both service_id and service_name, which name the same service). After the
# apply, the next plan is empty. Covers an interface endpoint to the owner's service (found
# by ID) and a gateway endpoint to a public service (found by name).
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

src=$(e2e_workdir create lifecycle)
cat >>"$src/main.tf" <<'EOF'

variable "route_table_id" {
  type = string
}

resource "vpcep_endpoint" "gw" {
  service_name = "com.t-systems.otc.eu-de.obs"
  vpc_id       = var.owner_vpc_id
  route_tables = [var.route_table_id]
}

output "gateway_id" {
  value = vpcep_endpoint.gw.id
}
EOF
rt=$(seed_get '.accounts[] | select(.name == "owner") | .vpcs[0].route_tables[0].id')
tf_apply "$src" -var "route_table_id=$rt"
sid=$(tf_output "$src" service_id)
eid=$(tf_output "$src" endpoint_id)
gid=$(tf_output "$src" gateway_id)
before=$(emu_mutation_count)

dst=$(e2e_workdir generated)
cat >"$dst/main.tf" <<EOF
import {
  to = vpcep_service.s
  id = "$sid"
}

import {
  to = vpcep_endpoint.e
  id = "$eid"
}

import {
  to = vpcep_endpoint.gw
  id = "$gid"
}

import {
  to = vpcep_approval.a
  id = "$sid"
}
EOF
tf "$dst" plan -input=false -generate-config-out=generated.tf
[ "$TF_RC" -eq 0 ] || fail "plan -generate-config-out exited $TF_RC"
[ -s "$dst/generated.tf" ] || fail "no generated.tf"
echo "----- generated.tf"
sed 's/^/  | /' "$dst/generated.tf"
out_has 'Plan: 4 to import, 0 to add, 0 to change, 0 to destroy' 'the plan with generated configuration'
out_lacks 'Conflicting arguments|must be replaced|will be (created|destroyed|updated)' \
  'the plan with generated configuration'
grep -q 'resource "vpcep_service" "s"' "$dst/generated.tf" || fail "no service in generated.tf"
grep -q 'resource "vpcep_approval" "a"' "$dst/generated.tf" || fail "no approval in generated.tf"

tf_apply "$dst"
out_has 'Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed'
tf_plan_expect "$dst" 0
out_has 'No changes'
[ "$(tf_state_attr "$dst" vpcep_endpoint.e id)" = "$eid" ] || fail "imported endpoint has another ID"
[ "$(tf_state_attr "$dst" vpcep_approval.a endpoints)" = "[\"$eid\"]" ] ||
  fail "imported approval's endpoints: $(tf_state_attr "$dst" vpcep_approval.a endpoints)"
[ "$(emu_mutation_count)" -eq "$before" ] || fail "importing changed something in the cloud"

# The generated configuration manages the objects from now on: an edit plans as an update.
sed -i 's/e2e lifecycle service/edited after import/' "$dst/generated.tf"
tf_plan_expect "$dst" 2
out_has '1 to change'

# Generated blocks refer to each other by literal IDs, so Terraform orders nothing: the approval
# and both endpoints are destroyed in parallel (the approval's reject may meet an endpoint that
# is already being deleted, which counts as done), then the service, which the API refuses to
# delete while endpoints are still attached.
tf_destroy "$dst" -target=vpcep_approval.a -target=vpcep_endpoint.e -target=vpcep_endpoint.gw
tf_destroy "$dst"
assert_emu_empty
