/* A private CUPS for the print tests and benchmarks; see st-test-cups.h */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <gio/gunixsocketaddress.h>

#include "st-test-cups.h"
#include "st-test-util.h"

static gchar *
st_test_cups_find(const gchar *program)
{
	const gchar *dirs[] = {"/usr/sbin", "/sbin", "/usr/bin"};
	gchar *path = g_find_program_in_path(program);
	if (path != NULL)
		return path;
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		path = g_build_filename(dirs[i], program, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
			return path;
		g_free(path);
	}
	return NULL;
}

/* Returns: (nullable): what is missing to run the rig, for a skip message */
gchar *
st_test_cups_missing(gboolean with_document_queue)
{
	const gchar *needed[] = {"cupsd",      "lpadmin",    "cupsdisable",   "cupsenable",
				 "cupsreject", "cupsaccept", "ippeveprinter", "dbus-daemon"};
	guint n = with_document_queue ? G_N_ELEMENTS(needed) : G_N_ELEMENTS(needed) - 2;
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *path = st_test_cups_find(needed[i]);
		if (path == NULL)
			return g_strdup_printf("%s is not installed (Debian packages cups, "
					       "cups-client, cups-ipp-utils, dbus)",
					       needed[i]);
	}
	return NULL;
}

static guint16
st_test_cups_free_port(void)
{
	g_autoptr(GSocket) sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
					       G_SOCKET_PROTOCOL_TCP, NULL);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_assert_true(g_socket_bind(sock, addr, TRUE, NULL));
	bound = g_socket_get_local_address(sock, NULL);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

static gchar **
st_test_cups_envp(StTestCups *self)
{
	gchar **envp = g_get_environ();
	envp = g_environ_setenv(envp, "CUPS_SERVER", self->socket, TRUE);
	if (self->dir != NULL) {
		g_autofree gchar *bus = g_strdup_printf("unix:path=%s/dbus.sock", self->dir);
		envp = g_environ_setenv(envp, "DBUS_SYSTEM_BUS_ADDRESS", bus, TRUE);
	}
	return envp;
}

/* Runs a CUPS command (lpadmin, cupsdisable, ...) against the private scheduler */
gboolean
st_test_cups_run(StTestCups *self, GError **error, const gchar *first, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) envp = st_test_cups_envp(self);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status = 0;
	va_list ap;

	g_ptr_array_add(argv, st_test_cups_find(first));
	if (g_ptr_array_index(argv, 0) == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s is not installed", first);
		return FALSE;
	}
	va_start(ap, first);
	for (const gchar *a = va_arg(ap, const gchar *); a != NULL; a = va_arg(ap, const gchar *))
		g_ptr_array_add(argv, g_strdup(a));
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (gchar **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
			  &err, &status, error))
		return FALSE;
	if (!g_spawn_check_wait_status(status, error)) {
		g_prefix_error(error, "%s: %s: ", first, err);
		return FALSE;
	}
	return TRUE;
}

static void
st_test_cups_splice_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GSocketConnection) conn = user_data;
	GMemoryOutputStream *mem = G_MEMORY_OUTPUT_STREAM(source);
	GPtrArray *received = g_object_get_data(G_OBJECT(conn), "received");
	g_output_stream_splice_finish(G_OUTPUT_STREAM(mem), result, NULL);
	g_ptr_array_add(received, g_memory_output_stream_steal_as_bytes(mem));
	g_object_unref(mem);
}

static gboolean
st_test_cups_incoming(GSocketService *service,
		      GSocketConnection *conn,
		      GObject *source,
		      gpointer user_data)
{
	StTestCups *self = user_data;
	GOutputStream *mem = g_memory_output_stream_new_resizable();
	g_object_set_data_full(G_OBJECT(conn), "received", g_ptr_array_ref(self->received),
			       (GDestroyNotify)g_ptr_array_unref);
	g_output_stream_splice_async(
		mem, g_io_stream_get_input_stream(G_IO_STREAM(conn)),
		G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
		G_PRIORITY_DEFAULT, NULL, st_test_cups_splice_done, g_object_ref(conn));
	return TRUE;
}

