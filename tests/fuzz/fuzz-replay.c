/*
 * The plain driver every fuzz target is linked with when not built for libFuzzer: it runs
 * the target once on each file named on the command line (or in each folder named), so the
 * corpus runs as an ordinary test in CI, under the sanitizers when they are on. Prints TAP.
 */
#include <glib.h>
#include <stdio.h>

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

static guint n_run = 0;

static gboolean
replay_file(const gchar *path)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) error = NULL;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		printf("not ok %u - %s: %s\n", ++n_run, path, error->message);
		return FALSE;
	}
	LLVMFuzzerTestOneInput((const guint8 *)data, len);
	printf("ok %u - %s\n", ++n_run, path);
	return TRUE;
}

/* g_ptr_array_sort() passes pointers to the elements */
static gint
st_compare_strings(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

int
main(int argc, char **argv)
{
	gboolean ok = TRUE;

	for (gint i = 1; i < argc; i++) {
		if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
			g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
			const gchar *name;
			while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
				g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
			g_ptr_array_sort(names, st_compare_strings);
			for (guint j = 0; j < names->len; j++)
				ok = replay_file(g_ptr_array_index(names, j)) && ok;
		} else {
			ok = replay_file(argv[i]) && ok;
		}
	}
	printf("1..%u\n", n_run);
	return ok && n_run > 0 ? 0 : 1;
}
