variable "region" {
  description = "Region of both accounts, e.g. eu-de."
  type        = string
  default     = "eu-de"
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

# ----- service owner -----

variable "owner_project_id" {
  description = "Project ID of the service owner."
  type        = string
}

variable "owner_access_key" {
  description = "Access key of the service owner."
  type        = string
  sensitive   = true
}

variable "owner_secret_key" {
  description = "Secret key of the service owner."
  type        = string
  sensitive   = true
}

variable "owner_vpc_id" {
  description = "VPC of the owner's backend."
  type        = string
}

variable "owner_port_id" {
  description = "Port ID of the owner's backend (a VM's NIC)."
  type        = string
}

# ----- consumer -----

variable "consumer_project_id" {
  description = "Project ID of the consumer."
  type        = string
}

variable "consumer_access_key" {
  description = "Access key of the consumer."
  type        = string
  sensitive   = true
}

variable "consumer_secret_key" {
  description = "Secret key of the consumer."
  type        = string
  sensitive   = true
}

variable "consumer_domain_id" {
  description = "Account (domain) ID of the consumer; the owner whitelists it."
  type        = string
}

variable "consumer_vpc_id" {
  description = "VPC of the consumer's endpoint."
  type        = string
}

variable "consumer_subnet_id" {
  description = "Subnet of the consumer's endpoint."
  type        = string
}
