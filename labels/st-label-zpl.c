/*
 * ZPL II labels for Zebra-compatible thermal printers. Each item becomes one field at its
 * dot position (^FO). Text the printer's resident font 0 can show (printable Latin-1) is
 * sent as text under ^CI28 (UTF-8) with ^FH_ escapes, so '^' and '~' in an address print as
 * themselves; any other text (Chinese, Cyrillic, Arabic, ...) is drawn here with pango and
 * sent as a graphic field (^GFA, ZPL's compressed hex), so it prints on any Zebra whatever
 * fonts it has. Barcodes are the printer's own (^BC ^B3 ^BE ^B8 ^B2 ^BX ^BQ ^B7) with
 * the module width in whole dots (^BY); Code 128 data spells out its code sets.
 */
#include <string.h>

#include "station/st-error.h"

#include "st-code128.h"
#include "st-label-private.h"
#include "st-zpl.h"

static gchar
rotation_code(gint rotation)
{
	switch (rotation) {
	case 90:
		return 'R';
	case 180:
		return 'I';
	case 270:
		return 'B';
	default:
		return 'N';
	}
}

/* ZPL's ASCII compression of one hex row: a run of n equal digits is the digit preceded by
 * n's count letters (G..Y for 1..19, g..z for 20..400 by twenties); a row that ends in zeros
 * ends with ','; a row equal to the one before is ':' */
static void
append_compressed_row(GString *out, const gchar *hex, gsize n, const gchar *prev)
{
	gsize end = n;
	if (prev != NULL && memcmp(hex, prev, n) == 0) {
		g_string_append_c(out, ':');
		return;
	}
	while (end > 0 && hex[end - 1] == '0')
		end--;
	for (gsize i = 0; i < end;) {
		gsize run = 1;
		while (i + run < end && hex[i + run] == hex[i])
			run++;
		for (gsize left = run; left > 0;) {
			gsize k = MIN(left, 419u);
			if (k >= 20) {
				g_string_append_c(out, (gchar)('f' + k / 20));
				k = k / 20 * 20;
			} else if (k > 1) {
				g_string_append_c(out, (gchar)('F' + k));
			}
			g_string_append_c(out, hex[i]);
			left -= k;
		}
		i += run;
	}
	if (end < n)
		g_string_append_c(out, ',');
}

/* a w x h RGB24 surface as ^GFA at (x, y): a dot is black when its luminance is under half */
static void
append_graphic(GString *zpl, cairo_surface_t *s, gint x, gint y)
{
	gint w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	gint stride = cairo_image_surface_get_stride(s);
	const guint8 *px = cairo_image_surface_get_data(s);
	gint row_bytes = (w + 7) / 8;
	g_autofree gchar *hex = g_malloc((gsize)row_bytes * 2 + 1);
	g_autofree gchar *prev = g_malloc((gsize)row_bytes * 2 + 1);
	g_autoptr(GString) data = g_string_new(NULL);
	gboolean have_prev = FALSE;

	cairo_surface_flush(s);
	for (gint r = 0; r < h; r++) {
		const guint32 *row = (const guint32 *)(px + (gsize)r * stride);
		for (gint b = 0; b < row_bytes; b++) {
			guint8 byte = 0;
			for (gint bit = 0; bit < 8; bit++) {
				gint c = b * 8 + bit;
				guint32 p = c < w ? row[c] : 0xffffff;
				guint lum = (((p >> 16) & 0xff) * 299 + ((p >> 8) & 0xff) * 587 +
					     (p & 0xff) * 114) /
					    1000;
				if (lum < 128)
					byte |= (guint8)(0x80 >> bit);
			}
			g_snprintf(hex + b * 2, 3, "%02X", byte);
		}
		append_compressed_row(data, hex, (gsize)row_bytes * 2, have_prev ? prev : NULL);
		memcpy(prev, hex, (gsize)row_bytes * 2);
		have_prev = TRUE;
	}
	g_string_append_printf(zpl, "^FO%d,%d^GFA,%d,%d,%d,%s^FS\n", x, y, row_bytes * h,
			       row_bytes * h, row_bytes, data->str);
}

/* text font 0 can print: printable Latin-1 and line breaks, and no backslash (^FB reads \&) */
static gboolean
font0_can_show(const gchar *text)
{
	for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '\n')
			continue;
		if (c == '\\' || c < 0x20 || (c > 0x7e && c < 0xa0) || c > 0xff)
			return FALSE;
	}
	return TRUE;
}

