/* tfplugin6 <-> core mapping (see dispatch_impl.h). */
#define TFP_SRV_PROTO 6
#include "dispatch_impl.h"
