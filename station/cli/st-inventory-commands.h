/* `station import`, `station export`, `station stock`, `station ledger`, `station check`. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint
st_cmd_import(gint argc, gchar **argv);
gint
st_cmd_stock(gint argc, gchar **argv);
gint
st_cmd_ledger(gint argc, gchar **argv);
gint
st_cmd_check(gint argc, gchar **argv);
gint
st_cmd_export(gint argc, gchar **argv);
gint
st_cmd_record(gint argc, gchar **argv);
gint
st_cmd_reserve(gint argc, gchar **argv);

gint
st_cmd_operators(gint argc, gchar **argv);
gint
st_cmd_manifests(gint argc, gchar **argv);
gint
st_cmd_picklist(gint argc, gchar **argv);

G_END_DECLS
