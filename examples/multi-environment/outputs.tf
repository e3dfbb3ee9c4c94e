output "service_names" {
  description = "Full service name per environment."
  value       = { for env, m in module.service : env => m.service_name }
}

output "endpoint_ids" {
  description = "Endpoint ID per environment."
  value       = { for env, m in module.service : env => m.endpoint_id }
}
