/*
 * The station's languages. Every sentence for a person is an English message id marked for
 * xgettext and translated from the gettext catalogues (station/po/) at run time: into the
 * language of the process (the command line follows the locale) with _(), or into the
 * language of the operator a verdict is for with st_tr() and st_ntr(), whatever the
 * process's locale. English is the source; "en" or NULL needs no catalogue.
 */
#pragma once

#include <glib.h>
#include <glib/gi18n-lib.h>

G_BEGIN_DECLS

void
st_i18n_init(void);
const gchar *
st_i18n_locale_dir(void);
gboolean
st_i18n_language_available(const gchar *language);
const gchar *const *
st_i18n_get_languages(void);
gboolean
st_i18n_language_known(const gchar *language);
const gchar *
st_i18n_describe_languages(void);
const gchar *
st_tr(const gchar *language, const gchar *msgid) G_GNUC_FORMAT(2);
const gchar *
st_ntr(const gchar *language, const gchar *msgid, const gchar *plural, gulong n) G_GNUC_FORMAT(2)
	G_GNUC_FORMAT(3);

G_END_DECLS
