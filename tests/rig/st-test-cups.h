/*
 * A private CUPS for tests and benchmarks: a cupsd on a socket in a temporary folder, a raw
 * queue "label" to a TCP sink on loopback (what a Zebra on port 9100 is to CUPS), and
 * optionally an IPP Everywhere queue "document" to ippeveprinter. Everything started is
 * stopped by st_test_cups_free(). See ../shared/TESTING.md for why each setting is there.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
	gchar *dir;
	gchar *socket; /* the scheduler's socket: the tests' CUPS server */
	guint16 port;
	GPid cupsd;
	GPid dbus;
	GPid ippeve;
	gchar *ippeve_spool;
	/* the label printer: a TCP sink */
	GSocketService *sink;
	GSocket *sink_hold; /* (nullable): its port, kept while the sink is stopped */
	guint16 sink_port;
	GPtrArray *received; /* GBytes, one per connection that ended */
} StTestCups;

StTestCups *
st_test_cups_start(gboolean with_document_queue, GError **error);
void
st_test_cups_free(StTestCups *self);
gboolean
st_test_cups_run(StTestCups *self, GError **error, const gchar *first, ...) G_GNUC_NULL_TERMINATED;
void
st_test_cups_sink_stop(StTestCups *self);
gboolean
st_test_cups_sink_start(StTestCups *self, GError **error);
GPtrArray *
st_test_cups_ippeve_files(StTestCups *self);
gchar *
st_test_cups_missing(gboolean with_document_queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StTestCups, st_test_cups_free)

G_END_DECLS
