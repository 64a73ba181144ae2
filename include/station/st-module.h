/*
 * Libraries opened when first needed instead of linked (as systemd opens its optional ones):
 * ICU, libcups and libzbar cost every command their loading though few commands use them.
 * Each room that uses one declares its functions as pointers (typed from the library's own
 * header), names them here, and calls st_module_open() once. Header only, so that every room
 * may use it.
 */
#pragma once

#include <gmodule.h>

G_BEGIN_DECLS

/* a function of the library: its name in the library, and where its address goes */
typedef struct {
	const gchar *name;
	gpointer *fn;
} StModuleSymbol;

/**
 * st_module_open:
 * @soname: the library by its soname (libcups.so.2), found as the dynamic linker finds it
 * @symbols: (array length=n_symbols): the functions to look up
 *
 * Opens @soname and fills each of @symbols. On success the library stays loaded for the life
 * of the process (the pointers are kept); on failure nothing is left open.
 *
 * Returns: (transfer full) (nullable): NULL, or why the library cannot be used (the dynamic
 *   linker's message, or the function it lacks)
 */
static inline gchar *
st_module_open(const gchar *soname, const StModuleSymbol *symbols, gsize n_symbols)
{
	GModule *module = g_module_open(soname, G_MODULE_BIND_LOCAL);

	if (module == NULL)
		return g_strdup(g_module_error());
	for (gsize i = 0; i < n_symbols; i++) {
		if (!g_module_symbol(module, symbols[i].name, symbols[i].fn) ||
		    *symbols[i].fn == NULL) {
			g_module_close(module);
			return g_strdup_printf("it has no %s", symbols[i].name);
		}
	}
	g_module_make_resident(module);
	return NULL;
}

/* a library opened once per process, from whichever thread needs it first: static, zeroed */
typedef struct {
	gsize done;
	gchar *failed;
} StModule;

/**
 * st_module_load:
 * @self: the library's static StModule
 *
 * st_module_open() the first time, from any thread; later calls say what that found.
 *
 * Returns: (transfer none) (nullable): NULL once the functions are in @symbols, or why the
 *   library cannot be used
 */
static inline const gchar *
st_module_load(StModule *self, const gchar *soname, const StModuleSymbol *symbols, gsize n_symbols)
{
	if (g_once_init_enter(&self->done)) {
		self->failed = st_module_open(soname, symbols, n_symbols);
		g_once_init_leave(&self->done, 1);
	}
	return self->failed;
}

G_END_DECLS
