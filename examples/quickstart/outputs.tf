output "service_id" {
  description = "ID of the endpoint service."
  value       = vpcep_service.demo.id
}

output "service_name" {
  description = "Full name of the endpoint service; consumers find the service by it."
  value       = vpcep_service.demo.service_name
}

output "endpoint_id" {
  description = "ID of the endpoint."
  value       = vpcep_endpoint.demo.id
}

output "accepted_endpoints" {
  description = "Endpoints the owner has accepted."
  value       = vpcep_approval.demo.endpoints
}

output "endpoint_status" {
  description = "Status of the endpoint after the approval (accepted)."
  value       = data.vpcep_endpoint.demo.status
}

output "endpoint_ip" {
  description = "Private IP address of the endpoint: what clients in the VPC connect to."
  value       = data.vpcep_endpoint.demo.ip_address
}

output "endpoint_domain_name" {
  description = "Private domain name of the endpoint (enable_dns = true)."
  value       = try(data.vpcep_endpoint.demo.dns_names[0], null)
}
