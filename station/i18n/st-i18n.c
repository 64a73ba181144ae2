/*
 * Translations through gettext. The catalogues are looked for in $STATION_LOCALEDIR, then
 * where `meson install` puts them, then in the build tree (so `make demo` speaks Chinese
 * without installing). A message for an operator is translated under a locale of their
 * language made for this call's thread (newlocale/uselocale: LC_MESSAGES only), so benches
 * with operators of different languages answer each in their own; a language whose system
 * locale is missing (Debian: package locales-all) falls back to English, said once.
 */
#define G_LOG_DOMAIN "station-i18n"

#include <locale.h>

#include "st-i18n.h"

/* the languages the station speaks beside English: the catalogues of station/po/LINGUAS
 * (ST_LINGUAS, "zh_CN ..."), each with its system locale; at most ST_I18N_MAX of them */
#define ST_I18N_MAX 32
typedef struct {
	gchar *language;  /* "zh-CN" */
	gchar *catalogue; /* "zh_CN" */
	gchar *locale;	  /* "zh_CN.UTF-8" */
} StLanguage;

static const StLanguage *
st_i18n_languages(guint *n)
{
	static StLanguage table[ST_I18N_MAX];
	static guint count;
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		g_auto(GStrv) names = g_strsplit(ST_LINGUAS, " ", -1);
		for (guint i = 0; names[i] != NULL && count < ST_I18N_MAX; i++) {
			if (names[i][0] == '\0')
				continue;
			table[count].catalogue = g_strdup(names[i]);
			table[count].language = g_strdelimit(g_strdup(names[i]), "_", '-');
			table[count].locale = g_strconcat(names[i], ".UTF-8", NULL);
			count++;
		}
		g_once_init_leave(&done, 1);
	}
	*n = count;
	return table;
}

/**
 * st_i18n_get_languages:
 *
 * Returns: (transfer none): the languages the station speaks, English ("en") first, then
 *   each catalogue's ("zh-CN"); NULL-terminated
 */
const gchar *const *
st_i18n_get_languages(void)
{
	static const gchar *list[ST_I18N_MAX + 2];
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		guint n = 0;
		const StLanguage *languages = st_i18n_languages(&n);
		list[0] = "en";
		for (guint i = 0; i < n; i++)
			list[i + 1] = languages[i].language;
		g_once_init_leave(&done, 1);
	}
	return list;
}

/* Returns: whether @language is one the station speaks (available or not on this system) */
gboolean
st_i18n_language_known(const gchar *language)
{
	return language != NULL && g_strv_contains(st_i18n_get_languages(), language);
}

/* Returns: the languages the station speaks, as "en, zh-CN", for messages */
const gchar *
st_i18n_describe_languages(void)
{
	static gsize said = 0;
	if (g_once_init_enter(&said))
		g_once_init_leave(&said,
				  (gsize)g_strjoinv(", ", (gchar **)st_i18n_get_languages()));
	return (const gchar *)said;
}

