/* The drivers' error domain. */
#include "station/st-error.h"

G_DEFINE_QUARK(st - device - error - quark, st_device_error)
