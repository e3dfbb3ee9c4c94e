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
  description = "VPC of the backends and the endpoints."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the endpoints."
  type        = string
}

variable "port_id" {
  description = "Backend port shared by the environments (each environment uses its own server port)."
  type        = string
}

variable "name" {
  description = "Base name of the services (<name>-<environment>, at most 16 characters in all)."
  type        = string
  default     = "app"
}

variable "team" {
  description = "Value of the team tag on every resource."
  type        = string
  default     = "platform"
}

variable "environments" {
  description = "The environments to provision, with their settings."
  type = map(object({
    server_port      = number
    approval_enabled = optional(bool, true)
  }))
  default = {
    dev = {
      server_port      = 8081
      approval_enabled = false
    }
    staging = {
      server_port = 8082
    }
    prod = {
      server_port = 8083
    }
  }
}
