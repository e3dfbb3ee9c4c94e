variable "region" {
  description = "Region, e.g. eu-de."
  type        = string
  default     = "eu-de"
}

variable "project_id" {
  description = "Project ID of the account (AK/SK requests are signed for this project)."
  type        = string
}

variable "access_key" {
  description = "Access key (AK) of the account."
  type        = string
  sensitive   = true
}

variable "secret_key" {
  description = "Secret key (SK) of the account."
  type        = string
  sensitive   = true
}

variable "api_endpoint" {
  description = "Base URL of the VPCEP API, e.g. the vpcep-emulator's URL. null = https://vpcep.<region>.otc.t-systems.com."
  type        = string
  default     = null
}

variable "auth_url" {
  description = "IAM URL. null = https://iam.<region>.otc.t-systems.com/v3."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the backend port and of the endpoint."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the endpoint."
  type        = string
}

variable "port_id" {
  description = "Port ID of the backend (the NIC of a VM) that the service publishes."
  type        = string
}

variable "service_name" {
  description = "Short name of the endpoint service (1..16 of A-Z a-z 0-9 _ -)."
  type        = string
  default     = "inventory"
}

variable "team" {
  description = "Value of the team tag that the inventory looks for."
  type        = string
  default     = "payments"
}
