/* What every command of the station program shares: its options, its configuration and its
 * database, each set up the same way. */
#pragma once

#include <glib.h>

#include "station/st-store.h"

#include "st-config.h"
#include "st-i18n.h"

G_BEGIN_DECLS

#define ST_EXIT_OK    0
#define ST_EXIT_FAIL  1
#define ST_EXIT_USAGE 2

gint
st_cli_parse_options(GOptionContext *context,
		     const gchar *name,
		     gint *argc,
		     gchar ***argv,
		     gint max_args);

StConfig *
st_cli_load_config(const gchar *command, const gchar *config_path);
/* how a command uses the database */
typedef enum {
	ST_CLI_STORE_READ,   /* only reads: opened read-only, works on a copy it cannot write */
	ST_CLI_STORE_WRITE,  /* writes to an existing database */
	ST_CLI_STORE_CREATE, /* may start a new database (imports, printing) */
} StCliStoreMode;

StStore *
st_cli_open_store(const gchar *command, const StConfig *config, StCliStoreMode mode);

gboolean
st_cli_parse_hex(const gchar *line, GByteArray *out, GError **error);

/* a cell of a table the command line prints */
typedef struct {
	const gchar *text;
	gint width; /* in terminal columns (a Chinese character takes two); negative:
		       left-aligned, as printf's %-Ns; 0: as it is */
	guint gap;  /* spaces before it; 0: one, none before the first cell */
} StCliCell;

void
st_cli_cell(GString *row, const gchar *text, gint width);
void
st_cli_print_row(const StCliCell *cells, guint n);

void
st_cli_print_json_line(const gchar *json);
void
st_cli_write_json_line(const gchar *json);

G_END_DECLS
