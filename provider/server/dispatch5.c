/* tfplugin5 <-> core mapping (see dispatch_impl.h). */
#define TFP_SRV_PROTO 5
#include "dispatch_impl.h"
