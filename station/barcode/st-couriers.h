/*
 * The couriers' tracking-number rules as data (station/barcode/tracking/, the open
 * tracking_number_data project's definitions, turned into st_courier_rules[] at build time by
 * gen-couriers.py), and what applying them to a scan finds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the check-digit algorithms the data names, each implemented once in st-couriers.c */
typedef enum {
	ST_COURIER_CHECK_NONE,
	ST_COURIER_CHECK_MOD10,	      /* weights evens/odds (letters: (code - 3) mod 10) */
	ST_COURIER_CHECK_MOD7,	      /* the serial as a number, mod 7 */
	ST_COURIER_CHECK_LUHN,	      /* ISO/IEC 7812 */
	ST_COURIER_CHECK_S10,	      /* UPU S10: weights 8 6 4 2 3 5 9 7, mod 11 */
	ST_COURIER_CHECK_MOD_37_36,   /* ISO/IEC 7064 MOD 37,36 (hybrid) */
	ST_COURIER_CHECK_SUM_PRODUCT, /* weighted sum, mod modulo, mod modulo2 */
} StCourierCheck;

typedef struct {
	const gchar *matches;	    /* (nullable): the group's value, exactly */
	const gchar *matches_regex; /* (nullable): or a pattern it matches */
	const gchar *value;	    /* a service's name, or an operator's */
} StCourierLookupEntry;

typedef struct {
	const gchar *name;  /* "Service Type", "Courier", ... */
	const gchar *group; /* the pattern's group it looks up */
	const StCourierLookupEntry *entries;
	guint n_entries;
} StCourierLookup;

typedef struct {
	const gchar *courier_code; /* "ups" */
	const gchar *courier;	   /* "UPS" */
	const gchar *id;	   /* "ups_waybill" */
	const gchar *name;	   /* "UPS Waybill" */
	const gchar *regex;	   /* the number's pieces as named groups; spaces allowed */
	StCourierCheck check;
	guint modulo, modulo2;
	guint evens, odds;
	gboolean reverse;
	const guint *weights;
	guint n_weights;
	const gchar *alphabet; /* (nullable): MOD 37,36 */
	const gchar *url;      /* (nullable): the tracking page, %s the number */
	const gchar *exists;   /* (nullable): the lookup that must find the number's value */
	const StCourierLookup *lookups;
	guint n_lookups;
} StCourierRule;

extern const StCourierRule st_courier_rules[];
extern const guint st_n_courier_rules;

/* a rule whose pattern a scan fits */
typedef struct {
	const StCourierRule *rule;
	gchar *number;	      /* the scan without its spaces */
	gboolean check_ok;    /* its check digit holds (FALSE for a rule without one) */
	gboolean lookup_ok;   /* the lookup the rule requires found it (TRUE when none) */
	guint expected;	      /* with a check that fails: the digit (or character index) due */
	gchar found;	      /* and the one the scan has */
	gint check_position;  /* where the check digit is in @number, or -1 */
	gchar *service;	      /* (nullable): the lookup "Service Type" */
	gchar *operator_name; /* (nullable): the lookup "Courier" (an S10's postal operator) */
	gchar *country;	      /* (nullable): the group CountryCode */
} StCourierMatch;

void
st_courier_match_free(StCourierMatch *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StCourierMatch, st_courier_match_free)

GPtrArray *
st_couriers_match(const gchar *text, gsize len);
gboolean
st_courier_check_ok(const StCourierRule *rule,
		    const gchar *serial,
		    gsize len,
		    gchar check,
		    guint *expected);
gchar *
st_courier_tracking_url(const StCourierRule *rule, const gchar *number);
gboolean
st_courier_rule_has_check(const StCourierRule *rule);
gboolean
st_couriers_number_fits(const gchar *courier, const gchar *number);
gchar *
st_courier_rule_describe_check(const StCourierRule *rule);
gchar *
st_courier_rule_describe_shape(const StCourierRule *rule);

G_END_DECLS
