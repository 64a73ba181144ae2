/* Option parsing for the station program's commands, so each says the same thing. */
#include "st-cli.h"

/**
 * st_cli_parse_options:
 * @name: the command, for messages ("serve", "hid", ...)
 * @max_args: how many arguments may remain after the options, or -1 for any number
 *
 * Returns: -1 to go on, or the exit code (ST_EXIT_USAGE) after saying what is wrong
 */
gint
st_cli_parse_options(GOptionContext *context,
		     const gchar *name,
		     gint *argc,
		     gchar ***argv,
		     gint max_args)
{
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, argc, argv, &error)) {
		g_printerr("station %s: %s (try station %s --help)\n", name, error->message, name);
		return ST_EXIT_USAGE;
	}
	if (max_args >= 0 && *argc > 1 + max_args) {
		g_printerr("station %s: unexpected argument '%s' (try station %s --help)\n", name,
			   (*argv)[1 + max_args], name);
		return ST_EXIT_USAGE;
	}
	return -1;
}
