output "service_name" {
  description = "Full name of the owner's service."
  value       = vpcep_service.shared.service_name
}

output "consumer_endpoint_id" {
  description = "ID of the consumer's endpoint."
  value       = vpcep_endpoint.consumer.id
}

output "accepted_endpoints" {
  description = "Endpoints the owner has accepted."
  value       = vpcep_approval.shared.endpoints
}
