/**
 * @file vpcep/vpcep.h
 * @brief Umbrella header of the VPCEP client library (prefix vpcep_).
 *
 * A C SDK for the Open Telekom Cloud VPC Endpoint REST API v1: AK/SK signing, IAM tokens,
 * every operation, typed errors, retries and waiters. Link with libvpcep.
 *
 * The system tier, include/vpcep/sys/ (decoders, signing, the retry and poll schedules, clock
 * hooks), is for tests, benchmarks and tools; it is not included here.
 */
#ifndef VPCEP_VPCEP_H
#define VPCEP_VPCEP_H

#include "api.h"
#include "client.h"
#include "common.h"
#include "model.h"
#include "wait.h"

#endif
