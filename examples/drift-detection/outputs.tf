output "service_id" {
  description = "ID of the endpoint service."
  value       = vpcep_service.watched.id
}

output "endpoint_id" {
  description = "ID of the endpoint."
  value       = vpcep_endpoint.watched.id
}
