/* Helpers shared by the test binaries: temporary folders, fixture paths, file digests, and
 * the daemon run as a child process. */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

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

/* in the child: it gets SIGTERM when the test dies, even when an assertion aborts the test
 * before it could stop the child */
static inline void
st_test_child_dies_with_parent(gpointer user_data)
{
	(void)user_data;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* a launcher for a daemon the test starts: its standard error piped to the test, its
 * standard output dropped, and ended with the test */
static inline GSubprocessLauncher *
st_test_daemon_launcher_new(void)
{
	GSubprocessLauncher *launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_subprocess_launcher_set_child_setup(launcher, st_test_child_dies_with_parent, NULL, NULL);
	return launcher;
}

/* reads the child's log line by line until one holds @needle, keeping what it read in
 * @seen; FALSE at the end of the stream */
static inline gboolean
st_test_wait_for_line(GDataInputStream *in, const gchar *needle, GString *seen)
{
	for (;;) {
		g_autofree gchar *line = g_data_input_stream_read_line_utf8(in, NULL, NULL, NULL);
		if (line == NULL)
			return FALSE;
		g_string_append_printf(seen, "%s\n", line);
		if (strstr(line, needle) != NULL)
			return TRUE;
	}
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
