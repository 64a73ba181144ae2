/*
 * Configuration loading. The file is read twice: once line by line here, to find syntax
 * errors, duplicate groups and keys, and the line of every key (GKeyFile knows none of these),
 * then by GKeyFile for the values. Each key is a row of the schema below, which is also the
 * source of `station config --reference` and of the README's configuration reference.
 */
#define G_LOG_DOMAIN "station-config"

#include <string.h>
#include <unistd.h>

#include "station/st-bounded.h"
#include "station/st-error.h"
#include "station/st-drivers.h"
#include "station/st-print.h"

#include "st-config.h"
#include "st-i18n.h"
#include "st-log.h"

GQuark
st_config_error_quark(void)
{
	return g_quark_from_static_string("st-config-error-quark");
}

#define ST_CONFIG_MAX_SIZE (1024 * 1024)

typedef enum {
	ST_KEY_STRING,
	ST_KEY_NAME, /* [A-Za-z0-9._-], 1..64 */
	ST_KEY_PATH,
	ST_KEY_UINT,
	ST_KEY_CHOICE,
	ST_KEY_VID_PID,	  /* "05e0:1200" */
	ST_KEY_PORT_PATH, /* "1-2.3" */
	ST_KEY_PATTERN,	  /* a regular expression, read as written (no GKeyFile escapes) */
	ST_KEY_QUEUE,	  /* a CUPS queue name */
	ST_KEY_LANGUAGE,  /* one the station speaks: en, then station/po/LINGUAS's */
} StKeyType;

typedef struct {
	const gchar *group; /* "device" stands for every [device NAME] group, "printer" for
			       every [printer NAME] */
	const gchar *key;
	StKeyType type;
	const gchar *default_value; /* NULL: unset by default */
	guint64 min, max;	    /* ST_KEY_UINT */
	const gchar *choices;	    /* ST_KEY_CHOICE, '|' separated */
	const gchar *doc; /* untranslated (N_): the reference says it in the locale's language */
} StConfigKey;

