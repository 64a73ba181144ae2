/* Logging set-up for the station program: one writer, a level threshold, journald aware. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean
st_log_level_from_string(const gchar *str, GLogLevelFlags *level);
void
st_log_setup(GLogLevelFlags threshold);
void
st_log_set_threshold(GLogLevelFlags threshold);
void
st_log_quiet_domain(const gchar *domain);

G_END_DECLS
