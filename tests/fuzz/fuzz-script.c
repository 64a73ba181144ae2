/* Fuzz target: emulated-device scripts (the demo's and users' own). The first byte picks a
 * keyboard (even) or a scale (odd) script. */
#include "emulated/st-emulated-device.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(StEmulatedScript) script = NULL;
	if (size < 1)
		return 0;
	script = st_emulated_script_parse((const gchar *)data + 1, size - 1,
					  (data[0] & 1) ? "scale" : "keyboard", "us", NULL, NULL);
	return 0;
}