static const StConfigKey schema[] = {
	{"station", "id", ST_KEY_NAME, NULL, 0, 0, NULL,
	 N_("Name of this bench in logs, stored scans and events sent to the central system. "
	    "Letters, digits, '.', '_' and '-', at most 64. Default: the host name.")},
	{"store", "path", ST_KEY_PATH, "/var/lib/station/station.db", 0, 0, NULL,
	 N_("The SQLite database. Created with its folder if missing; upgraded in place if written "
	    "by an older station, refused if written by a newer one.")},
	{"store", "busy-timeout", ST_KEY_UINT, "5000", 0, 600000, NULL,
	 N_("Milliseconds to wait for another process (a CLI command, a backup) to release the "
	    "database before giving up with an error.")},
	{"store", "allow-negative", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("Location codes, separated by commas, where stock may go below zero (a bench that "
	    "packs goods before they are booked in). Elsewhere a pick or move of more than is "
	    "there is refused. A location's own allow_negative column (station import "
	    "locations) does the same.")},
	{"log", "level", ST_KEY_CHOICE, "message", 0, 0, "error|warning|message|info|debug",
	 N_("Least important messages logged: error, warning, message (each scan and order), info "
	    "(state changes), debug (device reports). G_MESSAGES_DEBUG=domain adds debug output "
	    "for "
	    "one module.")},
	{"usb", "enabled", ST_KEY_CHOICE, "true", 0, 0, "true|false",
	 N_("Whether the station looks for USB scanners and scales; false for a bench that uses "
	    "only emulated devices or handhelds.")},
	{"bench", "workflow", ST_KEY_CHOICE, "pack", 0, 0, "pick|pack|ship",
	 N_("What the bench's scanners are for: pick, pack or ship. A [device NAME] group's own "
	    "workflow key overrides it for that device (a picker's handheld beside a packing "
	    "bench). An unknown workflow is refused at start.")},
	{"bench", "location", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The code of the bench's own location (station import locations), where goods wait to "
	    "be packed: each item packed leaves its stock there (with the lot, expiry and serial "
	    "its GS1 barcode carries). Unset: packing moves no stock.")},
	{"bench", "language", ST_KEY_LANGUAGE, "en", 0, 0, NULL,
	 N_("The language the bench speaks while nobody is logged in: at a station without "
	    "operators, every answer; with operators, the answers before a badge, which come in "
	    "this language first and then in the other. Each operator's own language "
	    "(station import operators) wins once they are logged in.")},
	{"bench", "idle-logout", ST_KEY_UINT, "1800", 0, 86400, NULL,
	 N_("Seconds without a scan after which the operator logged in at the bench is logged out "
	    "(0: never). Only with operators (station import operators): the next scan is then "
	    "refused until a badge is scanned.")},
	{"pack", "weigh", ST_KEY_CHOICE, "auto", 0, 0, "auto|yes|no",
	 N_("Whether a packed parcel goes on the scale before the order is complete: auto (when a "
	    "scale is attached at the bench), yes (always: without a scale the parcel waits for "
	    "one), no (never; the events say the parcel was not weighed).")},
	{"pack", "weight-tolerance-g", ST_KEY_UINT, "20", 0, 100000, NULL,
	 N_("A parcel this many grams lighter or heavier than it should weigh (its items and its "
	    "box) still passes.")},
	{"pack", "weight-tolerance-percent", ST_KEY_UINT, "5", 0, 100, NULL,
	 N_("Or this many percent of what it should weigh, whichever is more. Outside it the "
	    "parcel is refused, saying by how much and which way, until it is fixed or a shift "
	    "lead scans their badge to let it go.")},
	{"pack", "sscc-prefix", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The GS1 extension digit and company prefix (5 to 16 digits) of this bench's parcels: "
	    "each parcel closed gets an SSCC of it, with the parcel's number in this database as "
	    "serial reference and its check digit, which its label carries and the dock scans. "
	    "Give each station of a site its own extension digit or prefix. Unset: parcels get no "
	    "number from the station, and the bench prints no parcel labels (only the slip).")},
	{"pack", "label-template", ST_KEY_NAME, "gs1-logistic", 0, 0, NULL,
	 N_("The template of each parcel's label, printed on [printer label] when an order is "
	    "packed (one per parcel, with its SSCC, weight and package n of m): gs1-logistic, or a "
	    "template of your own (station label templates lists them).")},
	{"pack", "carrier-templates", ST_KEY_STRING, "*:carrier-4x6", 0, 0, NULL,
	 N_("The template of the label of a parcel the carrier gave a tracking number for (the "
	    "order's tracking column), by the order's carrier and service: CARRIER:TEMPLATE or "
	    "CARRIER/SERVICE:TEMPLATE pairs separated by commas, * for any other carrier "
	    "(UPS:carrier-4x6-ups, FedEx/Ground:my-ground-label, *:carrier-4x6). A label the "
	    "carrier made itself (the order's label column) is printed as it is instead.")},
	{"pack", "slip-template", ST_KEY_NAME, "packing-slip", 0, 0, NULL,
	 N_("The packing slip printed on [printer document] when an order is packed (a document "
	    "printer must be configured); none: no slip.")},
	{"pack", "confirm-label", ST_KEY_CHOICE, "no", 0, 0, "yes|no",
	 N_("yes: once the labels are printed the packer scans each on its parcel; a label of "
	    "another order is refused, and the next order waits until every label is scanned (or "
	    "a shift lead's badge lets it go). Needs sscc-prefix.")},
	{"customs", "area", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The countries of the sender's customs area, ISO 3166 codes separated by commas: an "
	    "order shipped to a country outside it gets a customs declaration printed with its "
	    "slip. Default: the European Union's 27 when [sender] country is one of them, else "
	    "[sender] country alone.")},
	{"customs", "currency", ST_KEY_STRING, "EUR", 0, 0, NULL,
	 N_("The ISO 4217 currency of the products' customs_value (EUR, USD, CNY, ...).")},
	{"customs", "category", ST_KEY_CHOICE, "sale", 0, 0,
	 "sale|gift|sample|documents|return|other",
	 N_("What the goods are, as the declaration's category box says: sale (sale of goods), "
	    "gift, sample (commercial sample), documents, return (returned goods) or other.")},
	{"customs", "template", ST_KEY_NAME, "cn23", 0, 0, NULL,
	 N_("The template of the customs declaration, printed on [printer document]; none: no "
	    "declaration.")},
	{"barcodes", "command", ST_KEY_PATTERN, ST_BARCODE_PATTERN_COMMAND, 0, 0, NULL,
	 N_("Command barcodes, which ask for an action instead of naming a thing. Like every "
	    "[barcodes] key: a regular expression (PCRE, written as is: \\d is a digit) that must "
	    "match the whole scan, whose group (?<key>...) is the key; an empty value turns the "
	    "kind off. The kinds are tried in the order of this group, before product codes and "
	    "tracking numbers. A command's key names the action: cancel, new-box, short-pick, "
	    "short-damaged, "
	    "reprint, logout, done, undo or skip (case and '_' do not matter).")},
	{"barcodes", "badge", ST_KEY_PATTERN, ST_BARCODE_PATTERN_BADGE, 0, 0, NULL,
	 N_("Operator badges; the key is the operator's id.")},
	{"barcodes", "order", ST_KEY_PATTERN, ST_BARCODE_PATTERN_ORDER, 0, 0, NULL,
	 N_("Order barcodes; the key is the order number. An order's number scanned as it is "
	    "(without this pattern) is still found.")},
	{"barcodes", "pick-list", ST_KEY_PATTERN, ST_BARCODE_PATTERN_PICK_LIST, 0, 0, NULL,
	 N_("Pick lists (a batch of orders picked together).")},
	{"barcodes", "tote", ST_KEY_PATTERN, ST_BARCODE_PATTERN_TOTE, 0, 0, NULL,
	 N_("Totes and carts: locations that move.")},
	{"barcodes", "location", ST_KEY_PATTERN, ST_BARCODE_PATTERN_LOCATION, 0, 0, NULL,
	 N_("Storage locations (zone, aisle, bay, level, bin). A site whose location labels are, "
	    "say, A-01-02-03 writes location = [A-Z]-\\d\\d-\\d\\d-\\d\\d.")},
	{"barcodes", "box-type", ST_KEY_PATTERN, ST_BARCODE_PATTERN_BOX_TYPE, 0, 0, NULL,
	 N_("Box types (the packer scans the box chosen).")},
	{"barcodes", "digital-link-alphas", ST_KEY_CHOICE, "no", 0, 0, "yes|no",
	 N_("yes: GS1 Digital Link URIs that name their keys by the convenience alphas (/gtin/, "
	    "/sscc/, /lot/, /ser/ ...), which GS1 retired but some labels still carry, are read "
	    "as their AIs (/gtin/ as /01/). no: only the numeric AIs are read, as the standard "
	    "says now, and such a URI is then a web address without GS1 keys.")},
	{"barcodes", "couriers", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The couriers that collect from this bench, by code, separated by commas (dhl, "
	    "amazon, gofo; station barcode couriers lists them). A number of a courier whose "
	    "numbers have no check digit (Amazon Logistics, DHL piece ids and e-commerce, GOFO, "
	    "LaserShip, Yodel, YunExpress, ...) is taken as that courier's only when the courier "
	    "is "
	    "listed here: otherwise any text of the right shape would be, and a misread cannot be "
	    "told. Numbers with a check digit are recognised whatever this says. Default: none.")},
	{"cups", "server", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The CUPS scheduler printers are reached through: a socket path "
	    "(/run/cups/cups.sock) or host:port. Default: libcups' choice ($CUPS_SERVER, "
	    "~/.cups/client.conf, /etc/cups/client.conf, then the local scheduler).")},
	{"cups", "poll-interval", ST_KEY_UINT, "250", 20, 10000, NULL,
	 N_("Milliseconds between two questions to CUPS about the jobs in flight, so a paused, "
	    "unreachable or empty printer is shown within this time. Nothing is asked while no "
	    "job is in flight.")},
	{"printer", "queue", ST_KEY_QUEUE, NULL, 0, 0, NULL,
	 N_("The CUPS queue of this printer (`lpstat -p` or `station printers` lists them). The "
	    "group's NAME is the role the workflows print to: label (carrier and logistic "
	    "labels) or document (packing slips); other names are printers an operator can "
	    "choose with --printer. Without [printer label] the role label is the queue named "
	    "label (ZPL, 203 dpi); without [printer document], the queue named document (PDF).")},
	{"printer", "spool", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("Instead of a CUPS queue: a folder each label is written to as a file "
	    "(STATION-label-L-print-P.zpl or .pdf, written whole under a temporary name, then "
	    "renamed), for a bench without a printer, a demo, or another system that takes labels "
	    "from a shared folder. The print counts as printed once the file is there. Created "
	    "if missing (mode 0750); the files are 0640, since labels carry addresses: give the "
	    "program that takes them the station's group. A printer has a queue or a spool, not "
	    "both.")},
	{"printer", "language", ST_KEY_CHOICE, "zpl", 0, 0, "zpl|pdf",
	 N_("What the printer takes: zpl (a Zebra or compatible thermal printer; ZPL goes to "
	    "the queue raw, byte for byte) or pdf (any other printer; CUPS converts the PDF for "
	    "it). Labels from templates are rendered in this language; a file in the other one "
	    "is refused before anything is printed. [printer document] takes pdf unless told.")},
	{"printer", "dpi", ST_KEY_UINT, "203", 100, 600, NULL,
	 N_("The printer's resolution in dots per inch (203, 300 or 600 for thermal printers): "
	    "templates are laid out in its dots, so barcodes print with whole-dot bars.")},
	{"printer", "media", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("PDF printers: the PWG media name to print on, such as na_index-4x6_4x6in, "
	    "iso_a6_105x148mm, iso_a4_210x297mm or na_letter_8.5x11in (`lpoptions -p QUEUE -l` "
	    "lists the printer's). Default: the label's own page size for a PDF rendered from a "
	    "template, else the queue's default; without it CUPS fits the page to the printer's "
	    "default paper.")},
	{"http", "listen", ST_KEY_STRING, "127.0.0.1:8080", 0, 0, NULL,
	 N_("Where station serve answers the bench screen, the handhelds and the API: ADDRESS:PORT "
	    "(port 0: any free one, said in the log), or none. An address other than 127.0.0.1 "
	    "or ::1 (the LAN, for handhelds) needs certificate and key, or insecure-lan = yes.")},
	{"http", "certificate", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("The TLS certificate (PEM, its chain after it) the API is served with; with it, "
	    "https://.")},
	{"http", "key", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("The certificate's private key (PEM), readable by the station's user only.")},
	{"http", "insecure-lan", ST_KEY_CHOICE, "no", 0, 0, "yes|no",
	 N_("yes: serve plain HTTP on a LAN address. Anyone on the network can then read the "
	    "sessions and tokens that pass: only for a network of its own.")},
	{"http", "session-timeout", ST_KEY_UINT, "28800", 60, 604800, NULL,
	 N_("Seconds an operator's session (a badge login on a screen) lasts without a request; "
	    "the default is a shift of 8 hours.")},
	{"central", "url", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The central order system (the shop's or ERP's back end) this station tells of every "
	    "change and takes its orders from, as https://HOST[:PORT][/PREFIX]: the contract's "
	    "paths (/v1/events, /v1/orders ...) follow it. http:// is accepted for a server on "
	    "this machine (127.0.0.1, ::1, localhost) only. Unset: events wait in the outbox, and "
	    "`station sync status` says so.")},
	{"central", "token-file", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("A file holding the bearer token the central system gave this station (one line; "
	    "mode 0600, readable by the station's user only). Sent as Authorization: Bearer; never "
	    "logged.")},
	{"central", "ca-file", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("The certificate authorities (PEM) the central system's certificate must chain to, "
	    "for a site with its own CA. Default: the system's (ca-certificates).")},
	{"central", "hmac-secret-file", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("A file holding a secret shared with the central system: each request body is then "
	    "signed with HMAC-SHA256 (header X-Station-Signature: sha256=HEX). Unset: no "
	    "signature.")},
	{"central", "batch", ST_KEY_UINT, "100", 1, 1000, NULL,
	 N_("Events sent in one request, at most.")},
	{"central", "timeout", ST_KEY_UINT, "30", 1, 600, NULL,
	 N_("Seconds one request may take before it counts as failed (and is tried again).")},
	{"central", "max-backoff", ST_KEY_UINT, "300", 1, 86400, NULL,
	 N_("The longest wait, in seconds, between two tries while the central system is down or "
	    "failing: the waits double from 1 second up to this, each a random part of it (full "
	    "jitter), so many benches do not all come back at once. A 429 answer's Retry-After is "
	    "honoured instead.")},
	{"central", "pull-interval", ST_KEY_UINT, "60", 0, 86400, NULL,
	 N_("Seconds between two pulls of the orders released, changed or cancelled at the central "
	    "system (station serve); 0: orders come only by `station sync pull` or CSV import.")},
	{"central", "keep-days", ST_KEY_UINT, "30", 1, 3650, NULL,
	 N_("Days a delivered event stays in the outbox for audit before it is deleted.")},
	{"sender", "name", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The sender on labels rendered from an order (station print --template T --order "
	    "N): the warehouse or shop shipping from this bench. Like every [sender] key, written "
	    "into the shipment data as sender.KEY (postal-code as sender.postal_code).")},
	{"sender", "company", ST_KEY_STRING, NULL, 0, 0, NULL, N_("The sender's company, if any.")},
	{"sender", "street", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("The sender's street and number.")},
	{"sender", "street2", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("A second address line, if any.")},
	{"sender", "postal-code", ST_KEY_STRING, NULL, 0, 0, NULL, N_("The sender's postal code.")},
	{"sender", "city", ST_KEY_STRING, NULL, 0, 0, NULL, N_("The sender's city.")},
	{"sender", "region", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("State, province or region, where addresses have one (NJ, ON).")},
	{"sender", "country", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("ISO 3166 country code (US, DE): carrier labels turn it into the number MaxiCode "
	    "carries.")},
	{"sender", "phone", ST_KEY_STRING, NULL, 0, 0, NULL, N_("A phone number for the carrier.")},
	{"device", "driver", ST_KEY_NAME, NULL, 0, 0, NULL,
	 N_("Driver that runs this device; `station version` lists the drivers this build has.")},
	{"device", "role", ST_KEY_CHOICE, "scanner", 0, 0, "scanner|scale",
	 N_("What the workflows use the device for.")},
	{"device", "workflow", ST_KEY_CHOICE, NULL, 0, 0, "pick|pack|ship",
	 N_("The workflow this device's scans go to, instead of the bench's; the device is then "
	    "a seat of its own, where its operator logs in with their badge.")},
	{"device", "vid-pid", ST_KEY_VID_PID, NULL, 0, 0, NULL,
	 N_("USB devices: the vendor and product id that identify it, as `lsusb` shows them "
	    "(05e0:1200).")},
	{"device", "serial", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("USB devices: its serial number, to tell two devices of one model apart.")},
	{"device", "port-path", ST_KEY_PORT_PATH, NULL, 0, 0, NULL,
	 N_("USB devices: the USB port it is plugged into (1-2.3: bus 1, port 2, hub port 3), "
	    "for a bench where each port has its job. A USB device needs at least one of vid-pid, "
	    "serial and port-path; all those given must match.")},
	{"device", "layout", ST_KEY_STRING, "us", 0, 0, NULL,
	 N_("Keyboard-wedge scanners: the keyboard layout the scanner is set to (an xkb name: us, "
	    "de, "
	    "fr, gb, ...), which may differ from the host's.")},
	{"device", "variant", ST_KEY_STRING, NULL, 0, 0, NULL,
	 N_("Keyboard-wedge scanners: the xkb variant of the layout, such as nodeadkeys.")},
	{"device", "terminator", ST_KEY_STRING, "enter,tab", 0, 0, NULL,
	 N_("Keyboard-wedge scanners: the keys that end a scan: enter, tab, enter,tab or none.")},
	{"device", "inter-key-timeout", ST_KEY_UINT, "100", 0, 60000, NULL,
	 N_("Keyboard-wedge scanners: milliseconds without a key that end a scan that has no "
	    "terminator; 0 turns it off.")},
	{"device", "kind", ST_KEY_CHOICE, "keyboard", 0, 0, "keyboard|scale",
	 N_("Emulated devices: what the device emulates: keyboard (a keyboard-wedge scanner) or "
	    "scale (a HID POS scale).")},
	{"device", "script", ST_KEY_PATH, NULL, 0, 0, NULL,
	 N_("Emulated devices: a file of steps to play (type TEXT, type-raw TEXT, type-alt TEXT, "
	    "report HEX, wait MS, unplug), one a line; see drivers/emulated/README.md.")},
	{"device", "key-interval", ST_KEY_UINT, "1", 0, 10000, NULL,
	 N_("Emulated devices: milliseconds between two reports, as a real scanner types.")},
};

