/* Fuzz target: the API's request bodies (station/api/st-api-request.c), any bytes; the first
 * byte picks the request (l a login, g a language, r a reprint, else a scan). Either the body is
 * refused with a reason, or every member is the contract's: a seat of 1 to 64 bytes, a scan of 1 to
 * 4096; never a crash. */
#include <string.h>

#include "st-api-request.h"
#include "st-i18n.h"

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput(const guint8 *data, gsize size)
{
	g_autoptr(GError) error = NULL;

	if (size == 0)
		return 0;
	if (data[0] == 'g') {
		g_autofree gchar *language = NULL;
		if (!st_api_parse_language((const gchar *)data + 1, size - 1, &language, &error)) {
			g_assert_nonnull(error);
			g_assert_null(language);
			return 0;
		}
		g_assert_true(st_i18n_language_known(language));
		return 0;
	}
	if (data[0] == 'r') {
		guint parcel = 0;
		if (!st_api_parse_reprint((const gchar *)data + 1, size - 1, &parcel, &error)) {
			g_assert_nonnull(error);
			return 0;
		}
		g_assert_cmpuint(parcel, >=, 1);
		g_assert_cmpuint(parcel, <=, 999);
		return 0;
	}
	if (data[0] == 'l') {
		StApiLogin login;
		if (!st_api_parse_login((const gchar *)data + 1, size - 1, &login, &error)) {
			g_assert_nonnull(error);
			return 0;
		}
		g_assert_nonnull(login.seat);
		g_assert_cmpuint(strlen(login.seat), <=, 64);
		g_assert_true(login.badge == NULL || strlen(login.badge) <= 64);
		st_api_login_clear(&login);
	} else {
		StApiScan scan;
		if (!st_api_parse_scan((const gchar *)data + 1, size - 1, &scan, &error)) {
			g_assert_nonnull(error);
			return 0;
		}
		g_assert_nonnull(scan.text);
		g_assert_cmpuint(strlen(scan.text), <=, 4096);
		st_api_scan_clear(&scan);
	}
	return 0;
}
