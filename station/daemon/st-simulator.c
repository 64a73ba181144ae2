/*
 * The simulator: a script read whole (bounded: size, line length, UTF-8, numbers in range),
 * then run step by step through a scan router made as `station serve` makes it, on the
 * store given. Scans and weights are values, as the devices would emit them; the router's
 * clock is the script's, so idle logouts happen when the script says time passed.
 *
 * Script lines (one step each; '#' starts a comment):
 *   scan DEVICE [aim=ID] TEXT      a scan (\x1d or <GS> for the GS separator)
 *   weigh DEVICE GRAMS [STATUS]    a reading: stable (default), motion, zero, fault, over
 *   scale DEVICE on|off            a scale attached or gone
 *   clock +SECONDS                 time passes
 *   expect ok|none|REASON [TEXT]   the answer to the step before: accepted, no answer, or
 *                                  refused with REASON; TEXT a part of its sentence
 */
#define G_LOG_DOMAIN "station-simulate"

#include <string.h>

#include "station/st-error.h"
#include "station/st-weight.h"

#include "st-barcode.h"
#include "st-bench-print.h"
#include "st-daemon.h"
#include "st-scan-router.h"
#include "st-simulator.h"

#define ST_SIM_MAX_LINE 4096

struct _StSimScript {
	GPtrArray *steps; /* of StSimStep */
};

static void
st_sim_step_free(StSimStep *self)
{
	g_free(self->device);
	g_free(self->text);
	g_free(self->aim);
	g_free(self->reason);
	g_free(self);
}

void
st_sim_script_free(StSimScript *self)
{
	if (self == NULL)
		return;
	g_ptr_array_unref(self->steps);
	g_free(self);
}

guint
st_sim_script_get_n_steps(const StSimScript *self)
{
	return self->steps->len;
}

const StSimStep *
st_sim_script_get_step(const StSimScript *self, guint i)
{
	g_return_val_if_fail(i < self->steps->len, NULL);
	return g_ptr_array_index(self->steps, i);
}

/* the next word of @line from *@pos, NULL at its end */
static gchar *
st_sim_word(const gchar *line, gsize *pos)
{
	gsize start;
	while (line[*pos] == ' ' || line[*pos] == '\t')
		(*pos)++;
	if (line[*pos] == '\0')
		return NULL;
	start = *pos;
	while (line[*pos] != '\0' && line[*pos] != ' ' && line[*pos] != '\t')
		(*pos)++;
	return g_strndup(line + start, *pos - start);
}

/* what is left of @line after *@pos, stripped; NULL when nothing is */
static gchar *
st_sim_rest(const gchar *line, gsize pos)
{
	g_autofree gchar *rest = g_strstrip(g_strdup(line + pos));
	return rest[0] != '\0' ? g_steal_pointer(&rest) : NULL;
}

static gboolean
st_sim_number(const gchar *word, gint64 min, gint64 max, gint64 *out)
{
	return word != NULL && g_ascii_string_to_signed(word, 10, min, max, out, NULL);
}