void
st_config_free(StConfig *self)
{
	if (self == NULL)
		return;
	g_free(self->path);
	g_free(self->station_id);
	g_free(self->store_path);
	g_free(self->log_level_name);
	g_strfreev(self->allow_negative);
	st_barcode_patterns_unref(self->barcode_patterns);
	g_ptr_array_unref(self->devices);
	g_ptr_array_unref(self->printers);
	g_free(self->cups_server);
	g_free(self->http_listen);
	g_free(self->http_certificate);
	g_free(self->http_key);
	g_free(self->central_url);
	g_free(self->central_token_file);
	g_free(self->central_ca_file);
	g_free(self->central_hmac_file);
	g_hash_table_unref(self->sender);
	g_hash_table_unref(self->lines);
	g_free(self->bench_workflow);
	g_free(self->bench_language);
	g_free(self->pack_weigh);
	g_free(self->sscc_prefix);
	g_hash_table_unref(self->carrier_templates);
	g_strfreev(self->customs_area);
	g_free(self->customs_currency);
	g_free(self->customs_category);
	g_free(self->customs_template);
	g_free(self->label_template);
	g_free(self->slip_template);
	g_free(self->bench_location);
	g_hash_table_unref(self->device_workflows);
	g_free(self);
}

void
st_printer_config_free(StPrinterConfig *self)
{
	if (self == NULL)
		return;
	g_free(self->name);
	g_free(self->queue);
	g_free(self->spool);
	g_free(self->language);
	g_free(self->media);
	g_free(self);
}

