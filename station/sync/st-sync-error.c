/* The sync's error domain: what the central system or the way to it did wrong. */
#include "station/st-error.h"

GQuark
st_sync_error_quark(void)
{
	return g_quark_from_static_string("st-sync-error-quark");
}