/* The label printer answers again, on the same port */
gboolean
st_test_cups_sink_start(StTestCups *self, GError **error)
{
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, self->sink_port);
	g_autoptr(GSocketAddress) effective = NULL;

	g_return_val_if_fail(self->sink == NULL, FALSE);
	if (self->sink_hold != NULL) {
		g_socket_close(self->sink_hold, NULL);
		g_clear_object(&self->sink_hold);
	}
	self->sink = g_socket_service_new();
	if (!g_socket_listener_add_address(G_SOCKET_LISTENER(self->sink), addr,
					   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
					   &effective, error)) {
		g_clear_object(&self->sink);
		return FALSE;
	}
	self->sink_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
	g_signal_connect(self->sink, "incoming", G_CALLBACK(st_test_cups_incoming), self);
	g_socket_service_start(self->sink);
	return TRUE;
}

/* The label printer stops answering: connections are refused. The port stays bound (not
 * listening) meanwhile, so that no other process on the machine (another test running in
 * parallel) can be handed it and answer CUPS in the printer's place. */
void
st_test_cups_sink_stop(StTestCups *self)
{
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = NULL;
	g_autoptr(GError) error = NULL;

	if (self->sink == NULL)
		return;
	g_socket_service_stop(self->sink);
	g_socket_listener_close(G_SOCKET_LISTENER(self->sink));
	g_clear_object(&self->sink);
	addr = g_inet_socket_address_new(lo, self->sink_port);
	self->sink_hold = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
				       G_SOCKET_PROTOCOL_TCP, &error);
	if (self->sink_hold == NULL || !g_socket_bind(self->sink_hold, addr, TRUE, &error)) {
		g_test_message("could not keep port %u while the sink is stopped: %s",
			       self->sink_port, error->message);
		g_clear_object(&self->sink_hold);
	}
}

static gboolean
st_test_cups_wait_connect(GSocketAddress *addr, GPid pid, const gchar *what, GError **error)
{
	for (guint i = 0; i < 1000; i++) {
		g_autoptr(GSocketClient) client = g_socket_client_new();
		g_autoptr(GSocketConnection) conn =
			g_socket_client_connect(client, G_SOCKET_CONNECTABLE(addr), NULL, NULL);
		gint status;
		if (conn != NULL)
			return TRUE;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited at start",
				    what);
			return FALSE;
		}
		g_usleep(10000);
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s did not start listening", what);
	return FALSE;
}

/* in the child: the daemon ends with the test process, even when a failed assertion aborts
 * it before the rig is torn down */
