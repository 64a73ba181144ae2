/*
 * station token: the API's device tokens (a handheld, another program). `create` prints the
 * token once; only its SHA-256 is stored.
 */
#include <glib.h>

#include "station/st-error.h"

#include "st-api.h"
#include "st-cli.h"
#include "st-config.h"
#include "st-token-command.h"

gint
st_cmd_token(gint argc, gchar **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(N_("create|list|revoke [ID]"));
	g_autofree gchar *config_path = NULL;
	g_autofree gchar *role = NULL;
	g_autofree gchar *name = NULL;
	g_autoptr(StConfig) config = NULL;
	g_autoptr(StStore) store = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *what;
	gint rc;
	GOptionEntry entries[] = {
		{"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		 N_("Configuration file whose [store] path is the database"), N_("FILE")},
		{"role", 'r', 0, G_OPTION_ARG_STRING, &role,
		 N_("What the token may do: packer, picker or lead (create)"), N_("ROLE")},
		{"name", 'n', 0, G_OPTION_ARG_STRING, &name,
		 N_("Whose token it is, such as handheld-7 (create)"), N_("NAME")},
		{NULL}};

	g_option_context_set_summary(
		context,
		N_("The API's device tokens, for a handheld or another program that has no badge\n"
		   "login, and for the screen of a bench whose scanner the station reads (its\n"
		   "operators log in with their badge on that scanner).\n"
		   "  create --role ROLE --name NAME   make a token and print it, once: only its\n"
		   "                                   SHA-256 is kept\n"
		   "  list                             the tokens, their roles and whether "
		   "revoked\n"
		   "  revoke ID                        the token stops working at once\n"
		   "A token is sent as Authorization: Bearer TOKEN; a lead's may act at any "
		   "seat."));
	g_option_context_add_main_entries(context, entries, NULL);
	if ((rc = st_cli_parse_options(context, "token", &argc, &argv, 2)) >= 0)
		return rc;
	what = argc > 1 ? argv[1] : "list";
	if (g_strcmp0(what, "create") != 0 && g_strcmp0(what, "list") != 0 &&
	    g_strcmp0(what, "revoke") != 0) {
		g_printerr(_("station token: give create, list or revoke (try station token "
			     "--help)\n"));
		return ST_EXIT_USAGE;
	}
	config = st_cli_load_config("token", config_path);
	if (config == NULL)
		return ST_EXIT_FAIL;
	store = st_cli_open_store("token", config,
				  g_strcmp0(what, "list") == 0 ? ST_CLI_STORE_READ
							       : ST_CLI_STORE_CREATE);
	if (store == NULL)
		return ST_EXIT_FAIL;
	if (g_strcmp0(what, "create") == 0) {
		StOperatorRole r;
		g_autofree gchar *token = NULL;
		g_autofree gchar *hash = NULL;
		gint64 id;
		if (role == NULL || !st_operator_role_from_string(role, &r) || name == NULL) {
			g_printerr(
				_("station token create: give --role packer, picker or lead, and "
				  "--name\n"));
			return ST_EXIT_USAGE;
		}
		token = st_api_token_new();
		hash = st_api_token_hash(token);
		id = st_store_add_api_token(store, name, r, hash, &error);
		if (id == 0) {
			g_printerr(_("station token: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
		{
			g_autofree gchar *url = NULL;
			if (g_strcmp0(config->http_listen, "none") != 0 &&
			    st_api_check_config(config, &url, NULL))
				g_print(_("A bench screen follows its seat with it: open "
					  "%s?seat=bench#token=TOKEN (another seat: its name "
					  "instead of bench).\n"),
					url);
		}
		{
			g_autofree gchar *number = g_strdup_printf("%" G_GINT64_FORMAT, id);
			g_print(_("token %s for %s (%s); it is shown this once:\n"), number, name,
				role);
		}
		g_print("%s\n", token);
		return ST_EXIT_OK;
	}
	if (g_strcmp0(what, "revoke") == 0) {
		guint64 id = 0;
		if (argc < 3 ||
		    !g_ascii_string_to_unsigned(argv[2], 10, 1, G_MAXINT64, &id, NULL)) {
			g_printerr(_("station token revoke: give the token's number (station token "
				     "list)\n"));
			return ST_EXIT_USAGE;
		}
		if (!st_store_revoke_api_token(store, (gint64)id, &error)) {
			g_printerr(_("station token: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
		{
			g_autofree gchar *number = g_strdup_printf("%" G_GUINT64_FORMAT, id);
			g_print(_("token %s revoked\n"), number);
		}
		return ST_EXIT_OK;
	}
	{
		g_autoptr(GPtrArray) tokens = st_store_get_api_tokens(store, &error);
		if (tokens == NULL) {
			g_printerr(_("station token: %s\n"), error->message);
			return ST_EXIT_FAIL;
		}
		if (tokens->len == 0) {
			g_print(_("no tokens (station token create --role ROLE --name NAME makes "
				  "one)\n"));
			return ST_EXIT_OK;
		}
		st_cli_print_row((StCliCell[]){{_("id"), -4},
					       {_("name"), -20},
					       {_("role"), -7},
					       {_("created"), -28},
					       {_("revoked")}},
				 5);
		for (guint i = 0; i < tokens->len; i++) {
			const StApiToken *t = g_ptr_array_index(tokens, i);
			g_print("%-4" G_GINT64_FORMAT " %-20s %-7s %-28s %s\n", t->id, t->name,
				st_operator_role_to_string(t->role), t->created_at,
				t->revoked_at != NULL ? t->revoked_at : "");
		}
	}
	return ST_EXIT_OK;
}
