# The same layout in several environments: one module, instantiated with for_each
# over a map of environments, each tagged with its name.
#
# Here all environments live in one project (one provider). When each environment
# has its own project or account, give each one a provider alias and a module
# block of its own (providers = { vpcep = vpcep.prod }), or use one workspace per
# environment with per-workspace credentials; see README.md.

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

module "service" {
  source   = "./modules/vpcep-service"
  for_each = var.environments

  environment      = each.key
  name             = var.name
  vpc_id           = var.vpc_id
  subnet_id        = var.subnet_id
  port_id          = var.port_id
  server_port      = each.value.server_port
  approval_enabled = each.value.approval_enabled
  tags = {
    team = var.team
  }
}