/**
 * st_printer_config_find:
 * @printers: (element-type StPrinterConfig): the configured printers
 * @name: a printer's name (a role such as label or document)
 *
 * Returns: (transfer full) (nullable): the [printer NAME] group; for label and document
 *   without one, the built-in default (the queue of that name; ZPL at 203 dpi or PDF)
 */
StPrinterConfig *
st_printer_config_find(GPtrArray *printers, const gchar *name)
{
	StPrinterConfig *copy;
	for (guint i = 0; i < printers->len; i++) {
		const StPrinterConfig *p = g_ptr_array_index(printers, i);
		if (g_strcmp0(p->name, name) == 0) {
			copy = g_new0(StPrinterConfig, 1);
			copy->name = g_strdup(p->name);
			copy->queue = g_strdup(p->queue);
			copy->spool = g_strdup(p->spool);
			copy->language = g_strdup(p->language);
			copy->dpi = p->dpi;
			copy->media = g_strdup(p->media);
			return copy;
		}
	}
	if (g_strcmp0(name, "label") != 0 && g_strcmp0(name, "document") != 0)
		return NULL;
	copy = g_new0(StPrinterConfig, 1);
	copy->name = g_strdup(name);
	copy->queue = g_strdup(name);
	copy->language = g_strdup(g_strcmp0(name, "label") == 0 ? "zpl" : "pdf");
	copy->dpi = g_strcmp0(name, "label") == 0 ? 203 : 300;
	return copy;
}

/* the [barcodes] key of each station kind is the kind's name */
static StBarcodeKind
st_config_barcode_kind(const gchar *key)
{
	for (guint k = ST_BARCODE_KIND_COMMAND; k < ST_BARCODE_KIND_LAST; k++) {
		if (g_strcmp0(st_barcode_kind_to_string((StBarcodeKind)k), key) == 0)
			return (StBarcodeKind)k;
	}
	g_assert_not_reached();
}

static gchar *
st_config_default_station_id(void)
{
	GString *id = g_string_new(NULL);
	for (const gchar *p = g_get_host_name(); *p != '\0' && id->len < 64; p++)
		g_string_append_c(
			id, g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ? *p : '-');
	if (id->len == 0)
		g_string_append(id, "station");
	return g_string_free(id, FALSE);
}

/* Returns: (transfer full): the built-in defaults, used when no file is found */
StConfig *
st_config_new_default(void)
{
	StConfig *self = g_new0(StConfig, 1);
	self->station_id = st_config_default_station_id();
	self->store_path = g_strdup("/var/lib/station/station.db");
	self->busy_timeout_ms = 5000;
	self->log_level = G_LOG_LEVEL_MESSAGE;
	self->log_level_name = g_strdup("message");
	self->usb_enabled = TRUE;
	self->bench_workflow = g_strdup("pack");
	self->bench_language = g_strdup("en");
	self->idle_logout_s = 1800;
	self->pack_weigh = g_strdup("auto");
	self->label_template = g_strdup("gs1-logistic");
	self->carrier_templates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_hash_table_insert(self->carrier_templates, g_strdup("*"), g_strdup("carrier-4x6"));
	self->customs_currency = g_strdup("EUR");
	self->customs_category = g_strdup("sale");
	self->customs_template = g_strdup("cn23");
	self->slip_template = g_strdup("packing-slip");
	self->weight_tolerance_g = 20;
	self->weight_tolerance_percent = 5;
	self->device_workflows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->barcode_patterns = st_barcode_patterns_new();
	self->devices = g_ptr_array_new_with_free_func((GDestroyNotify)st_device_info_free);
	self->printers = g_ptr_array_new_with_free_func((GDestroyNotify)st_printer_config_free);
	self->print_poll_ms = 250;
	self->http_listen = g_strdup("127.0.0.1:8080");
	self->http_session_s = 28800;
	self->central_batch = 100;
	self->central_timeout_s = 30;
	self->central_max_backoff_s = 300;
	self->central_keep_days = 30;
	self->central_pull_s = 60;
	self->sender = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return self;
}

/* [central] url: https, or http to this machine only (a token sent in clear over a network
 * is a token given away) */
static gboolean
st_config_check_central_url(const gchar *value, const gchar *location, GError **error)
{
	g_autoptr(GUri) uri = g_uri_parse(value, G_URI_FLAGS_NONE, NULL);
	const gchar *scheme = uri != NULL ? g_uri_get_scheme(uri) : NULL;
	const gchar *host = uri != NULL ? g_uri_get_host(uri) : NULL;

	if (uri == NULL || host == NULL || host[0] == '\0' ||
	    (g_strcmp0(scheme, "https") != 0 && g_strcmp0(scheme, "http") != 0) ||
	    g_uri_get_query(uri) != NULL || g_uri_get_fragment(uri) != NULL) {
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
			    _("%s: '%s' is not a URL such as https://central.example.com or "
			      "https://erp.example.com:8443/station"),
			    location, value);
		return FALSE;
	}
	if (g_strcmp0(scheme, "http") == 0 && g_strcmp0(host, "127.0.0.1") != 0 &&
	    g_strcmp0(host, "::1") != 0 && g_strcmp0(host, "localhost") != 0) {
		g_set_error(
			error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
			_("%s: '%s' would send the station's token unencrypted over the network; "
			  "use https:// (http:// is for a server on this machine only)"),
			location, value);
		return FALSE;
	}
	return TRUE;
}

static const StConfigKey *
st_config_find_key(const gchar *group, const gchar *key)
{
	const gchar *schema_group = g_str_has_prefix(group, "device ")	  ? "device"
				    : g_str_has_prefix(group, "printer ") ? "printer"
									  : group;
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++) {
		if (g_strcmp0(schema[i].group, schema_group) == 0 &&
		    g_strcmp0(schema[i].key, key) == 0)
			return &schema[i];
	}
	return NULL;
}

static gboolean
st_config_is_name(const gchar *s)
{
	gsize n = 0;
	for (const gchar *p = s; *p != '\0'; p++, n++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
	}
	return n > 0 && n <= 64;
}

static gboolean
st_config_group_known(const gchar *group)
{
	if (g_str_has_prefix(group, "device "))
		return st_config_is_name(group + strlen("device "));
	if (g_str_has_prefix(group, "printer "))
		return st_config_is_name(group + strlen("printer "));
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++) {
		if (g_strcmp0(schema[i].group, group) == 0 && g_strcmp0(group, "device") != 0 &&
		    g_strcmp0(group, "printer") != 0)
			return TRUE;
	}
	return FALSE;
}

gchar *
st_config_describe_location(const StConfig *self, const gchar *group, const gchar *key)
{
	g_autofree gchar *k = g_strdup_printf("%s\n%s", group, key != NULL ? key : "");
	guint line = GPOINTER_TO_UINT(g_hash_table_lookup(self->lines, k));
	const gchar *file = self->path != NULL ? self->path : "built-in configuration";
	if (line == 0)
		return g_strdup_printf("%s: [%s]%s%s", file, group, key != NULL ? " " : "",
				       key != NULL ? key : "");
	return g_strdup_printf("%s:%u: [%s]%s%s", file, line, group, key != NULL ? " " : "",
			       key != NULL ? key : "");
}