static const gchar *
st_i18n_pick_dir(void)
{
	static const gchar *dirs[] = {ST_LOCALEDIR, ST_BUILD_LOCALEDIR};
	const gchar *env = g_getenv("STATION_LOCALEDIR");
	if (env != NULL && *env != '\0')
		return env;
	guint n = 0;
	const StLanguage *languages = st_i18n_languages(&n);
	for (guint i = 0; i < G_N_ELEMENTS(dirs) && n > 0; i++) {
		g_autofree gchar *mo = g_build_filename(dirs[i], languages[0].catalogue,
							"LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
		if (g_file_test(mo, G_FILE_TEST_EXISTS))
			return dirs[i];
	}
	return ST_LOCALEDIR;
}

/* Returns: the folder the catalogues are read from */
const gchar *
st_i18n_locale_dir(void)
{
	static gsize dir = 0;
	if (g_once_init_enter(&dir))
		g_once_init_leave(&dir, (gsize)st_i18n_pick_dir());
	return (const gchar *)dir;
}

/* binds the catalogues; the process's own language then follows its locale */
void
st_i18n_init(void)
{
	static gsize done = 0;
	if (g_once_init_enter(&done)) {
		bindtextdomain(GETTEXT_PACKAGE, st_i18n_locale_dir());
		bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
		g_once_init_leave(&done, 1);
	}
}

/* Returns: (nullable): the locale that translates into @language, made once */
static locale_t
st_i18n_locale_for(const gchar *language)
{
	static locale_t made[ST_I18N_MAX];
	static gsize tried[ST_I18N_MAX];
	guint n = 0;
	const StLanguage *languages = st_i18n_languages(&n);

	for (guint i = 0; i < n; i++) {
		if (g_strcmp0(language, languages[i].language) != 0)
			continue;
		if (g_once_init_enter(&tried[i])) {
			made[i] = newlocale(LC_MESSAGES_MASK, languages[i].locale, (locale_t)0);
			if (made[i] == (locale_t)0)
				g_warning("the system has no %s locale: messages for operators "
					  "who read %s are in English (Debian: apt install "
					  "locales-all)",
					  languages[i].locale, language);
			g_once_init_leave(&tried[i], 1);
		}
		return made[i];
	}
	return (locale_t)0;
}

/* Returns: whether messages can be given in @language ("en" always can) */
gboolean
st_i18n_language_available(const gchar *language)
{
	if (language == NULL || g_strcmp0(language, "en") == 0)
		return TRUE;
	return st_i18n_locale_for(language) != (locale_t)0;
}

/**
 * st_tr:
 * @language: (nullable): "zh-CN", or "en" / NULL for the English source
 * @msgid: an English message, marked for xgettext by this call
 *
 * Returns: (transfer none): @msgid in @language, or @msgid itself when there is no
 * translation (or no catalogue)
 */
const gchar *
st_tr(const gchar *language, const gchar *msgid)
{
	return st_ntr(language, msgid, NULL, 1);
}

/* the same with a plural: @plural when @n asks for it in @language */
const gchar *
st_ntr(const gchar *language, const gchar *msgid, const gchar *plural, gulong n)
{
	locale_t loc, old;
	const gchar *out;

	if (language == NULL || g_strcmp0(language, "en") == 0 ||
	    (loc = st_i18n_locale_for(language)) == (locale_t)0)
		return plural == NULL || n == 1 ? msgid : plural;
	st_i18n_init();
	old = uselocale(loc);
	out = plural != NULL ? dngettext(GETTEXT_PACKAGE, msgid, plural, n)
			     : dgettext(GETTEXT_PACKAGE, msgid);
	uselocale(old);
	return out;
}

/**
 * st_i18n_speak:
 * @language: (nullable): "zh-CN", or "en" / NULL for the English source
 *
 * Until st_i18n_speak_end(), what the calling thread says through gettext (the _() sentences
 * of any room, such as the store's refusals) is in @language, whatever the process's locale;
 * in English when the system has no locale for it (as st_tr()). Other threads are not
 * touched. Calls nest.
 *
 * Returns: the thread's locale before, for st_i18n_speak_end()
 */
locale_t
st_i18n_speak(const gchar *language)
{
	static locale_t english = (locale_t)0;
	static gsize made = 0;
	locale_t loc = (locale_t)0;

	st_i18n_init();
	if (g_once_init_enter(&made)) {
		/* messages in C: gettext gives the English source, whatever LANGUAGE says */
		english = newlocale(LC_MESSAGES_MASK, "C", (locale_t)0);
		g_once_init_leave(&made, 1);
	}
	if (language != NULL && g_strcmp0(language, "en") != 0)
		loc = st_i18n_locale_for(language);
	if (loc == (locale_t)0)
		loc = english;
	return uselocale(loc);
}

/* the thread's locale as it was before the st_i18n_speak() that gave @before */
void
st_i18n_speak_end(locale_t before)
{
	uselocale(before);
}
