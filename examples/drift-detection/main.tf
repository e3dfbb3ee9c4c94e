# Drift detection: infrastructure that a pipeline checks regularly with
# drift-check.sh (terraform plan -detailed-exitcode). Anything changed outside
# Terraform shows up as drift: a connection the owner rejected in the console, a
# description edited by hand, an endpoint somebody deleted.

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

resource "vpcep_service" "watched" {
  name             = var.service_name
  description      = "Managed by Terraform; checked for drift"
  vpc_id           = var.vpc_id
  port_id          = var.port_id
  server_type      = "VM"
  approval_enabled = true

  port {
    client_port = 443
    server_port = 8443
  }

  tags = {
    managed_by = "terraform"
  }
}

resource "vpcep_endpoint" "watched" {
  service_id          = vpcep_service.watched.id
  vpc_id              = var.vpc_id
  subnet_id           = var.subnet_id
  wait_for_acceptance = false

  tags = {
    managed_by = "terraform"
  }
}

# Refresh keeps only the endpoints that are still accepted, so a connection
# rejected out of band shows as drift here.
resource "vpcep_approval" "watched" {
  service_id = vpcep_service.watched.id
  endpoints  = [vpcep_endpoint.watched.id]
}