static gboolean
st_sim_parse_line(const gchar *line, guint lineno, StSimStep *step, GError **error)
{
	gsize pos = 0;
	g_autofree gchar *command = st_sim_word(line, &pos);
	g_autofree gchar *arg = NULL;

	step->line = lineno;
	if (g_strcmp0(command, "scan") == 0) {
		g_autofree gchar *text = NULL;
		step->kind = ST_SIM_SCAN;
		step->device = st_sim_word(line, &pos);
		arg = st_sim_word(line, &pos);
		if (arg != NULL && g_str_has_prefix(arg, "aim=") && strlen(arg) > 4) {
			step->aim = g_strdup(arg + 4);
			text = st_sim_rest(line, pos);
		} else if (arg != NULL) {
			text = st_sim_rest(line, pos - strlen(arg));
		}
		if (step->device == NULL || text == NULL) {
			g_set_error_literal(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
					    "scan needs a device and the scan's text: scan DEVICE "
					    "[aim=ID] TEXT");
			return FALSE;
		}
		step->text = g_steal_pointer(&text);
		return TRUE;
	}
	if (g_strcmp0(command, "weigh") == 0) {
		static const struct {
			const gchar *name;
			StWeightStatus status;
		} statuses[] = {{"stable", ST_WEIGHT_STATUS_STABLE},
				{"motion", ST_WEIGHT_STATUS_IN_MOTION},
				{"zero", ST_WEIGHT_STATUS_STABLE_ZERO},
				{"fault", ST_WEIGHT_STATUS_FAULT},
				{"over", ST_WEIGHT_STATUS_OVER_WEIGHT}};
		g_autofree gchar *grams = NULL;
		step->kind = ST_SIM_WEIGH;
		step->device = st_sim_word(line, &pos);
		grams = st_sim_word(line, &pos);
		arg = st_sim_word(line, &pos);
		step->status = ST_WEIGHT_STATUS_STABLE;
		if (step->device == NULL ||
		    !st_sim_number(grams, -1000000000, 1000000000, &step->number)) {
			g_set_error_literal(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
					    "weigh needs a device and whole grams (-1000000000 to "
					    "1000000000): weigh DEVICE GRAMS [STATUS]");
			return FALSE;
		}
		if (arg != NULL) {
			guint i;
			for (i = 0; i < G_N_ELEMENTS(statuses); i++)
				if (g_strcmp0(arg, statuses[i].name) == 0)
					break;
			if (i == G_N_ELEMENTS(statuses)) {
				g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
					    "'%s' is not a scale status: stable, motion, zero, "
					    "fault or over",
					    arg);
				return FALSE;
			}
			step->status = statuses[i].status;
		}
		return TRUE;
	}
	if (g_strcmp0(command, "scale") == 0) {
		step->kind = ST_SIM_SCALE;
		step->device = st_sim_word(line, &pos);
		arg = st_sim_word(line, &pos);
		if (step->device == NULL ||
		    (g_strcmp0(arg, "on") != 0 && g_strcmp0(arg, "off") != 0)) {
			g_set_error_literal(
				error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
				"scale needs a device and on or off: scale DEVICE on|off");
			return FALSE;
		}
		step->number = g_strcmp0(arg, "on") == 0;
		return TRUE;
	}
	if (g_strcmp0(command, "clock") == 0) {
		step->kind = ST_SIM_CLOCK;
		arg = st_sim_word(line, &pos);
		if (arg == NULL || arg[0] != '+' ||
		    !st_sim_number(arg + 1, 0, 10000000, &step->number)) {
			g_set_error_literal(
				error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
				"clock needs the seconds that pass: clock +SECONDS (0 to "
				"10000000)");
			return FALSE;
		}
		return TRUE;
	}
	if (g_strcmp0(command, "expect") == 0) {
		step->kind = ST_SIM_EXPECT;
		arg = st_sim_word(line, &pos);
		if (arg == NULL) {
			g_set_error_literal(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
					    "expect needs ok, none or a refusal's reason: expect "
					    "ok|none|REASON [TEXT]");
			return FALSE;
		}
		for (const gchar *c = arg; *c != '\0'; c++) {
			if (!g_ascii_islower(*c) && *c != '-') {
				g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
					    "'%s' is not ok, none or a reason (small letters and "
					    "'-', such as not-in-order)",
					    arg);
				return FALSE;
			}
		}
		step->reason = g_steal_pointer(&arg);
		step->text = st_sim_rest(line, pos);
		return TRUE;
	}
	g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
		    "'%s' is not a step: scan, weigh, scale, clock or expect",
		    command != NULL ? command : "");
	return FALSE;
}

/**
 * st_sim_script_parse:
 * @name: the script's name, for messages
 *
 * Returns: (transfer full): the script, or NULL with ST_ERROR_INVALID_DATA naming the line
 */
StSimScript *
st_sim_script_parse(const gchar *text, gsize len, const gchar *name, GError **error)
{
	g_autoptr(StSimScript) self = g_new0(StSimScript, 1);
	gsize start = 0;
	guint lineno = 0;

	self->steps = g_ptr_array_new_with_free_func((GDestroyNotify)st_sim_step_free);
	if (len > ST_SIM_MAX_SIZE) {
		g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
			    "%s is larger than %d MiB", name, ST_SIM_MAX_SIZE / 1024 / 1024);
		return NULL;
	}
	if (!g_utf8_validate_len(text, len, NULL)) {
		g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
			    "%s is not text (UTF-8, no NUL)", name);
		return NULL;
	}
	while (start < len) {
		const gchar *nl = memchr(text + start, '\n', len - start);
		gsize end = nl != NULL ? (gsize)(nl - text) : len;
		g_autofree gchar *line = NULL;
		g_autoptr(GError) error_line = NULL;
		StSimStep *step;

		lineno++;
		if (end - start > ST_SIM_MAX_LINE) {
			g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA,
				    "%s:%u: a line of more than %d bytes", name, lineno,
				    ST_SIM_MAX_LINE);
			return NULL;
		}
		line = g_strstrip(g_strndup(text + start, end - start));
		start = end + 1;
		if (line[0] == '\0' || line[0] == '#')
			continue;
		step = g_new0(StSimStep, 1);
		if (!st_sim_parse_line(line, lineno, step, &error_line)) {
			st_sim_step_free(step);
			g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_INVALID_DATA, "%s:%u: %s",
				    name, lineno, error_line->message);
			return NULL;
		}
		g_ptr_array_add(self->steps, step);
	}
	return g_steal_pointer(&self);
}

/* the router's clock, moved by the script's clock steps */
static gint64 st_sim_now_us = 0;

static gint64
st_sim_clock(void)
{
	return st_sim_now_us;
}

typedef struct {
	const StSimStep *step;
	StVerdict *last; /* the answer to the current step, if any */
	StBenchPrint *print;
	StSimVerdictFunc func;
	gpointer data;
} StSimRun;

