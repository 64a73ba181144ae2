/*
 * GS1 element strings: the AI table, parsing from scanner data (FNC1 in first position, GS
 * separators), from bracketed text "(01)...(17)..." and from GS1 Digital Link URIs, every
 * value checked against its AI's definition, and the rules between AIs (required pairings,
 * exclusions, repeats). And back: element strings, bracketed text, canonical Digital Link
 * URIs and AIM-prefixed scan data.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ST_GS1_GS 0x1d /* the separator scanners send for FNC1 between elements */

typedef enum {
	ST_GS1_AI_FIXED_LENGTH = 1 << 0, /* predefined length: no separator needed after it */
	ST_GS1_AI_DL_ATTRIBUTE = 1 << 1, /* may be a Digital Link data attribute (query) */
} StGs1AiFlags;

/* one row of the AI table (see station/st-gs1-ai-table.c for the notation) */
typedef struct {
	const gchar *ai;
	const gchar *last;
	guint flags;
	const gchar *format;
	const gchar *requires;
	const gchar *excludes;
	const gchar *dl_key;
	const gchar *title;
	const gchar *meaning;
} StGs1AiEntry;

extern const StGs1AiEntry st_gs1_ai_table[];
extern const gsize st_gs1_ai_table_len;

typedef struct _StGs1Ai StGs1Ai; /* one AI, compiled from its table row */

const StGs1Ai *
st_gs1_ai_lookup(const gchar *ai, gsize len);
const gchar *
st_gs1_ai_get_ai(const StGs1Ai *ai);
const gchar *
st_gs1_ai_get_title(const StGs1Ai *ai);
const gchar *
st_gs1_ai_get_meaning(const StGs1Ai *ai);
const gchar *
st_gs1_ai_get_format(const StGs1Ai *ai);
guint
st_gs1_ai_get_flags(const StGs1Ai *ai);
const StGs1AiEntry *
st_gs1_ai_get_entry(const StGs1Ai *ai);
gint
st_gs1_ai_decimals(const StGs1Ai *ai); /* decimal places of 31nn-36nn, 39nn; else -1 */

typedef struct {
	gboolean permit_unknown_ais;	      /* accept AIs not in the table (bracketed, DL) */
	gboolean validate_requisites;	      /* AIs that need other AIs (default TRUE) */
	gboolean permit_zero_suppressed_gtin; /* DL: (01) as GTIN-8/12/13, padded to 14 */
	gboolean permit_convenience_alphas;   /* DL: "gtin", "ser", ... for numeric AIs */
	gboolean unknown_ai_not_dl_attr;      /* DL: unknown AIs are refused as attributes */
} StGs1Options;

void
st_gs1_options_init(StGs1Options *self);
gboolean
st_gs1_dl_scheme(const gchar *uri, const gchar *scheme);

typedef struct {
	gchar *code;	/* stable name of the fault, e.g. "incorrect-check-digit" */
	gchar *message; /* the sentence a person reads */
	gchar ai[5];	/* the AI concerned, or "" */
	gint position;	/* byte in the input where the fault is, or -1 */
	gint length;	/* bytes of the fault from position */
	gchar *markup;	/* "(AI)component" with the fault between '|', or NULL */
} StGs1Error;

void
st_gs1_error_clear(StGs1Error *self);

typedef struct {
	gchar ai[5];
	gchar *value; /* NUL-terminated; GS1 values never contain NUL */
	gsize value_len;
	const StGs1Ai *def; /* NULL for an unknown AI (when permitted) */
	gint position;	    /* byte of the AI in the input, or -1 */
	gint dl_path_order; /* 0 = primary key, 1.. qualifiers, -1 attribute / not from a DL */
} StGs1Element;

typedef struct {
	GPtrArray *elements; /* of StGs1Element, in input order */
} StGs1Message;

void
st_gs1_message_free(StGs1Message *self);
const StGs1Element *
st_gs1_message_find(const StGs1Message *self, const gchar *ai);

