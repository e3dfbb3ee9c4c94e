variable "region" {
  description = "Region, e.g. eu-de."
  type        = string
  default     = "eu-de"
}

variable "project_id" {
  description = "Project ID."
  type        = string
}

variable "access_key" {
  description = "Access key."
  type        = string
  sensitive   = true
}

variable "secret_key" {
  description = "Secret key."
  type        = string
  sensitive   = true
}

variable "api_endpoint" {
  description = "Base URL of the VPCEP API, e.g. the vpcep-emulator's URL. null = the region's endpoint."
  type        = string
  default     = null
}

variable "auth_url" {
  description = "IAM URL. null = https://iam.<region>.otc.t-systems.com/v3."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC that gets access to OBS."
  type        = string
}

variable "route_table_ids" {
  description = "Route tables that get the route to OBS. Empty = the API's default (the VPC's default route table)."
  type        = set(string)
  default     = []
}

variable "service_filter" {
  description = "Name filter for the public services (case-insensitive substring)."
  type        = string
  default     = "obs"
}
