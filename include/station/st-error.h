/*
 * The one error domain every part of station reports in. Codes say what the caller can do
 * about the failure (retry, fix the input, fix the set-up), not which library failed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_ERROR st_error_quark()

/**
 * StError:
 * @ST_ERROR_FAILED: a failure with no better code
 * @ST_ERROR_INVALID_DATA: outside bytes (a report, a scan, a file) are malformed
 * @ST_ERROR_INVALID_CONFIG: the configuration has an unknown key or a bad value
 * @ST_ERROR_NOT_FOUND: the thing asked for does not exist
 * @ST_ERROR_NOT_SUPPORTED: the device or build cannot do this
 * @ST_ERROR_BUSY: another process holds the resource (a locked database, a claimed device)
 * @ST_ERROR_CORRUPT: stored data is damaged; nothing was changed
 * @ST_ERROR_VERSION: stored data was written by a newer station
 * @ST_ERROR_IO: reading or writing a file or device failed
 * @ST_ERROR_NO_DEVICE: the device went away
 * @ST_ERROR_TIMED_OUT: the operation did not finish in time
 * @ST_ERROR_REFUSED: the other side refused (a printer queue that rejects jobs)
 * @ST_ERROR_EXISTS: it was done already; doing it again needs someone to ask for it
 */
typedef enum {
	ST_ERROR_FAILED,
	ST_ERROR_INVALID_DATA,
	ST_ERROR_INVALID_CONFIG,
	ST_ERROR_NOT_FOUND,
	ST_ERROR_NOT_SUPPORTED,
	ST_ERROR_BUSY,
	ST_ERROR_CORRUPT,
	ST_ERROR_VERSION,
	ST_ERROR_IO,
	ST_ERROR_NO_DEVICE,
	ST_ERROR_TIMED_OUT,
	ST_ERROR_REFUSED,
	ST_ERROR_EXISTS,
} StError;

GQuark
st_error_quark(void);

G_END_DECLS