/* The line pass: syntax, duplicates, unknown groups and keys, and the line of each key. */
static gboolean
st_config_scan_lines(StConfig *self, const gchar *name, const gchar *data, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
	g_autofree gchar *group = NULL;

	for (guint i = 0; lines[i] != NULL; i++) {
		gchar *line = g_strstrip(lines[i]);
		guint lineno = i + 1;
		gchar *eq;
		g_autofree gchar *key = NULL;
		g_autofree gchar *k = NULL;

		if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[') {
			gsize n = strlen(line);
			if (n < 3 || line[n - 1] != ']') {
				g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					    _("%s:%u: '%s' is not a group header such as [store]"),
					    name, lineno, line);
				return FALSE;
			}
			g_free(group);
			group = g_strndup(line + 1, n - 2);
			if (!st_config_group_known(group)) {
				g_set_error(
					error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					_("%s:%u: unknown group [%s]; the groups are [station], "
					  "[store], [log], [usb], [bench], [pack], [barcodes], "
					  "[cups], [printer NAME] and [device NAME] (NAME of "
					  "letters, digits, '.', '_', '-')"),
					name, lineno, group);
				return FALSE;
			}
			k = g_strdup_printf("%s\n", group);
			if (g_hash_table_contains(self->lines, k)) {
				g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					    _("%s:%u: group [%s] appears twice (first on line %u); "
					      "merge the two"),
					    name, lineno, group,
					    GPOINTER_TO_UINT(g_hash_table_lookup(self->lines, k)));
				return FALSE;
			}
			g_hash_table_insert(self->lines, g_steal_pointer(&k),
					    GUINT_TO_POINTER(lineno));
			continue;
		}
		eq = strchr(line, '=');
		if (eq == NULL) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s:%u: '%s' is not 'key = value', a [group] or a # comment"),
				    name, lineno, line);
			return FALSE;
		}
		if (group == NULL) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s:%u: key before any [group]; put it under [station], "
				      "[store], [log] or [device NAME]"),
				    name, lineno);
			return FALSE;
		}
		key = g_strstrip(g_strndup(line, (gsize)(eq - line)));
		if (st_config_find_key(group, key) == NULL) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s:%u: unknown key '%s' in [%s] (see `station config "
				      "--reference` for the keys)"),
				    name, lineno, key, group);
			return FALSE;
		}
		k = g_strdup_printf("%s\n%s", group, key);
		if (g_hash_table_contains(self->lines, k)) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s:%u: key '%s' in [%s] is set twice (first on line %u)"),
				    name, lineno, key, group,
				    GPOINTER_TO_UINT(g_hash_table_lookup(self->lines, k)));
			return FALSE;
		}
		g_hash_table_insert(self->lines, g_steal_pointer(&k), GUINT_TO_POINTER(lineno));
	}
	return TRUE;
}

static gboolean
st_config_check_value(const StConfigKey *spec,
		      const gchar *location,
		      const gchar *value,
		      guint64 *number,
		      GError **error)
{
	switch (spec->type) {
	case ST_KEY_NAME:
		if (!st_config_is_name(value)) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not a name of 1 to 64 letters, digits, '.', '_' "
				      "or '-'"),
				    location, value);
			return FALSE;
		}
		return TRUE;
	case ST_KEY_PATH:
	case ST_KEY_STRING:
		if (value[0] == '\0') {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: empty value; remove the line to get the default"),
				    location);
			return FALSE;
		}
		return TRUE;
	case ST_KEY_UINT:
		if (!g_ascii_string_to_unsigned(value, 10, spec->min, spec->max, number, NULL)) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not a whole number from %lu to %lu"), location,
				    value, (gulong)spec->min, (gulong)spec->max);
			return FALSE;
		}
		return TRUE;
	case ST_KEY_VID_PID: {
		guint n = 0;
		for (const gchar *c = value; *c != '\0'; c++, n++) {
			if (n == 4 ? *c != ':' : !g_ascii_isxdigit(*c))
				n = 100;
		}
		if (n != 9) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not a USB vendor:product id such as 05e0:1200"),
				    location, value);
			return FALSE;
		}
		return TRUE;
	}
	case ST_KEY_PORT_PATH: {
		const gchar *dash = strchr(value, '-');
		gboolean ok = dash != NULL && dash != value && dash[1] != '\0';
		for (const gchar *c = value; ok && *c != '\0'; c++) {
			if (c < dash)
				ok = g_ascii_isdigit(*c);
			else if (c > dash)
				ok = g_ascii_isdigit(*c) ||
				     (*c == '.' && c[-1] != '.' && c[-1] != '-' && c[1] != '\0');
		}
		if (!ok) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not a USB port path such as 1-2 or 1-2.3"),
				    location, value);
			return FALSE;
		}
		return TRUE;
	}
	case ST_KEY_PATTERN:
		return TRUE; /* compiled where it is stored */
	case ST_KEY_QUEUE:
		if (!st_printer_queue_name_valid(value)) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not a CUPS queue name (printable characters "
				      "without spaces, '/', '#', quotes or '\\'; at most 127)"),
				    location, value);
			return FALSE;
		}
		return TRUE;
	case ST_KEY_LANGUAGE:
		if (!st_i18n_language_known(value)) {
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not a language the station speaks (%s)"),
				    location, value, st_i18n_describe_languages());
			return FALSE;
		}
		return TRUE;
	case ST_KEY_CHOICE: {
		g_auto(GStrv) choices = g_strsplit(spec->choices, "|", -1);
		if (!g_strv_contains((const gchar *const *)choices, value)) {
			g_autofree gchar *list = g_strjoinv(", ", choices);
			g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
				    _("%s: '%s' is not one of %s"), location, value, list);
			return FALSE;
		}
		return TRUE;
	}
	default:
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_FAILED, "%s: unhandled key type",
			    location);
		return FALSE;
	}
}

/**
 * st_config_load_data:
 * @data: the file's contents; need not be NUL-terminated
 * @name: the file name used in messages
 *
 * Returns: (transfer full): the configuration, or NULL with ST_ERROR_INVALID_CONFIG (or
 * ST_ERROR_INVALID_DATA for a file that is not UTF-8 text) naming the file, line and key
 */
