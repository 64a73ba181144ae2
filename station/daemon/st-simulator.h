/*
 * A shift without hardware: a script of scans, weights, scale plugs and clock steps fed
 * through the real scan router and workflows on a database, each answer compared with what
 * the script expects. `station simulate` runs it; the tests and the demo drive the station
 * with it.
 */
#pragma once

#include <glib.h>

#include "station/st-store.h"

#include "st-config.h"
#include "st-verdict.h"

G_BEGIN_DECLS

typedef enum {
	ST_SIM_SCAN,   /* scan DEVICE [aim=ID] TEXT */
	ST_SIM_WEIGH,  /* weigh DEVICE GRAMS [stable|motion|zero|fault|over] */
	ST_SIM_SCALE,  /* scale DEVICE on|off */
	ST_SIM_CLOCK,  /* clock +SECONDS */
	ST_SIM_EXPECT, /* expect ok|REASON [TEXT]: the last answer */
} StSimStepKind;

typedef struct {
	StSimStepKind kind;
	guint line;
	gchar *device;
	gchar *text;   /* scan: the data; expect: a part of the sentence (nullable) */
	gchar *aim;    /* (nullable) scan: its AIM symbology identifier */
	gint64 number; /* weigh: grams; clock: seconds; scale: 1 on, 0 off */
	gint status;   /* weigh: an StWeightStatus */
	gchar *reason; /* expect: NULL for ok */
} StSimStep;

typedef struct _StSimScript StSimScript;

/* scripts larger than this are refused before they are read */
#define ST_SIM_MAX_SIZE (16 * 1024 * 1024)

StSimScript *
st_sim_script_parse(const gchar *text, gsize len, const gchar *name, GError **error);
guint
st_sim_script_get_n_steps(const StSimScript *self);
const StSimStep *
st_sim_script_get_step(const StSimScript *self, guint i);
void
st_sim_script_free(StSimScript *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StSimScript, st_sim_script_free)

/* each answer as it comes, and the step it answers */
typedef void (*StSimVerdictFunc)(const StSimStep *step, const StVerdict *verdict, gpointer data);
/* a print the bench made at a step, ended: one line ("order ORD-1: packing slip (label 2):
 * completed: written to ...") */
typedef void (*StSimPrintFunc)(const StSimStep *step, const gchar *line, gpointer data);

gboolean
st_sim_run(StStore *store,
	   const StConfig *config,
	   const StSimScript *script,
	   gboolean expect,
	   StSimVerdictFunc func,
	   StSimPrintFunc print_func,
	   gpointer user_data,
	   GError **error);

G_END_DECLS
