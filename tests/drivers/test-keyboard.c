/*
 * Tests of the keyboard-wedge path: boot reports decoded with the scanner's layout,
 * terminators, GS as Ctrl+] and as Alt+0029, modifiers, rollover, Caps Lock, malformed
 * reports, and the encoder used by the emulated device round-tripping through the decoder.
 */
#include "keyboard/st-keyboard-decoder.h"
#include "keyboard/st-keyboard-encoder.h"
#include "keyboard/st-keyboard-report.h"
#include "st-test-hid.h"
#include "emulated/st-emulated-device.h"
#include "station/st-error.h"

/* feeds reports (8 bytes each) and returns the scans they ended, joined by '|' */
static gchar *
decode(StKeyboardDecoder *decoder, const guint8 *reports, gsize len)
{
	GString *out = g_string_new(NULL);
	for (gsize i = 0; i + 8 <= len; i += 8) {
		g_autoptr(GBytes) data = NULL;
		g_autoptr(GError) error = NULL;
		g_assert_true(
			st_keyboard_decoder_feed(decoder, reports + i, 8, &data, NULL, &error));
		g_assert_no_error(error);
		if (data != NULL) {
			if (out->len > 0)
				g_string_append_c(out, '|');
			g_string_append_len(out, g_bytes_get_data(data, NULL),
					    (gssize)g_bytes_get_size(data));
		}
	}
	return g_string_free(out, FALSE);
}

static void
test_us_digits(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	/* "12" Enter as a scanner sends it: press, release, press, release, Enter */
	const guint8 reports[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0, 0, 0, 0,	  0, 0, 0, 0, 0,
	};
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	text = decode(decoder, reports, sizeof(reports));
	g_assert_cmpstr(text, ==, "12");
}