/* the text item drawn with pango into a bitmap of its rotated box */
static gboolean
append_text_graphic(GString *zpl, const StLabelItem *item, gint size, gint dpi)
{
	StLabelItem at = *item;
	gint w = item->w, h = item->h, bw, bh;
	cairo_surface_t *s;
	cairo_t *cr;

	if (w <= 0 || h <= 0) {
		gint lw, lh;
		st_label_text_extent(item, size, &lw, &lh);
		if (w <= 0)
			w = lw;
		if (h <= 0)
			h = lh;
	}
	w = MAX(w, 1);
	h = MAX(h, 1);
	bw = item->rotation % 180 == 0 ? w : h;
	bh = item->rotation % 180 == 0 ? h : w;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, bw, bh);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	at.x = 0;
	at.y = 0;
	at.w = w;
	at.h = h;
	st_label_draw_text(cr, &at, size, dpi);
	cairo_destroy(cr);
	append_graphic(zpl, s, item->x, item->y);
	cairo_surface_destroy(s);
	return TRUE;
}

static gboolean
append_text(GString *zpl, const StLabelItem *item, gint dpi, GError **error)
{
	gint size = st_label_text_fit(item, dpi, error);
	g_autofree gchar *fd = NULL;
	static const gchar aligns[] = {'L', 'C', 'R'};
	gint lines;

	if (size < 0)
		return FALSE;
	if (item->text == NULL || *item->text == '\0')
		return TRUE;
	if (!font0_can_show(item->text))
		return append_text_graphic(zpl, item, size, dpi);
	/* each line escaped on its own, joined by \& which ^FB reads as a line break */
	{
		g_auto(GStrv) text_lines = g_strsplit(item->text, "\n", -1);
		g_autoptr(GString) s = g_string_new(NULL);
		for (guint i = 0; text_lines[i] != NULL; i++) {
			g_autofree gchar *line = st_zpl_field_data(text_lines[i], -1, error);
			if (line == NULL)
				return FALSE;
			g_string_append_printf(s, "%s%s", i > 0 ? "\\&" : "", line);
		}
		fd = g_string_free(g_steal_pointer(&s), FALSE);
	}
	lines = item->max_lines > 0 ? item->max_lines
		: item->h > 0	    ? MAX(1, item->h / size)
				    : 999; /* no box height: never cut the text off */
	if (item->reverse)
		g_string_append_printf(zpl, "^FO%d,%d^GB%d,%d,%d^FS\n", item->x, item->y,
				       MAX(item->w, 1), MAX(item->h, size),
				       MIN(MAX(item->w, 1), MAX(item->h, size)));
	{
		/* a banner (white on black) has its text in the middle of its bar, as in the
		 * drawing: ^FB starts at the top, so the field is moved down by half the room
		 * its lines leave */
		gint n_lines = 1, y = item->y;
		for (const gchar *c = fd; *c != '\0'; c++)
			n_lines += c[0] == '\\' && c[1] == '&';
		if (item->reverse && item->h > 0 && item->rotation == 0)
			y += MAX(0, (item->h - MIN(n_lines, lines) * size) / 2);
		g_string_append_printf(zpl, "^FO%d,%d^A0%c,%d,%d", item->x, y,
				       rotation_code(item->rotation), size, size);
	}
	if (item->w > 0)
		g_string_append_printf(zpl, "^FB%d,%d,0,%c,0", item->w, lines,
				       aligns[CLAMP(item->align, 0, 2)]);
	g_string_append_printf(zpl, "%s^FH_^FD%s^FS\n", item->reverse ? "^FR" : "", fd);
	return TRUE;
}

/* the barcode field's origin when the symbol (w x h, HRI below it in the unrotated frame,
 * box w x total) is rotated into the item's place */
static void
symbol_origin(const StLabelItem *item, gint w, gint h, gint total, gint *x, gint *y)
{
	switch (item->rotation) {
	case 90:
		*x = item->x + (total - h);
		*y = item->y;
		break;
	case 180:
		*x = item->x;
		*y = item->y + (total - h);
		break;
	default:
		*x = item->x;
		*y = item->y;
		break;
	}
	(void)w;
}

