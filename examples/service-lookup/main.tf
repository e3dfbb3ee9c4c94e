# Looking up an endpoint service with the vpcep_service data source.
#
# A consumer usually gets a service's full name ("<region>.<name>.<id>") from its
# owner and looks the service up by it: the lookup works for services of any
# account. For a service of the configured project, the data source also exports
# what the vpcep_service resource does (VPC, backend port, port mappings,
# approval, TCP proxy mode, whitelist, tags, status, connections).
#
# To keep the example self-contained, the service it looks up is created here
# too; in practice it belongs to another configuration or another team.

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

# The service (stands for one managed elsewhere). Connections need no approval.
resource "vpcep_service" "api" {
  name             = var.service_name
  description      = "Service found through the vpcep_service data source"
  vpc_id           = var.vpc_id
  port_id          = var.port_id
  server_type      = "VM"
  approval_enabled = false
  tcp_proxy        = "toa_open"

  port {
    client_port = 443
    server_port = 8443
  }

  tags = {
    team = "payments"
  }
}

# Find the service by its full name. Referencing the resource makes Terraform
# read the data source after the service is created; with a literal name (the
# usual case) it is read at plan time.
data "vpcep_service" "api" {
  name = vpcep_service.api.service_name
}

# Connect to it, checking first that it is what we expect.
resource "vpcep_endpoint" "api" {
  service_id = data.vpcep_service.api.id
  vpc_id     = var.vpc_id
  subnet_id  = var.subnet_id
  enable_dns = true

  lifecycle {
    precondition {
      condition     = data.vpcep_service.api.status == "available" && contains([for p in data.vpcep_service.api.port : p.client_port], 443)
      error_message = "The service ${data.vpcep_service.api.name} is not available or does not offer port 443."
    }
  }
}
