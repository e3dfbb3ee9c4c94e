#!/usr/bin/env bash
# Diagnostics that point: one error per bad tag key or value, at tags["key"] (so Terraform
# shows the offending line of a map literal), naming the key and the value (a long one cut to a
# readable length) and saying what is wrong; good tags next to them get no error. With the tags
# coming from an expression (merge of a variable), each bad tag still gets its own, named error.
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_start_emulator

long_key=this-key-is-much-longer-than-thirty-six-characters-allowed
dir=$(e2e_workdir literal)
cat >"$dir/main.tf" <<EOF
resource "vpcep_service" "s" {
  vpc_id      = var.owner_vpc_id
  port_id     = var.owner_port_id
  server_type = "VM"

  port {
    client_port = 80
    server_port = 8080
  }

  tags = {
    ok        = "fine"
    "bad key" = "v"
    good      = "v@lue"
    "$long_key" = "x"
    also_ok   = ""
  }
}
EOF
tf "$dir" validate
[ "$TF_RC" -ne 0 ] || fail "bad tags were accepted"
n=$(grep -c '^Error: Invalid tag' "$TF_OUT" || true)
[ "$n" -eq 3 ] || fail "$n tag errors for 3 bad tags (expected one each)"
# Each error at its own line of the map, naming the key (and the value when that is the problem).
out_has 'Error: Invalid tag key .{0,40}on main.tf line 13, in resource "vpcep_service" "s": 13: "bad key" = "v" The tag key "bad key" is not valid: it contains a space'
out_has 'Error: Invalid tag value .{0,40}on main.tf line 14, in resource "vpcep_service" "s": 14: good = "v@lue" The value "v@lue" of tag "good" is not valid: .@. is not allowed'
out_has "Error: Invalid tag key .{0,40}on main.tf line 15, .{0,200}The tag key \"this-key-is-much-longer-than-thirty-six-\\.\\.\\.\" is not valid: it has 58 characters"
out_lacks 'tag "ok"|tag key "ok"|"also_ok"'

# Tags built by an expression (known at plan time, not at validate time): Terraform can only
# point at the attribute, so the messages must tell the keys apart.
expr=$(e2e_workdir expression)
cat >"$expr/main.tf" <<'EOF'
variable "common" {
  type    = map(string)
  default = { "a b" = "1", "c:d" = "2", fine = "3" }
}

resource "vpcep_endpoint" "e" {
  service_id = "0b0e2c2e-0000-4000-8000-000000000001"
  vpc_id     = var.owner_vpc_id
  subnet_id  = var.owner_subnet_id
  tags       = merge(var.common, { team = "x/y" })
}
EOF
tf "$expr" plan -input=false
[ "$TF_RC" -ne 0 ] || fail "bad tags from an expression were accepted"
n=$(grep -c '^Error: Invalid tag' "$TF_OUT" || true)
[ "$n" -eq 3 ] || fail "$n tag errors for 3 bad tags from an expression"
out_has 'The tag key "a b" is not valid'
out_has "The tag key \"c:d\" is not valid: ':' is not allowed"
out_has 'The value "x/y" of tag "team" is not valid'
out_lacks 'tag key "fine"'
[ "$(emu_mutation_count)" -eq 0 ] || fail "validation reached the API"
