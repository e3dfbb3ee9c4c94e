# Quick start: the whole VPC Endpoint workflow of the user guide in one account.
#
#   1. the service owner publishes a backend port as an endpoint service
#      (approval_enabled = true: every connection must be accepted);
#   2. a consumer finds the service by its name and creates an endpoint to it;
#   3. the owner accepts the connection; the approval waits until the endpoint
#      is "accepted";
#   4. the endpoint's private IP address and domain name, read once it is
#      accepted (outputs endpoint_ip and endpoint_domain_name).
#
# Here the owner and the consumer are the same account. The endpoint does not
# wait for acceptance itself (wait_for_acceptance = false): the approval, which
# depends on the endpoint, does the waiting. An endpoint that waited for an
# approval that depends on it would wait forever.

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
  # null = the regional default (or the VPCEP_ENDPOINT / OS_AUTH_URL environment).
  endpoint = var.api_endpoint
  auth_url = var.auth_url
}

# Step 1 (service owner): the endpoint service in front of a backend port.
resource "vpcep_service" "demo" {
  name             = var.service_name
  description      = "Quick start endpoint service"
  vpc_id           = var.vpc_id
  port_id          = var.port_id
  server_type      = "VM"
  approval_enabled = true

  port {
    client_port = 8080
    server_port = 80
  }

  tags = {
    environment = "quickstart"
  }
}

# Step 2 (consumer): an endpoint found by the service's full name
# ("<region>.<name>.<id>"). The name is verified at plan time.
resource "vpcep_endpoint" "demo" {
  service_name        = vpcep_service.demo.service_name
  vpc_id              = var.vpc_id
  subnet_id           = var.subnet_id
  enable_dns          = true
  description         = "Quick start endpoint"
  wait_for_acceptance = false

  tags = {
    environment = "quickstart"
  }
}

# Step 3 (service owner): accept the connection and wait until it is accepted.
resource "vpcep_approval" "demo" {
  service_id = vpcep_service.demo.id
  endpoints  = [vpcep_endpoint.demo.id]
}

# Step 4: view the private IP address and private domain name. The cloud assigns
# them when the connection is accepted, after vpcep_endpoint.demo was created
# (and read), so read the endpoint again once the approval has waited for the
# acceptance: depends_on makes Terraform read this data source during the apply,
# after the approval, whenever the approval changes.
data "vpcep_endpoint" "demo" {
  id         = vpcep_endpoint.demo.id
  depends_on = [vpcep_approval.demo]
}
