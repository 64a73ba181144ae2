/* The services' error domain: what printing, label data and imports refuse themselves. */
#include "station/st-error.h"

GQuark
st_service_error_quark(void)
{
	return g_quark_from_static_string("st-service-error-quark");
}