static void
st_test_cups_child_setup(gpointer user_data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* starts a daemon of the rig, its output to DIR/log/NAME.log */
static gboolean
st_test_cups_spawn(StTestCups *self, const gchar *const *argv, GPid *pid, GError **error)
{
	g_auto(GStrv) envp = st_test_cups_envp(self);
	g_autofree gchar *base = g_path_get_basename(argv[0]);
	g_autofree gchar *log = g_strdup_printf("%s/log/%s.log", self->dir, base);
	gint fd = g_open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	gboolean ok;
	if (fd < 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", log);
		return FALSE;
	}
	ok = g_spawn_async_with_pipes_and_fds(self->dir, argv, (const gchar *const *)envp,
					      G_SPAWN_DO_NOT_REAP_CHILD, st_test_cups_child_setup,
					      NULL, -1, fd, fd, NULL, NULL, 0, pid, NULL, NULL,
					      NULL, error);
	close(fd);
	return ok;
}

static gchar *
st_test_cups_log(StTestCups *self, const gchar *name)
{
	g_autofree gchar *log = g_strdup_printf("%s/log/%s.log", self->dir, name);
	gchar *text = NULL;
	if (!g_file_get_contents(log, &text, NULL, NULL))
		return g_strdup("");
	return text;
}

static gboolean
st_test_cups_start_document(StTestCups *self, GError **error)
{
	g_autofree gchar *dbus = st_test_cups_find("dbus-daemon");
	g_autofree gchar *ippeve = st_test_cups_find("ippeveprinter");
	g_autofree gchar *address = g_strdup_printf("--address=unix:path=%s/dbus.sock", self->dir);
	g_autofree gchar *port = g_strdup_printf("%u", st_test_cups_free_port());
	g_autofree gchar *uri = g_strdup_printf("ipp://localhost:%s/ipp/print", port);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = NULL;
	const gchar *dbus_argv[] = {dbus, "--session", address, "--nofork", "--nopidfile", NULL};
	const gchar *ippeve_argv[] = {ippeve,
				      "-r",
				      "off",
				      "-n",
				      "localhost",
				      "-p",
				      port,
				      "-c",
				      "/bin/true",
				      "-k",
				      "-d",
				      self->ippeve_spool,
				      "-f",
				      "application/pdf,image/pwg-raster",
				      "station-test-pdf",
				      NULL};

	g_mkdir_with_parents(self->ippeve_spool, 0755);
	if (!st_test_cups_spawn(self, dbus_argv, &self->dbus, error))
		return FALSE;
	/* ippeveprinter gives up ("Unable to initialize DNS-SD") if the bus is not up yet */
	{
		g_autofree gchar *bus_path = g_strdup_printf("%s/dbus.sock", self->dir);
		g_autoptr(GSocketAddress) bus = g_unix_socket_address_new(bus_path);
		if (!st_test_cups_wait_connect(bus, self->dbus, "dbus-daemon", error))
			return FALSE;
	}
	if (!st_test_cups_spawn(self, ippeve_argv, &self->ippeve, error))
		return FALSE;
	addr = g_inet_socket_address_new(lo, (guint16)atoi(port));
	if (!st_test_cups_wait_connect(addr, self->ippeve, "ippeveprinter", error)) {
		g_autofree gchar *log = st_test_cups_log(self, "ippeveprinter");
		g_prefix_error(error, "%s: ", log);
		return FALSE;
	}
	return st_test_cups_run(self, error, "lpadmin", "-p", "document", "-E", "-v", uri, "-m",
				"everywhere", NULL);
}

/**
 * st_test_cups_start:
 * @with_document_queue: also an IPP Everywhere queue "document" (ippeveprinter)
 *
 * Returns: (transfer full): the running rig, or NULL with an error
 */
StTestCups *
st_test_cups_start(gboolean with_document_queue, GError **error)
{
	g_autoptr(StTestCups) self = g_new0(StTestCups, 1);
	g_autofree gchar *cupsd = st_test_cups_find("cupsd");
	g_autofree gchar *conf = NULL;
	g_autofree gchar *files = NULL;
	g_autofree gchar *files_path = NULL;
	g_autofree gchar *conf_path = NULL;
	g_autofree gchar *sink_uri = NULL;
	g_autoptr(GSocketAddress) sock_addr = NULL;
	const gchar *subdirs[] = {"spool", "spool/tmp", "cache", "state", "log", "ppd"};

	self->received = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	self->dir = g_dir_make_tmp("station-cups-XXXXXX", error);
	if (self->dir == NULL)
		return NULL;
	/* backends run as lp and must reach the spool: 0755, not mkdtemp's 0700 */
	g_chmod(self->dir, 0755);
	for (guint i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree gchar *d = g_build_filename(self->dir, subdirs[i], NULL);
		g_mkdir_with_parents(d, 0755);
	}
	self->socket = g_build_filename(self->dir, "cups.sock", NULL);
	self->ippeve_spool = g_build_filename(self->dir, "ippeve", NULL);
	files = g_strdup_printf("ServerRoot %1$s\n"
				"RequestRoot %1$s/spool\n"
				"TempDir %1$s/spool/tmp\n"
				"CacheDir %1$s/cache\n"
				"StateDir %1$s/state\n"
				"AccessLog %1$s/log/access_log\n"
				"ErrorLog %1$s/log/error_log\n"
				"PageLog %1$s/log/page_log\n"
				"FileDevice Yes\n"
				"SystemGroup root\n",
				self->dir);
	conf = g_strdup_printf("Listen %s\n"
			       "Browsing No\n"
			       "BrowseLocalProtocols none\n"
			       "WebInterface No\n"
			       "IdleExitTimeout 0\n"
			       "DefaultAuthType None\n"
			       "LogLevel info\n"
			       "JobRetryInterval 1\n"
			       "<Policy default>\n"
			       "  <Limit All>\n"
			       "    Order allow,deny\n"
			       "    Allow all\n"
			       "  </Limit>\n"
			       "</Policy>\n",
			       self->socket);
	files_path = g_build_filename(self->dir, "cups-files.conf", NULL);
	conf_path = g_build_filename(self->dir, "cupsd.conf", NULL);
	if (!g_file_set_contents(files_path, files, -1, error) ||
	    !g_file_set_contents(conf_path, conf, -1, error))
		return NULL;
	/* raw queues need the raw type and conversion in ServerRoot */
	{
		const gchar *raw[] = {"raw.types", "raw.convs"};
		for (guint i = 0; i < G_N_ELEMENTS(raw); i++) {
			g_autofree gchar *from =
				g_build_filename("/usr/share/cups/mime", raw[i], NULL);
			g_autofree gchar *from_etc = g_build_filename("/etc/cups", raw[i], NULL);
			g_autofree gchar *to = g_build_filename(self->dir, raw[i], NULL);
			g_autofree gchar *data = NULL;
			gsize len = 0;
			if (g_file_get_contents(from_etc, &data, &len, NULL) ||
			    g_file_get_contents(from, &data, &len, NULL))
				g_file_set_contents(to, data, (gssize)len, NULL);
		}
	}
	{
		const gchar *argv[] = {cupsd, "-f", "-c", conf_path, "-s", files_path, NULL};
		if (cupsd == NULL) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
				    "cupsd is not installed");
			return NULL;
		}
		if (!st_test_cups_spawn(self, argv, &self->cupsd, error))
			return NULL;
	}
	sock_addr = g_unix_socket_address_new(self->socket);
	if (!st_test_cups_wait_connect(sock_addr, self->cupsd, "cupsd", error))
		return NULL;
	if (!st_test_cups_sink_start(self, error))
		return NULL;
	sink_uri = g_strdup_printf("socket://127.0.0.1:%u", self->sink_port);
	if (!st_test_cups_run(self, error, "lpadmin", "-p", "label", "-E", "-v", sink_uri, "-m",
			      "raw", NULL))
		return NULL;
	if (with_document_queue && !st_test_cups_start_document(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

static void
st_test_cups_add_files(const gchar *dir, GPtrArray *out)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		gchar *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			st_test_cups_add_files(path, out);
			g_free(path);
		} else {
			g_ptr_array_add(out, path);
		}
	}
}

/* Returns: (transfer full): the documents ippeveprinter kept (-k), every file under its
 * spool */
GPtrArray *
st_test_cups_ippeve_files(StTestCups *self)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	st_test_cups_add_files(self->ippeve_spool, out);
	return out;
}

static void
st_test_cups_kill(GPid *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	g_spawn_close_pid(*pid);
	*pid = 0;
}

void
st_test_cups_free(StTestCups *self)
{
	if (self == NULL)
		return;
	st_test_cups_sink_stop(self);
	g_clear_object(&self->sink_hold);
	st_test_cups_kill(&self->cupsd);
	st_test_cups_kill(&self->ippeve);
	st_test_cups_kill(&self->dbus);
	if (self->dir != NULL && g_getenv("ST_TEST_KEEP_CUPS") == NULL)
		st_test_rm_rf(self->dir);
	g_free(self->dir);
	g_free(self->socket);
	g_free(self->ippeve_spool);
	if (self->received != NULL)
		g_ptr_array_unref(self->received);
	g_free(self);
}
