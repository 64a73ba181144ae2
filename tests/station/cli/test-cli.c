/*
 * Tests of the station program as a user runs it: the demo and its summary, exit codes and
 * --help of every command, start-up refusals with their messages, and a daemon that records
 * a scan and shuts down cleanly on SIGTERM.
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "st-test-hid.h"
#include "st-i18n.h"
#include "st-test-central.h"
#include "st-test-util.h"
#include "station/st-store.h"

static const gchar *
station_bin(void)
{
	const gchar *bin = g_getenv("STATION_BIN");
	g_assert_nonnull(bin);
	return bin;
}

/* runs station with @args; returns the exit status and fills stdout/stderr */
static gint
run(gchar **out, gchar **err, const gchar *first, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *o = NULL;
	g_autofree gchar *e = NULL;
	va_list args;

	g_ptr_array_add(argv, (gpointer)station_bin());
	va_start(args, first);
	for (const gchar *a = first; a != NULL; a = va_arg(args, const gchar *))
		g_ptr_array_add(argv, (gpointer)a);
	va_end(args);
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_newv((const gchar *const *)argv->pdata,
				 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
				 &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(proc, NULL, NULL, &o, &e, &error));
	g_assert_no_error(error);
	if (out != NULL)
		*out = g_steal_pointer(&o);
	if (err != NULL)
		*err = g_steal_pointer(&e);
	g_assert_true(g_subprocess_get_if_exited(proc));
	return g_subprocess_get_exit_status(proc);
}

/*
 * `make demo`'s shift, as a newcomer runs it: the reference central system started, its
 * catalogue and 100 orders pulled, a batch picked, orders packed in Chinese with each planted
 * mistake caught, a weight let go by the lead, two boxes, an order cancelled by the central
 * system mid-pack, the parcels loaded and the manifest closed, every event delivered once and
 * in order. With a French scanner layout too (the emulated devices type AZERTY reports).
 */
static void
test_demo(gconstpointer data)
{
	const gchar *layout = data;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status = run(&out, &err, "demo", "--layout", layout, NULL);

	if (status != 0)
		g_error("station demo exited %d: %s\n%s", status, err, out);
	g_assert_nonnull(strstr(out, "pulled:          300 products, 100 orders"));
	g_assert_nonnull(strstr(out, "the pick list is done; take the tote to packing"));
	g_assert_nonnull(strstr(out, "[not-in-order]"));
	g_assert_nonnull(strstr(out, "[over-scan]"));
	g_assert_nonnull(strstr(out, "[too-light]"));
	g_assert_nonnull(strstr(out, "[order-cancelled]"));
	/* the packer reads Chinese */
	g_assert_nonnull(strstr(out, "已登录：李伟"));
	/* the two boxes of ORD-2009 each have their label; every order its customs form */
	g_assert_nonnull(strstr(out, "order ORD-2009: label of parcel 2"));
	g_assert_nonnull(strstr(out, "customs declaration (label"));
	g_assert_null(strstr(out, "not printed"));
	g_assert_nonnull(strstr(out, "Manifest 1 (no carrier) closed with 9 parcels of 8 orders"));
	g_assert_nonnull(strstr(out, "manifest 1 (label"));
	/* every event at the central system, once, in its order's sequence */
	g_assert_nonnull(strstr(out, "\"delivered_more_than_once\": 0, \"out_of_order\": 0"));
	g_assert_nonnull(strstr(out, "8 orders packed in 9 parcels, 8 shipped; 22 labels and "
				     "documents printed"));
	g_assert_nonnull(strstr(out, "delivered to the central system, 0 waiting"));
	g_assert_null(strstr(out, "expected "));
}

/* without the reference central system (ST_CENTRAL_BIN empty): the same data stored
 * directly, the same shift but the cancellation (a lead's cancel command instead), the
 * events waiting in the outbox */
static void
test_demo_no_central(void)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL, *err = NULL;

	g_subprocess_launcher_setenv(launcher, "ST_CENTRAL_BIN", "", TRUE);
	proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "demo", NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &err, &error));
	if (g_subprocess_get_exit_status(proc) != 0)
		g_error("station demo exited %d: %s\n%s", g_subprocess_get_exit_status(proc), err,
			out);
	g_assert_nonnull(strstr(out, "central system:  none found"));
	g_assert_nonnull(strstr(out,
				"8 orders packed in 9 parcels, 8 shipped; 22 labels and "
				"documents printed; 0 events delivered to the central system"));
	g_assert_null(strstr(out, ", 0 waiting"));
}

/* runs station with @args and @input on its standard input */
static gint
run_stdin(gchar **out, gchar **err, GBytes *input, const gchar *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) o = NULL, e = NULL;

	g_ptr_array_add(argv, (gpointer)station_bin());
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_newv((const gchar *const *)argv->pdata,
				 G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					 G_SUBPROCESS_FLAGS_STDERR_PIPE,
				 &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate(proc, input, NULL, &o, &e, &error));
	g_assert_no_error(error);
	/* nothing the station writes holds a NUL */
	if (g_bytes_get_size(o) > 0)
		g_assert_null(memchr(g_bytes_get_data(o, NULL), 0, g_bytes_get_size(o)));
	*out = g_strndup(g_bytes_get_size(o) > 0 ? g_bytes_get_data(o, NULL) : "",
			 g_bytes_get_size(o));
	*err = g_strndup(g_bytes_get_size(e) > 0 ? g_bytes_get_data(e, NULL) : "",
			 g_bytes_get_size(e));
	g_assert_true(g_subprocess_get_if_exited(proc));
	return g_subprocess_get_exit_status(proc);
}

/* each line of @out parses as JSON, and is UTF-8 */
static void
assert_json_lines(const gchar *out, const gchar *what)
{
	g_auto(GStrv) lines = NULL;
	g_assert_true(g_utf8_validate(out, -1, NULL));
	lines = g_strsplit(out, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) error = NULL;
		if (lines[i][0] == '\0')
			continue;
		if (!json_parser_load_from_data(parser, lines[i], -1, &error))
			g_error("%s: line %u is not JSON (%s): %s", what, i + 1, error->message,
				lines[i]);
	}
}

/* outside input past every bound: files that are not regular files (/dev/zero) refused at
 * their limit instead of read forever, JSON nested 100,000 deep refused before it is parsed,
 * a line longer than any barcode never kept whole, a NUL part of the scan, and whatever bytes
 * come in, every line the JSON-writing commands print is UTF-8 JSON */
