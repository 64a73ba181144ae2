/* Fuzz target: a label template and shipment data of any bytes (split at the first NUL:
 * template, then data) loaded, filled at 203 dpi and rendered to ZPL. Either an error, or
 * ZPL with exactly one ^XA and one ^XZ a page and no '~' anywhere: nothing in the template's data
 * can become a command. Small labels are drawn as PNG too. */
#include <string.h>

#include "station/st-error.h"
#include "station/st-label.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

static guint
count(const gchar *hay, gsize len, const gchar *needle)
{
	guint n = 0;
	gsize k = strlen(needle);
	for (gsize i = 0; i + k <= len; i++)
		if (memcmp(hay + i, needle, k) == 0)
			n++;
	return n;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	const guint8 *nul = memchr(data, 0, size);
	g_autoptr(StLabelTemplate) tmpl = NULL;
	g_autoptr(StLabel) label = NULL;
	g_autoptr(GBytes) zpl = NULL;
	gsize tlen, n = 0;
	const gchar *z;

	if (nul == NULL || size > 16384)
		return 0;
	tlen = (gsize)(nul - data);
	tmpl = st_label_template_new_from_data("fuzz", (const gchar *)data, (gssize)tlen, NULL);
	if (tmpl == NULL)
		return 0;
	label = st_label_template_fill(tmpl, (const gchar *)nul + 1, (gssize)(size - tlen - 1), 203,
				       NULL, NULL, NULL);
	if (label == NULL)
		return 0;
	zpl = st_label_render(label, ST_LABEL_FORMAT_ZPL, NULL);
	if (zpl != NULL) {
		z = g_bytes_get_data(zpl, &n);
		g_assert(count(z, n, "^XA") == 1 + label->more_pages->len);
		g_assert(count(z, n, "^XZ") == 1 + label->more_pages->len);
		g_assert(memchr(z, '~', n) == NULL);
	}
	if ((gint64)label->width * label->height * (1 + label->more_pages->len) <= 1000000) {
		g_autoptr(GBytes) png = st_label_render(label, ST_LABEL_FORMAT_PNG, NULL);
		(void)png;
	}
	return 0;
}
