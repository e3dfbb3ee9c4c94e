/**
 * @file tfp/tfp.h
 * @brief Umbrella header of the provider-plugin ABI (libtfp): include this one.
 */
#ifndef TFP_TFP_H
#define TFP_TFP_H

#include "common.h"
#include "diag.h"
#include "log.h"
#include "provider.h"
#include "schema.h"
#include "value.h"

#endif