StConfig *
st_config_load_data(const gchar *data, gsize len, const gchar *name, GError **error)
{
	g_autoptr(StConfig) self = st_config_new_default();
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *text = NULL;
	g_auto(GStrv) groups = NULL;

	self->path = g_strdup(name);
	if (len > ST_CONFIG_MAX_SIZE) {
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
			    _("%s: file of %lu bytes is too large for a configuration (at most "
			      "%d)"),
			    name, (gulong)len, ST_CONFIG_MAX_SIZE);
		return NULL;
	}
	if (memchr(data, '\0', len) != NULL || !g_utf8_validate_len(data, len, NULL)) {
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
			    _("%s: not UTF-8 text; save the file as UTF-8"), name);
		return NULL;
	}
	text = g_strndup(data, len);
	if (!st_config_scan_lines(self, name, text, error))
		return NULL;
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &error_local)) {
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG, "%s: %s", name,
			    error_local->message);
		return NULL;
	}

	groups = g_key_file_get_groups(kf, NULL);
	for (guint g = 0; groups[g] != NULL; g++) {
		const gchar *group = groups[g];
		g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
		g_autoptr(StDeviceInfo) device = NULL;
		g_autoptr(StPrinterConfig) printer = NULL;

		if (g_str_has_prefix(group, "printer ")) {
			printer = g_new0(StPrinterConfig, 1);
			printer->name = g_strdup(group + strlen("printer "));
			/* the document printer takes pages (slips, manifests) unless told */
			printer->language =
				g_strdup(g_strcmp0(printer->name, "document") == 0 ? "pdf" : "zpl");
			printer->dpi = g_strcmp0(printer->name, "document") == 0 ? 300 : 203;
		}
		if (g_str_has_prefix(group, "device ")) {
			g_autofree gchar *kind = g_key_file_get_string(kf, group, "kind", NULL);
			device = st_device_info_new(group + strlen("device "), "emulated");
			/* an emulated scale is the bench's scale unless `role` says otherwise */
			device->role = kind != NULL && g_strcmp0(g_strstrip(kind), "scale") == 0
					       ? ST_DEVICE_ROLE_SCALE
					       : ST_DEVICE_ROLE_SCANNER;
		}
		for (guint k = 0; keys != NULL && keys[k] != NULL; k++) {
			const StConfigKey *spec = st_config_find_key(group, keys[k]);
			g_autofree gchar *location =
				st_config_describe_location(self, group, keys[k]);
			g_autofree gchar *value = NULL;
			guint64 number = 0;

			if (spec == NULL) {
				g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					    _("%s: unknown key"), location);
				return NULL;
			}
			/* a pattern's backslashes are its own, not GKeyFile escapes */
			value = spec->type == ST_KEY_PATTERN
					? g_key_file_get_value(kf, group, keys[k], &error_local)
					: g_key_file_get_string(kf, group, keys[k], &error_local);
			if (value == NULL) {
				g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					    "%s: %s", location, error_local->message);
				return NULL;
			}
			g_strstrip(value);
			if (!st_config_check_value(spec, location, value, &number, error))
				return NULL;

			if (printer != NULL) {
				if (g_strcmp0(keys[k], "queue") == 0) {
					g_free(printer->queue);
					printer->queue = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "spool") == 0) {
					g_free(printer->spool);
					printer->spool = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "language") == 0) {
					g_free(printer->language);
					printer->language = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "dpi") == 0) {
					printer->dpi = (guint)number;
				} else if (g_strcmp0(keys[k], "media") == 0) {
					g_free(printer->media);
					printer->media = g_steal_pointer(&value);
				}
			} else if (g_strcmp0(group, "cups") == 0) {
				if (g_strcmp0(keys[k], "server") == 0) {
					g_free(self->cups_server);
					self->cups_server = g_steal_pointer(&value);
				} else {
					self->print_poll_ms = (guint)number;
				}
			} else if (device != NULL) {
				if (g_strcmp0(keys[k], "role") == 0)
					device->role = st_device_role_from_string(value);
				else if (g_strcmp0(keys[k], "workflow") == 0)
					g_hash_table_replace(self->device_workflows,
							     g_strdup(device->id),
							     g_steal_pointer(&value));
				else if (g_strcmp0(keys[k], "driver") == 0)
					st_device_info_set_option(device, "driver", value);
				else
					st_device_info_set_option(device, keys[k], value);
			} else if (g_strcmp0(group, "barcodes") == 0 &&
				   g_strcmp0(keys[k], "digital-link-alphas") == 0) {
				st_barcode_patterns_set_dl_alphas(self->barcode_patterns,
								  g_strcmp0(value, "yes") == 0);
			} else if (g_strcmp0(group, "barcodes") == 0 &&
				   g_strcmp0(keys[k], "couriers") == 0) {
				if (!st_barcode_patterns_set_couriers(self->barcode_patterns, value,
								      &error_local)) {
					g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
						    "%s: %s", location, error_local->message);
					return NULL;
				}
			} else if (g_strcmp0(group, "barcodes") == 0) {
				if (!st_barcode_patterns_set(self->barcode_patterns,
							     st_config_barcode_kind(keys[k]), value,
							     &error_local)) {
					g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
						    "%s: %s", location, error_local->message);
					return NULL;
				}
			} else if (g_strcmp0(group, "http") == 0) {
				if (g_strcmp0(keys[k], "listen") == 0) {
					g_free(self->http_listen);
					self->http_listen = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "certificate") == 0) {
					g_free(self->http_certificate);
					self->http_certificate = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "key") == 0) {
					g_free(self->http_key);
					self->http_key = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "insecure-lan") == 0) {
					self->http_insecure_lan = g_strcmp0(value, "yes") == 0;
				} else {
					self->http_session_s = (guint)number;
				}
			} else if (g_strcmp0(group, "central") == 0) {
				if (g_strcmp0(keys[k], "url") == 0) {
					if (!st_config_check_central_url(value, location, error))
						return NULL;
					g_free(self->central_url);
					self->central_url = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "token-file") == 0) {
					g_free(self->central_token_file);
					self->central_token_file = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "ca-file") == 0) {
					g_free(self->central_ca_file);
					self->central_ca_file = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "hmac-secret-file") == 0) {
					g_free(self->central_hmac_file);
					self->central_hmac_file = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "batch") == 0) {
					self->central_batch = (guint)number;
				} else if (g_strcmp0(keys[k], "timeout") == 0) {
					self->central_timeout_s = (guint)number;
				} else if (g_strcmp0(keys[k], "max-backoff") == 0) {
					self->central_max_backoff_s = (guint)number;
				} else if (g_strcmp0(keys[k], "pull-interval") == 0) {
					self->central_pull_s = (guint)number;
				} else {
					self->central_keep_days = (guint)number;
				}
			} else if (g_strcmp0(group, "sender") == 0) {
				g_hash_table_replace(self->sender, g_strdup(keys[k]),
						     g_steal_pointer(&value));
			} else if (g_strcmp0(group, "customs") == 0) {
				if (g_strcmp0(keys[k], "area") == 0) {
					g_auto(GStrv) codes = g_strsplit(value, ",", -1);
					g_autoptr(GPtrArray) kept =
						g_ptr_array_new_with_free_func(g_free);
					for (guint i = 0; codes[i] != NULL; i++) {
						g_strstrip(codes[i]);
						if (codes[i][0] == '\0')
							continue;
						if (strlen(codes[i]) != 2 ||
						    !g_ascii_isalpha(codes[i][0]) ||
						    !g_ascii_isalpha(codes[i][1])) {
							g_set_error(
								error, ST_CONFIG_ERROR,
								ST_ERROR_INVALID_CONFIG,
								_("%s: '%s' is not an ISO 3166 "
								  "country code of two letters"),
								location, codes[i]);
							return NULL;
						}
						g_ptr_array_add(kept, g_ascii_strup(codes[i], -1));
					}
					g_ptr_array_add(kept, NULL);
					g_strfreev(self->customs_area);
					self->customs_area = (gchar **)g_ptr_array_free(
						g_steal_pointer(&kept), FALSE);
				} else if (g_strcmp0(keys[k], "currency") == 0) {
					g_free(self->customs_currency);
					self->customs_currency = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "category") == 0) {
					g_free(self->customs_category);
					self->customs_category = g_steal_pointer(&value);
				} else {
					g_free(self->customs_template);
					self->customs_template = g_steal_pointer(&value);
				}
			} else if (g_strcmp0(group, "station") == 0) {
				g_free(self->station_id);
				self->station_id = g_steal_pointer(&value);
			} else if (g_strcmp0(keys[k], "path") == 0) {
				g_free(self->store_path);
				self->store_path = g_steal_pointer(&value);
			} else if (g_strcmp0(keys[k], "allow-negative") == 0) {
				g_auto(GStrv) codes = g_strsplit(value, ",", -1);
				g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);
				for (guint i = 0; codes[i] != NULL; i++) {
					g_strstrip(codes[i]);
					if (codes[i][0] != '\0')
						g_ptr_array_add(kept, g_strdup(codes[i]));
				}
				g_ptr_array_add(kept, NULL);
				g_strfreev(self->allow_negative);
				self->allow_negative =
					(gchar **)g_ptr_array_free(g_steal_pointer(&kept), FALSE);
			} else if (g_strcmp0(keys[k], "busy-timeout") == 0) {
				self->busy_timeout_ms = (guint)number;
			} else if (g_strcmp0(group, "usb") == 0) {
				self->usb_enabled = g_strcmp0(value, "true") == 0;
			} else if (g_strcmp0(group, "pack") == 0) {
				if (g_strcmp0(keys[k], "weigh") == 0) {
					g_free(self->pack_weigh);
					self->pack_weigh = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "sscc-prefix") == 0) {
					gsize n = strlen(value);
					for (gsize i = 0; i < n; i++) {
						if (!g_ascii_isdigit(value[i]))
							n = 0;
					}
					if (n < 5 || n > 16) {
						g_set_error(
							error, ST_CONFIG_ERROR,
							ST_ERROR_INVALID_CONFIG,
							_("%s: '%s' is not an extension digit and "
							  "a GS1 company prefix (5 to 16 digits)"),
							location, value);
						return NULL;
					}
					g_free(self->sscc_prefix);
					self->sscc_prefix = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "carrier-templates") == 0) {
					g_auto(GStrv) pairs = g_strsplit(value, ",", -1);
					g_hash_table_remove_all(self->carrier_templates);
					for (guint i = 0; pairs[i] != NULL; i++) {
						g_auto(GStrv) kv = NULL;
						g_strstrip(pairs[i]);
						if (pairs[i][0] == '\0')
							continue;
						kv = g_strsplit(pairs[i], ":", 2);
						if (kv[1] != NULL)
							g_strstrip(kv[1]);
						g_strstrip(kv[0]);
						if (kv[1] == NULL || kv[0][0] == '\0' ||
						    !st_config_is_name(kv[1])) {
							g_set_error(
								error, ST_CONFIG_ERROR,
								ST_ERROR_INVALID_CONFIG,
								_("%s: '%s' is not "
								  "CARRIER:TEMPLATE "
								  "(UPS:carrier-4x6-ups, or * for "
								  "any carrier)"),
								location, pairs[i]);
							return NULL;
						}
						g_hash_table_replace(self->carrier_templates,
								     g_ascii_strup(kv[0], -1),
								     g_strdup(kv[1]));
					}
				} else if (g_strcmp0(keys[k], "label-template") == 0) {
					g_free(self->label_template);
					self->label_template = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "slip-template") == 0) {
					g_free(self->slip_template);
					self->slip_template = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "confirm-label") == 0) {
					self->confirm_label = g_strcmp0(value, "yes") == 0;
				} else if (g_strcmp0(keys[k], "weight-tolerance-g") == 0) {
					self->weight_tolerance_g = (guint)number;
				} else {
					self->weight_tolerance_percent = (guint)number;
				}
			} else if (g_strcmp0(group, "bench") == 0) {
				if (g_strcmp0(keys[k], "workflow") == 0) {
					g_free(self->bench_workflow);
					self->bench_workflow = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "location") == 0) {
					g_free(self->bench_location);
					self->bench_location = g_steal_pointer(&value);
				} else if (g_strcmp0(keys[k], "language") == 0) {
					g_free(self->bench_language);
					self->bench_language = g_steal_pointer(&value);
				} else {
					self->idle_logout_s = (guint)number;
				}
			} else if (g_strcmp0(keys[k], "level") == 0) {
				st_log_level_from_string(value, &self->log_level);
				g_free(self->log_level_name);
				self->log_level_name = g_steal_pointer(&value);
			}
		}
		if (printer != NULL) {
			if ((printer->queue == NULL) == (printer->spool == NULL)) {
				g_autofree gchar *location =
					st_config_describe_location(self, group, NULL);
				g_set_error(
					error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					printer->queue == NULL
						? _("%s: no queue; add 'queue = ' and the "
						    "printer's "
						    "CUPS queue (`station printers` lists them), "
						    "or "
						    "'spool = ' and a folder")
						: _("%s: a queue and a spool: a printer has one of "
						    "them"),
					location);
				return NULL;
			}
			g_ptr_array_add(self->printers, g_steal_pointer(&printer));
		}
		if (device != NULL) {
			if (st_device_info_get_option(device, "driver") == NULL) {
				g_autofree gchar *location =
					st_config_describe_location(self, group, NULL);
				g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					    _("%s: no driver; add 'driver = emulated'"), location);
				return NULL;
			}
			if (g_strcmp0(st_device_info_get_option(device, "driver"), "emulated") !=
				    0 &&
			    st_device_info_get_option(device, "vid-pid") == NULL &&
			    st_device_info_get_option(device, "serial") == NULL &&
			    st_device_info_get_option(device, "port-path") == NULL) {
				g_autofree gchar *location =
					st_config_describe_location(self, group, NULL);
				g_set_error(
					error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
					_("%s: a USB device needs vid-pid, serial or port-path so "
					  "the station can find it (`station devices` lists them)"),
					location);
				return NULL;
			}
			g_ptr_array_add(self->devices, g_steal_pointer(&device));
		}
	}
	return g_steal_pointer(&self);
}

