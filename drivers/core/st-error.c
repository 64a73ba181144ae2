/* The station error domain. */
#include "station/st-error.h"

GQuark
st_error_quark(void)
{
	return g_quark_from_static_string("st-error-quark");
}
