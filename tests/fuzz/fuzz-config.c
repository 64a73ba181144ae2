/* Fuzz target: configuration files. */
#include "st-config.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(StConfig) config =
		st_config_load_data((const gchar *)data, size, "fuzz.conf", NULL);
	return 0;
}
