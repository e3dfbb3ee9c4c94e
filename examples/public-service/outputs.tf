output "public_services" {
  description = "Full names of the public services that matched the filter."
  value       = [for s in data.vpcep_public_services.obs.services : s.service_name]
}

output "obs_service_name" {
  description = "The OBS gateway service the endpoint connects to."
  value       = try(local.obs.service_name, null)
}

output "endpoint_id" {
  description = "ID of the endpoint to OBS."
  value       = vpcep_endpoint.obs.id
}
