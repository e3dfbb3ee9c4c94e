# One environment's private service: an endpoint service in front of a backend
# port, an endpoint to it, and the owner's approval (which waits for acceptance).

terraform {
  required_version = ">= 1.5"
  required_providers {
    vpcep = {
      source = "otc/vpcep"
    }
  }
}

locals {
  tags = merge(var.tags, {
    environment = var.environment
  })
}

resource "vpcep_service" "this" {
  name             = "${var.name}-${var.environment}"
  description      = "${var.name} (${var.environment})"
  vpc_id           = var.vpc_id
  port_id          = var.port_id
  server_type      = "VM"
  approval_enabled = var.approval_enabled
  whitelist        = var.whitelist

  port {
    client_port = var.client_port
    server_port = var.server_port
  }

  tags = local.tags
}

resource "vpcep_endpoint" "this" {
  service_name        = vpcep_service.this.service_name
  vpc_id              = var.vpc_id
  subnet_id           = var.subnet_id
  enable_dns          = true
  wait_for_acceptance = false
  tags                = local.tags
}

resource "vpcep_approval" "this" {
  count      = var.approval_enabled ? 1 : 0
  service_id = vpcep_service.this.id
  endpoints  = [vpcep_endpoint.this.id]
}
