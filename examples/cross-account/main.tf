# Cross-account approval: the service owner publishes a service and whitelists the
# consumer's account; the consumer creates an endpoint from its own account; the
# owner accepts the connection.
#
# Owner and consumer are two provider aliases with different credentials. Both
# sides are in one configuration here, so the consumer's endpoint does not wait for
# acceptance itself: the owner's approval needs the endpoint's ID, so it can only
# start after the endpoint exists, and an endpoint waiting for that approval would
# wait forever. The approval does the waiting instead. When the consumer has its
# own configuration (the usual case: two teams), set wait_for_acceptance = true
# there; see README.md.

terraform {
  required_version = ">= 1.5"
  required_providers {
    vpcep = {
      source = "otc/vpcep"
    }
  }
}

provider "vpcep" {
  alias      = "owner"
  region     = var.region
  project_id = var.owner_project_id
  access_key = var.owner_access_key
  secret_key = var.owner_secret_key
  endpoint   = var.api_endpoint
  auth_url   = var.auth_url
}

provider "vpcep" {
  alias      = "consumer"
  region     = var.region
  project_id = var.consumer_project_id
  access_key = var.consumer_access_key
  secret_key = var.consumer_secret_key
  endpoint   = var.api_endpoint
  auth_url   = var.auth_url
}

# Owner: the service, open to the consumer's account, every connection approved.
resource "vpcep_service" "shared" {
  provider         = vpcep.owner
  name             = "shared-api"
  description      = "Shared API offered to the consumer account"
  vpc_id           = var.owner_vpc_id
  port_id          = var.owner_port_id
  server_type      = "VM"
  approval_enabled = true
  whitelist        = [var.consumer_domain_id]

  port {
    client_port = 443
    server_port = 8443
  }

  tags = {
    owner = "platform"
  }
}

# Consumer: an endpoint in its own VPC, found by the service's full name.
resource "vpcep_endpoint" "consumer" {
  provider            = vpcep.consumer
  service_name        = vpcep_service.shared.service_name
  vpc_id              = var.consumer_vpc_id
  subnet_id           = var.consumer_subnet_id
  enable_dns          = true
  description         = "Consumer endpoint to the shared API"
  wait_for_acceptance = false

  tags = {
    consumer = "app-team"
  }
}

# Owner: accept the consumer's connection; waits until it is accepted.
resource "vpcep_approval" "shared" {
  provider   = vpcep.owner
  service_id = vpcep_service.shared.id
  endpoints  = [vpcep_endpoint.consumer.id]
}
