output "team_services" {
  description = "The team's services: full name => number of connected endpoints."
  value       = { for s in data.vpcep_services.team.services : s.service_name => s.connection_count }
}

output "endpoint_addresses" {
  description = "The accepted endpoints to the service: endpoint ID => private IP and domain name."
  value = {
    for e in data.vpcep_endpoints.to_api.endpoints : e.id => {
      ip_address  = e.ip_address
      domain_name = try(e.dns_names[0], null)
      app         = lookup(e.tags, "app", null)
    }
  }
}
