# An inventory of endpoint services and endpoints with the vpcep_services and
# vpcep_endpoints data sources: every service of a team (found by its tag) and
# the private addresses of the accepted endpoints to it.
#
# To keep the example self-contained it creates what it lists: a service and two
# endpoints to it. In practice the data sources list what other configurations
# (or the console) created, and need no depends_on.

terraform {
  required_version = ">= 1.5"
  required_providers {
    vpcep = {
      source = "otc/vpcep"
    }
  }
}

provider "vpcep" {
  region     = var.region
  project_id = var.project_id
  access_key = var.access_key
  secret_key = var.secret_key
  endpoint   = var.api_endpoint
  auth_url   = var.auth_url
}

resource "vpcep_service" "api" {
  name             = var.service_name
  vpc_id           = var.vpc_id
  port_id          = var.port_id
  server_type      = "VM"
  approval_enabled = false

  port {
    client_port = 443
    server_port = 8443
  }

  tags = {
    team = var.team
  }
}

resource "vpcep_endpoint" "clients" {
  for_each = toset(["web", "batch"])

  service_id = vpcep_service.api.id
  vpc_id     = var.vpc_id
  subnet_id  = var.subnet_id
  enable_dns = true

  tags = {
    team = var.team
    app  = each.key
  }
}

# Every available service of the team. (depends_on only because this
# configuration creates them: it makes Terraform list them after they exist.)
data "vpcep_services" "team" {
  status = "available"
  tags = {
    team = var.team
  }
  depends_on = [vpcep_endpoint.clients]
}

# The accepted endpoints to the first of them, with their private addresses.
data "vpcep_endpoints" "to_api" {
  service_id = data.vpcep_services.team.ids[0]
  status     = "accepted"
}
