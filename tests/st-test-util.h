/* Helpers shared by the test binaries: temporary folders, fixture paths, file digests. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

/* a fresh folder under $TMPDIR, removed by st_test_tmpdir_free() */
static inline gchar *
st_test_tmpdir_new(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("station-test-XXXXXX", &error);
	g_assert_no_error(error);
	return dir;
}

static inline void
st_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;
	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
				st_test_rm_rf(child);
			else
				g_unlink(child);
		}
	}
	g_rmdir(path);
}

static inline void
st_test_tmpdir_free(gchar *dir)
{
	if (dir == NULL)
		return;
	st_test_rm_rf(dir);
	g_free(dir);
}

/* a file of the project's tests/ folder */
static inline gchar *
st_test_source_path(const gchar *relative)
{
	return g_build_filename(ST_TEST_SRCDIR, relative, NULL);
}

/* SHA-256 of a file's bytes, or of "" when it is missing */
static inline gchar *
st_test_file_digest(const gchar *path)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, NULL))
		return g_compute_checksum_for_string(G_CHECKSUM_SHA256, "", 0);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
}

G_END_DECLS
