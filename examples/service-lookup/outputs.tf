output "service_id" {
  description = "ID of the service the data source found."
  value       = data.vpcep_service.api.id
}

output "service" {
  description = "What the data source exports about the service."
  value = {
    name             = data.vpcep_service.api.name
    service_type     = data.vpcep_service.api.service_type
    server_type      = data.vpcep_service.api.server_type
    vpc_id           = data.vpcep_service.api.vpc_id
    port_id          = data.vpcep_service.api.port_id
    approval_enabled = data.vpcep_service.api.approval_enabled
    tcp_proxy        = data.vpcep_service.api.tcp_proxy
    ports            = [for p in data.vpcep_service.api.port : "${p.client_port}->${p.server_port}/${p.protocol}"]
    tags             = data.vpcep_service.api.tags
    status           = data.vpcep_service.api.status
  }
}

output "endpoint_id" {
  description = "ID of the endpoint to the service."
  value       = vpcep_endpoint.api.id
}