/* element string data (after FNC1 in first position), GS between elements */
StGs1Message *
st_gs1_parse_element_string(const guint8 *data,
			    gsize len,
			    const StGs1Options *options,
			    StGs1Error *error);
/* "(01)09501101530003(17)250100(10)AB-123"; "\(" is a literal bracket in a value */
StGs1Message *
st_gs1_parse_bracketed(const gchar *text, const StGs1Options *options, StGs1Error *error);
/* https://example.com/01/09501101530003/10/AB-123?17=250100 */
StGs1Message *
st_gs1_parse_digital_link(const gchar *uri,
			  gsize len,
			  const StGs1Options *options,
			  StGs1Error *error);
/* the checks between AIs: repeats with different values, exclusions, requisites, and a
 * digital signature's need for a serialised key; the parse functions run this already */
gboolean
st_gs1_message_validate(const StGs1Message *self, const StGs1Options *options, StGs1Error *error);

/* element string with @separator between elements where one is needed (ST_GS1_GS in a
 * barcode, '^' for display), without the leading FNC1 */
gchar *
st_gs1_message_to_element_string(const StGs1Message *self, gchar separator);
gchar *
st_gs1_message_to_bracketed(const StGs1Message *self);
/* Returns: the canonical URI (stem "https://id.gs1.org" when @stem is NULL), or NULL with
 * @error set when the data has no primary key or an AI cannot be a data attribute */
gchar *
st_gs1_message_to_digital_link(const StGs1Message *self,
			       const gchar *stem,
			       const StGs1Options *options,
			       StGs1Error *error);

/* URI percent-encoding as GS1 Digital Link uses it: unreserved characters kept, every other
 * byte as %XX; in a query, a space is '+' */
gchar *
st_gs1_uri_escape(const gchar *data, gsize len, gboolean query);
/* percent-decoding; a malformed % sequence is kept as it is; in a query '+' is a space.
 * Returns the decoded length, the bytes in @out (NUL-terminated) */
gsize
st_gs1_uri_unescape(const gchar *data, gsize len, gboolean query, GString *out);

/* a scan with its AIM symbology identifier ("]d2..."), as a scanner sends it */
typedef struct {
	gchar aim[4];	/* "]d2" */
	gboolean gs1;	/* the symbol carries GS1 element strings */
	gchar *primary; /* EAN/UPC digits of ]E0 (13) or ]E4 (8), or NULL */
	gchar *text;	/* the data after the identifier (not GS1), or NULL */
	gsize text_len;
	StGs1Message *message; /* GS1 data: the element strings (with a composite's after an
				* EAN/UPC), or the AIs of a Digital Link URI in plain data */
} StGs1Scan;

/* Returns: FALSE with @error set when the identifier is not one, or its GS1 data is bad */
gboolean
st_gs1_parse_scan_data(const guint8 *data,
		       gsize len,
		       const StGs1Options *options,
		       StGs1Scan *scan,
		       StGs1Error *error);
void
st_gs1_scan_clear(StGs1Scan *scan);
/* is @aim (3 bytes) a symbology identifier whose data is GS1 element strings? */
gboolean
st_gs1_aim_is_gs1(const gchar *aim);

/*
 * Scan data as a scanner sends it: @aim then the data. For GS1 identifiers (]C1, ]e0, ]d2,
 * ]Q3, ]J1) the element strings with GS separators, led by (01)@primary when @primary (a
 * GTIN-14, GS1 DataBar) is given. For ]E0 / ]E4 the EAN/UPC digits of @primary (a UPC-A's 12
 * digits are sent as 13), then a composite "|]e0..." when @msg is given.
 * Returns: NULL with @error set when the digits or the identifier do not fit
 */
gchar *
st_gs1_scan_data_make(const gchar *aim,
		      const gchar *primary,
		      const StGs1Message *msg,
		      StGs1Error *error);

/* check a value against one named component check; for tests and `station barcode` */
const gchar *
st_gs1_lint(const gchar *linter, const gchar *data, gsize len, gsize *pos, gsize *err_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StGs1Message, st_gs1_message_free)

G_END_DECLS
