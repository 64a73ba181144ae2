/* Fuzz target: `station simulate` scripts (users' own files). */
#include "st-simulator.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(StSimScript) script =
		st_sim_script_parse((const gchar *)data, size, "fuzz", NULL);
	return 0;
}