static void
test_bounded_input(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *zpl = g_build_filename(dir, "out.zpl", NULL);
	g_autofree gchar *deep = g_build_filename(dir, "deep.json", NULL);
	g_autofree gchar *deep_template = g_build_filename(dir, "deep-template.json", NULL);
	g_autoptr(GString) nested = g_string_new("{\"x\":");
	const struct {
		const gchar *args[9];
		const gchar *said;
	} cases[] = {
		{{"config", "-c", "/dev/zero", NULL}, "larger than 1024 KiB: not a configuration"},
		{{"label", "render", "-t", "carrier-4x6", "-d", "/dev/zero", "-o", zpl, NULL},
		 "more than 1048576 bytes"},
		{{"print", "/dev/zero", NULL}, "larger than 64 MiB"},
		{{"simulate", "--script", "/dev/zero", NULL}, "not a script file"},
		{{"hid", "decode", "--kind", "keyboard", "--descriptor", "/dev/zero", NULL},
		 "more than 262144 bytes"},
		{{"hid", "decode", "--kind", "keyboard", "--capture", "/dev/zero", NULL},
		 "over 64 MiB"},
		{{"label", "render", "-t", "carrier-4x6", "-d", deep, "-o", zpl, NULL},
		 "nested deeper than 64 levels"},
		{{"label", "render", "-t", deep_template, "-d", deep, "-o", zpl, NULL},
		 "nested deeper than 64 levels"},
	};
	GRand *rand = g_rand_new_with_seed(20261207);
	g_autoptr(GByteArray) noise = g_byte_array_new();

	for (guint i = 0; i < 100000; i++)
		g_string_append_c(nested, '[');
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(nested, ']');
	g_string_append_c(nested, '}');
	g_assert_true(g_file_set_contents(deep, nested->str, (gssize)nested->len, NULL));
	g_assert_true(g_file_set_contents(deep_template, nested->str, (gssize)nested->len, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *out = NULL, *err = NULL;
		g_autoptr(GBytes) none = g_bytes_new_static("", 0);
		gint status = run_stdin(&out, &err, none, cases[i].args);
		g_test_message("%s: %s", cases[i].args[0], err);
		g_assert_cmpint(status, ==, 1);
		g_assert_nonnull(strstr(err, cases[i].said));
	}
	/* random bytes, 0xFF and NUL among them, one "scan" a line */
	for (guint i = 0; i < 3000; i++) {
		guint8 b = (guint8)g_rand_int_range(rand, 0, 256);
		g_byte_array_append(noise, &b, 1);
		if (g_rand_int_range(rand, 0, 12) == 0)
			g_byte_array_append(noise, (const guint8 *)"\n", 1);
	}
	{
		const gchar *const commands[][5] = {{"barcode", "parse", NULL},
						    {"hid", "decode", "--kind", "keyboard", NULL},
						    {"hid", "decode", "--kind", "scale", NULL}};
		g_autoptr(GBytes) input = g_bytes_new(noise->data, noise->len);
		for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
			g_autofree gchar *out = NULL, *err = NULL;
			run_stdin(&out, &err, input, commands[i]);
			g_assert_cmpuint(strlen(out), >, 0);
			assert_json_lines(out, commands[i][0]);
		}
	}
	{
		/* a NUL inside a scan is part of it, not a line break; a 10 MB line is said as
		 * one */
		const gchar *args[] = {"barcode", "parse", NULL};
		g_autoptr(GByteArray) long_line = g_byte_array_new();
		g_autofree gchar *out = NULL, *err = NULL;
		g_autoptr(GBytes) nul = g_bytes_new_static("4006381333931\0abc\n", 18);
		g_autoptr(GBytes) huge = NULL;
		g_assert_cmpint(run_stdin(&out, &err, nul, args), ==, 1);
		g_assert_nonnull(strstr(out, "a NUL byte at character 13"));
		g_assert_null(strchr(strchr(out, '\n') + 1, '\n'));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		g_byte_array_set_size(long_line, 10 * 1024 * 1024);
		memset(long_line->data, '9', long_line->len);
		huge = g_byte_array_free_to_bytes(g_steal_pointer(&long_line));
		g_assert_cmpint(run_stdin(&out, &err, huge, args), ==, 1);
		g_assert_nonnull(strstr(out, "a line of 10485760 characters"));
	}
	{
		/* simulate: a script is text, but its scans may carry any byte as \xHH; every
		 * answer line is JSON */
		g_autofree gchar *conf = g_build_filename(dir, "sim.conf", NULL);
		g_autofree gchar *db = g_build_filename(dir, "sim.db", NULL);
		g_autofree gchar *script = g_build_filename(dir, "noise.txt", NULL);
		g_autofree gchar *text =
			g_strdup_printf("[store]\npath = %s\n[usb]\nenabled = false\n", db);
		g_autofree gchar *out = NULL, *err = NULL;
		g_autoptr(GString) lines = g_string_new(NULL);
		g_autoptr(StStore) store = st_store_new("bench-sim");
		g_autoptr(GError) error = NULL;
		g_assert_true(g_file_set_contents(conf, text, -1, NULL));
		g_assert_true(st_store_open(store, db, 1000, &error));
		st_store_close(store);
		for (guint i = 0; i < 200; i++) {
			g_string_append(lines, "scan bench ");
			for (gint n = g_rand_int_range(rand, 1, 24); n > 0; n--)
				g_string_append_printf(lines, "\\x%02x",
						       (guint)g_rand_int_range(rand, 1, 256));
			g_string_append_c(lines, '\n');
		}
		g_assert_true(g_file_set_contents(script, lines->str, -1, NULL));
		g_assert_cmpint(run(&out, &err, "simulate", "-c", conf, "--script", script, NULL),
				==, 0);
		{
			/* an answer for every scan */
			guint n = 0;
			for (const gchar *c = out; *c != '\0'; c++)
				n += *c == '\n';
			g_assert_cmpuint(n, ==, 200);
		}
		assert_json_lines(out, "simulate");
	}
	g_rand_free(rand);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* a database the station cannot use as it is: an empty file is not given a schema by a
 * command that only reads; a database this user can only read stops `station serve` before
 * it says ready, naming the file */
static void
test_database_refused(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *text =
		g_strdup_printf("[store]\npath = %s\n[usb]\nenabled = false\n", db);
	g_autofree gchar *out = NULL, *err = NULL;
	GStatBuf st;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(g_file_set_contents(db, "", 0, NULL));
	g_assert_cmpint(run(&out, &err, "check", "-c", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "is empty, not a station database yet"));
	g_assert_cmpint(g_stat(db, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 0);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	{
		/* root writes any file: as root, serve runs as nobody (setpriv) where it can */
		g_autoptr(StStore) store = st_store_new("bench-ro");
		g_autoptr(GError) error = NULL;
		g_autofree gchar *setpriv = g_find_program_in_path("setpriv");
		gboolean as_nobody = geteuid() == 0;
		gint status;
		g_assert_cmpint(g_unlink(db), ==, 0);
		g_assert_true(st_store_open(store, db, 1000, &error));
		st_store_close(store);
		g_assert_cmpint(g_chmod(db, 0444), ==, 0);
		g_assert_cmpint(g_chmod(dir, 0777), ==, 0);
		g_assert_cmpint(g_chmod(conf, 0644), ==, 0);
		if (as_nobody) {
			const gchar *probe[] = {setpriv,
						"--reuid=nobody",
						"--regid=nogroup",
						"--clear-groups",
						station_bin(),
						"version",
						NULL};
			gint probe_status = -1;
			if (setpriv == NULL ||
			    !g_spawn_sync(NULL, (gchar **)probe, NULL,
					  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
					  NULL, NULL, NULL, NULL, &probe_status, NULL) ||
			    probe_status != 0) {
				g_test_message(
					"root without a way to run the station as nobody: the "
					"read-only database case is not checked");
				st_test_tmpdir_free(g_steal_pointer(&dir));
				return;
			}
		}
		if (as_nobody) {
			const gchar *argv[] = {setpriv,
					       "--reuid=nobody",
					       "--regid=nogroup",
					       "--clear-groups",
					       station_bin(),
					       "serve",
					       "-c",
					       conf,
					       NULL};
			g_assert_true(g_spawn_sync(NULL, (gchar **)argv, NULL, 0, NULL, NULL, &out,
						   &err, &status, NULL));
			g_assert_true(g_spawn_check_wait_status(status, NULL) == FALSE);
		} else {
			g_assert_cmpint(run(&out, &err, "serve", "-c", conf, NULL), ==, 1);
		}
		g_test_message("%s", err);
		g_assert_nonnull(strstr(err, "station.db cannot be written by this user"));
		g_assert_null(strstr(err, "ready"));
		g_assert_cmpint(g_chmod(db, 0644), ==, 0);
	}
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* runs station with @args as nobody (setpriv) when the tests run as root, else as this user;
 * -1 when root has no way to be nobody */
static gint
run_unprivileged(gchar **out, gchar **err, const gchar *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *setpriv = g_find_program_in_path("setpriv");
	gint status = -1;

	if (geteuid() == 0) {
		if (setpriv == NULL)
			return -1;
		g_ptr_array_add(argv, setpriv);
		g_ptr_array_add(argv, (gpointer) "--reuid=nobody");
		g_ptr_array_add(argv, (gpointer) "--regid=nogroup");
		g_ptr_array_add(argv, (gpointer) "--clear-groups");
	}
	g_ptr_array_add(argv, (gpointer)station_bin());
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	/* what is not asked for is not let into this test's TAP output */
	if (!g_spawn_sync(NULL, (gchar **)argv->pdata, NULL,
			  (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
				  (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
			  NULL, NULL, out, err, &status, NULL))
		return -1;
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* the read-only commands on a copy this user cannot write, in a folder it cannot write:
 * they answer, and nothing is created or changed beside the database */
static void
test_read_only_copy(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *ro = g_build_filename(dir, "ro", NULL);
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(ro, "station.db", NULL);
	g_autofree gchar *shm = g_strconcat(db, "-shm", NULL);
	g_autofree gchar *wal = g_strconcat(db, "-wal", NULL);
	g_autofree gchar *text =
		g_strdup_printf("[store]\npath = %s\n[usb]\nenabled = false\n", db);
	g_autofree gchar *before = NULL, *after = NULL;
	g_autoptr(StStore) store = st_store_new("bench-ro");
	g_autoptr(GError) error = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	const gchar *const probe[] = {"version", NULL};
	const gchar *const check[] = {"check", "-c", conf, NULL};
	const gchar *const stock[] = {"stock", "-c", conf, "PEN", NULL};
	const gchar *const export[] = {"export", "-c", conf, "products", NULL};
	const gchar *const ledger[] = {"ledger", "-c", conf, "PEN", NULL};
	const gchar *const record[] = {"record", "-c",	 conf,	  "receive", "PEN",
				       "1",	 "--to", "BIN-1", NULL};
	gsize len_before = 0, len_after = 0;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_cmpint(g_mkdir(ro, 0755), ==, 0);
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Ballpoint pen", .barcodes = pen},
		NULL, &error));
	g_assert_true(st_store_put_location(
		store, &(StLocationSpec){.code = "BIN-1", .barcode = "BIN-1", .kind = "bin"},
		&error));
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_false(g_file_test(shm, G_FILE_TEST_EXISTS));
	g_assert_cmpint(g_chmod(dir, 0755), ==, 0);
	g_assert_cmpint(g_chmod(conf, 0644), ==, 0);
	g_assert_cmpint(g_chmod(db, 0444), ==, 0);
	g_assert_cmpint(g_chmod(ro, 0555), ==, 0);
	g_assert_true(g_file_get_contents(db, &before, &len_before, NULL));
	if (run_unprivileged(NULL, NULL, probe) != 0) {
		g_test_message("root without a way to run the station as nobody: the read-only "
			       "copy is not checked");
		g_assert_cmpint(g_chmod(ro, 0755), ==, 0);
		st_test_tmpdir_free(g_steal_pointer(&dir));
		return;
	}
	{
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run_unprivileged(&out, &err, check), ==, 0);
		g_assert_nonnull(strstr(out, "ok (integrity, references"));
	}
	{
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run_unprivileged(&out, &err, stock), ==, 0);
		g_assert_nonnull(strstr(out, "PEN"));
	}
	{
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run_unprivileged(&out, &err, export), ==, 0);
		g_assert_nonnull(strstr(out, "PEN,Ballpoint pen,"));
	}
	{
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run_unprivileged(&out, &err, ledger), ==, 0);
	}
	{
		/* a command that writes is refused, saying why */
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run_unprivileged(&out, &err, record), ==, 1);
		g_test_message("%s", err);
		g_assert_nonnull(strstr(err, "station.db"));
	}
	g_assert_false(g_file_test(shm, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(wal, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_get_contents(db, &after, &len_after, NULL));
	g_assert_cmpmem(before, len_before, after, len_after);

	if (geteuid() == 0) {
		/* another user's database in a folder nobody may write: nobody reads it and
		 * leaves no -shm of its own that would stop the owner's writes */
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(g_chmod(ro, 01777), ==, 0);
		g_assert_cmpint(g_chmod(db, 0644), ==, 0);
		g_assert_cmpint(run_unprivileged(&out, &err, check), ==, 0);
		g_assert_false(g_file_test(shm, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(wal, G_FILE_TEST_EXISTS));
	}
	g_assert_cmpint(g_chmod(ro, 0755), ==, 0);
	g_assert_cmpint(g_chmod(db, 0644), ==, 0);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* a writer waiting on the lock is told which process holds it */
static void
test_lock_names_holder(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *text = g_strdup_printf(
		"[store]\npath = %s\nbusy-timeout = 100\n[usb]\nenabled = false\n", db);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autofree gchar *holder =
		g_strdup_printf("locked by another process (pid %d: ", (gint)getpid());
	g_autoptr(StStore) store = st_store_new("bench-l");
	g_autoptr(GError) error = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	sqlite3 *sql = NULL;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_true(st_store_put_location(
		store, &(StLocationSpec){.code = "BIN-1", .barcode = "BIN-1", .kind = "bin"},
		&error));
	g_assert_no_error(error);
	st_store_close(store);
	/* this test process holds the write lock, as a long import would */
	g_assert_cmpint(sqlite3_open(db, &sql), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(
		run(&out, &err, "record", "-c", conf, "receive", "PEN", "1", "--to", "BIN-1", NULL),
		==, 1);
	g_test_message("%s", err);
	g_assert_nonnull(strstr(err, holder));
	g_assert_nonnull(strstr(err, "test-cli"));
	g_assert_nonnull(strstr(err, "nothing was recorded"));
	sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(sql);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(
		run(&out, &err, "record", "-c", conf, "receive", "PEN", "1", "--to", "BIN-1", NULL),
		==, 0);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* waits until the reader of the FIFO @fd has taken every byte written to it */
static void
wait_fifo_drained(gint fd)
{
	for (guint i = 0; i < 1000; i++) {
		gint pending = 0;
		g_assert_cmpint(ioctl(fd, FIONREAD, &pending), ==, 0);
		if (pending == 0)
			return;
		g_usleep(10000);
	}
	g_error("the import never read what was written to its file");
}

/* an import reading its file (here a FIFO the test writes slowly) keeps no writer out: a dry
 * run never takes the write lock, a real import only once the file is read whole; a dry run
 * leaves no copy behind */
static void
test_import_outside_lock(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *fifo = g_build_filename(dir, "products.csv", NULL);
	g_autofree gchar *tmp = g_build_filename(dir, "tmp", NULL);
	g_autofree gchar *text = g_strdup_printf(
		"[store]\npath = %s\nbusy-timeout = 100\n[usb]\nenabled = false\n", db);
	g_autoptr(StStore) store = st_store_new("bench-i");
	g_autoptr(GError) error = NULL;
	const gchar *pen[] = {"4006381333931", NULL};

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_cmpint(g_mkdir(tmp, 0700), ==, 0);
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_true(st_store_put_location(
		store, &(StLocationSpec){.code = "BIN-1", .barcode = "BIN-1", .kind = "bin"},
		&error));
	g_assert_no_error(error);
	st_store_close(store);

	for (guint dry = 0; dry < 2; dry++) {
		g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
			G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
		g_autoptr(GSubprocess) import = NULL;
		g_autofree gchar *out = NULL, *err = NULL;
		g_autofree gchar *rec_out = NULL, *rec_err = NULL;
		g_autoptr(GDir) left = NULL;
		const gchar *rows = "sku,name,barcode\nMUG,Mug,4006381333948\n";
		gint fd;

		g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
		g_subprocess_launcher_setenv(launcher, "TMPDIR", tmp, TRUE);
		import = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "import",
						     "products", "-c", conf, fifo,
						     dry == 0 ? "--dry-run" : NULL, NULL);
		g_assert_no_error(error);
		fd = g_open(fifo, O_WRONLY, 0);
		g_assert_cmpint(fd, >=, 0);
		g_assert_cmpint(write(fd, rows, strlen(rows)), ==, (gssize)strlen(rows));
		wait_fifo_drained(fd);
		/* the import has its header and a row and waits for more: it holds no lock */
		for (guint i = 0; i < 50; i++) {
			g_autofree gchar *holder = st_store_describe_lock_holder(db);
			if (holder != NULL)
				g_error("an import still reading its file holds the lock (%s)",
					holder);
			g_usleep(20000);
		}
		g_assert_cmpint(run(&rec_out, &rec_err, "record", "-c", conf, "receive", "PEN", "2",
				    "--to", "BIN-1", NULL),
				==, 0);
		g_assert_cmpint(close(fd), ==, 0);
		g_assert_true(
			g_subprocess_communicate_utf8(import, NULL, NULL, &out, &err, &error));
		g_assert_no_error(error);
		g_test_message("%s%s", out, err);
		g_assert_cmpint(g_subprocess_get_exit_status(import), ==, 0);
		g_assert_nonnull(strstr(out, dry == 0 ? "dry run: nothing kept (1 rows would be "
							"imported)"
						      : "1 imported"));
		g_assert_cmpint(g_unlink(fifo), ==, 0);
		/* the dry run's private copy is gone */
		left = g_dir_open(tmp, 0, &error);
		g_assert_no_error(error);
		g_assert_null(g_dir_read_name(left));
	}
	{
		/* the dry run kept nothing, the real import its row, and both receipts are in */
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run(NULL, NULL, "stock", "-c", conf, "MUG", NULL), ==, 0);
		g_assert_cmpint(run(NULL, NULL, "check", "-c", conf, NULL), ==, 0);
		g_assert_cmpint(run(&out, &err, "stock", "-c", conf, "PEN", NULL), ==, 0);
		g_test_message("%s", out);
		g_assert_nonnull(strstr(out, "on hand 4"));
	}
	{
		/* a count sent twice under its key (a retry after a lost answer) counts once */
		g_autofree gchar *counts = g_build_filename(dir, "counts.csv", NULL);
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_true(g_file_set_contents(counts, "sku,location,quantity\nPEN,BIN-1,10\n",
						  -1, NULL));
		g_assert_cmpint(run(NULL, NULL, "import", "stock", "-c", conf, counts, "--id",
				    "COUNT-7", NULL),
				==, 0);
		g_assert_cmpint(run(NULL, NULL, "record", "-c", conf, "adjust", "PEN", "1",
				    "--from", "BIN-1", "--note", "broken", NULL),
				==, 0);
		g_assert_cmpint(run(&out, &err, "import", "stock", "-c", conf, counts, "--id",
				    "COUNT-7", NULL),
				==, 0);
		g_assert_nonnull(strstr(out, "request COUNT-7 was imported already, at "));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		g_assert_cmpint(run(&out, &err, "stock", "-c", conf, "PEN", NULL), ==, 0);
		g_assert_nonnull(strstr(out, "on hand 9"));
	}
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* station serve delivers the outbox to the central system in the background; killed with -9
 * while a batch it sent was applied but not yet answered, and started again, it sends that
 * batch again: the central system ends with every event once (the repeat a duplicate), in
 * order per order, and the outbox is empty */
static void
test_serve_sync_kill9(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *token = g_build_filename(dir, "token", NULL);
	g_autoptr(StStore) store = st_store_new("bench-sync");
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	StTestCentral *central = st_test_central_start("tok-9");
	const gchar *pen[] = {"4006381333931", NULL};
	StTestCentralHeld held;
	guint events = 0;

	/* 12 orders through packing and shipping: 36 events */
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	for (guint i = 1; i <= 12; i++) {
		g_autofree gchar *number = g_strdup_printf("ORD-%u", i);
		st_test_central_order_events(store, number, ST_ORDER_STATUS_SHIPPED);
	}
	st_store_close(store);
	g_assert_true(g_file_set_contents(token, "tok-9\n", -1, NULL));
	g_assert_cmpint(g_chmod(token, 0600), ==, 0);
	{
		g_autofree gchar *text = g_strdup_printf(
			"[station]\nid = bench-sync\n[store]\npath = %s\n[usb]\nenabled = false\n"
			"[central]\nurl = %s\ntoken-file = %s\nbatch = 5\n",
			db, central->url, token);
		g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	}
	/* the second batch is applied and never answered */
	st_test_central_faults(central, "{\"hang_after_body\": 1}");
	for (guint run_no = 0; run_no < 2; run_no++) {
		g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GDataInputStream) in = NULL;

		proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve",
						   "--config", conf, NULL);
		g_assert_no_error(error);
		in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
		if (!st_test_wait_for_line(in, "ready", seen))
			g_error("serve not ready: %s", seen->str);
		if (run_no == 0) {
			/* until the server holds the batch it will not answer */
			for (guint i = 0; st_test_central_stat(central, "hung") < 1; i++) {
				if (i > 1000)
					g_error("serve sent nothing: %s", seen->str);
				g_usleep(10000);
			}
			g_subprocess_force_exit(proc);
			g_assert_true(g_subprocess_wait(proc, NULL, &error));
			g_assert_false(g_subprocess_get_if_exited(proc));
			held = st_test_central_held(central);
			g_assert_cmpuint(held.events, ==, 5);
			continue;
		}
		/* started again: everything arrives */
		for (guint i = 0; (held = st_test_central_held(central)).events < 36; i++) {
			if (i > 3000)
				g_error("not everything delivered (%u of 36): %s", held.events,
					seen->str);
			g_usleep(10000);
		}
		g_subprocess_send_signal(proc, SIGTERM);
		if (!st_test_wait_for_line(in, "stopped", seen))
			g_error("no clean stop: %s", seen->str);
		g_assert_true(g_subprocess_wait(proc, NULL, &error));
	}
	/* the batch that was hung was sent again: 5 events came twice, none was applied twice
	 * (the server keeps each id once), none out of its order's sequence */
	g_assert_cmpuint(held.events, ==, 36);
	g_assert_cmpuint(held.twice, ==, 5);
	g_assert_cmpuint(held.out_of_order, ==, 0);
	{
		g_autofree gchar *out = NULL, *err = NULL;
		g_assert_cmpint(run(&out, &err, "sync", "status", "-c", conf, NULL), ==, 0);
		g_test_message("%s", out);
		g_assert_nonnull(strstr(out, "waiting: 0 event(s)"));
		g_assert_nonnull(strstr(out, "delivered and kept for audit: 36"));
		events = 36;
	}
	g_assert_cmpuint(events, ==, 36);
	st_test_central_stop(central);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* station serve answers the API on [http] listen: a badge login for the bench, a scan
 * submitted, its verdict; the emulated scanner's scans and the API's go to the same seat; a
 * camera frame decoded (none found in a blank one). With @data TRUE, a broken libzbar first in
 * the library path: the daemon starts and scans as before (zbar is opened at the first frame),
 * and the frame is answered 503 decoder-missing, naming what to install */
static void
test_serve_api(gconstpointer data)
{
	gboolean broken_zbar = GPOINTER_TO_INT(data);
	g_autofree gchar *libs = NULL;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *text = g_strdup_printf("[station]\nid = bench-api\n[store]\npath = %s\n"
						 "[usb]\nenabled = false\n[http]\nlisten = "
						 "127.0.0.1:0\n",
						 db);
	g_autoptr(StStore) store = st_store_new("bench-api");
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	g_autoptr(SoupSession) http = soup_session_new();
	g_autofree gchar *url = NULL;
	g_autofree gchar *token = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	StOrderLineSpec lines[] = {{"PEN", 1}};
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};

	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_true(st_store_put_operator(store, &ana, &error));
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	if (broken_zbar) {
		g_autofree gchar *fake = NULL;
		libs = g_build_filename(dir, "libs", NULL);
		fake = g_build_filename(libs, "libzbar.so.0", NULL);
		g_assert_cmpint(g_mkdir_with_parents(libs, 0700), ==, 0);
		g_assert_true(g_file_set_contents(fake, "not a library", -1, NULL));
		g_subprocess_launcher_setenv(launcher, "LD_LIBRARY_PATH", libs, TRUE);
	}
	proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve", "--config",
					   conf, NULL);
	g_assert_no_error(error);
	in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
	if (!st_test_wait_for_line(in, "api: listening on ", seen))
		g_error("no API: %s", seen->str);
	{
		const gchar *at =
			strstr(seen->str, "api: listening on ") + strlen("api: listening on ");
		url = g_strndup(at, strcspn(at, " \n"));
	}
	if (!st_test_wait_for_line(in, "ready", seen))
		g_error("not ready: %s", seen->str);
	{
		g_autofree gchar *uri = g_strconcat(url, "api/v1/sessions", NULL);
		g_autoptr(SoupMessage) msg = soup_message_new("POST", uri);
		const gchar *login = "{\"seat\": \"bench\", \"badge\": \"0042\"}";
		g_autoptr(GBytes) body = g_bytes_new_static(login, strlen(login));
		g_autoptr(GBytes) answer = NULL;
		g_autoptr(JsonParser) parser = json_parser_new();
		soup_message_set_request_body_from_bytes(msg, "application/json", body);
		answer = soup_session_send_and_read(http, msg, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(soup_message_get_status(msg), ==, 201);
		g_assert_true(json_parser_load_from_data(parser, g_bytes_get_data(answer, NULL),
							 (gssize)g_bytes_get_size(answer), NULL));
		token = g_strdup(json_object_get_string_member(
			json_node_get_object(json_parser_get_root(parser)), "token"));
	}
	for (guint i = 0; i < 2; i++) {
		const gchar *scans[] = {"{\"text\": \"OP-0042\"}", "{\"text\": \"ORD-1\"}"};
		g_autofree gchar *uri = g_strconcat(url, "api/v1/seats/bench/scans", NULL);
		g_autofree gchar *auth = g_strdup_printf("Bearer %s", token);
		g_autoptr(SoupMessage) msg = soup_message_new("POST", uri);
		g_autoptr(GBytes) body = g_bytes_new(scans[i], strlen(scans[i]));
		g_autoptr(GBytes) answer = NULL;
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization",
					     auth);
		soup_message_set_request_body_from_bytes(msg, "application/json", body);
		answer = soup_session_send_and_read(http, msg, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
		g_assert_nonnull(g_strstr_len(g_bytes_get_data(answer, NULL),
					      (gssize)g_bytes_get_size(answer), "\"ok\":true"));
	}
	/* a blank camera frame: nothing found, or no decoder to look */
	{
		g_autofree gchar *uri = g_strconcat(url, "api/v1/decode?width=16&height=16", NULL);
		g_autofree gchar *auth = g_strdup_printf("Bearer %s", token);
		g_autoptr(SoupMessage) msg = soup_message_new("POST", uri);
		g_autoptr(GBytes) body = g_bytes_new_take(g_malloc0(16 * 16), 16 * 16);
		g_autoptr(GBytes) answer = NULL;
		g_autofree gchar *text_answer = NULL;
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization",
					     auth);
		soup_message_set_request_body_from_bytes(msg, "application/octet-stream", body);
		answer = soup_session_send_and_read(http, msg, NULL, &error);
		g_assert_no_error(error);
		text_answer = g_strndup(g_bytes_get_data(answer, NULL), g_bytes_get_size(answer));
		if (broken_zbar) {
			g_assert_cmpuint(soup_message_get_status(msg), ==, 503);
			g_assert_nonnull(strstr(text_answer, "decoder-missing"));
			g_assert_nonnull(strstr(text_answer, "libzbar0"));
		} else {
			g_assert_cmpuint(soup_message_get_status(msg), ==, 200);
			g_assert_nonnull(strstr(text_answer, "\"codes\":[]"));
		}
	}
	/* the token is never in the log */
	g_subprocess_send_signal(proc, SIGTERM);
	if (!st_test_wait_for_line(in, "stopped", seen))
		g_error("no clean stop: %s", seen->str);
	g_assert_true(g_subprocess_wait(proc, NULL, &error));
	g_assert_null(strstr(seen->str, token));
	g_assert_nonnull(strstr(seen->str, "Order ORD-1 opened"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* the next datagram on @sock holding @what, within 10 s: the messages before it are kept in
 * @seen */
static gboolean
notify_wait(GSocket *sock, const gchar *what, GString *seen)
{
	gint64 until = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < until) {
		gchar buf[512];
		gssize n;
		if (!g_socket_condition_timed_wait(sock, G_IO_IN, 200000, NULL, NULL))
			continue;
		n = g_socket_receive(sock, buf, sizeof(buf) - 1, NULL, NULL);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		g_string_append_printf(seen, "%s|", buf);
		if (strstr(buf, what) != NULL)
			return TRUE;
	}
	return FALSE;
}

/*
 * Under systemd (Type=notify, WatchdogSec=): `station serve` says READY=1 with a status once
 * it is ready, pings the watchdog at half its period from the main loop, and says STOPPING=1
 * on SIGTERM. Through libsystemd's sd_notify to a real datagram socket, as systemd listens.
 */
static void
test_serve_systemd_notify(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *sock_path = g_build_filename(dir, "notify.sock", NULL);
	g_autofree gchar *text = g_strdup_printf(
		"[station]\nid = bench-notify\n[store]\npath = %s\n[usb]\nenabled = false\n"
		"[http]\nlisten = none\n",
		db);
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(GString) log = g_string_new(NULL);
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(sock_path);
	g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GDataInputStream) in = NULL;

	sock = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT,
			    &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(sock, addr, TRUE, &error));
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_subprocess_launcher_setenv(launcher, "NOTIFY_SOCKET", sock_path, TRUE);
	/* a watchdog of 200 ms: pinged every 100 ms */
	g_subprocess_launcher_setenv(launcher, "WATCHDOG_USEC", "200000", TRUE);
	proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve", "--config",
					   conf, NULL);
	g_assert_no_error(error);
	in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
	if (!notify_wait(sock, "READY=1", seen))
		g_error("no READY=1: %s", seen->str);
	if (!notify_wait(sock, "STATUS=ready: 0 devices", seen))
		g_error("no status: %s", seen->str);
	for (guint i = 0; i < 3; i++) {
		if (!notify_wait(sock, "WATCHDOG=1", seen))
			g_error("no watchdog ping %u: %s", i, seen->str);
	}
	/* READY came after the log said ready: the database was open by then */
	if (!st_test_wait_for_line(in, "ready", log))
		g_error("not ready: %s", log->str);
	g_subprocess_send_signal(proc, SIGTERM);
	if (!notify_wait(sock, "STOPPING=1", seen))
		g_error("no STOPPING=1: %s", seen->str);
	g_assert_true(g_subprocess_wait(proc, NULL, &error));
	g_assert_true(g_subprocess_get_successful(proc));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* a database with a damaged page (its header and schema sound): station serve refuses to
 * start, says to run station check, and changes nothing */
static void
test_serve_damaged(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *text =
		g_strdup_printf("[store]\npath = %s\n[usb]\nenabled = false\n", db);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autofree gchar *before = NULL, *after = NULL;
	g_autoptr(StStore) store = st_store_new("bench-d");
	g_autoptr(GError) error = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	sqlite3 *sql = NULL;
	sqlite3_stmt *stmt = NULL;
	gint64 root = 0, page = 0;
	gsize len = 0;
	FILE *f;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store, &(StProductSpec){.sku = "PEN", .name = "Pen", .barcodes = pen}, NULL,
		&error));
	g_assert_no_error(error);
	st_store_close(store);
	/* the barcode table's root page, overwritten */
	g_assert_cmpint(sqlite3_open(db, &sql), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(sql,
					   "SELECT rootpage, (SELECT page_size FROM "
					   "pragma_page_size) FROM sqlite_master WHERE name = "
					   "'product_barcodes'",
					   -1, &stmt, NULL),
			==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
	root = sqlite3_column_int64(stmt, 0);
	page = sqlite3_column_int64(stmt, 1);
	sqlite3_finalize(stmt);
	g_assert_cmpint(sqlite3_exec(sql, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==,
			SQLITE_OK);
	sqlite3_close(sql);
	f = fopen(db, "r+b");
	g_assert_nonnull(f);
	g_assert_cmpint(fseek(f, (long)(page * (root - 1)), SEEK_SET), ==, 0);
	g_assert_cmpuint(fwrite("\xff\xff\xff\xff", 1, 4, f), ==, 4);
	fclose(f);
	g_assert_true(g_file_get_contents(db, &before, &len, NULL));
	g_assert_cmpint(run(&out, &err, "serve", "-c", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "is damaged"));
	g_assert_nonnull(strstr(err, "run station check"));
	g_assert_null(strstr(err, "ready"));
	{
		gsize len_after = 0;
		g_assert_true(g_file_get_contents(db, &after, &len_after, NULL));
		g_assert_cmpuint(len_after, ==, len);
		g_assert_true(memcmp(before, after, len) == 0);
	}
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static gint
run_full(const gchar *input,
	 const gchar *const *env,
	 gchar **out,
	 gchar **err,
	 const gchar *const *args);

/* the command line in the locale's language: `station --help` and a command's --help in
 * Chinese under a zh_CN locale, in English under C */
static void
test_help_chinese(void)
{
	const gchar *const argvs[][3] = {{"--help", NULL, NULL}, {"picklist", "--help", NULL}};
	if (!st_i18n_language_available("zh-CN")) {
		g_test_skip("the system has no zh_CN.UTF-8 locale (Debian: locales-all)");
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS(argvs); i++) {
		for (guint zh = 0; zh < 2; zh++) {
			g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
				G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
			g_autoptr(GSubprocess) proc = NULL;
			g_autoptr(GError) error = NULL;
			g_autofree gchar *out = NULL, *err = NULL;
			g_subprocess_launcher_setenv(launcher, "LC_ALL",
						     zh ? "zh_CN.UTF-8" : "C.UTF-8", TRUE);
			g_subprocess_launcher_unsetenv(launcher, "LANGUAGE");
			proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(),
							   argvs[i][0], argvs[i][1], NULL);
			g_assert_no_error(error);
			g_assert_true(g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &err,
								    &error));
			g_assert_cmpint(g_subprocess_get_exit_status(proc), ==, 0);
			if (i == 0)
				g_assert_nonnull(strstr(out, zh ? "用法：station 命令"
								: "Usage: station COMMAND"));
			else
				g_assert_nonnull(
					strstr(out, zh ? "拣货单：拣货员一趟要拣的订单"
						       : "Pick lists: the orders a picker"));
			/* every command in the list, each with its summary */
			if (i == 0)
				g_assert_nonnull(
					strstr(out, zh ? "picklist  为已下达的订单生成拣货单"
						       : "picklist  Make pick lists"));
		}
	}
	{
		/* and what a command says of a mistake */
		g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
			G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *out = NULL, *err = NULL;
		g_subprocess_launcher_setenv(launcher, "LC_ALL", "zh_CN.UTF-8", TRUE);
		g_subprocess_launcher_unsetenv(launcher, "LANGUAGE");
		proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "stock",
						   "--bogus", NULL);
		g_assert_no_error(error);
		g_assert_true(g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &err, &error));
		g_assert_nonnull(strstr(err, "（试试 station stock --help）"));
	}
	{
		/* and what is wrong in a configuration file, as a shift lead setting a bench up
		 * reads it (the arguments in the translation's own order) */
		g_autofree gchar *dir = st_test_tmpdir_new();
		g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
		const gchar *const env[] = {"LC_ALL", "zh_CN.UTF-8", "LANGUAGE", "", NULL};
		const gchar *const args[] = {"config", "-c", conf, NULL};
		const struct {
			const gchar *text, *said;
		} cases[] = {
			{"[store]\nfoo = 1\n",
			 "station.conf:2：[store] 中的未知键 'foo'（可用的键见"},
			{"[store]\npath = /a.db\npath = /b.db\n",
			 "station.conf:3：[store] 中的键 'path' 设置了两次（第一次在第 2 行）"},
			{"[central]\nurl = http://erp.example.com\n", "会在网络上不加密地发送"},
		};
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree gchar *out = NULL, *err = NULL;
			g_assert_true(g_file_set_contents(conf, cases[i].text, -1, NULL));
			g_assert_cmpint(run_full(NULL, env, &out, &err, args), ==, 1);
			g_test_message("%s", err);
			g_assert_nonnull(strstr(err, cases[i].said));
		}
		/* and a good one, as the shift lead checks it */
		{
			g_autofree gchar *out = NULL, *err = NULL;
			g_autofree gchar *text = g_strdup_printf(
				"[store]\npath = %s/x.db\n[http]\nlisten = none\n[printer label]\n"
				"spool = %s\n",
				dir, dir);
			g_assert_true(g_file_set_contents(conf, text, -1, NULL));
			g_assert_cmpint(run_full(NULL, env, &out, &err, args), ==, 0);
			g_test_message("%s", out);
			g_assert_nonnull(strstr(out, "配置："));
			g_assert_nonnull(strstr(out, "数据库："));
			g_assert_nonnull(strstr(out, "（假脱机文件夹 "));
			g_assert_null(strstr(out, "database:"));
		}
		/* and the reference of every key, which a shift lead reads to set a bench up:
		 * each key's meaning and range in Chinese, the keys and defaults as they are
		 * written, and, saved as it is, a file the station loads */
		{
			const gchar *const ref_args[] = {"config", "--reference", NULL};
			g_autofree gchar *out = NULL, *err = NULL, *check = NULL, *check_err = NULL;
			g_assert_cmpint(run_full(NULL, env, &out, &err, ref_args), ==, 0);
			g_assert_nonnull(strstr(out, "# station 配置参考：每个配置项"));
			g_assert_nonnull(
				strstr(out, "# SQLite 数据库。不存在时连同其文件夹一起创建"));
			g_assert_nonnull(strstr(out, "\n#path = /var/lib/station/station.db\n"));
			g_assert_nonnull(
				strstr(out, "# 取值范围：0 到 600000。\n#busy-timeout = 5000\n"));
			g_assert_nonnull(strstr(out, "# 可选值：pick|pack|ship\n"));
			g_assert_null(strstr(out, "The SQLite database."));
			g_assert_true(g_file_set_contents(conf, out, -1, NULL));
			g_assert_cmpint(run_full(NULL, env, &check, &check_err, args), ==, 0);
		}
		/* and what is wrong in a CSV file a shift lead imports: the rows the import
		 * itself refuses, a row the store refuses, and a column it does not know */
		{
			g_autofree gchar *csv = g_build_filename(dir, "counts.csv", NULL);
			g_autofree gchar *text = g_strdup_printf(
				"[store]\npath = %s/x.db\n[http]\nlisten = none\n", dir);
			g_autofree gchar *out = NULL, *err = NULL;
			g_assert_true(g_file_set_contents(conf, text, -1, NULL));
			g_assert_true(g_file_set_contents(
				csv, "sku,location,quantity\nPEN,A-01,abc\nPEN,A-01,3\n", -1,
				NULL));
			{
				const gchar *const a[] = {"import", "-c", conf, "stock", csv, NULL};
				g_assert_cmpint(run_full(NULL, env, &out, &err, a), ==, 1);
			}
			g_test_message("%s", err);
			g_assert_nonnull(strstr(
				err, "counts.csv：第 2 行：quantity 'abc' 不是 0 到 2147483647 "
				     "之间的整数"));
			/* and the store's refusal of the row, in the same language */
			g_assert_nonnull(strstr(err, "counts.csv：第 3 行：未知 SKU PEN：请先用 "
						     "`station import products` 导入"));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			g_assert_true(g_file_set_contents(csv, "sku,place,quantity\n", -1, NULL));
			{
				const gchar *const a[] = {"import", "-c", conf, "stock", csv, NULL};
				g_assert_cmpint(run_full(NULL, env, &out, &err, a), ==, 1);
			}
			g_test_message("%s", err);
			g_assert_nonnull(strstr(err, "第 1 行：未知列 'place'；stock 的列为"));
		}
		/* and the built-in label templates, each described in Chinese */
		{
			const gchar *const tmpl_args[] = {"label", "templates", NULL};
			g_autofree gchar *out = NULL, *err = NULL;
			g_assert_cmpint(run_full(NULL, env, &out, &err, tmpl_args), ==, 0);
			g_assert_nonnull(strstr(out, "GS1 物流标签，4x6 英寸：GS1-128 的 SSCC-18"));
			g_assert_nonnull(strstr(out, "装箱单，A4 PDF："));
			g_assert_null(strstr(out, "Packing slip, A4 PDF"));
		}
		st_test_tmpdir_free(g_steal_pointer(&dir));
	}
}