static void
st_sim_verdict_cb(StScanRouter *router, StVerdict *verdict, gpointer user_data)
{
	StSimRun *run = user_data;
	g_clear_pointer(&run->last, st_verdict_free);
	run->last = st_verdict_copy(verdict);
	if (run->print != NULL)
		st_bench_print_verdict(run->print, verdict);
	if (run->func != NULL)
		run->func(run->step, verdict, run->data);
}

static gboolean
st_sim_check(const StSimStep *expect, const StVerdict *answer, GError **error)
{
	const gchar *got = answer == NULL ? "none" : answer->ok ? "ok" : answer->reason;

	if (g_strcmp0(expect->reason, got) != 0 ||
	    (expect->text != NULL &&
	     (answer == NULL || strstr(answer->message, expect->text) == NULL))) {
		g_set_error(error, ST_DAEMON_ERROR, ST_ERROR_FAILED,
			    "line %u: expected %s%s%s, got %s%s%s", expect->line, expect->reason,
			    expect->text != NULL ? ": " : "",
			    expect->text != NULL ? expect->text : "", got,
			    answer != NULL ? ": " : "", answer != NULL ? answer->message : "");
		return FALSE;
	}
	return TRUE;
}

/**
 * st_sim_run:
 * @expect: compare each answer with the script's expect lines, and stop at the first
 *   difference; without it they are ignored
 * @func: (nullable): called with each answer
 * @print_func: (nullable): called with each print the bench made (to spool folders only:
 *   a simulated shift never prints to a CUPS queue)
 *
 * Returns: FALSE with an error at the first answer that differs from what the script
 * expects (ST_ERROR_FAILED, naming the line), or when the store or the configuration fails
 */
gboolean
st_sim_run(StStore *store,
	   const StConfig *config,
	   const StSimScript *script,
	   gboolean expect,
	   StSimVerdictFunc func,
	   StSimPrintFunc print_func,
	   gpointer user_data,
	   GError **error)
{
	g_autoptr(StScanRouter) router = st_scan_router_new(store, config->barcode_patterns);
	g_autoptr(StPrinting) printing = st_printing_new(store, config);
	g_autoptr(StBenchPrint) print = st_bench_print_new(printing, config, TRUE);
	StSimRun run = {NULL, NULL, print, func, user_data};
	gboolean ok = TRUE;

	st_sim_now_us = 1000000;
	st_scan_router_set_clock(router, st_sim_clock);
	if (!st_daemon_configure_router(router, config, error))
		return FALSE;
	g_signal_connect(router, "verdict", G_CALLBACK(st_sim_verdict_cb), &run);
	for (guint i = 0; ok && i < script->steps->len; i++) {
		const StSimStep *step = g_ptr_array_index(script->steps, i);
		switch (step->kind) {
		case ST_SIM_SCAN: {
			g_autoptr(GByteArray) data = g_byte_array_new();
			g_autoptr(GBytes) bytes = NULL;
			g_autoptr(StScan) scan = NULL;
			g_autoptr(StVerdict) verdict = NULL;
			st_barcode_unescape(step->text, data);
			bytes = g_byte_array_free_to_bytes(g_steal_pointer(&data));
			scan = st_scan_new(step->device, bytes, NULL);
			if (step->aim != NULL)
				st_scan_set_symbology(scan, step->aim);
			run.step = step;
			g_clear_pointer(&run.last, st_verdict_free);
			verdict = st_scan_router_handle_scan(router, scan, error);
			ok = verdict != NULL;
			break;
		}
		case ST_SIM_WEIGH: {
			StWeight weight = {.status = step->status,
					   .unit = ST_WEIGHT_UNIT_GRAM,
					   .value = step->number,
					   .exponent = 0};
			run.step = step;
			g_clear_pointer(&run.last, st_verdict_free);
			ok = st_scan_router_handle_weight(router, step->device, &weight, error);
			break;
		}
		case ST_SIM_SCALE:
			st_scan_router_set_scale(router, step->device, step->number != 0);
			break;
		case ST_SIM_CLOCK:
			st_sim_now_us += step->number * G_USEC_PER_SEC;
			break;
		case ST_SIM_EXPECT:
			if (expect)
				ok = st_sim_check(step, run.last, error);
			break;
		default:
			break;
		}
		/* what the step printed ends before the next step (spool folders: at once) */
		while (ok && st_bench_print_get_pending(print) > 0)
			g_main_context_iteration(NULL, TRUE);
		if (print_func != NULL) {
			g_autoptr(GPtrArray) done = st_bench_print_take_done(print);
			for (guint j = 0; j < done->len; j++)
				print_func(step, g_ptr_array_index(done, j), user_data);
		}
	}
	g_clear_pointer(&run.last, st_verdict_free);
	g_signal_handlers_disconnect_by_data(router, &run);
	return ok;
}
