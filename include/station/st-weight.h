/*
 * A weight reading as a scale reports it: a status, a unit and a value with a decimal
 * exponent, kept exact (no floating point) and convertible to milligrams.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * StWeightStatus:
 *
 * The scale status values of the HID POS usage tables (usage page 0x8D, usages 0x70 to 0x77),
 * in the order the tables give them.
 */
typedef enum {
	ST_WEIGHT_STATUS_UNKNOWN = 0,
	ST_WEIGHT_STATUS_FAULT = 1,
	ST_WEIGHT_STATUS_STABLE_ZERO = 2,
	ST_WEIGHT_STATUS_IN_MOTION = 3,
	ST_WEIGHT_STATUS_STABLE = 4,
	ST_WEIGHT_STATUS_UNDER_ZERO = 5,
	ST_WEIGHT_STATUS_OVER_WEIGHT = 6,
	ST_WEIGHT_STATUS_NEEDS_CALIBRATION = 7,
	ST_WEIGHT_STATUS_NEEDS_REZERO = 8,
} StWeightStatus;

/**
 * StWeightUnit:
 *
 * Weight units of the HID POS scale usage page (usages 0x50 to 0x5B).
 */
typedef enum {
	ST_WEIGHT_UNIT_UNKNOWN = 0,
	ST_WEIGHT_UNIT_MILLIGRAM,
	ST_WEIGHT_UNIT_GRAM,
	ST_WEIGHT_UNIT_KILOGRAM,
	ST_WEIGHT_UNIT_CARAT,
	ST_WEIGHT_UNIT_TAEL,
	ST_WEIGHT_UNIT_GRAIN,
	ST_WEIGHT_UNIT_PENNYWEIGHT,
	ST_WEIGHT_UNIT_METRIC_TON,
	ST_WEIGHT_UNIT_AVOIR_TON,
	ST_WEIGHT_UNIT_TROY_OUNCE,
	ST_WEIGHT_UNIT_OUNCE,
	ST_WEIGHT_UNIT_POUND,
} StWeightUnit;

typedef struct {
	StWeightStatus status;
	StWeightUnit unit;
	gint64 value;	/* as reported, scaled by 10^exponent */
	gint8 exponent; /* signed decimal exponent, -8..7 */
	gint64 realtime_us;
} StWeight;

#define ST_TYPE_WEIGHT (st_weight_get_type())
GType
st_weight_get_type(void) G_GNUC_CONST;

StWeight *
st_weight_copy(const StWeight *self);
void
st_weight_free(StWeight *self);
gboolean
st_weight_is_stable(const StWeight *self);
gboolean
st_weight_to_milligrams(const StWeight *self, gint64 *milligrams, GError **error);
const gchar *
st_weight_status_to_string(StWeightStatus status);
const gchar *
st_weight_unit_to_string(StWeightUnit unit);
gchar *
st_weight_to_string(const StWeight *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(StWeight, st_weight_free)

G_END_DECLS
