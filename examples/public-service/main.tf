# An endpoint to a cloud service: find the region's OBS (object storage) service
# among the public endpoint services by name, then connect a VPC to it. OBS is a
# gateway service: traffic to it is routed through the VPC's route tables, and
# connections to public services need no approval.

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

# Every public service whose name contains "obs", e.g. com.t-systems.otc.eu-de.obs.
data "vpcep_public_services" "obs" {
  name = var.service_filter
}

locals {
  # The region's OBS gateway service among the matches (null when there is none).
  obs = one([
    for s in data.vpcep_public_services.obs.services : s
    if s.service_type == "gateway" && s.service_name == "com.t-systems.otc.${var.region}.obs"
  ])
}

resource "vpcep_endpoint" "obs" {
  service_id   = try(local.obs.id, null)
  vpc_id       = var.vpc_id
  route_tables = length(var.route_table_ids) > 0 ? var.route_table_ids : null
  description  = "Private access to OBS"

  tags = {
    purpose = "object-storage"
  }

  lifecycle {
    precondition {
      condition     = local.obs != null
      error_message = "No public gateway service com.t-systems.otc.${var.region}.obs matches the filter \"${var.service_filter}\"."
    }
  }
}
