/*
 * The station's languages. Every sentence for a person is an English message id marked for
 * xgettext and translated from the gettext catalogues (station/po/) at run time: into the
 * language of the process (the command line follows the locale) with _(), or into the
 * language of the operator a verdict is for with st_tr() and st_ntr(), whatever the
 * process's locale. A room's own _() sentences follow the calling thread: between
 * st_i18n_speak() and st_i18n_speak_end() they are in the language given (a workflow asks the
 * store in its operator's language, so that a refusal it quotes is in it too). English is the
 * source; "en" or NULL needs no catalogue.
 */
#pragma once

#include <glib.h>
#include <glib/gi18n-lib.h>
#include <locale.h>

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
locale_t
st_i18n_speak(const gchar *language);
void
st_i18n_speak_end(locale_t before);

G_END_DECLS
