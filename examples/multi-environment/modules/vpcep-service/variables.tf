variable "environment" {
  description = "Environment name (dev, staging, prod); part of the service name and the environment tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{1,8}$", var.environment))
    error_message = "environment must be 1..8 lower-case letters or digits (the service name is limited to 16 characters)."
  }
}

variable "name" {
  description = "Base name of the service; the service is named <name>-<environment>."
  type        = string
  default     = "app"
}

variable "vpc_id" {
  description = "VPC of the backend and of the endpoint."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the endpoint."
  type        = string
}

variable "port_id" {
  description = "Port ID of the backend."
  type        = string
}

variable "client_port" {
  description = "Port the endpoint listens on."
  type        = number
  default     = 80
}

variable "server_port" {
  description = "Port of the backend. Services on the same backend port must use different server ports."
  type        = number
}

variable "approval_enabled" {
  description = "Whether connections need the owner's approval (then this module approves its own endpoint)."
  type        = bool
  default     = true
}

variable "whitelist" {
  description = "Account (domain) IDs that may connect besides the owner."
  type        = set(string)
  default     = []
}

variable "tags" {
  description = "Extra tags; the environment tag is added."
  type        = map(string)
  default     = {}
}
