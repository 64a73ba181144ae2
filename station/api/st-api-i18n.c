/*
 * The sentences of the bench screen and the handheld page (station/api/www/), marked here so
 * that they are in the same gettext catalogues as the verdicts (station/po/). The pages get
 * them translated as JSON (GET /api/v1/i18n?lang=zh-CN); adding a language to the screens is
 * adding its .po file.
 */
#define G_LOG_DOMAIN "station-api"

#include "st-api-i18n.h"
#include "st-i18n.h"

/* every sentence the pages show, in English (their keys) */
static const gchar *const ui_strings[] = {
	N_("Scan your badge"),
	N_("Or type its number and press Enter"),
	N_("Badge"),
	N_("Log out"),
	N_("Scan"),
	N_("Next"),
	N_("Last scans"),
	N_("OK"),
	N_("Refused"),
	N_("Not recorded: scan again"),
	N_("Waiting for the central system"),
	N_("events"),
	N_("Connected"),
	N_("Connection lost: reconnecting"),
	N_("Camera"),
	N_("Stop camera"),
	N_("Seat"),
	N_("Operator"),
	N_("Language"),
	N_("Weight"),
	N_("stable"),
	N_("in motion"),
	N_("Expected"),
	N_("Unplugged"),
	N_("scanner"),
	N_("scale"),
	N_("Labels"),
	N_("Preview"),
	/* the states of a print (the store's words) */
	N_("submitting"),
	N_("pending"),
	N_("held"),
	N_("processing"),
	N_("stopped"),
	N_("cancelled"),
	N_("aborted"),
	N_("completed"),
	N_("failed"),
	N_("Item"),
	N_("Packed"),
	N_("This badge is not an operator of this station: ask the shift lead"),
	N_("The session has ended: scan your badge again"),
	N_("This screen's token is no longer valid: ask the shift lead"),
	N_("Printer"),
	N_("Print the label again"),
	N_("Printing the label again"),
	N_("Only a shift lead prints another bench's label again"),
	N_("No label to print again"),
	/* what keeps a printer from printing (GET /api/v1/printers, attention) */
	N_("Paused: its labels wait"),
	N_("Refuses new labels"),
	N_("Does not answer: check its cable and power"),
	N_("Out of labels, paper or ribbon, or open"),
	N_("Stopped after an error"),
	N_("Labels held in the queue"),
	N_("The print service does not answer"),
	N_("No such print queue"),
	NULL,
};

const gchar *const *
st_api_ui_strings(void)
{
	return ui_strings;
}

/* Returns: (transfer none): @msgid in @language (English when the catalogue lacks it) */
const gchar *
st_api_ui_translate(const gchar *language, const gchar *msgid)
{
	return st_tr(language, msgid);
}

/**
 * st_api_ui_language_name:
 *
 * Returns: (transfer none): @language's name in itself ("English", "中文"), for the screens'
 *   language switch: the translation of "English" in its own catalogue
 */
const gchar *
st_api_ui_language_name(const gchar *language)
{
	/* TRANSLATORS: your language's name in itself (中文): the screens' language button */
	return st_tr(language, N_("English"));
}