static void
test_fr_layout(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) fr = st_keyboard_decoder_new("fr", NULL, &error);
	g_autoptr(StKeyboardDecoder) us = st_keyboard_decoder_new("us", NULL, &error);
	/* the number-row keys 1..5 without Shift, then Enter */
	const guint8 plain[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0,
		0, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	/* the same keys with Shift: digits on AZERTY */
	const guint8 shifted[] = {
		2, 0, 0x1e, 0, 0, 0, 0, 0, 2, 0, 0x1f, 0, 0, 0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0,
		2, 0, 0x21, 0, 0, 0, 0, 0, 2, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	g_autofree gchar *fr_plain = NULL;
	g_autofree gchar *fr_shifted = NULL;
	g_autofree gchar *us_plain = NULL;

	g_assert_no_error(error);
	fr_plain = decode(fr, plain, sizeof(plain));
	g_assert_cmpstr(fr_plain, ==, "&é\"'(");
	fr_shifted = decode(fr, shifted, sizeof(shifted));
	g_assert_cmpstr(fr_shifted, ==, "12345");
	us_plain = decode(us, plain, sizeof(plain));
	g_assert_cmpstr(us_plain, ==, "12345");
}

static void
test_gs_ctrl(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	/* "1" Ctrl+] "2" Enter */
	const guint8 reports[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 1, 0, 0x30, 0, 0, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	g_autofree gchar *text = decode(decoder, reports, sizeof(reports));
	g_assert_cmpstr(text, ==,
			"1\x1d"
			"2");
}

/* a scanner set to a layout where ']' is AltGr+9 (de) that still sends Ctrl + the US ']' key:
 * GS, not the '+' that key has on de; Ctrl + the layout's own ']' (AltGr+9) is GS too */
static void
test_gs_ctrl_de(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) de = st_keyboard_decoder_new("de", NULL, &error);
	/* "1" Ctrl+(US ]) "2" Enter */
	const guint8 us_position[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 1, 0, 0x30, 0, 0, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	/* "1" Ctrl+AltGr+9 (de's ]) "2" Enter: right Alt (0x40) is AltGr on de */
	const guint8 de_position[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0x41, 0, 0x26, 0, 0, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0, 0,    0, 0x28, 0, 0, 0, 0, 0,
	};
	/* the '+' key alone still types '+', and Ctrl+letters keep the layout's meaning */
	const guint8 plain[] = {
		0, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	g_autofree gchar *a = NULL, *b = NULL, *c = NULL;

	g_assert_no_error(error);
	a = decode(de, us_position, sizeof(us_position));
	g_assert_cmpstr(a, ==,
			"1\x1d"
			"2");
	b = decode(de, de_position, sizeof(de_position));
	g_assert_cmpstr(b, ==,
			"1\x1d"
			"2");
	c = decode(de, plain, sizeof(plain));
	g_assert_cmpstr(c, ==, "+");
}

/* keyboards that are not boot keyboards: their reports read through the descriptor */
static void
test_descriptor_reports(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardReport) ids = st_keyboard_report_new(
		st_test_keyboard_ids_descriptor, sizeof(st_test_keyboard_ids_descriptor), &error);
	g_autoptr(StKeyboardReport) bitmap =
		st_keyboard_report_new(st_test_keyboard_bitmap_descriptor,
				       sizeof(st_test_keyboard_bitmap_descriptor), &error);
	g_autoptr(StKeyboardReport) boot = st_keyboard_report_new(
		st_test_keyboard_descriptor, sizeof(st_test_keyboard_descriptor), &error);
	g_autoptr(StKeyboardReport) scale = NULL;
	/* Shift + 'a' (0x04) and '1' (0x1E) behind report id 1 */
	const guint8 key_report[] = {0x01, 0x02, 0x00, 0x04, 0x1E, 0, 0, 0, 0};
	const guint8 consumer[] = {0x02, 0xE9, 0x00}; /* Volume Up */
	const guint8 rollover[] = {0x01, 0x00, 0x00, 4, 5, 6, 7, 8, 9};
	/* right Ctrl, and the bits of 0x30 (']') and 0x63 (the last) */
	guint8 bits[13] = {0x10};
	guint8 out[8];
	gboolean is_keyboard = FALSE;

	g_assert_no_error(error);
	g_assert_cmpuint(st_keyboard_report_get_id(ids), ==, 1);
	g_assert_cmpuint(st_keyboard_report_get_id(boot), ==, 0);
	g_assert_true(st_keyboard_report_to_boot(ids, key_report, sizeof(key_report), out,
						 &is_keyboard, &error));
	g_assert_true(is_keyboard);
	g_assert_cmpmem(out, 8, "\x02\x00\x04\x1e\x00\x00\x00\x00", 8);
	/* the consumer report is another report: left out */
	g_assert_true(st_keyboard_report_to_boot(ids, consumer, sizeof(consumer), out, &is_keyboard,
						 &error));
	g_assert_false(is_keyboard);
	/* six keys: as they are; the rollover error passes as the boot keyboard sends it */
	g_assert_true(st_keyboard_report_to_boot(ids, rollover, sizeof(rollover), out, &is_keyboard,
						 &error));
	g_assert_cmpmem(out + 2, 6, "\x04\x05\x06\x07\x08\x09", 6);
	/* too short for its keys: refused, said */
	g_assert_false(st_keyboard_report_to_boot(ids, key_report, 4, out, &is_keyboard, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);

	/* one bit a key */
	bits[1 + (0x30 - 4) / 8] |= 1 << ((0x30 - 4) % 8);
	bits[1 + (0x63 - 4) / 8] |= 1 << ((0x63 - 4) % 8);
	g_assert_true(
		st_keyboard_report_to_boot(bitmap, bits, sizeof(bits), out, &is_keyboard, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(out, 8, "\x10\x00\x30\x63\x00\x00\x00\x00", 8);
	/* more than six bits down: the boot keyboard's rollover error */
	memset(bits + 1, 0xff, 2);
	g_assert_true(
		st_keyboard_report_to_boot(bitmap, bits, sizeof(bits), out, &is_keyboard, &error));
	g_assert_cmpmem(out + 2, 6, "\x01\x01\x01\x01\x01\x01", 6);

	/* a descriptor without keys is not a keyboard */
	scale = st_keyboard_report_new(st_test_scale_descriptor, sizeof(st_test_scale_descriptor),
				       &error);
	g_assert_null(scale);
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED);
}

static void
test_gs_alt_numpad(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	/* "1", Alt held + KP0 KP0 KP2 KP9, Alt released, "2", Enter */
	const guint8 reports[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 4, 0, 0x62, 0, 0, 0, 0, 0,
		4, 0, 0,    0, 0, 0, 0, 0, 4, 0, 0x62, 0, 0, 0, 0, 0, 4, 0, 0,	  0, 0, 0, 0, 0,
		4, 0, 0x5a, 0, 0, 0, 0, 0, 4, 0, 0,    0, 0, 0, 0, 0, 4, 0, 0x61, 0, 0, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	g_autofree gchar *text = decode(decoder, reports, sizeof(reports));
	g_assert_cmpstr(text, ==,
			"1\x1d"
			"2");
}

static void
test_alt_code_ansi(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	/* Alt + 0 2 3 3 = 0xE9 in Windows-1252: é; then Enter */
	const guint8 reports[] = {
		4, 0, 0x62, 0, 0, 0, 0, 0, 4, 0, 0x5a, 0, 0,	0, 0, 0,    4, 0, 0x5b,
		0, 0, 0,    0, 0, 4, 0, 0, 0, 0, 0,    0, 0,	4, 0, 0x5b, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0,    0, 0x28, 0, 0, 0,    0, 0,
	};
	g_autofree gchar *text = decode(decoder, reports, sizeof(reports));
	g_assert_cmpstr(text, ==, "é");
}

static void
test_shift_swap_and_rollover(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	/* Shift+a, then Shift released and b pressed in one report, then a and c held
	 * together (rollover), then an ErrorRollOver report that must be ignored, then Enter */
	const guint8 reports[] = {
		2, 0, 0x04, 0, 0, 0, 0, 0,    0, 0, 0x05, 0, 0,	   0, 0, 0,    0, 0,	0x05,
		4, 0, 0,    0, 0, 0, 0, 0x04, 6, 0, 0,	  0, 0,	   0, 0, 0x01, 1, 0x01, 1,
		1, 1, 0,    0, 0, 0, 0, 0,    0, 0, 0,	  0, 0x28, 0, 0, 0,    0, 0,
	};
	g_autofree gchar *text = decode(decoder, reports, sizeof(reports));
	g_assert_cmpstr(text, ==,
			"Ab"
			"ac");
}

static void
test_caps_lock(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	/* CapsLock, a, CapsLock, a, Enter */
	const guint8 reports[] = {
		0, 0, 0x39, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0,
		0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x39, 0, 0, 0, 0, 0, 0, 0, 0,	  0, 0, 0, 0, 0,
		0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
	};
	g_autofree gchar *text = decode(decoder, reports, sizeof(reports));
	g_assert_cmpstr(text, ==, "Aa");
}

static void
test_terminators(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) raw = NULL;
	/* "1" Tab "2" */
	const guint8 reports[] = {
		0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0x2b, 0, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0, 0,
	};
	g_autofree gchar *tab_ends = decode(decoder, reports, sizeof(reports));
	g_autofree gchar *tab_kept = NULL;

	/* with enter,tab: Tab ended "1"; "2" is pending until a flush (the timeout) */
	g_assert_cmpstr(tab_ends, ==, "1");
	g_assert_true(st_keyboard_decoder_has_pending(decoder));
	g_assert_true(st_keyboard_decoder_flush(decoder, &data, &raw));
	g_assert_cmpmem(g_bytes_get_data(data, NULL), g_bytes_get_size(data), "2", 1);
	g_assert_cmpuint(g_bytes_get_size(raw), ==, 8);
	g_assert_false(st_keyboard_decoder_has_pending(decoder));

	/* with enter only, Tab is data */
	st_keyboard_decoder_reset(decoder);
	st_keyboard_decoder_set_terminators(decoder, ST_KEYBOARD_TERMINATOR_ENTER);
	{
		const guint8 more[] = {
			0, 0, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0x2b, 0, 0, 0, 0, 0,
			0, 0, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, 0, 0,
		};
		tab_kept = decode(decoder, more, sizeof(more));
	}
	g_assert_cmpstr(tab_kept, ==, "1\t2");
}

static void
test_bad_reports(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	g_autoptr(GBytes) data = NULL;
	const guint8 short_report[] = {0, 0, 0x1e};
	const guint8 reserved[] = {0, 0, 0x02, 0x03, 0xff, 0xa5, 0, 0};

	g_assert_false(st_keyboard_decoder_feed(decoder, short_report, sizeof(short_report), &data,
						NULL, &error));
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* usages with no key are ignored, not crashed on */
	g_assert_true(st_keyboard_decoder_feed(decoder, reserved, 8, &data, NULL, &error));
	g_assert_no_error(error);
	g_assert_null(data);
	g_assert_false(st_keyboard_decoder_has_pending(decoder));
}

static void
test_overflow(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new("us", NULL, &error);
	const guint8 press[] = {0, 0, 0x04, 0, 0, 0, 0, 0};
	const guint8 release[8] = {0};
	guint i;

	/* 'a' typed forever with no terminator: dropped once it is longer than any barcode */
	st_keyboard_decoder_set_terminators(decoder, ST_KEYBOARD_TERMINATOR_ENTER);
	for (i = 0; i < 10000 && !st_keyboard_decoder_take_overflow(decoder); i++) {
		g_autoptr(GBytes) data = NULL;
		g_assert_true(st_keyboard_decoder_feed(decoder, press, 8, &data, NULL, &error));
		g_assert_null(data);
		g_clear_pointer(&data, g_bytes_unref);
		g_assert_true(st_keyboard_decoder_feed(decoder, release, 8, &data, NULL, &error));
	}
	g_assert_cmpuint(i, <, 10000);
	/* the limit is 8192 characters: the 8193rd starts over */
	g_assert_cmpuint(i, ==, 8193);
	g_assert_false(st_keyboard_decoder_take_overflow(decoder));
}

static void
test_unknown_layout(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardDecoder) decoder =
		st_keyboard_decoder_new("no-such-layout", NULL, &error);
	g_assert_null(decoder);
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG);
	g_assert_nonnull(strstr(error->message, "no-such-layout"));
}

static void
test_roundtrip(gconstpointer user_data)
{
	const gchar *layout = user_data;
	const gchar *text = "(01)09501101530003\x1d"
			    "10ABC-123/x.y%+$ ]01\x1d"
			    "21Zz";
	g_autoptr(GError) error = NULL;
	g_autoptr(StKeyboardEncoder) encoder = st_keyboard_encoder_new(layout, NULL, &error);
	g_autoptr(StKeyboardDecoder) decoder = st_keyboard_decoder_new(layout, NULL, &error);
	g_assert_no_error(error);

	for (guint mode = ST_KEYBOARD_GS_CTRL; mode <= ST_KEYBOARD_GS_ALT_NUMPAD; mode++) {
		g_autoptr(GByteArray) reports = g_byte_array_new();
		g_autofree gchar *typed = g_strdup_printf("%s\n", text);
		g_autofree gchar *decoded = NULL;
		g_assert_true(st_keyboard_encoder_type(encoder, typed, -1, mode, reports, &error));
		g_assert_no_error(error);
		decoded = decode(decoder, reports->data, reports->len);
		g_assert_cmpstr(decoded, ==, text);
	}
}

typedef struct {
	const gchar *kind;
	const gchar *script;
	const gchar *expect;
} BadScript;

static const BadScript bad_scripts[] = {
	{"keyboard", "wait 10\nreport 00 00 1e\n", "line 2: report needs exactly 8 bytes"},
	{"keyboard", "type ok\ntype \\q\n", "line 2: unknown escape \\q"},
	{"keyboard", "# c\n\nwait soon\n", "line 3: wait needs milliseconds"},
	{"keyboard", "weight stable 1 g\n", "line 1: unknown step 'weight'"},
	{"keyboard", "type \u4e2d\n", "line 1: character U+4E2D cannot be typed"},
	{"scale", "weight stable 1 g\ntype 123\n", "line 2: type is for keyboard scanners"},
	{"scale", "weight heavy 1 g\n", "line 1: weight: 'heavy g'"},
	{"scale", "weight stable 70000 g\n", "line 1: weight: '70000'"},
	{"scale", "weight stable 1.123456789 kg\n", "at most 8 decimals"},
};

static void
test_bad_script(gconstpointer data)
{
	const BadScript *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StEmulatedScript) script =
		st_emulated_script_parse(c->script, strlen(c->script), c->kind, "us", NULL, &error);
	g_assert_null(script);
	g_assert_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_DATA);
	if (strstr(error->message, c->expect) == NULL)
		g_error("'%s' lacks '%s'", error->message, c->expect);
}

