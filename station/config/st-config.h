/*
 * The station's configuration: an INI file (GKeyFile) whose every key is known, checked
 * and documented. Loading either gives a complete StConfig or one error naming the file, the
 * line and the key, and what to write instead.
 */
#pragma once

#include <glib.h>

#include "station/st-device-set.h"
#include "station/st-device.h"

#include "st-barcode.h"

G_BEGIN_DECLS

#define ST_CONFIG_DEFAULT_PATH "/etc/station/station.conf"

/* a [printer NAME] group */
typedef struct {
	gchar *name;	 /* the role: label, document, or another name */
	gchar *queue;	 /* (nullable) when @spool */
	gchar *spool;	 /* (nullable): a folder labels are written to instead of CUPS */
	gchar *language; /* zpl or pdf */
	guint dpi;
	gchar *media; /* (nullable) */
} StPrinterConfig;

void
st_printer_config_free(StPrinterConfig *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StPrinterConfig, st_printer_config_free)

typedef struct {
	gchar *path; /* (nullable): the file it was read from; NULL for the built-in defaults */
	gchar *station_id;
	gchar *store_path;
	guint busy_timeout_ms;
	gchar **allow_negative; /* (nullable): location codes where stock may go below zero */
	GLogLevelFlags log_level;
	gchar *log_level_name;
	gboolean usb_enabled;
	gchar *bench_workflow;		     /* [bench] workflow */
	gchar *bench_language;		     /* [bench] language: en or zh-CN */
	guint idle_logout_s;		     /* [bench] idle-logout, 0: never */
	GHashTable *device_workflows;	     /* device id -> [device NAME] workflow */
	gchar *pack_weigh;		     /* [pack] weigh: auto, yes, no */
	gchar *sscc_prefix;		     /* (nullable): [pack] sscc-prefix */
	gchar *label_template;		     /* [pack] label-template */
	GHashTable *carrier_templates;	     /* [pack] carrier-templates: CARRIER -> template */
	gchar *slip_template;		     /* [pack] slip-template; "none": no slip */
	gboolean confirm_label;		     /* [pack] confirm-label */
	gchar **customs_area;		     /* (nullable): [customs] area, upper case */
	gchar *customs_currency;	     /* [customs] currency */
	gchar *customs_category;	     /* [customs] category */
	gchar *customs_template;	     /* [customs] template; "none": no declaration */
	gchar *bench_location;		     /* (nullable): [bench] location */
	guint weight_tolerance_g;	     /* [pack] weight-tolerance-g */
	guint weight_tolerance_percent;	     /* [pack] weight-tolerance-percent */
	StBarcodePatterns *barcode_patterns; /* the station's own barcodes ([barcodes]) */
	GPtrArray *devices;  /* (element-type StDeviceInfo): one per [device NAME] section */
	GPtrArray *printers; /* (element-type StPrinterConfig): one per [printer NAME] */
	gchar *cups_server;  /* (nullable): [cups] server */
	guint print_poll_ms;
	GHashTable *sender; /* [sender] key -> value: the return address on labels */
	/* [http]: the API and the screens (station/api/) */
	gchar *http_listen;	 /* "127.0.0.1:8080"; "none": no API */
	gchar *http_certificate; /* (nullable): PEM, for TLS */
	gchar *http_key;	 /* (nullable) */
	gboolean http_insecure_lan;
	guint http_session_s; /* an operator's session lasts this long without a request */
	/* [central]: the central order system (station/sync/) */
	gchar *central_url;	     /* (nullable): unset, events wait in the outbox */
	gchar *central_token_file;   /* (nullable) */
	gchar *central_ca_file;	     /* (nullable): the system's CAs when unset */
	gchar *central_hmac_file;    /* (nullable): a shared secret: bodies are signed */
	guint central_batch;	     /* events per request */
	guint central_timeout_s;     /* one request */
	guint central_max_backoff_s; /* the longest wait between two tries */
	guint central_keep_days;     /* delivered events kept for audit */
	guint central_pull_s;	     /* seconds between two pulls of orders; 0: never */
	GHashTable *lines;	     /* "group\nkey" -> line number, for messages about values */
} StConfig;

StConfig *
st_config_new_default(void);
StConfig *
st_config_load_file(const gchar *path, GError **error);
StConfig *
st_config_load_data(const gchar *data, gsize len, const gchar *name, GError **error);
const gchar *
st_config_resolve_path(const gchar *cli_path, gboolean *explicit_path);
StConfig *
st_config_load(const gchar *cli_path, GError **error);
void
st_config_free(StConfig *self);
gchar *
st_config_describe_location(const StConfig *self, const gchar *group, const gchar *key);
gchar *
st_config_to_reference(void);
gchar *
st_config_udev_rules(const StConfig *self, const gchar *group);
StPrinterConfig *
st_printer_config_find(GPtrArray *printers, const gchar *name);
StDeviceSet *
st_config_new_device_set(const StConfig *self);
gboolean
st_config_customs_needed(const StConfig *self, const gchar *country);
const gchar *
st_config_carrier_template(const StConfig *self, const gchar *carrier, const gchar *service);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StConfig, st_config_free)

G_END_DECLS