static void
test_usage(void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *cmds[] = {"serve", "demo",	   "devices", "listen",
			       "hid",	"barcode", "config",  "version"};

	g_assert_cmpint(run(NULL, &err, NULL), ==, 2);
	g_assert_nonnull(strstr(err, "Usage: station COMMAND"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "frobnicate", NULL), ==, 2);
	g_assert_nonnull(strstr(err, "unknown command 'frobnicate'"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "serve", "--no-such-option", NULL), ==, 2);
	g_assert_nonnull(strstr(err, "station serve --help"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "version", "extra", NULL), ==, 2);
	g_clear_pointer(&err, g_free);
	/* every command parses its options the same way */
	g_assert_cmpint(run(NULL, &err, "demo", "extra", NULL), ==, 2);
	g_assert_nonnull(strstr(err, "station demo: unexpected argument 'extra'"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "listen", "--count", "many", NULL), ==, 2);
	g_assert_nonnull(strstr(err, "try station listen --help"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "barcode", "--bogus", NULL), ==, 2);
	g_assert_nonnull(strstr(err, "try station barcode --help"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, NULL, "--help", NULL), ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_autofree gchar *help = NULL;
		g_autofree gchar *expect = g_strdup_printf("  %s ", cmds[i]);
		g_assert_nonnull(strstr(out, expect));
		g_assert_cmpint(run(&help, NULL, cmds[i], "--help", NULL), ==, 0);
		g_assert_nonnull(strstr(help, "Usage:"));
		g_assert_nonnull(strstr(help, "station"));
	}
}

