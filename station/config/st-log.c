/*
 * The structured log writer. Every module logs through g_log with its own domain
 * ("station-store", "station-pack", ...). Messages at or above the threshold go to the journal
 * when stderr is connected to it (with their fields, such as ST_ORDER and ST_SCAN_ID), and
 * otherwise to stderr as "domain: message". G_MESSAGES_DEBUG still adds debug output for the
 * domains it names, as GLib users expect.
 */
#include <stdio.h>
#include <unistd.h>

#include "st-log.h"

static GLogLevelFlags log_threshold = G_LOG_LEVEL_MESSAGE;
/* domains whose messages a command says itself (st_log_quiet_domain()) */
static const gchar *quiet_domains[8];

static const struct {
	const gchar *name;
	GLogLevelFlags level;
} levels[] = {
	{"error", G_LOG_LEVEL_CRITICAL},  {"warning", G_LOG_LEVEL_WARNING},
	{"message", G_LOG_LEVEL_MESSAGE}, {"info", G_LOG_LEVEL_INFO},
	{"debug", G_LOG_LEVEL_DEBUG},
};

/* Returns: FALSE if @str is not error, warning, message, info or debug */
gboolean
st_log_level_from_string(const gchar *str, GLogLevelFlags *level)
{
	for (guint i = 0; i < G_N_ELEMENTS(levels); i++) {
		if (g_strcmp0(levels[i].name, str) == 0) {
			*level = levels[i].level;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
st_log_wanted(GLogLevelFlags level, const GLogField *fields, gsize n_fields)
{
	GLogLevelFlags l = level & G_LOG_LEVEL_MASK;
	if (l <= log_threshold)
		return TRUE;
	if (l == G_LOG_LEVEL_DEBUG || l == G_LOG_LEVEL_INFO) {
		/* honour G_MESSAGES_DEBUG for one domain or "all" */
		const gchar *domain = NULL;
		for (gsize i = 0; i < n_fields; i++) {
			if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
				domain = fields[i].value;
		}
		return !g_log_writer_default_would_drop(l, domain);
	}
	return FALSE;
}

static GLogWriterOutput
st_log_writer_cb(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
	const gchar *domain = "station";
	const gchar *message = "";
	const gchar *prefix = "";

	if (!st_log_wanted(level, fields, n_fields))
		return G_LOG_WRITER_HANDLED;
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) == 0) {
		for (gsize i = 0; i < n_fields; i++) {
			if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") != 0)
				continue;
			for (guint q = 0; q < G_N_ELEMENTS(quiet_domains); q++) {
				if (g_strcmp0(quiet_domains[q], fields[i].value) == 0)
					return G_LOG_WRITER_HANDLED;
			}
		}
	}
	if (g_log_writer_is_journald(fileno(stderr)) &&
	    g_log_writer_journald(level, fields, n_fields, data) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
		else if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		prefix = "error: ";
	else if (level & G_LOG_LEVEL_WARNING)
		prefix = "warning: ";
	fprintf(stderr, "%s: %s%s\n", domain, prefix, message);
	fflush(stderr);
	return G_LOG_WRITER_HANDLED;
}

/**
 * st_log_quiet_domain:
 * @domain: a static string, such as "station-print"
 *
 * A command that says in its own words what @domain's module logs (`station print` says each
 * state of the print) keeps that module's messages and warnings off stderr, so nothing is
 * said twice; its errors still show.
 */
void
st_log_quiet_domain(const gchar *domain)
{
	for (guint q = 0; q < G_N_ELEMENTS(quiet_domains); q++) {
		if (quiet_domains[q] == NULL || g_strcmp0(quiet_domains[q], domain) == 0) {
			quiet_domains[q] = domain;
			return;
		}
	}
}

void
st_log_set_threshold(GLogLevelFlags threshold)
{
	log_threshold = threshold;
}

/* Installs the writer; call once, first thing in main(). */
void
st_log_setup(GLogLevelFlags threshold)
{
	log_threshold = threshold;
	g_log_set_writer_func(st_log_writer_cb, NULL, NULL);
}
