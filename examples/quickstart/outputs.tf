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