static gboolean
append_barcode(GString *zpl, StLabel *label, const StLabelItem *item, GError **error)
{
	g_autoptr(StModules) m = st_label_symbol_modules(item, error);
	gsize len = 0;
	const gchar *d;
	gchar rot = rotation_code(item->rotation);
	StLabelItem placed;
	gint w, h, total, x, y;
	g_autofree gchar *fd = NULL;

	if (m == NULL)
		return FALSE;
	d = g_bytes_get_data(item->data, &len);
	if (item->symbology == ST_SYMBOL_CODE128 || item->symbology == ST_SYMBOL_GS1_128) {
		/* ZPL's own choice of code sets (see st-code128.c) sets the width */
		g_autoptr(GArray) codes = NULL;
		g_autoptr(GArray) bars = NULL;
		fd = st_code128_to_zpl((const guint8 *)d, len, item->symbology == ST_SYMBOL_GS1_128,
				       &codes, error);
		if (fd == NULL)
			return FALSE;
		bars = st_code128_modules(codes);
		m->cols = (gint)bars->len;
	}
	if (!st_label_symbol_place(label, item, m, &placed, &w, &h, &total, error))
		return FALSE;
	item = &placed;
	symbol_origin(item, w, h, total, &x, &y);
	if (item->symbology == ST_SYMBOL_QR)
		/* ^BQ is drawn ^BY's bar height (here the default 10) below its ^FO */
		g_string_append_printf(zpl, "^FO%d,%d^BY%d,3,10", x, MAX(y - 10, 0), item->module);
	else
		g_string_append_printf(zpl, "^FO%d,%d^BY%d,3,%d", x, y, item->module, MAX(h, 1));
	switch (item->symbology) {
	case ST_SYMBOL_CODE128:
	case ST_SYMBOL_GS1_128:
		g_string_append_printf(zpl, "^BC%c,%d,N,N,N,N^FD%s^FS\n", rot, h, fd);
		break;
	case ST_SYMBOL_CODE39:
		g_string_append_printf(zpl, "^B3%c,N,%d,N,N^FD%.*s^FS\n", rot, h, (gint)len, d);
		break;
	case ST_SYMBOL_EAN13:
		g_string_append_printf(zpl, "^BE%c,%d,N,N^FD%.12s^FS\n", rot, h, d);
		break;
	case ST_SYMBOL_EAN8:
		g_string_append_printf(zpl, "^B8%c,%d,N,N^FD%.7s^FS\n", rot, h, d);
		break;
	case ST_SYMBOL_UPCA:
		/* a UPC-A is the EAN-13 with a leading 0, bar for bar; ^BE is understood by
		 * more ZPL renderers than ^BU */
		g_string_append_printf(zpl, "^BE%c,%d,N,N^FD0%.11s^FS\n", rot, h, d);
		break;
	case ST_SYMBOL_ITF:
		g_string_append_printf(zpl, "^B2%c,%d,N,N,N^FD%.*s^FS\n", rot, h, (gint)len, d);
		break;
	case ST_SYMBOL_DATAMATRIX:
		fd = st_zpl_field_data(d, (gssize)len, error);
		if (fd == NULL)
			return FALSE;
		g_string_append_printf(zpl, "^BX%c,%d,200^FH_^FD%s^FS\n", rot, item->module, fd);
		break;
	case ST_SYMBOL_GS1_DATAMATRIX: {
		/* ^BX's escape character, here '`' (not in GS1's character set): `1 is FNC1 */
		g_autoptr(GString) s = g_string_new("`1");
		for (gsize i = 0; i < len; i++) {
			if (d[i] == 0x1d)
				g_string_append(s, "`1");
			else
				g_string_append_c(s, d[i]);
		}
		g_string_append_printf(zpl, "^BX%c,%d,200,,,,`^FD%s^FS\n", rot, item->module,
				       s->str);
		break;
	}
	case ST_SYMBOL_QR:
		fd = st_zpl_field_data(d, (gssize)len, error);
		if (fd == NULL)
			return FALSE;
		/* model 2, magnification = module; MA: error correction M, automatic input */
		g_string_append_printf(zpl, "^BQN,2,%d^FH_^FDMA,%s^FS\n", MIN(item->module, 10),
				       fd);
		break;
	case ST_SYMBOL_PDF417:
		fd = st_zpl_field_data(d, (gssize)len, error);
		if (fd == NULL)
			return FALSE;
		g_string_append_printf(zpl, "^B7%c,%d,5,%d^FH_^FD%s^FS\n", rot,
				       m->row_modules * item->module, (m->cols - 69) / 17, fd);
		break;
	case ST_SYMBOL_MAXICODE: {
		/* ^BD: mode 2 or 3 take the primary message as class of service, country and
		 * postal code, then the rest beginning with its "[)>" RS "01" GS "vv" header */
		StMaxicode mc = {0};
		gsize sec_len = 0;
		const gchar *sec;
		g_autofree gchar *lpm = NULL;
		if (!st_label_maxicode_split(item->data, &mc, error))
			return FALSE;
		sec = g_bytes_get_data(mc.secondary, &sec_len);
		lpm = st_zpl_field_data(sec, (gssize)sec_len, error);
		if (lpm == NULL) {
			st_maxicode_clear(&mc);
			return FALSE;
		}
		if (mc.mode == 4)
			g_string_append_printf(zpl, "^BD4,1,1^FH_^FD%s^FS\n", lpm);
		else
			g_string_append_printf(zpl, "^BD%d,1,1^FH_^FD%s%s%s%s^FS\n", mc.mode,
					       mc.service, mc.country, mc.postal, lpm);
		st_maxicode_clear(&mc);
		break;
	}
	case ST_SYMBOL_COUNT:
	default:
		g_set_error(error, ST_LABEL_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "%s barcodes are not written as ZPL by this build yet",
			    st_symbology_to_string(item->symbology));
		return FALSE;
	}
	if (item->hri && st_symbology_is_linear(item->symbology)) {
		StLabelItem text;
		g_autofree gchar *shown = NULL;
		st_label_hri_item(item, w, h, &text);
		shown = text.text;
		/* the line under the symbol, turned with it */
		text.rotation = item->rotation;
		text.x = item->x;
		text.y = item->y;
		switch (item->rotation) {
		case 90:
			text.x = item->x;
			break;
		case 180:
			break;
		case 270:
			text.x = item->x + h + item->module * 2;
			break;
		default:
			text.y = item->y + h + item->module * 2;
			break;
		}
		if (!append_text(zpl, &text, label->dpi, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
append_image(GString *zpl, const StLabelItem *item, GError **error)
{
	cairo_surface_t *s = st_label_image_scaled(item, error);
	if (s == NULL)
		return FALSE;
	append_graphic(zpl, s, item->x, item->y);
	cairo_surface_destroy(s);
	return TRUE;
}

static gboolean
render_zpl_page(GString *zpl, StLabel *label, GError **error);

/* one ^XA...^XZ format a page: a printer prints each as a label (or a sheet) of its own */
GBytes *
st_label_render_zpl(StLabel *label, GError **error)
{
	g_autoptr(GString) zpl = g_string_new(NULL);
	if (!render_zpl_page(zpl, label, error))
		return NULL;
	for (guint i = 0; i < label->more_pages->len; i++)
		if (!render_zpl_page(zpl, g_ptr_array_index(label->more_pages, i), error))
			return NULL;
	return g_bytes_new(zpl->str, zpl->len);
}

static gboolean
render_zpl_page(GString *zpl, StLabel *label, GError **error)
{

	/* ^CI28: field data is UTF-8; ^PW/^LL: the page in dots; ^LH0,0: no home offset;
	 * ^PON: not mirrored (the printer's own settings decide media and darkness) */
	g_string_append_printf(zpl, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n^PON\n", label->width,
			       label->height);
	for (guint i = 0; i < label->items->len; i++) {
		const StLabelItem *item = g_ptr_array_index(label->items, i);
		gboolean ok = TRUE;
		switch (item->kind) {
		case ST_LABEL_TEXT:
			ok = append_text(zpl, item, label->dpi, error);
			break;
		case ST_LABEL_LINE:
			g_string_append_printf(zpl, "^FO%d,%d^GB%d,%d,%d^FS\n", item->x, item->y,
					       MAX(item->w, 1), MAX(item->h, 1),
					       MAX(1, MIN(item->w, item->h)));
			break;
		case ST_LABEL_BOX:
			g_string_append_printf(zpl, "^FO%d,%d^GB%d,%d,%d^FS\n", item->x, item->y,
					       item->w, item->h, MAX(item->thickness, 1));
			break;
		case ST_LABEL_BARCODE:
			ok = append_barcode(zpl, label, item, error);
			break;
		case ST_LABEL_IMAGE:
			ok = append_image(zpl, item, error);
			break;
		default:
			break;
		}
		if (!ok)
			return FALSE;
	}
	g_string_append(zpl, "^XZ\n");
	return TRUE;
}
