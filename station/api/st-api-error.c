/* The API's error domain: what a request did wrong, or what it may not do. */
#include "station/st-error.h"

GQuark
st_api_error_quark(void)
{
	return g_quark_from_static_string("st-api-error-quark");
}