static void
test_serve_bad_config(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *err = NULL;

	g_assert_true(g_file_set_contents(conf, "[store]\nbusy-timeout = 5s\n", -1, NULL));
	g_assert_cmpint(run(NULL, &err, "serve", "--config", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "station.conf:2:"));
	g_assert_nonnull(strstr(err, "busy-timeout"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "config", "--config", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "station.conf:2:"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* station config says where the screens open, and refuses a LAN address without TLS before
 * any start */
static void
test_config_http(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *local =
		g_strdup_printf("[store]\npath = %s\n[http]\nlisten = 127.0.0.1:8081\n", db);
	g_autofree gchar *lan =
		g_strdup_printf("[store]\npath = %s\n[http]\nlisten = 10.1.2.3:8080\n", db);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_true(g_file_set_contents(conf, local, -1, NULL));
	g_assert_cmpint(run(&out, NULL, "config", "--config", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "http://127.0.0.1:8081/?seat=bench"));
	g_assert_true(g_file_set_contents(conf, lan, -1, NULL));
	g_assert_cmpint(run(NULL, &err, "config", "--config", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "10.1.2.3:8080 is on the network"));
	g_assert_nonnull(strstr(err, "insecure-lan"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_serve_corrupt_database(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *text = g_strdup_printf("[store]\npath = %s\n", db);
	g_autofree gchar *err = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(g_file_set_contents(db, "this is a text file, not a database\n", -1, NULL));
	before = st_test_file_digest(db);
	g_assert_cmpint(run(NULL, &err, "serve", "--config", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "not a SQLite database or is damaged"));
	after = st_test_file_digest(db);
	g_assert_cmpstr(before, ==, after);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_serve_sigterm(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "data", "station.db", NULL);
	g_autofree gchar *script = g_build_filename(dir, "scanner.script", NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(StStore) store = st_store_new("bench-test");
	g_autoptr(GPtrArray) scans = NULL;

	/* the scanner types one unknown barcode, then the daemon idles */
	g_assert_true(g_file_set_contents(script, "type NOT-A-BARCODE\nwait 600000\n", -1, NULL));
	text = g_strdup_printf("[station]\nid = bench-sig\n[store]\npath = %s\n"
			       "[device s1]\ndriver = emulated\nscript = %s\n",
			       db, script);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));

	/* found through $STATION_CONFIG, not --config */
	g_subprocess_launcher_setenv(launcher, "STATION_CONFIG", conf, TRUE);
	proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve", NULL);
	g_assert_no_error(error);
	in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
	if (!st_test_wait_for_line(in, "ready", seen))
		g_error("daemon did not start: %s", seen->str);
	if (!st_test_wait_for_line(in, "unknown-barcode", seen))
		g_error("scan not answered: %s", seen->str);
	g_subprocess_send_signal(proc, SIGTERM);
	if (!st_test_wait_for_line(in, "stopped", seen))
		g_error("no clean stop: %s", seen->str);
	g_assert_true(g_subprocess_wait(proc, NULL, &error));
	g_assert_true(g_subprocess_get_if_exited(proc));
	g_assert_cmpint(g_subprocess_get_exit_status(proc), ==, 0);

	/* the scan is in the database, and the database is closed cleanly */
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_no_error(error);
	scans = st_store_get_scans(store, &error);
	g_assert_cmpuint(scans->len, ==, 1);
	g_assert_cmpstr(((StScanRecord *)scans->pdata[0])->reason, ==, "unknown-barcode");
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* prints left unfinished by the last run, and CUPS not answering: one waiting in a queue
 * (followed, and the operator told CUPS does not answer) and one the station was handing to
 * CUPS (to be looked for by name: said once, asked again every 30 s). The daemon starts and
 * serves anyway, and both prints stay as stored. */
static void
test_serve_cups_down(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *text = g_strdup_printf("[station]\nid = bench-c\n[store]\npath = %s\n"
						 "[cups]\nserver = %s/no-cups.sock\n",
						 db, dir);
	g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(StStore) store = st_store_new("bench-c");
	g_autoptr(GBytes) zpl = g_bytes_new_static("^XA^XZ", 6);
	g_autoptr(GPtrArray) prints = NULL;
	StLabelSpec spec = {"carrier", "test", "zpl", 203, NULL, zpl, NULL, NULL};
	g_autoptr(GBytes) zpl2 = g_bytes_new_static("^XA^FDx^FS^XZ", 13);
	StLabelSpec spec2 = {"carrier", "test", "zpl", 203, NULL, zpl2, NULL, NULL};
	gint64 label = 0, label2 = 0, print_id = 0, print2 = 0;
	gboolean existed = FALSE;
	const gchar *start;

	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_label(store, &spec, &label, &existed, &error));
	g_assert_true(st_store_begin_print(store, label, "label", "label", FALSE, NULL, &print_id,
					   &error));
	g_assert_true(st_store_print_submitted(store, print_id, 41, &error));
	g_assert_true(st_store_put_label(store, &spec2, &label2, &existed, &error));
	g_assert_true(st_store_begin_print(store, label2, "label", "label", FALSE, NULL, &print2,
					   &error));
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));

	proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve", "--config",
					   conf, NULL);
	g_assert_no_error(error);
	in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
	if (!st_test_wait_for_line(in, "cannot ask CUPS about the prints left unfinished", seen))
		g_error("no word of CUPS: %s", seen->str);
	g_assert_nonnull(strstr(seen->str, "asking again every 30 s"));
	if (!st_test_wait_for_line(in, "ready", seen))
		g_error("the daemon did not start: %s", seen->str);
	/* the waiting job: the operator is told, with what to do said once */
	if (!st_test_wait_for_line(in, "job 41 on label", seen))
		g_error("the waiting job was not followed: %s", seen->str);
	start = strstr(seen->str, "job 41 on label");
	g_assert_nonnull(strstr(start, "does not answer"));
	g_assert_nonnull(strstr(start, "start it"));
	g_assert_null(strstr(strstr(start, "start it") + 1, "start it"));
	g_subprocess_send_signal(proc, SIGTERM);
	if (!st_test_wait_for_line(in, "stopped", seen))
		g_error("no clean stop: %s", seen->str);
	g_assert_true(g_subprocess_wait(proc, NULL, &error));
	g_assert_cmpint(g_subprocess_get_exit_status(proc), ==, 0);

	g_assert_true(st_store_open(store, db, 1000, &error));
	prints = st_store_get_prints(store, label, FALSE, 1, &error);
	g_assert_cmpuint(prints->len, ==, 1);
	g_assert_cmpstr(((StPrintRecord *)prints->pdata[0])->state, ==, "pending");
	g_assert_cmpint(((StPrintRecord *)prints->pdata[0])->cups_job_id, ==, 41);
	g_clear_pointer(&prints, g_ptr_array_unref);
	prints = st_store_get_prints(store, label2, FALSE, 1, &error);
	g_assert_cmpstr(((StPrintRecord *)prints->pdata[0])->state, ==, "submitting");
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* runs station with @args, @input (nullable) on its standard input, and @env's NAME, VALUE
 * pairs (nullable, NULL-terminated) in its environment */
static gint
run_full(const gchar *input,
	 const gchar *const *env,
	 gchar **out,
	 gchar **err,
	 const gchar *const *args)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
		G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;

	g_ptr_array_add(argv, (gpointer)station_bin());
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	for (guint i = 0; env != NULL && env[i] != NULL && env[i + 1] != NULL; i += 2)
		g_subprocess_launcher_setenv(launcher, env[i], env[i + 1], TRUE);
	proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(proc, input, NULL, out, err, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(proc));
	return g_subprocess_get_exit_status(proc);
}

/* runs station with @input on standard input */
static gint
run_with_input(const gchar *input, gchar **out, gchar **err, const gchar *const *args)
{
	return run_full(input, NULL, out, err, args);
}

static void
test_hid_decode(void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *keyboard_fr[] = {"hid",	  "decode", "--kind", "keyboard",
				      "--layout", "fr",	    NULL};
	const gchar *scale[] = {"hid", "decode", "--kind", "scale", NULL};
	const gchar *bad_kind[] = {"hid", "decode", "--kind", "toaster", NULL};

	/* an AZERTY scanner's "1" is the unshifted number-row key, '&'; Shift+"2" is '2' */
	g_assert_cmpint(run_with_input("# a capture\n"
				       "00 00 1e 00 00 00 00 00\n"
				       "00:00:00:00:00:00:00:00\n"
				       "0200 1f00 0000 0000\n"
				       "00 00 28 00 00 00 00 00\n",
				       &out, &err, keyboard_fr),
			==, 0);
	g_assert_nonnull(strstr(out, "\"text\":\"&2\""));
	g_assert_nonnull(strstr(out, "\"ended_by\":\"terminator\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* a bad line is reported with its number; the rest is still decoded; exit 1 */
	g_assert_cmpint(
		run_with_input("03 04 0b ff 5f 01\n03 09 02 00 00 00\nxyz\n", &out, &err, scale),
		==, 1);
	g_assert_nonnull(strstr(out, "\"milligrams\":995068"));
	g_assert_nonnull(strstr(out, "{\"line\":2,\"error\":\"impossible status code 9\"}"));
	g_assert_nonnull(strstr(out, "{\"line\":3,\"error\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* a line longer than any report's hex is one bad line, dropped without being held: the
	 * lines after it are still decoded */
	{
		g_autoptr(GString) input = g_string_new(NULL);
		const gchar *keyboard[] = {"hid", "decode", "--kind", "keyboard", NULL};
		for (guint i = 0; i < 100000; i++)
			g_string_append(input, "00 ");
		g_string_append(input, "\n00 00 1e 00 00 00 00 00\n00 00 28 00 00 00 00 00");
		g_assert_cmpint(run_with_input(input->str, &out, &err, keyboard), ==, 1);
		g_assert_nonnull(strstr(out, "{\"line\":1,\"error\":\"a line longer than 65536 "
					     "characters is not a HID report\"}"));
		g_assert_nonnull(strstr(out, "{\"line\":3,\"event\":\"scan\",\"text\":\"1\""));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
	}
	g_assert_cmpint(run_with_input("", &out, &err, bad_kind), ==, 2);
	g_assert_nonnull(strstr(err, "--kind must be keyboard, pos-scanner or scale"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* a HID POS scanner through its descriptor: symbology and the exact bytes */
	{
		g_autofree gchar *dir = st_test_tmpdir_new();
		g_autofree gchar *desc = g_build_filename(dir, "scanner.desc", NULL);
		g_autoptr(GString) hex = g_string_new("# report descriptor\n");
		g_autoptr(GString) input = g_string_new(NULL);
		const gchar *pos[] = {"hid",	      "decode", "--kind", "pos-scanner",
				      "--descriptor", desc,	NULL};
		guint8 report[62];
		for (guint i = 0; i < sizeof(st_test_pos_scanner_descriptor); i++)
			g_string_append_printf(hex, "%02x ", st_test_pos_scanner_descriptor[i]);
		g_assert_true(g_file_set_contents(desc, hex->str, -1, NULL));
		st_test_pos_scanner_report(report, "]C1",
					   (const guint8 *)"01\x1d"
							   "10",
					   5, FALSE);
		for (guint i = 0; i < sizeof(report); i++)
			g_string_append_printf(input, "%02x", report[i]);
		g_string_append_c(input, '\n');
		g_assert_cmpint(run_with_input(input->str, &out, &err, pos), ==, 0);
		g_assert_nonnull(strstr(out, "\"display\":\"01<GS>10\""));
		g_assert_nonnull(strstr(out, "\"symbology\":\"]C1\""));
		st_test_tmpdir_free(g_steal_pointer(&dir));
	}
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* a keyboard wedge that is not a boot keyboard, through its descriptor: the keyboard's
	 * report (id 1) decoded, the consumer report (id 2) left out */
	{
		g_autofree gchar *dir = st_test_tmpdir_new();
		g_autofree gchar *desc = g_build_filename(dir, "keyboard.desc", NULL);
		g_autoptr(GString) hex = g_string_new(NULL);
		const gchar *kbd[] = {"hid",	      "decode", "--kind", "keyboard",
				      "--descriptor", desc,	NULL};
		for (guint i = 0; i < sizeof(st_test_keyboard_ids_descriptor); i++)
			g_string_append_printf(hex, "%02x ", st_test_keyboard_ids_descriptor[i]);
		g_assert_true(g_file_set_contents(desc, hex->str, -1, NULL));
		g_assert_cmpint(run_with_input("01 00 00 1e 00 00 00 00 00\n02 e9 00\n"
					       "01 00 00 00 00 00 00 00 00\n"
					       "01 00 00 28 00 00 00 00 00\n",
					       &out, &err, kbd),
				==, 0);
		g_assert_nonnull(strstr(out, "\"text\":\"1\",\"display\":\"1\""));
		st_test_tmpdir_free(g_steal_pointer(&dir));
	}
}

static void
test_listen(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *script = g_build_filename(dir, "scanner.script", NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_true(g_file_set_contents(
		script, "type 4006381333931\ntype-alt 0109501101530003\\x1d10AB\nwait 600000\n", -1,
		NULL));
	g_autofree gchar *scale_script = g_build_filename(dir, "scale.script", NULL);

	g_assert_true(g_file_set_contents(scale_script,
					  "weight in-motion 500 g\nweight stable 35.1 oz\n"
					  "wait 600000\n",
					  -1, NULL));
	text = g_strdup_printf(
		"[usb]\nenabled = false\n[device bench-gun]\ndriver = emulated\n"
		"script = %s\n[device bench-scale]\ndriver = emulated\nkind = scale\n"
		"role = scale\nscript = %s\n",
		script, scale_script);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_cmpint(run(&out, &err, "listen", "--config", conf, "--count", "4", NULL), ==, 0);
	lines = g_strsplit(g_strstrip(out), "\n", -1);
	/* two devices added, two scans, two weights, each device's events in its own order
	 * (the two devices run side by side); nothing is stored anywhere */
	{
		g_autoptr(GPtrArray) added = g_ptr_array_new();
		g_autoptr(GPtrArray) scans = g_ptr_array_new();
		g_autoptr(GPtrArray) weights = g_ptr_array_new();
		g_assert_cmpuint(g_strv_length(lines), ==, 6);
		for (guint i = 0; lines[i] != NULL; i++) {
			if (strstr(lines[i], "\"event\":\"added\"") != NULL)
				g_ptr_array_add(added, lines[i]);
			else if (strstr(lines[i], "\"event\":\"scan\"") != NULL)
				g_ptr_array_add(scans, lines[i]);
			else if (strstr(lines[i], "\"event\":\"weight\"") != NULL)
				g_ptr_array_add(weights, lines[i]);
		}
		g_assert_cmpuint(added->len, ==, 2);
		g_assert_cmpuint(scans->len, ==, 2);
		g_assert_cmpuint(weights->len, ==, 2);
		g_assert_nonnull(strstr(scans->pdata[0], "\"text\":\"4006381333931\""));
		g_assert_nonnull(
			strstr(scans->pdata[1], "\"display\":\"0109501101530003<GS>10AB\""));
		g_assert_nonnull(strstr(scans->pdata[1],
					"\"hex\":\"30313039353031313031353330303033"
					"1d31304142\""));
		g_assert_nonnull(strstr(weights->pdata[0], "\"device\":\"bench-scale\",\"event\":"
							   "\"weight\",\"status\":\"in-motion\""));
		g_assert_nonnull(strstr(weights->pdata[1],
					"\"status\":\"stable\",\"stable\":true,\"unit\":\"oz\","
					"\"value\":351,\"exponent\":-1,\"milligrams\":995068"));
	}
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_barcode(void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *stdin_args[] = {"barcode", "parse", NULL};

	g_assert_cmpint(run(&out, &err, "barcode", "parse", "4006381333931", "04252614", NULL), ==,
			0);
	g_assert_nonnull(strstr(out, "\"gtin14\":\"04006381333931\""));
	g_assert_nonnull(strstr(out, "\"format\":\"UPC-E\",\"gtin14\":\"00042100005264\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* from standard input, with an escaped GS; one bad check digit makes the exit 1 */
	g_assert_cmpint(run_with_input("4006381333932\n10AB\\x1d21C\n", &out, &err, stdin_args), ==,
			1);
	g_assert_nonnull(strstr(out, "\"position\":12"));
	g_assert_nonnull(strstr(out, "\"text\":\"10AB<GS>21C\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "barcode", "frobnicate", NULL), ==, 2);
	g_clear_pointer(&err, g_free);
	/* a line longer than any barcode is one refusal, not several scans */
	{
		g_autoptr(GString) huge = g_string_new(NULL);
		g_auto(GStrv) lines = NULL;
		for (guint i = 0; i < 10000; i++)
			g_string_append_c(huge, '7');
		g_string_append(huge, "\n4006381333931\n");
		g_clear_pointer(&out, g_free);
		g_assert_cmpint(run_with_input(huge->str, &out, &err, stdin_args), ==, 1);
		lines = g_strsplit(g_strstrip(out), "\n", -1);
		g_assert_cmpuint(g_strv_length(lines), ==, 2);
		g_assert_nonnull(strstr(lines[0], "a line of 10000 characters"));
		g_assert_nonnull(strstr(lines[1], "\"valid\":true"));
	}
}

/* tracking numbers with carrier and service, and the station's own barcodes by the
 * [barcodes] patterns of the file given with --config */
static void
test_barcode_station(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *bad = g_build_filename(dir, "bad.conf", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_true(g_file_set_contents(conf,
					  "[barcodes]\nlocation = [A-Z]-\\d\\d-\\d\\d-\\d\\d\n"
					  "box-type =\n",
					  -1, NULL));
	g_assert_true(g_file_set_contents(bad, "[barcodes]\n\ntote = T(\\d+\n", -1, NULL));
	g_assert_cmpint(run(&out, &err, "barcode", "parse", "--config", conf, "A-01-02-03",
			    "CMD-REPRINT", "BOX-S", "1Z999AA10123456784", "3318810025", NULL),
			==, 0);
	lines = g_strsplit(g_strstrip(out), "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 5);
	g_assert_nonnull(strstr(lines[0], "\"kind\":\"location\""));
	g_assert_nonnull(strstr(lines[0], "\"key\":\"A-01-02-03\""));
	g_assert_nonnull(strstr(lines[1], "\"kind\":\"command\""));
	g_assert_nonnull(strstr(lines[1], "\"key\":\"reprint\""));
	g_assert_nonnull(strstr(lines[2], "\"kind\":\"unknown\"")); /* box-type is off */
	g_assert_nonnull(strstr(lines[3], "\"carrier\":\"UPS\",\"service\":\"Next Day Air\""));
	g_assert_nonnull(strstr(lines[4], "\"carrier\":\"DHL\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* a pattern that does not compile: the file, the line, the key and the fault */
	g_assert_cmpint(run(&out, &err, "barcode", "parse", "--config", bad, "x", NULL), ==, 1);
	g_assert_nonnull(strstr(err, "bad.conf:3: [barcodes] tote"));
	g_assert_nonnull(strstr(err, "missing"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* import, stock, ledger and check on a database named by a configuration file */
static void
test_inventory(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *products = g_build_filename(dir, "products.csv", NULL);
	g_autofree gchar *locations = g_build_filename(dir, "locations.csv", NULL);
	g_autofree gchar *stock = g_build_filename(dir, "stock.csv", NULL);
	g_autofree gchar *bad = g_build_filename(dir, "bad.csv", NULL);
	g_autofree gchar *conf_text = g_strdup_printf("[store]\npath = %s\n", db);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_true(g_file_set_contents(conf, conf_text, -1, NULL));
	g_assert_true(g_file_set_contents(products,
					  "sku,name,weight_g,barcode,case_barcode,case_quantity\n"
					  "PEN,\"Pen, blue\",12,4006381333931,14006381333938,12\n"
					  "MUG,Mug,340,0012345678905,,\n",
					  -1, NULL));
	g_assert_true(
		g_file_set_contents(locations, "code,kind,pick_sequence\nA-01,bin,10\n", -1, NULL));
	g_assert_true(g_file_set_contents(stock, "sku,location,quantity\nPEN,A-01,40\n", -1, NULL));
	g_assert_true(g_file_set_contents(bad, "sku,location,quantity\nPEN,A-01,5\nPEN,Z-9,1\n", -1,
					  NULL));

	/* read commands do not create a database */
	g_assert_cmpint(run(NULL, &err, "stock", "PEN", "--config", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "no database at"));
	g_assert_false(g_file_test(db, G_FILE_TEST_EXISTS));
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(run(&out, &err, "import", "products", products, "--config", conf, NULL), ==,
			0);
	g_assert_nonnull(strstr(out, "2 rows, 0 bad; 2 imported"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "import", "locations", locations, "-c", conf, NULL), ==, 0);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(
		run(&out, &err, "import", "stock", stock, "-c", conf, "--operator", "lead", NULL),
		==, 0);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* a file with a bad row imports nothing and says which row */
	g_assert_cmpint(run(&out, &err, "import", "stock", bad, "-c", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "bad.csv: line 3: unknown location Z-9"));
	g_assert_nonnull(strstr(out, "nothing imported"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* by the case barcode */
	g_assert_cmpint(run(&out, &err, "stock", "14006381333938", "-c", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "PEN  Pen, blue"));
	g_assert_nonnull(strstr(out, "on hand 40, reserved 0, available 40"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* the UPC-A form of the EAN-13 in the catalogue */
	g_assert_cmpint(run(&out, &err, "stock", "012345678905", "-c", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "MUG  Mug"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "ledger", "PEN", "-c", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "adjust"));
	g_assert_nonnull(strstr(out, "(in) -> A-01"));
	g_assert_nonnull(strstr(out, "by lead"));
	g_assert_nonnull(strstr(out, "balance 40"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* a shift's movements from the command line */
	g_assert_cmpint(run(&out, &err, "record", "move", "PEN", "15", "--from", "A-01", "--to",
			    "A-01-TOTE", "-c", conf, NULL),
			==, 1);
	g_assert_nonnull(strstr(err, "unknown location A-01-TOTE"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "record", "adjust", "PEN", "2", "--from", "A-01", "--note",
			    "broken", "-c", conf, NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "adjust 2 of PEN from A-01"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "record", "move", "PEN", "99", "--from", "A-01", "--to",
			    "A-01", "-c", conf, NULL),
			==, 1);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(
		run(&out, &err, "record", "adjust", "PEN", "2", "--to", "A-01", "-c", conf, NULL),
		==, 0);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* a retry with the caller's key books nothing twice: a record whose answer was lost
	 * (killed after its commit, a timeout) is run again safely */
	for (guint i = 0; i < 2; i++) {
		g_assert_cmpint(run(&out, &err, "record", "receive", "PEN", "3", "--to", "A-01",
				    "--id", "GR-2026-0042", "-c", conf, NULL),
				==, 0);
		g_assert_nonnull(strstr(out, i == 0 ? "receive 3 of PEN to A-01"
						    : "request GR-2026-0042 was recorded already, "
						      "as ledger row"));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
	}
	g_assert_cmpint(run(&out, &err, "record", "adjust", "PEN", "3", "--from", "A-01", "--note",
			    "back to 40", "--id", "ADJ-1", "-c", conf, NULL),
			==, 0);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "reserve", "NOPE", "-c", conf, NULL), ==, 1);
	g_assert_nonnull(strstr(err, "no order NOPE"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "export", "stock", "-c", conf, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "sku,location,quantity,lot,expiry,serial\r\nPEN,A-01,40,,,\r\n");
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "check", "-c", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, ": ok"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "import", "widgets", stock, "-c", conf, NULL), ==, 2);
	g_assert_nonnull(strstr(err, "give KIND"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_barcode_gs1(void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	/* a GS1 DataMatrix scan, explained element by element */
	g_assert_cmpint(run(&out, &err, "barcode", "parse",
			    "]d2010950110153000317250100\\x1d10AB-123", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "\"format\":\"GS1 DataMatrix\""));
	g_assert_nonnull(strstr(out, "\"expiry\":\"2025-01-31\""));
	g_assert_nonnull(strstr(out, "\"lot\":\"AB-123\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* bracketed and Digital Link readers; a fault with its place */
	g_assert_cmpint(run(&out, &err, "barcode", "parse", "--bracketed",
			    "(01)09501101530003(17)251399", NULL),
			==, 1);
	g_assert_nonnull(strstr(out, "\"note\":\"fault: (17)25|13|99\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "barcode", "parse", "--dl",
			    "https://example.com/01/09501101530003/10/AB?17=250100", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "\"key_type\":\"gtin\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "barcode", "parse", "--dl", "--bracketed", "x", NULL), ==,
			2);
	g_clear_pointer(&err, g_free);
	/* make: every form, and a refusal that says what is wrong */
	g_assert_cmpint(run(&out, &err, "barcode", "make", "--ai", "01=09501101530003", "--ai",
			    "10=AB-123", "--aim", "]d2", "--stem", "https://example.com", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "\"bracketed\":\"(01)09501101530003(10)AB-123\""));
	g_assert_nonnull(strstr(out, "\"scan_data\":\"]d2010950110153000310AB-123\""));
	g_assert_nonnull(strstr(
		out, "\"digital_link\":\"https://example.com/01/09501101530003/10/AB-123\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "barcode", "make", "(10)AB-123", NULL), ==, 1);
	g_assert_nonnull(strstr(err, "(10) BATCH/LOT needs (01) or (02)"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(NULL, &err, "barcode", "make", NULL), ==, 2);
	g_assert_nonnull(strstr(err, "--help"));
}

static void
test_devices(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *out = NULL;

	g_assert_true(
		g_file_set_contents(conf,
				    "[usb]\nenabled = false\n"
				    "[device front]\ndriver = keyboard\nvid-pid = 05e0:1200\n",
				    -1, NULL));
	g_assert_cmpint(run(&out, NULL, "devices", "--config", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "  keyboard  "));
	g_assert_nonnull(strstr(out, "  scale     "));
	g_assert_nonnull(strstr(out, "front: scanner, driver keyboard, vid-pid 05e0:1200"));
	g_assert_nonnull(strstr(out, "USB not used: [usb] enabled = false"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* one usbmon record (link type 220, this machine's byte order) */
static void
pcap_record(GByteArray *out,
	    guint64 id,
	    gchar type,
	    guint8 xfer,
	    guint8 ep,
	    const guint8 *setup,
	    const guint8 *data,
	    guint32 len)
{
	guint8 hdr[64] = {0};
	guint32 rec[4] = {0, 0, 64 + len, 64 + len};
	memcpy(hdr, &id, 8);
	hdr[8] = (guint8)type;
	hdr[9] = xfer;
	hdr[10] = ep;
	hdr[11] = 5; /* device */
	hdr[12] = 1; /* bus */
	hdr[14] = setup != NULL ? 0 : 1;
	memcpy(hdr + 32, &len, 4);
	memcpy(hdr + 36, &len, 4);
	if (setup != NULL)
		memcpy(hdr + 40, setup, 8);
	g_byte_array_append(out, (const guint8 *)rec, sizeof(rec));
	g_byte_array_append(out, hdr, sizeof(hdr));
	if (data != NULL)
		g_byte_array_append(out, data, len);
}

/* station hid decode reads captures of all three kinds: the shared fixtures' usbmon and
 * .ioctl captures of a keyboard-wedge scanner and a scale, and a usbmon capture of a HID
 * POS scanner written here, whose report descriptor the capture itself carries (the host
 * asking for it at enumeration) */
static void
test_hid_decode_captures(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *pcap = g_build_filename(dir, "pos.pcap", NULL);
	g_autofree gchar *junk = g_build_filename(dir, "junk.pcap", NULL);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(GByteArray) cap = g_byte_array_new();
	const guint32 file_hdr[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 220};
	const guint8 get_report_descriptor[8] = {0x81, 0x06, 0x00, 0x22, 0x00, 0x00, 0xff, 0x00};
	guint8 report[62];
	const gchar *fixtures[][3] = {{"keyboard", "scanner.pcap", "\"text\":\"0012345678905\""},
				      {"keyboard", "scanner.ioctl", "\"text\":\"0012345678905\""},
				      {"scale", "scale.pcap", "\"milligrams\":995068"},
				      {"scale", "scale.ioctl", "\"milligrams\":995068"}};

	for (guint i = 0; i < G_N_ELEMENTS(fixtures); i++) {
		g_autofree gchar *rel =
			g_build_filename("../../shared/fixtures/usb", fixtures[i][1], NULL);
		g_autofree gchar *path = st_test_source_path(rel);
		if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
			g_test_message("../shared/fixtures/usb/%s not found: that capture is not "
				       "checked",
				       fixtures[i][1]);
			continue;
		}
		g_assert_cmpint(run(&out, &err, "hid", "decode", "--kind", fixtures[i][0],
				    "--capture", path, NULL),
				==, 0);
		g_assert_nonnull(strstr(out, fixtures[i][2]));
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
	}

	/* a HID POS scanner: the descriptor from the capture, then a scan of "]C1" data */
	g_byte_array_append(cap, (const guint8 *)file_hdr, sizeof(file_hdr));
	pcap_record(cap, 7, 'S', 2, 0x80, get_report_descriptor, NULL, 0);
	pcap_record(cap, 7, 'C', 2, 0x80, NULL, st_test_pos_scanner_descriptor,
		    sizeof(st_test_pos_scanner_descriptor));
	st_test_pos_scanner_report(report, "]C1",
				   (const guint8 *)"01\x1d"
						   "10",
				   5, FALSE);
	pcap_record(cap, 8, 'C', 1, 0x81, NULL, report, sizeof(report));
	g_assert_true(g_file_set_contents(pcap, (const gchar *)cap->data, cap->len, NULL));
	g_assert_cmpint(
		run(&out, &err, "hid", "decode", "--kind", "pos-scanner", "--capture", pcap, NULL),
		==, 0);
	g_assert_nonnull(strstr(out, "\"display\":\"01<GS>10\""));
	g_assert_nonnull(strstr(out, "\"symbology\":\"]C1\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* another device in the same capture: which one must be said */
	{
		gsize at = cap->len;
		pcap_record(cap, 9, 'C', 1, 0x81, NULL, report, sizeof(report));
		cap->data[at + 16 + 11] = 6;
	}
	g_assert_true(g_file_set_contents(pcap, (const gchar *)cap->data, cap->len, NULL));
	g_assert_cmpint(
		run(&out, &err, "hid", "decode", "--kind", "pos-scanner", "--capture", pcap, NULL),
		==, 1);
	g_assert_nonnull(strstr(err, "more than one device"));
	g_assert_nonnull(strstr(err, "bus 1 device 6"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "hid", "decode", "--kind", "pos-scanner", "--capture", pcap,
			    "--device", "1.5", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "\"symbology\":\"]C1\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* not a capture: said */
	g_assert_true(g_file_set_contents(junk, "hello", -1, NULL));
	g_assert_cmpint(
		run(&out, &err, "hid", "decode", "--kind", "scale", "--capture", junk, NULL), ==,
		1);
	g_assert_nonnull(strstr(err, "neither a pcap usbmon capture"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* a bench without printers: labels to spool folders, no CUPS needed (its server is set to
 * nowhere); `station printers` shows the folders and the prints and is content without CUPS */
/* a `station print` killed half-way leaves its print "submitting": the next print of the label
 * settles it first, as station serve does (no file in the spool folder: it failed, so the
 * label prints now; the file there: it printed, so it is not printed twice), and says so */
static void
test_print_settles(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *spool = g_build_filename(dir, "spool", NULL);
	g_autofree gchar *queue = g_strconcat("spool:", spool, NULL);
	g_autofree gchar *zpl = g_build_filename(dir, "label.zpl", NULL);
	g_autofree gchar *text = g_strdup_printf("[station]\nid = bench-k\n[store]\npath = %s\n"
						 "[printer label]\nspool = %s\n",
						 db, spool);
	const gchar label[] = "^XA^FO20,20^A0N,30,30^FDkilled^FS^XZ";
	g_autoptr(StStore) store = st_store_new("bench-k");
	g_autoptr(GBytes) content = g_bytes_new_static(label, sizeof(label) - 1);
	g_autoptr(GError) error = NULL;
	StLabelSpec spec = {.kind = "file", .source = zpl, .format = "zpl", .content = content};
	gint64 label_id = 0, print_id = 0;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(g_file_set_contents(zpl, label, -1, NULL));
	/* what a killed station print left: the label stored, its print begun, no file */
	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_label(store, &spec, &label_id, NULL, &error));
	g_assert_true(st_store_begin_print(store, label_id, "label", queue, FALSE, NULL, &print_id,
					   &error));
	g_assert_no_error(error);
	st_store_close(store);
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *out = NULL, *err = NULL;
		gint status = run(&out, &err, "print", zpl, "-c", conf, NULL);
		g_test_message("%s%s", out, err);
		/* each thing said once, by the command: not again by the printing module */
		g_assert_null(strstr(err, "station-print:"));
		g_assert_null(strstr(out, "station-print:"));
		if (i == 0) {
			/* settled as failed, then printed */
			g_assert_cmpint(status, ==, 0);
			g_assert_nonnull(strstr(out,
						"stopped before its file was written: it counts "
						"as failed"));
			g_assert_nonnull(strstr(out, "written to"));
		} else {
			/* printed now: not again without --reprint */
			g_assert_cmpint(status, ==, 1);
			g_assert_nonnull(strstr(err, "already written to the spool folder"));
			g_assert_null(strstr(err, "queue"));
		}
	}
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_spool_bench(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *zpl = g_build_filename(dir, "label.zpl", NULL);
	g_autofree gchar *text = g_strdup_printf(
		"[station]\nid = bench-s\n[store]\npath = %s/station.db\n[cups]\nserver = "
		"%s/no-cups.sock\n[printer label]\nspool = %s/spool\n[printer document]\n"
		"spool = %s/spool\nlanguage = pdf\n[sender]\nname = Example Warehouse\n"
		"street = 1 Depot Road\npostal-code = 10115\ncity = Berlin\ncountry = DE\n",
		dir, dir, dir, dir);
	g_autofree gchar *spooled =
		g_build_filename(dir, "spool", "bench-s-label-1-print-1.zpl", NULL);
	g_autofree gchar *out = NULL, *err = NULL, *bytes = NULL;
	const gchar label[] = "^XA^FO20,20^A0N,30,30^FDspool^FS^XZ";

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(g_file_set_contents(zpl, label, -1, NULL));
	g_assert_cmpint(run(&out, &err, "print", zpl, "-c", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "written to"));
	/* said once, by the command: not a second time by the printing module's log */
	g_assert_null(strstr(err, "written to"));
	g_assert_null(strstr(err, "station-print:"));
	g_assert_true(g_file_get_contents(spooled, &bytes, NULL, NULL));
	g_assert_cmpstr(bytes, ==, label);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "printers", "-c", conf, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "printer label: spool folder"));
	g_assert_nonnull(strstr(out, "label 1 on spool:"));
	g_assert_nonnull(strstr(err, "does not answer"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* a label from an order in the database: an unknown order, then a field the order
	 * cannot give (the tracking number) named with how to give it, then printed */
	{
		g_autoptr(StStore) store = st_store_new("bench-s");
		g_autoptr(GError) error = NULL;
		g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
		StProductSpec pen = {"PEN", "Pen", 20};
		StOrderLineSpec line = {"PEN", 2};
		StAddress to = {"Ana", NULL,	"1 Main St", NULL, "Trenton",
				"NJ",  "08102", "US",	     NULL, NULL};
		StOrderSpec order = {"ORD-9", ST_ORDER_STATUS_PACKING, &to, "GROUND", "UPS", &line,
				     1};
		g_assert_true(st_store_open(store, db, 1000, &error));
		g_assert_true(st_store_put_product(store, &pen, NULL, &error));
		g_assert_true(st_store_put_order(store, &order, NULL, &error));
		g_assert_no_error(error);
		st_store_close(store);
	}
	g_assert_cmpint(
		run(&out, &err, "print", "-t", "carrier-4x6", "--order", "ORD-8", "-c", conf, NULL),
		==, 1);
	g_assert_nonnull(strstr(err, "no order ORD-8"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(
		run(&out, &err, "print", "-t", "carrier-4x6", "--order", "ORD-9", "-c", conf, NULL),
		==, 1);
	g_assert_nonnull(strstr(err, "no tracking"));
	g_assert_nonnull(strstr(err, "--set FIELD=VALUE"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "print", "-t", "carrier-4x6", "--order", "ORD-9", "--set",
			    "tracking=1Z999AA10123456784", "-c", conf, NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "written to"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* the command sheet's data follows the configured [barcodes] command pattern */
/* a label rendered to something that is not a file (a pipe here; /dev/null, a printer's
 * port) is written into it, never replaced by a file renamed over it: as root that turned
 * /dev/null into a file */
/* a print that fails is said once, by the command: the printing module's own warning
 * ("station-print: warning: label 1 not printed: ...") is not said a second time */
static void
test_print_said_once(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *zpl = g_build_filename(dir, "label.zpl", NULL);
	g_autofree gchar *text =
		g_strdup_printf("[store]\npath = %s/s.db\n[printer label]\n"
				"queue = nowhere\n[cups]\nserver = %s/no-cups.sock\n",
				dir, dir);
	g_autofree gchar *err = NULL;
	const gchar *first;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(g_file_set_contents(zpl, "^XA^FDx^FS^XZ", -1, NULL));
	g_assert_cmpint(run(NULL, &err, "print", zpl, "-c", conf, NULL), ==, 1);
	g_test_message("%s", err);
	first = strstr(err, "does not answer");
	g_assert_nonnull(first);
	g_assert_null(strstr(first + 1, "does not answer"));
	g_assert_null(strstr(err, "station-print:"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_label_render_to_pipe(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *fifo = g_build_filename(dir, "label.fifo", NULL);
	g_autofree gchar *data =
		g_build_filename(ST_TEST_SRCDIR, "labels", "shipment-ups.json", NULL);
	g_autofree gchar *err = NULL;
	gchar buf[65536];
	struct stat st;
	gssize n;
	gint fd;

	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	/* both ends held here: the station's write does not wait for a reader */
	fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(run(NULL, &err, "label", "render", "-t", "carrier-4x6", "-d", data, "-f",
			    "zpl", "-o", fifo, NULL),
			==, 0);
	g_assert_cmpint(stat(fifo, &st), ==, 0);
	g_assert_true(S_ISFIFO(st.st_mode));
	n = read(fd, buf, sizeof(buf) - 1);
	g_assert_cmpint(n, >, 0);
	buf[n] = '\0';
	g_assert_nonnull(strstr(buf, "^XA"));
	close(fd);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static void
test_label_commands(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *star = g_build_filename(dir, "star.conf", NULL);
	g_autofree gchar *bang = g_build_filename(dir, "bang.conf", NULL);
	g_autofree gchar *out = NULL, *err = NULL;

	g_assert_true(g_file_set_contents(star, "[barcodes]\ncommand = ^\\*(?<key>[A-Z_]+)\\*$\n",
					  -1, NULL));
	g_assert_true(
		g_file_set_contents(bang, "[barcodes]\ncommand = ^!(?<key>[A-Z_]+)$\n", -1, NULL));
	g_assert_cmpint(run(&out, &err, "label", "commands", "-c", "/dev/null", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "\"code\" : \"CMD-SHORT-PICK\""));
	g_assert_nonnull(strstr(out, "\"label\" : \"Short pick\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run(&out, &err, "label", "commands", "-c", star, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "\"code\" : \"*SHORT_PICK*\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* a pattern none of the forms fits: said, nothing printed */
	g_assert_cmpint(run(&out, &err, "label", "commands", "-c", bang, NULL), ==, 1);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "write the sheet's data by hand"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* kill -9 of a real station serve mid-order: the next run resumes the bench where the last
 * answered scan left it (the operator logged in, the order open), and the order completes
 * with the next item */
static void
test_serve_kill9(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *script1 = g_build_filename(dir, "first.script", NULL);
	g_autofree gchar *script2 = g_build_filename(dir, "second.script", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(StStore) store = st_store_new("bench-k9");
	g_autoptr(GPtrArray) scans = NULL;
	g_autoptr(StOrder) order = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	StOrderLineSpec lines[] = {{"PEN", 2}};
	StOperatorSpec ana = {"0042", "Ana", ST_OPERATOR_ROLE_PACKER, NULL};

	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pen},
		NULL, &error));
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_true(st_store_put_operator(store, &ana, &error));
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_true(g_file_set_contents(script1,
					  "type OP-0042\nwait 50\ntype ORD-1\nwait 50\n"
					  "type 4006381333931\nwait 600000\n",
					  -1, NULL));
	g_assert_true(g_file_set_contents(script2, "type 4006381333931\nwait 600000\n", -1, NULL));

	for (guint run_no = 0; run_no < 2; run_no++) {
		g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GDataInputStream) in = NULL;
		g_autofree gchar *text =
			g_strdup_printf("[station]\nid = bench-k9\n[store]\npath = %s\n"
					"[device s1]\ndriver = emulated\nscript = %s\n",
					db, run_no == 0 ? script1 : script2);
		g_assert_true(g_file_set_contents(conf, text, -1, NULL));
		proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve",
						   "--config", conf, NULL);
		g_assert_no_error(error);
		in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
		if (run_no == 0) {
			if (!st_test_wait_for_line(in, "1 item left in order ORD-1", seen))
				g_error("first item not answered: %s", seen->str);
			/* no clean stop: the process is killed */
			g_subprocess_force_exit(proc);
			g_assert_true(g_subprocess_wait(proc, NULL, &error));
			g_assert_false(g_subprocess_get_if_exited(proc));
			continue;
		}
		if (!st_test_wait_for_line(in,
					   "bench: resumed with Ana, order ORD-1 open, 1 item to "
					   "pack",
					   seen))
			g_error("not resumed: %s", seen->str);
		if (!st_test_wait_for_line(in, "order ORD-1 is complete", seen))
			g_error("the next item did not complete the order: %s", seen->str);
		g_subprocess_send_signal(proc, SIGTERM);
		if (!st_test_wait_for_line(in, "stopped", seen))
			g_error("no clean stop: %s", seen->str);
		g_assert_true(g_subprocess_wait(proc, NULL, &error));
	}
	g_assert_true(st_store_open(store, db, 1000, &error));
	scans = st_store_get_scans(store, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(scans->len, ==, 4);
	for (guint i = 0; i < scans->len; i++) {
		const StScanRecord *r = g_ptr_array_index(scans, i);
		g_assert_true(r->ok);
		g_assert_cmpstr(r->operator_badge, ==, "0042");
	}
	order = st_store_find_order(store, "ORD-1", &error);
	g_assert_cmpint(order->status, ==, ST_ORDER_STATUS_PACKED);
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* kill -9 of a real station serve mid pick list, at a handheld with workflow = pick: the
 * next run resumes the list where its picks stand (a pick begun: its item next), and the
 * list finishes with the next unit */
static void
test_serve_kill9_pick(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *script1 = g_build_filename(dir, "first.script", NULL);
	g_autofree gchar *script2 = g_build_filename(dir, "second.script", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	g_autoptr(StStore) store = st_store_new("bench-k9");
	g_autoptr(StPickList) list = NULL;
	g_autoptr(StStockReport) pen = NULL;
	const gchar *pens[] = {"4006381333931", NULL};
	const gchar *orders[] = {"ORD-1", NULL};
	StOrderLineSpec lines[] = {{"PEN", 2}};
	StLocationSpec bin = {.code = "A-01", .kind = "bin", .pick_sequence = 1};

	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pens},
		NULL, &error));
	g_assert_true(st_store_put_location(store, &bin, &error));
	g_assert_true(st_store_change_stock(store,
					    &(StStockChange){.kind = ST_LEDGER_RECEIVE,
							     .sku = "PEN",
							     .quantity = 5,
							     .to = "A-01"},
					    NULL, &error));
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	list = st_store_create_pick_list(store, ST_PICK_MODE_ORDER, orders, 0, NULL, &error);
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_true(
		g_file_set_contents(script1,
				    "type PL-000001\nwait 50\ntype TOTE-9\nwait 50\n"
				    "type LOC-A-01\nwait 50\ntype 4006381333931\nwait 600000\n",
				    -1, NULL));
	g_assert_true(g_file_set_contents(script2, "type 4006381333931\nwait 600000\n", -1, NULL));
	for (guint run_no = 0; run_no < 2; run_no++) {
		g_autoptr(GSubprocessLauncher) launcher = st_test_daemon_launcher_new();
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GDataInputStream) in = NULL;
		g_autofree gchar *text = g_strdup_printf(
			"[station]\nid = bench-k9\n[store]\npath = %s\n"
			"[device handheld]\ndriver = emulated\nworkflow = pick\nscript = %s\n",
			db, run_no == 0 ? script1 : script2);
		g_assert_true(g_file_set_contents(conf, text, -1, NULL));
		proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "serve",
						   "--config", conf, NULL);
		g_assert_no_error(error);
		in = g_data_input_stream_new(g_subprocess_get_stderr_pipe(proc));
		if (run_no == 0) {
			if (!st_test_wait_for_line(in, "PEN counted, 1 more here", seen))
				g_error("the first unit not answered: %s", seen->str);
			g_subprocess_force_exit(proc);
			g_assert_true(g_subprocess_wait(proc, NULL, &error));
			g_assert_false(g_subprocess_get_if_exited(proc));
			continue;
		}
		if (!st_test_wait_for_line(in, "pick list 000001 resumed, 1 pick to go (wait-item)",
					   seen))
			g_error("not resumed: %s", seen->str);
		if (!st_test_wait_for_line(in, "the pick list is done", seen))
			g_error("the next unit did not finish the list: %s", seen->str);
		g_subprocess_send_signal(proc, SIGTERM);
		if (!st_test_wait_for_line(in, "stopped", seen))
			g_error("no clean stop: %s", seen->str);
		g_assert_true(g_subprocess_wait(proc, NULL, &error));
	}
	/* both pens in the tote, none twice */
	g_assert_true(st_store_open(store, db, 1000, &error));
	pen = st_store_get_stock(store, "PEN", &error);
	g_assert_no_error(error);
	for (guint i = 0; i < pen->rows->len; i++) {
		const StStockRow *row = g_ptr_array_index(pen->rows, i);
		if (g_strcmp0(row->location, "TOTE-9") == 0)
			g_assert_cmpint(row->quantity, ==, 2);
		else
			g_assert_cmpint(row->quantity, ==, 3);
	}
	st_store_close(store);
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* Ctrl+C during the demo, while it sets the bench up and during the shift: it stops where it
 * is, says so, exits 1, and leaves nothing behind (its folder removed, the reference central
 * system stopped) */
static void
test_demo_interrupted(void)
{
	/* "folder:": the bench started, the orders not yet pulled; "1. Picking": the shift's
	 * first step (not just "handheld": with port 8080 taken, the API's warning names the
	 * handhelds before the shift starts) */
	const gchar *const moments[] = {"folder:", "1. Picking"};

	for (guint m = 0; m < G_N_ELEMENTS(moments); m++) {
		g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
			G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GDataInputStream) in = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(GString) seen = g_string_new(NULL);
		g_autofree gchar *folder = NULL;
		const gchar *at;

		g_test_message("Ctrl+C at \"%s\"", moments[m]);
		g_subprocess_launcher_set_child_setup(launcher, st_test_child_dies_with_parent,
						      NULL, NULL);
		proc = g_subprocess_launcher_spawn(launcher, &error, station_bin(), "demo", NULL);
		g_assert_no_error(error);
		in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(proc));
		if (!st_test_wait_for_line(in, moments[m], seen))
			g_error("the demo did not get to \"%s\": %s", moments[m], seen->str);
		g_subprocess_send_signal(proc, SIGINT);
		/* the rest of what it says, to its end */
		g_assert_false(st_test_wait_for_line(in, "a line no demo prints", seen));
		g_assert_true(g_subprocess_wait(proc, NULL, &error));
		if (!g_subprocess_get_if_exited(proc))
			g_error("the demo ended by signal %d after Ctrl+C: %s",
				g_subprocess_get_term_sig(proc), seen->str);
		g_assert_cmpint(g_subprocess_get_exit_status(proc), ==, 1);
		g_assert_nonnull(strstr(seen->str, "stopped (Ctrl+C) before the end of the shift"));
		g_assert_null(strstr(seen->str, "summary:"));
		g_assert_null(strstr(seen->str, "did not arrive"));
		at = strstr(seen->str, "folder:");
		g_assert_nonnull(at);
		at += strlen("folder:");
		while (*at == ' ')
			at++;
		folder = g_strndup(at, strcspn(at, "\n"));
		g_assert_true(g_str_has_prefix(folder, "/"));
		if (g_file_test(folder, G_FILE_TEST_EXISTS))
			g_error("the demo's folder %s was left behind", folder);
	}
}

/* station simulate: a script through the workflows on the configured database, each answer
 * a JSON line; with --expect, exit status 1 naming the line of the first surprise */
static void
test_simulate(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *db = g_build_filename(dir, "station.db", NULL);
	g_autofree gchar *script = g_build_filename(dir, "shift.txt", NULL);
	g_autofree gchar *text = g_strdup_printf("[store]\npath = %s\n", db);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(StStore) store = st_store_new("bench-sim");
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = NULL;
	const gchar *pen[] = {"4006381333931", NULL};
	StOrderLineSpec order_lines[] = {{"PEN", 1}};

	g_assert_true(st_store_open(store, db, 1000, &error));
	g_assert_true(st_store_put_product(
		store,
		&(StProductSpec){.sku = "PEN", .name = "Pen", .weight_g = 12, .barcodes = pen},
		NULL, &error));
	g_assert_true(st_store_put_order(store,
					 &(StOrderSpec){.number = "ORD-1",
							.status = ST_ORDER_STATUS_RELEASED,
							.lines = order_lines,
							.n_lines = 1},
					 NULL, &error));
	g_assert_no_error(error);
	st_store_close(store);
	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	g_assert_true(g_file_set_contents(script,
					  "scan bench ORD-1\nexpect ok opened\n"
					  "scan bench 4006381333931\nexpect ok complete\n"
					  "scan bench 4006381333931\nexpect order-complete\n",
					  -1, NULL));
	g_assert_cmpint(
		run(&out, &err, "simulate", "--script", script, "--expect", "-c", conf, NULL), ==,
		0);
	lines = g_strsplit(g_strstrip(out), "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	g_assert_nonnull(strstr(lines[1], "\"ok\":true"));
	g_assert_nonnull(strstr(lines[2], "\"reason\":\"order-complete\""));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	/* the database changed, as a real shift changes it: the same script now surprises */
	g_assert_cmpint(
		run(&out, &err, "simulate", "--script", script, "--expect", "-c", conf, NULL), ==,
		1);
	g_assert_nonnull(strstr(err, "line 2: expected ok: opened, got order-already-packed"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

/* prints the labels of tests/shifts/labels.txt (order, template, fields) as a bench would */
static void
print_shift_labels(const gchar *conf)
{
	g_autofree gchar *path = g_build_filename(ST_TEST_SRCDIR, "shifts", "labels.txt", NULL);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) words = g_strsplit(g_strstrip(lines[i]), " ", -1);
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		g_autoptr(GSubprocess) proc = NULL;
		g_autoptr(GError) error = NULL;
		if (lines[i][0] == '#' || g_strv_length(words) < 2)
			continue;
		g_ptr_array_add(argv, (gpointer)station_bin());
		g_ptr_array_add(argv, (gpointer) "print");
		g_ptr_array_add(argv, (gpointer) "--printer");
		g_ptr_array_add(argv, (gpointer) "label");
		g_ptr_array_add(argv, (gpointer) "-c");
		g_ptr_array_add(argv, (gpointer)conf);
		g_ptr_array_add(argv, (gpointer) "--order");
		g_ptr_array_add(argv, words[0]);
		g_ptr_array_add(argv, (gpointer) "--template");
		g_ptr_array_add(argv, words[1]);
		for (guint w = 2; words[w] != NULL; w++) {
			g_ptr_array_add(argv, (gpointer) "--set");
			g_ptr_array_add(argv, words[w]);
		}
		g_ptr_array_add(argv, NULL);
		proc = g_subprocess_newv((const gchar *const *)argv->pdata,
					 G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
						 G_SUBPROCESS_FLAGS_STDERR_SILENCE,
					 &error);
		g_assert_no_error(error);
		g_assert_true(g_subprocess_wait_check(proc, NULL, &error));
		g_assert_no_error(error);
	}
}

/* whole shifts written as scripts (tests/shifts/NAME.txt) run one after the other by `station
 * simulate --expect` on a database imported from the CSV files beside them, as a shift lead
 * would set a bench up ("labels": the carriers' labels printed between two scripts) */
/* the columns a terminal shows of @line up to the end of @needle in it (a Chinese character
 * takes two) */
static guint
columns_to(const gchar *line, const gchar *needle)
{
	const gchar *at = strstr(line, needle);
	guint width = 0;
	g_assert_nonnull(at);
	for (const gchar *p = line; p < at + strlen(needle); p = g_utf8_next_char(p))
		width += g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
	return width;
}

static void
test_shift(gconstpointer data)
{
	const gchar *const *steps = data;
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *conf_in =
		g_build_filename(ST_TEST_SRCDIR, "shifts", "station.conf", NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *conf_text = NULL;
	g_auto(GStrv) parts = NULL;
	const gchar *kinds[] = {"products", "box-types", "operators",
				"orders",   "locations", "stock"};
	gint status;

	g_assert_true(g_file_get_contents(conf_in, &text, NULL, NULL));
	parts = g_strsplit(text, "@DIR@", -1);
	conf_text = g_strjoinv(dir, parts);
	g_assert_true(g_file_set_contents(conf, conf_text, -1, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree gchar *csv_name = g_strdup_printf("%s.csv", kinds[i]);
		g_autofree gchar *csv = g_build_filename(ST_TEST_SRCDIR, "shifts", csv_name, NULL);
		g_autofree gchar *o = NULL, *e = NULL;
		status = run(&o, &e, "import", kinds[i], csv, "-c", conf, NULL);
		if (status != 0)
			g_printerr("%s%s", o, e);
		g_assert_cmpint(status, ==, 0);
	}
	for (guint i = 0; steps[i] != NULL; i++) {
		g_autofree gchar *file = g_strdup_printf("%s.txt", steps[i]);
		g_autofree gchar *script = g_build_filename(ST_TEST_SRCDIR, "shifts", file, NULL);
		g_autofree gchar *out = NULL, *err = NULL;
		if (g_strcmp0(steps[i], "labels") == 0) {
			print_shift_labels(conf);
			continue;
		}
		if (g_strcmp0(steps[i], "picklists") == 0) {
			/* the shift lead makes the morning's list: a cluster of three orders */
			g_assert_cmpint(run(&out, &err, "picklist", "create", "--orders",
					    "ORD-3001,ORD-3002,ORD-3003", "--cluster", "--print",
					    "-c", conf, NULL),
					==, 0);
			/* its sheet for the picker, on the document printer */
			g_assert_true(g_regex_match_simple(
				"station print: label [0-9]+: written to .*/spool/document/", out,
				0, 0));
			g_assert_nonnull(strstr(out,
						"pick list 000001 (barcode PL-000001): cluster "
						"of 3 orders, 5 picks, 9 units"));
			/* the route: by pick sequence, then the order's slot; the first lot to
			 * expire */
			g_assert_true(g_regex_match_simple(
				"^1 +A-01-01 +ORD-3001 +PEN +3 *\n2 +A-01-01 +ORD-3002 +PEN +1 *\n"
				"3 +B-02-01 +ORD-3002 +TAPE-48 +1 *\n4 +B-02-01 +ORD-3003 +TAPE-48 "
				"+2 "
				"*\n5 +C-03-01 +ORD-3001 +VITAMINS +2 +L1 +2035-03-31",
				out, G_REGEX_MULTILINE, 0));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			/* an order on a list is not put on another */
			g_assert_cmpint(run(&out, &err, "picklist", "create", "--orders",
					    "ORD-3001", "-c", conf, NULL),
					==, 1);
			g_assert_nonnull(
				strstr(err, "order ORD-3001 is on pick list 000001 already"));
			continue;
		}
		if (g_strcmp0(steps[i], "picked") == 0) {
			/* what the picking and packing left: the lists, and the pens' stock */
			g_assert_cmpint(run(&out, &err, "picklist", "-c", conf, NULL), ==, 0);
			g_assert_true(
				g_regex_match_simple("^000001 +cluster +done +3 +5/5 +9 +8 +1 ",
						     out, G_REGEX_MULTILINE, 0));
			g_assert_true(g_regex_match_simple("^000002 +order +done +1 +1/1 +1 +1 +0 ",
							   out, G_REGEX_MULTILINE, 0));
			g_assert_true(g_regex_match_simple("^000003 +order +done +1 +2/2 +3 +2 +1 ",
							   out, G_REGEX_MULTILINE, 0));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			g_assert_cmpint(run(&out, &err, "picklist", "PL-000001", "-c", conf, NULL),
					==, 0);
			g_assert_true(g_regex_match_simple("^3 +ORD-3003 +TOTE-03$", out,
							   G_REGEX_MULTILINE, 0));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			/* 50 pens: 4 packed out of the totes, 1 still in TOTE-04, 2 in TOTE-05 */
			g_assert_cmpint(run(&out, &err, "stock", "PEN", "-c", conf, NULL), ==, 0);
			g_assert_true(
				g_regex_match_simple("A-01-01 .* 43$", out, G_REGEX_MULTILINE, 0));
			g_assert_true(
				g_regex_match_simple("TOTE-04 .* 1$", out, G_REGEX_MULTILINE, 0));
			g_assert_true(
				g_regex_match_simple("TOTE-05 .* 2$", out, G_REGEX_MULTILINE, 0));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			g_assert_cmpint(run(&out, &err, "check", "-c", conf, NULL), ==, 0);
			{
				/* the bench printed each parcel's label (its SSCC in it) and each
				 * order's slip by itself, to the spool folders */
				g_autofree gchar *labels =
					g_build_filename(dir, "spool", "label", NULL);
				g_autofree gchar *slips =
					g_build_filename(dir, "spool", "document", NULL);
				g_autoptr(GDir) d = g_dir_open(labels, 0, NULL);
				g_autoptr(GDir) d2 = g_dir_open(slips, 0, NULL);
				g_autoptr(GString) zpl = g_string_new(NULL);
				const gchar *name;
				guint n = 0;
				g_assert_nonnull(d);
				g_assert_nonnull(d2);
				while ((name = g_dir_read_name(d)) != NULL) {
					g_autofree gchar *path =
						g_build_filename(labels, name, NULL);
					g_autofree gchar *bytes = NULL;
					GStatBuf st;
					g_assert_true(g_str_has_suffix(name, ".zpl"));
					/* labels carry addresses: not readable by everyone */
					g_assert_cmpint(g_stat(path, &st), ==, 0);
					g_assert_cmpint(st.st_mode & 0777, ==, 0640);
					g_assert_true(
						g_file_get_contents(path, &bytes, NULL, NULL));
					g_string_append(zpl, bytes);
					n++;
				}
				g_assert_cmpuint(n, ==, 2);
				g_assert_nonnull(strstr(zpl->str, "006141410000000012"));
				/* ORD-3002's parcel went with the label DHL made, printed as it
				 * came with the order */
				g_assert_nonnull(
					strstr(zpl->str, "^FO40,40^A0N,48,48^FDDHL Paket^FS"));
				g_assert_nonnull(strstr(zpl->str, "^FDJJD0099000123456^FS"));
				g_assert_null(strstr(zpl->str, "006141410000000029"));
				/* the pick list's sheet, the two slips, ORD-3001's customs
				 * declaration (Berlin to Edinburgh leaves the EU) and the DHL
				 * manifest */
				n = 0;
				while ((name = g_dir_read_name(d2)) != NULL)
					n += g_str_has_suffix(name, ".pdf") ? 1 : 0;
				g_assert_cmpuint(n, ==, 5);
			}
			continue;
		}
		if (g_strcmp0(steps[i], "manifests") == 0) {
			/* what the dock loaded, as a shift lead looks it up */
			g_assert_cmpint(run(&out, &err, "manifests", "-c", conf, NULL), ==, 0);
			g_assert_true(g_regex_match_simple("^2 +DHL +closed +1 +1 ", out,
							   G_REGEX_MULTILINE, 0));
			g_assert_true(g_regex_match_simple("^1 +UPS +closed +4 +3 ", out,
							   G_REGEX_MULTILINE, 0));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			g_assert_cmpint(run(&out, &err, "manifests", "1", "-c", conf, NULL), ==, 0);
			g_assert_true(g_regex_match_simple("^ORD-2002 +1Z999AA10123456800 ", out,
							   G_REGEX_MULTILINE, 0));
			g_assert_null(strstr(out, "006141411234567890"));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			g_assert_cmpint(run(&out, &err, "manifests", "9", "-c", conf, NULL), ==, 1);
			g_assert_nonnull(strstr(err, "no manifest 9"));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			g_assert_cmpint(run(&out, &err, "manifests", "one", "-c", conf, NULL), ==,
					2);
			g_assert_nonnull(strstr(err, "\"one\" is not a manifest number"));
			g_clear_pointer(&out, g_free);
			g_clear_pointer(&err, g_free);
			/* in Chinese: the headers and states translated, and still in line with
			 * their columns (a Chinese character is two columns wide) */
			if (st_i18n_language_available("zh-CN")) {
				const gchar *const env[] = {"LC_ALL", "zh_CN.UTF-8", "LANGUAGE", "",
							    NULL};
				const gchar *const args[] = {"manifests", "-c", conf, NULL};
				g_auto(GStrv) lines = NULL;
				g_assert_cmpint(run_full(NULL, env, &out, &err, args), ==, 0);
				g_test_message("%s", out);
				lines = g_strsplit(out, "\n", -1);
				g_assert_true(g_str_has_prefix(lines[0], "交接单"));
				g_assert_true(g_regex_match_simple("^1 +UPS +已关闭 +4 +3 ", out,
								   G_REGEX_MULTILINE, 0));
				/* the parcels column is right-aligned: its header and manifest 1's
				 * count end in the same column */
				for (guint l = 1; lines[l] != NULL; l++) {
					if (g_str_has_prefix(lines[l], "1 "))
						g_assert_cmpuint(columns_to(lines[l], " 4"), ==,
								 columns_to(lines[0], "包裹数"));
				}
			}
			continue;
		}
		status = run(&out, &err, "simulate", "--script", script, "--expect", "-c", conf,
			     NULL);
		if (status != 0)
			g_printerr("%s", err);
		g_assert_cmpint(status, ==, 0);
		g_assert_cmpuint(strlen(out), >, 0);
		if (g_strcmp0(steps[i], "pack-shift") == 0) {
			/* a parcel leaving the EU (Berlin to New York) gets its customs
			 * declaration with the slip; one staying in it (Berlin) none */
			g_assert_true(g_regex_match_simple(
				"\"printed\":\"order ORD-2001: customs declaration \\(label "
				"[0-9]+\\): completed: written to [^\"]*/spool/document/",
				out, 0, 0));
			g_assert_null(strstr(out, "order ORD-2003: customs declaration"));
			/* ORD-2004's tracking number came with the order: its label is the UPS
			 * carrier's template with it, and the parcel carries that number */
			g_assert_nonnull(strstr(out, "order ORD-2004: label of parcel 1 "
						     "(1Z999AA10123456819) (label "));
		}
		if (g_strcmp0(steps[i], "dock-shift") == 0) {
			/* each manifest closed printed its document for the driver */
			g_assert_true(g_regex_match_simple("\"printed\":\"manifest 1 \\(label "
							   "[0-9]+\\): completed: written to "
							   "[^\"]*/spool/document/",
							   out, 0, 0));
			g_assert_nonnull(strstr(out, "\"printed\":\"manifest 2 (label "));
		}
	}
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

static const gchar *const shift_pack[] = {"pack-shift", NULL};
static const gchar *const shift_pack_zh[] = {"pack-shift-zh", NULL};
static const gchar *const shift_day[] = {"pack-shift", "labels", "dock-shift", "manifests", NULL};
static const gchar *const shift_pick[] = {
	"picklists", "pick-shift", "pick-shift-zh", "pack-picked", "dock-picked", "picked", NULL};

/* runs station with @args, and @env's NAME, VALUE pairs (NULL-terminated) in its environment */
static gint
run_env(gchar **out, gchar **err, const gchar *const *env, const gchar *const *args)
{
	return run_full(NULL, env, out, err, args);
}

/*
 * ICU and libcups are opened when first needed, not linked: with a folder of broken copies of
 * both first in the library path, a command that needs neither runs (a program linked with
 * them would not even start); a label with Chinese text in an ASCII-only field, and a print
 * to CUPS, each fail with a sentence naming the library and what to install, and nothing is
 * written. With the real libraries the same label is written in pinyin.
 */
static void
test_libraries_on_demand(void)
{
	g_autofree gchar *dir = st_test_tmpdir_new();
	g_autofree gchar *libs = g_build_filename(dir, "libs", NULL);
	g_autofree gchar *icu = g_build_filename(libs, ST_ICU_I18N_SONAME, NULL);
	g_autofree gchar *cups = g_build_filename(libs, "libcups.so.2", NULL);
	g_autofree gchar *templates = g_build_filename(dir, "templates", NULL);
	g_autofree gchar *tpl = g_build_filename(templates, "ascii-test.json", NULL);
	g_autofree gchar *data = g_build_filename(dir, "data.json", NULL);
	g_autofree gchar *ascii_data = g_build_filename(dir, "ascii.json", NULL);
	g_autofree gchar *zpl = g_build_filename(dir, "label.zpl", NULL);
	g_autofree gchar *conf = g_build_filename(dir, "station.conf", NULL);
	g_autofree gchar *conf_text = g_strdup_printf(
		"[store]\npath = %s/station.db\n[printer label]\nqueue = label\nlanguage = zpl\n",
		dir);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autofree gchar *bytes = NULL;
	const gchar *render[] = {"label", "render", "-t", "ascii-test", "-d",
				 data,	  "-o",	    zpl,  NULL};
	const gchar *render_ascii[] = {"label",	   "render", "-t", "ascii-test", "-d",
				       ascii_data, "-o",     zpl,  NULL};
	const gchar *printers[] = {"printers", "-c", conf, NULL};
	const gchar *broken[] = {"LD_LIBRARY_PATH", libs, "STATION_TEMPLATES", templates, NULL};
	const gchar *real[] = {"STATION_TEMPLATES", templates, NULL};

	g_assert_cmpint(g_mkdir_with_parents(libs, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(templates, 0700), ==, 0);
	g_assert_true(g_file_set_contents(icu, "not a library", -1, NULL));
	g_assert_true(g_file_set_contents(cups, "not a library", -1, NULL));
	g_assert_true(
		g_file_set_contents(tpl,
				    "{\"page\":\"4x6in\",\"items\":[{\"type\":\"text\","
				    "\"x\":5,\"y\":5,\"size\":4,\"text\":\"{street|ascii}\"}]}",
				    -1, NULL));
	g_assert_true(g_file_set_contents(
		data, "{\"street\":\"\u897f\u6e56\u533a\u6587\u4e09\u8def 90 \u53f7\"}", -1, NULL));
	g_assert_true(g_file_set_contents(ascii_data, "{\"street\":\"Main Street 5\"}", -1, NULL));
	g_assert_true(g_file_set_contents(conf, conf_text, -1, NULL));

	/* neither is needed: the program starts and writes the label */
	g_assert_cmpint(run_env(&out, &err, broken, render_ascii), ==, 0);
	g_assert_true(g_file_get_contents(zpl, &bytes, NULL, NULL));
	g_assert_nonnull(strstr(bytes, "Main Street 5"));
	g_clear_pointer(&bytes, g_free);
	g_unlink(zpl);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* ICU needed and broken: said, with what to install; nothing written */
	g_assert_cmpint(run_env(&out, &err, broken, render), ==, 1);
	g_assert_nonnull(strstr(err, "ICU (" ST_ICU_I18N_SONAME ") cannot be opened"));
	g_assert_nonnull(strstr(err, "install the ICU library"));
	g_assert_false(g_file_test(zpl, G_FILE_TEST_EXISTS));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* libcups needed and broken: the printer's line says so */
	run_env(&out, &err, broken, printers);
	g_assert_nonnull(strstr(err, "the CUPS library (libcups.so.2) cannot be opened"));
	g_assert_nonnull(strstr(err, "libcups2"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* the real ICU: pinyin */
	g_assert_cmpint(run_env(&out, &err, real, render), ==, 0);
	g_assert_true(g_file_get_contents(zpl, &bytes, NULL, NULL));
	g_assert_nonnull(strstr(bytes, "xi hu qu wen san lu 90 hao"));
	st_test_tmpdir_free(g_steal_pointer(&dir));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/station/cli/demo/us", "us", test_demo);
	g_test_add_data_func("/station/cli/demo/fr", "fr", test_demo);
	g_test_add_func("/station/cli/usage", test_usage);
	g_test_add_func("/station/cli/serve-bad-config", test_serve_bad_config);
	g_test_add_func("/station/cli/config-http", test_config_http);
	g_test_add_func("/station/cli/serve-corrupt-database", test_serve_corrupt_database);
	g_test_add_func("/station/cli/serve-sigterm", test_serve_sigterm);
	g_test_add_func("/station/cli/serve-systemd-notify", test_serve_systemd_notify);
	g_test_add_func("/station/cli/help-chinese", test_help_chinese);
	g_test_add_func("/station/cli/database-refused", test_database_refused);
	g_test_add_func("/station/cli/serve-damaged", test_serve_damaged);
	g_test_add_func("/station/cli/read-only-copy", test_read_only_copy);
	g_test_add_func("/station/cli/lock-names-holder", test_lock_names_holder);
	g_test_add_func("/station/cli/import-outside-lock", test_import_outside_lock);
	g_test_add_func("/station/cli/serve-sync-kill9", test_serve_sync_kill9);
	g_test_add_data_func("/station/cli/serve-api", GINT_TO_POINTER(FALSE), test_serve_api);
	g_test_add_data_func("/station/cli/serve-api-no-zbar", GINT_TO_POINTER(TRUE),
			     test_serve_api);
	g_test_add_func("/station/cli/bounded-input", test_bounded_input);
	g_test_add_func("/station/cli/serve-kill9-resumes", test_serve_kill9);
	g_test_add_func("/station/cli/serve-kill9-pick", test_serve_kill9_pick);
	g_test_add_func("/station/cli/demo-interrupted", test_demo_interrupted);
	g_test_add_func("/station/cli/demo-no-central", test_demo_no_central);
	g_test_add_func("/station/cli/simulate", test_simulate);
	g_test_add_data_func("/station/cli/shifts/pack", shift_pack, test_shift);
	g_test_add_data_func("/station/cli/shifts/pack-zh", shift_pack_zh, test_shift);
	g_test_add_data_func("/station/cli/shifts/day", shift_day, test_shift);
	g_test_add_data_func("/station/cli/shifts/pick", shift_pick, test_shift);
	g_test_add_func("/station/cli/serve-cups-down", test_serve_cups_down);
	g_test_add_func("/station/cli/label-commands", test_label_commands);
	g_test_add_func("/station/cli/libraries-on-demand", test_libraries_on_demand);
	g_test_add_func("/station/cli/label-render-to-pipe", test_label_render_to_pipe);
	g_test_add_func("/station/cli/print-said-once", test_print_said_once);
	g_test_add_func("/station/cli/spool-bench", test_spool_bench);
	g_test_add_func("/station/cli/print-settles", test_print_settles);
	g_test_add_func("/station/cli/hid-decode", test_hid_decode);
	g_test_add_func("/station/cli/hid-decode-captures", test_hid_decode_captures);
	g_test_add_func("/station/cli/listen", test_listen);
	g_test_add_func("/station/cli/devices", test_devices);
	g_test_add_func("/station/cli/barcode", test_barcode);
	g_test_add_func("/station/cli/barcode-station", test_barcode_station);
	g_test_add_func("/station/cli/inventory", test_inventory);
	g_test_add_func("/station/cli/barcode-gs1", test_barcode_gs1);
	return g_test_run();
}
