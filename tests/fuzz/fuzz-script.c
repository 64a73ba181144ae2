/* Fuzz target: emulated-device scripts (the demo's and users' own). */
#include "emulated/st-emulated-device.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(StEmulatedScript) script =
		st_emulated_script_parse((const gchar *)data, size, "us", NULL, NULL);
	return 0;
}
