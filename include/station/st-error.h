/*
 * The error codes every part of station shares, and each library's error domain. The code
 * says what the caller can do about the failure (retry, fix the input, fix the set-up); the
 * domain says which room failed (GLib's convention: one domain per library, as G_IO_ERROR
 * and G_KEY_FILE_ERROR). Each domain's quark is defined by its own library, so a room that
 * sets another room's domain does not link.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_DEVICE_ERROR	  st_device_error_quark()   /* drivers/ */
#define ST_LABEL_ERROR	  st_label_error_quark()    /* labels/: the model and renderers */
#define ST_PRINT_ERROR	  st_print_error_quark()    /* labels/print/: CUPS */
#define ST_BARCODE_ERROR  st_barcode_error_quark()  /* station/barcode/ */
#define ST_STORE_ERROR	  st_store_error_quark()    /* station/store/ */
#define ST_CONFIG_ERROR	  st_config_error_quark()   /* station/config/ */
#define ST_SERVICE_ERROR  st_service_error_quark()  /* station/services/ */
#define ST_WORKFLOW_ERROR st_workflow_error_quark() /* station/workflows/ */
#define ST_SYNC_ERROR	  st_sync_error_quark()	    /* station/sync/ */
#define ST_API_ERROR	  st_api_error_quark()	    /* station/api/ */
#define ST_DAEMON_ERROR	  st_daemon_error_quark()   /* station/daemon/ */
#define ST_CLI_ERROR	  st_cli_error_quark()	    /* station/cli/ */

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
st_device_error_quark(void);
GQuark
st_label_error_quark(void);
GQuark
st_print_error_quark(void);
GQuark
st_barcode_error_quark(void);
GQuark
st_store_error_quark(void);
GQuark
st_config_error_quark(void);
GQuark
st_service_error_quark(void);
GQuark
st_workflow_error_quark(void);
GQuark
st_sync_error_quark(void);
GQuark
st_api_error_quark(void);
GQuark
st_daemon_error_quark(void);
GQuark
st_cli_error_quark(void);

G_END_DECLS