/* Returns: (transfer full): the configuration in @path, or NULL with an error */
StConfig *
st_config_load_file(const gchar *path, GError **error)
{
	g_autofree gchar *data = NULL;
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;

	/* bounded whatever the path is (a pipe, /dev/zero): not by its size */
	if (!st_bounded_read_file(path, ST_CONFIG_MAX_SIZE, &data, &len, &error_local) &&
	    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)) {
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
			    _("%s is larger than %d KiB: not a configuration file"), path,
			    ST_CONFIG_MAX_SIZE / 1024);
		return NULL;
	}
	if (data == NULL) {
		g_set_error(error, ST_CONFIG_ERROR, ST_ERROR_INVALID_CONFIG,
			    _("cannot read configuration: %s; check the path and its permissions, "
			      "or leave out --config to use the built-in defaults"),
			    error_local->message);
		return NULL;
	}
	return st_config_load_data(data, len, path, error);
}

/**
 * st_config_resolve_path:
 * @cli_path: (nullable): the --config argument
 * @explicit_path: (out): TRUE when the user named the file (--config or $STATION_CONFIG),
 *   so a missing file is an error rather than a reason to use the defaults
 *
 * Returns: (transfer none): --config, else $STATION_CONFIG, else the default path
 */
const gchar *
st_config_resolve_path(const gchar *cli_path, gboolean *explicit_path)
{
	const gchar *env = g_getenv("STATION_CONFIG");
	*explicit_path = TRUE;
	if (cli_path != NULL)
		return cli_path;
	if (env != NULL && env[0] != '\0')
		return env;
	*explicit_path = FALSE;
	return ST_CONFIG_DEFAULT_PATH;
}

/* Returns: (transfer full): the configuration the program should run with */
StConfig *
st_config_load(const gchar *cli_path, GError **error)
{
	gboolean explicit_path = FALSE;
	const gchar *path = st_config_resolve_path(cli_path, &explicit_path);

	if (!explicit_path && !g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_info("no configuration at %s: using the built-in defaults", path);
		return st_config_new_default();
	}
	return st_config_load_file(path, error);
}

/* may @text go between the double quotes of a udev match? */
static gboolean
st_config_udev_value_ok(const gchar *text)
{
	for (const gchar *p = text; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == '"' || *p == '\\' || (guchar)*p == 0x7f)
			return FALSE;
	}
	return *text != '\0';
}

/**
 * st_config_udev_rules:
 * @group: the group `station serve` runs as (station, as the systemd unit has it)
 *
 * The udev rules that give @group the USB devices of this configuration: each [device NAME]
 * on USB by its vid-pid, serial and port-path (all given must match, as the station matches
 * them), then every model the drivers know and use without configuration. For
 * /etc/udev/rules.d/70-station.rules (`station devices --udev-rules`). A keyboard-wedge
 * scanner is given only when configured or known: the station never asks for a person's
 * keyboard.
 *
 * Returns: (transfer full): the rules file
 */
