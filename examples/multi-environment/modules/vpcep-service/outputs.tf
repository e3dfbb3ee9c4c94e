output "service_id" {
  description = "ID of the endpoint service."
  value       = vpcep_service.this.id
}

output "service_name" {
  description = "Full name of the endpoint service."
  value       = vpcep_service.this.service_name
}

output "endpoint_id" {
  description = "ID of the endpoint."
  value       = vpcep_endpoint.this.id
}
