/* The drivers' error domain. */
#include "station/st-error.h"

GQuark
st_device_error_quark(void)
{
	return g_quark_from_static_string("st-device-error-quark");
}