gchar *
st_config_udev_rules(const StConfig *self, const gchar *group)
{
	GString *out = g_string_new(NULL);
	g_autofree gchar *known = st_drivers_udev_rules_known(group);
	gboolean any = FALSE;

	g_string_append_printf(
		out,
		"# udev rules for station: the scanners and scales of %s, and the known models,\n"
		"# readable and claimable by the group %s that station serve runs in.\n"
		"# Made by `station devices --udev-rules`; install as "
		"/etc/udev/rules.d/70-station.rules,\n"
		"# then `udevadm control --reload` and replug the devices.\n\n",
		self->path != NULL ? self->path : "the built-in configuration", group);
	g_string_append(out, "# configured devices\n");
	for (guint i = 0; i < self->devices->len; i++) {
		StDeviceInfo *info = g_ptr_array_index(self->devices, i);
		const gchar *driver = st_device_info_get_option(info, "driver");
		const gchar *vid_pid = st_device_info_get_option(info, "vid-pid");
		const gchar *serial = st_device_info_get_option(info, "serial");
		const gchar *port = st_device_info_get_option(info, "port-path");
		if (g_strcmp0(driver, "emulated") == 0)
			continue;
		if ((serial != NULL && !st_config_udev_value_ok(serial)) ||
		    (port != NULL && !st_config_udev_value_ok(port))) {
			g_string_append_printf(
				out,
				"# [device %s]: left out, its serial or port-path has "
				"characters a udev rule cannot hold\n",
				info->id);
			continue;
		}
		g_string_append_printf(out, "# [device %s]: %s, driver %s\n", info->id,
				       st_device_role_to_string(info->role), driver);
		g_string_append(out, "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ");
		if (vid_pid != NULL && strlen(vid_pid) == 9)
			g_string_append_printf(
				out, "ATTR{idVendor}==\"%.4s\", ATTR{idProduct}==\"%.4s\", ",
				vid_pid, vid_pid + 5);
		if (serial != NULL)
			g_string_append_printf(out, "ATTR{serial}==\"%s\", ", serial);
		if (port != NULL)
			g_string_append_printf(out, "KERNEL==\"%s\", ", port);
		g_string_append_printf(out, "MODE=\"0660\", GROUP=\"%s\"\n", group);
		any = TRUE;
	}
	if (!any)
		g_string_append(out, "# (none on USB)\n");
	g_string_append(out, "\n# models the drivers know, used without configuration\n");
	g_string_append(out, known);
	return g_string_free(out, FALSE);
}

/* Returns: (transfer full): every key with its default and meaning, as an INI file */
gchar *
st_config_to_reference(void)
{
	GString *str = g_string_new(NULL);
	const gchar *group = NULL;

	g_string_append_printf(
		str, "# %s\n",
		_("station configuration reference: every key, its default and its meaning."));
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++) {
		if (g_strcmp0(group, schema[i].group) != 0) {
			group = schema[i].group;
			/* a group of which there is one per printer or device is commented out:
			 * the file as it is loads, and is the sample `meson install` puts in
			 * /etc/station */
			if (g_strcmp0(group, "device") == 0)
				g_string_append_printf(
					str, "\n# %s\n#[device NAME]\n",
					_("One group per device, such as [device bench-scanner]: "
					  "uncomment it, name it, give its keys."));
			else if (g_strcmp0(group, "printer") == 0)
				g_string_append_printf(str, "\n# %s\n#[printer NAME]\n",
						       _("One group per printer, such as [printer "
							 "label]: uncomment "
							 "it, name it, give its keys."));
			else
				g_string_append_printf(str, "\n[%s]\n", group);
		}
		g_string_append_printf(str, "# %s\n", _(schema[i].doc));
		if (schema[i].choices != NULL || schema[i].type == ST_KEY_LANGUAGE) {
			g_autofree gchar *line = g_strdup_printf(
				_("One of: %s"), schema[i].choices != NULL
							 ? schema[i].choices
							 : st_i18n_describe_languages());
			g_string_append_printf(str, "# %s\n", line);
		}
		if (schema[i].type == ST_KEY_UINT) {
			g_autofree gchar *min =
				g_strdup_printf("%" G_GUINT64_FORMAT, schema[i].min);
			g_autofree gchar *max =
				g_strdup_printf("%" G_GUINT64_FORMAT, schema[i].max);
			/* TRANSLATORS: the range of a number in the configuration file */
			g_autofree gchar *line = g_strdup_printf(_("From %s to %s."), min, max);
			g_string_append_printf(str, "# %s\n", line);
		}
		if (schema[i].default_value != NULL)
			g_string_append_printf(str, "#%s = %s\n", schema[i].key,
					       schema[i].default_value);
		else
			g_string_append_printf(str, "#%s =\n", schema[i].key);
	}
	return g_string_free(str, FALSE);
}

static gchar *
st_config_locate_cb(const gchar *group, const gchar *key, gpointer user_data)
{
	return st_config_describe_location(user_data, group, key);
}

/**
 * st_config_new_device_set:
 * @self: the configuration; must outlive the set
 *
 * Returns: (transfer full): the device set of the configured devices, its messages naming
 * the file and line of each device's keys
 */
StDeviceSet *
st_config_new_device_set(const StConfig *self)
{
	StDeviceSet *set = st_device_set_new(self->devices, self->usb_enabled);
	st_device_set_set_locate_func(set, st_config_locate_cb, (gpointer)self);
	return set;
}

/* the European Union's member states (ISO 3166 alpha-2; Greece as GR) */
static const gchar *const eu27[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
				    "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
				    "PL", "PT", "RO", "SK", "SI", "ES", "SE", NULL};

/**
 * st_config_customs_needed:
 * @country: (nullable): the ship-to country, ISO 3166 alpha-2
 *
 * Returns: whether a parcel to @country leaves the sender's customs area ([customs] area;
 *   by default the EU's 27 for a sender in the EU, else the sender's country): FALSE for an
 *   unknown ship-to country or sender
 */
gboolean
st_config_customs_needed(const StConfig *self, const gchar *country)
{
	const gchar *from = g_hash_table_lookup(self->sender, "country");
	g_autofree gchar *to = country != NULL ? g_ascii_strup(country, -1) : NULL;
	g_autofree gchar *home = from != NULL ? g_ascii_strup(from, -1) : NULL;

	if (to == NULL || *to == '\0')
		return FALSE;
	if (self->customs_area != NULL)
		return !g_strv_contains((const gchar *const *)self->customs_area, to);
	if (home == NULL)
		return FALSE;
	if (g_strv_contains(eu27, home))
		return !g_strv_contains(eu27, to);
	return g_strcmp0(home, to) != 0;
}

/* Returns: the template of the label of a parcel @carrier gave a tracking number for
 * ([pack] carrier-templates), or NULL when none is set for it or for any carrier */
const gchar *
st_config_carrier_template(const StConfig *self, const gchar *carrier, const gchar *service)
{
	g_autofree gchar *key = carrier != NULL ? g_ascii_strup(carrier, -1) : g_strdup("");
	g_autofree gchar *joined =
		service != NULL && *service != '\0' ? g_strconcat(key, "/", service, NULL) : NULL;
	g_autofree gchar *key_service = joined != NULL ? g_ascii_strup(joined, -1) : NULL;
	const gchar *name = key_service != NULL
				    ? g_hash_table_lookup(self->carrier_templates, key_service)
				    : NULL;
	if (name == NULL)
		name = g_hash_table_lookup(self->carrier_templates, key);
	return name != NULL ? name : g_hash_table_lookup(self->carrier_templates, "*");
}