static void
test_good_scripts(void)
{
	const gchar *kbd = "# a scanner\ntype ORD-1\ntype-raw 12\ntype-alt 01\\x1d10\n"
			   "report 00 00 1e 00 00 00 00 00\nwait 5\nunplug\n";
	const gchar *scale = "weight stable 35.1 oz\nreport 03 04 02 00 e8 03\nwait 1\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(StEmulatedScript) a =
		st_emulated_script_parse(kbd, strlen(kbd), "keyboard", "us", NULL, &error);
	g_autoptr(StEmulatedScript) b = NULL;

	g_assert_no_error(error);
	/* ORD-1 + Enter = 6 keys, "12" = 2, "01" GS "10" + Enter = 5 keys + Alt+0029 (4 strokes
	 * and the Alt release), each key a press and a release; then report, wait, unplug */
	g_assert_cmpuint(st_emulated_script_get_length(a), ==, 12 + 4 + 10 + 9 + 3);
	b = st_emulated_script_parse(scale, strlen(scale), "scale", "us", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(st_emulated_script_get_length(b), ==, 3);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/drivers/keyboard/us-digits", test_us_digits);
	g_test_add_func("/drivers/keyboard/fr-layout", test_fr_layout);
	g_test_add_func("/drivers/keyboard/gs-ctrl", test_gs_ctrl);
	g_test_add_func("/drivers/keyboard/gs-ctrl-de", test_gs_ctrl_de);
	g_test_add_func("/drivers/keyboard/descriptor-reports", test_descriptor_reports);
	g_test_add_func("/drivers/keyboard/gs-alt-numpad", test_gs_alt_numpad);
	g_test_add_func("/drivers/keyboard/alt-code-ansi", test_alt_code_ansi);
	g_test_add_func("/drivers/keyboard/shift-swap-rollover", test_shift_swap_and_rollover);
	g_test_add_func("/drivers/keyboard/caps-lock", test_caps_lock);
	g_test_add_func("/drivers/keyboard/terminators", test_terminators);
	g_test_add_func("/drivers/keyboard/bad-reports", test_bad_reports);
	g_test_add_func("/drivers/keyboard/unknown-layout", test_unknown_layout);
	g_test_add_func("/drivers/keyboard/overflow", test_overflow);
	g_test_add_data_func("/drivers/keyboard/roundtrip/us", "us", test_roundtrip);
	g_test_add_data_func("/drivers/keyboard/roundtrip/de", "de", test_roundtrip);
	g_test_add_data_func("/drivers/keyboard/roundtrip/fr", "fr", test_roundtrip);
	g_test_add_data_func("/drivers/keyboard/roundtrip/gb", "gb", test_roundtrip);
	for (guint i = 0; i < G_N_ELEMENTS(bad_scripts); i++) {
		g_autofree gchar *name = g_strdup_printf("/drivers/emulated/bad-script/%u", i);
		g_test_add_data_func(name, &bad_scripts[i], test_bad_script);
	}
	g_test_add_func("/drivers/emulated/good-scripts", test_good_scripts);
	return g_test_run();
}
