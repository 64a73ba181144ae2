/*
 * StDevice: the base class every driver's device derives from. It owns the device's
 * description, tracks whether it is open so open and close are each called once, and emits
 * the four events of the contract in include/station/st-device.h.
 */
#include "station/st-device.h"
#include "station/st-error.h"

typedef struct {
	StDeviceInfo *info;
	gchar *driver_name;
	gboolean open;
	gboolean removed;
	gboolean has_weight;
	gboolean has_stable_weight;
	StWeight weight;	/* the last reading */
	StWeight stable_weight; /* the last stable reading */
} StDevicePrivate;

G_DEFINE_TYPE_WITH_PRIVATE(StDevice, st_device, G_TYPE_OBJECT)
#define GET_PRIVATE(o) (st_device_get_instance_private(o))

enum { PROP_0, PROP_INFO, PROP_DRIVER_NAME, PROP_LAST };
enum { SIGNAL_SCAN, SIGNAL_WEIGHT, SIGNAL_SCAN_LOST, SIGNAL_REMOVED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

const gchar *
st_device_role_to_string(StDeviceRole role)
{
	switch (role) {
	case ST_DEVICE_ROLE_SCANNER:
		return "scanner";
	case ST_DEVICE_ROLE_SCALE:
		return "scale";
	default:
		return "unknown";
	}
}

StDeviceRole
st_device_role_from_string(const gchar *role)
{
	if (g_strcmp0(role, "scanner") == 0)
		return ST_DEVICE_ROLE_SCANNER;
	if (g_strcmp0(role, "scale") == 0)
		return ST_DEVICE_ROLE_SCALE;
	return ST_DEVICE_ROLE_UNKNOWN;
}

StDeviceInfo *
st_device_info_new(const gchar *id, const gchar *bus)
{
	StDeviceInfo *self = g_new0(StDeviceInfo, 1);
	self->id = g_strdup(id);
	self->bus = g_strdup(bus);
	self->options = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return self;
}

/* Returns: (transfer full): a deep copy */
StDeviceInfo *
st_device_info_copy(const StDeviceInfo *src)
{
	StDeviceInfo *self = st_device_info_new(src->id, src->bus);
	GHashTableIter iter;
	gpointer key, value;

	self->vid = src->vid;
	self->pid = src->pid;
	self->serial = g_strdup(src->serial);
	self->port_path = g_strdup(src->port_path);
	self->interface_number = src->interface_number;
	self->interface_class = src->interface_class;
	self->interface_subclass = src->interface_subclass;
	self->interface_protocol = src->interface_protocol;
	if (src->report_descriptor != NULL)
		self->report_descriptor = g_bytes_ref(src->report_descriptor);
	self->role = src->role;
	self->configured = src->configured;
	if (src->handle != NULL)
		self->handle = g_object_ref(src->handle);
	g_hash_table_iter_init(&iter, src->options);
	while (g_hash_table_iter_next(&iter, &key, &value))
		g_hash_table_insert(self->options, g_strdup(key), g_strdup(value));
	return self;
}

void
st_device_info_free(StDeviceInfo *self)
{
	if (self == NULL)
		return;
	g_free(self->id);
	g_free(self->bus);
	g_free(self->serial);
	g_free(self->port_path);
	if (self->report_descriptor != NULL)
		g_bytes_unref(self->report_descriptor);
	g_hash_table_unref(self->options);
	g_clear_object(&self->handle);
	g_free(self);
}

void
st_device_info_set_option(StDeviceInfo *self, const gchar *key, const gchar *value)
{
	g_hash_table_insert(self->options, g_strdup(key), g_strdup(value));
}

const gchar *
st_device_info_get_option(const StDeviceInfo *self, const gchar *key)
{
	return g_hash_table_lookup(self->options, key);
}

/**
 * st_device_info_check_options:
 * @driver: the driver's name, for the message
 * @allowed: (array zero-terminated=1) (nullable): the options the driver takes
 * @also_allowed: (array zero-terminated=1) (nullable): more of them
 *
 * What every driver's create() does first: refuse an option it does not use, so a mistake in
 * the configuration (a layout on a scale) is said rather than ignored.
 *
 * Returns: FALSE with ST_ERROR_INVALID_CONFIG naming the option and what the driver takes
 */
gboolean
st_device_info_check_options(const StDeviceInfo *self,
			     const gchar *driver,
			     const gchar *const *allowed,
			     const gchar *const *also_allowed,
			     GError **error)
{
	GHashTableIter iter;
	gpointer key;

	g_hash_table_iter_init(&iter, self->options);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		g_autoptr(GString) takes = NULL;
		if ((allowed != NULL && g_strv_contains(allowed, key)) ||
		    (also_allowed != NULL && g_strv_contains(also_allowed, key)))
			continue;
		takes = g_string_new(NULL);
		for (guint i = 0; allowed != NULL && allowed[i] != NULL; i++)
			g_string_append_printf(takes, "%s%s", takes->len > 0 ? ", " : "",
					       allowed[i]);
		for (guint i = 0; also_allowed != NULL && also_allowed[i] != NULL; i++)
			g_string_append_printf(takes, "%s%s", takes->len > 0 ? ", " : "",
					       also_allowed[i]);
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_INVALID_CONFIG,
			    "option '%s' is not known to the %s driver (it takes %s)",
			    (const gchar *)key, driver, takes->len > 0 ? takes->str : "none");
		return FALSE;
	}
	return TRUE;
}

const gchar *
st_device_get_id(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), NULL);
	return priv->info->id;
}

const gchar *
st_device_get_driver_name(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), NULL);
	return priv->driver_name;
}

StDeviceRole
st_device_get_role(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), ST_DEVICE_ROLE_UNKNOWN);
	return priv->info->role;
}

/* Returns: (transfer none): the description the device was created from */
const StDeviceInfo *
st_device_get_info(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), NULL);
	return priv->info;
}

gboolean
st_device_is_open(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	return priv->open;
}

gboolean
st_device_open(StDevice *self, GError **error)
{
	StDeviceClass *klass = ST_DEVICE_GET_CLASS(self);
	StDevicePrivate *priv = GET_PRIVATE(self);

	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	g_return_val_if_fail(!priv->open, FALSE);
	if (klass->open != NULL && !klass->open(self, error)) {
		g_prefix_error(error, "opening %s: ", priv->info->id);
		return FALSE;
	}
	priv->open = TRUE;
	return TRUE;
}

gboolean
st_device_close(StDevice *self, GError **error)
{
	StDeviceClass *klass = ST_DEVICE_GET_CLASS(self);
	StDevicePrivate *priv = GET_PRIVATE(self);

	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	if (!priv->open)
		return TRUE;
	priv->open = FALSE;
	if (klass->close != NULL && !klass->close(self, error)) {
		g_prefix_error(error, "closing %s: ", priv->info->id);
		return FALSE;
	}
	return TRUE;
}

/* Returns: TRUE if the device's driver can beep or flash at all (st_device_feedback) */
gboolean
st_device_has_feedback(StDevice *self)
{
	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	return ST_DEVICE_GET_CLASS(self)->feedback != NULL;
}

gboolean
st_device_feedback(StDevice *self, StFeedback feedback, GError **error)
{
	StDeviceClass *klass = ST_DEVICE_GET_CLASS(self);
	StDevicePrivate *priv = GET_PRIVATE(self);

	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	if (klass->feedback == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "%s cannot beep or flash: driver %s has no feedback output",
			    priv->info->id, priv->driver_name);
		return FALSE;
	}
	return klass->feedback(self, feedback, error);
}

/* Returns: (transfer full): one line for `station devices` */
gchar *
st_device_describe(StDevice *self)
{
	StDeviceClass *klass = ST_DEVICE_GET_CLASS(self);
	StDevicePrivate *priv = GET_PRIVATE(self);
	GString *str = g_string_new(NULL);

	g_string_append_printf(str, "%s: %s via driver %s", priv->info->id,
			       st_device_role_to_string(priv->info->role), priv->driver_name);
	if (klass->describe != NULL) {
		g_string_append(str, " (");
		klass->describe(self, str);
		g_string_append(str, ")");
	}
	return g_string_free(str, FALSE);
}

void
st_device_emit_scan(StDevice *self, StScan *scan)
{
	g_return_if_fail(ST_IS_DEVICE(self));
	g_signal_emit(self, signals[SIGNAL_SCAN], 0, scan);
}

gboolean
st_device_zero(StDevice *self, GError **error)
{
	StDeviceClass *klass = ST_DEVICE_GET_CLASS(self);
	StDevicePrivate *priv = GET_PRIVATE(self);

	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	if (klass->zero == NULL) {
		g_set_error(error, ST_DEVICE_ERROR, ST_ERROR_NOT_SUPPORTED,
			    "%s cannot be zeroed from the station: driver %s has no zero output",
			    priv->info->id, priv->driver_name);
		return FALSE;
	}
	return klass->zero(self, error);
}

/**
 * st_device_get_weight:
 * @weight: (out caller-allocates): the last reading of a scale, stable or not
 *
 * Returns: FALSE if the device has reported no weight yet
 */
gboolean
st_device_get_weight(StDevice *self, StWeight *weight)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	if (!priv->has_weight)
		return FALSE;
	*weight = priv->weight;
	return TRUE;
}

/**
 * st_device_get_stable_weight:
 * @weight: (out caller-allocates): the current weight if the scale is stable now
 *
 * Returns: FALSE while the scale is in motion, faulted, or has reported nothing
 */
gboolean
st_device_get_stable_weight(StDevice *self, StWeight *weight)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	if (!priv->has_weight || !st_weight_is_stable(&priv->weight))
		return FALSE;
	*weight = priv->weight;
	return TRUE;
}

void
st_device_emit_weight(StDevice *self, const StWeight *weight)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_if_fail(ST_IS_DEVICE(self));
	priv->weight = *weight;
	priv->has_weight = TRUE;
	if (st_weight_is_stable(weight)) {
		priv->stable_weight = *weight;
		priv->has_stable_weight = TRUE;
	}
	g_signal_emit(self, signals[SIGNAL_WEIGHT], 0, weight);
}

void
st_device_emit_scan_lost(StDevice *self, const gchar *reason)
{
	g_return_if_fail(ST_IS_DEVICE(self));
	g_signal_emit(self, signals[SIGNAL_SCAN_LOST], 0, reason);
}

/* TRUE once the device went away (its removed event was emitted) */
gboolean
st_device_is_removed(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(ST_IS_DEVICE(self), FALSE);
	return priv->removed;
}

void
st_device_emit_removed(StDevice *self)
{
	StDevicePrivate *priv = GET_PRIVATE(self);
	g_return_if_fail(ST_IS_DEVICE(self));
	if (priv->removed)
		return;
	priv->removed = TRUE;
	g_signal_emit(self, signals[SIGNAL_REMOVED], 0);
}

static void
st_device_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	StDevicePrivate *priv = GET_PRIVATE(ST_DEVICE(object));
	switch (prop_id) {
	case PROP_INFO:
		priv->info = st_device_info_copy(g_value_get_pointer(value));
		break;
	case PROP_DRIVER_NAME:
		priv->driver_name = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
st_device_finalize(GObject *object)
{
	StDevicePrivate *priv = GET_PRIVATE(ST_DEVICE(object));
	if (priv->open)
		g_warning("device %s finalized while open", priv->info->id);
	st_device_info_free(priv->info);
	g_free(priv->driver_name);
	G_OBJECT_CLASS(st_device_parent_class)->finalize(object);
}

static void
st_device_init(StDevice *self)
{
}

static void
st_device_constructed(GObject *object)
{
	StDevicePrivate *priv = GET_PRIVATE(ST_DEVICE(object));
	G_OBJECT_CLASS(st_device_parent_class)->constructed(object);
	if (priv->info == NULL)
		priv->info = st_device_info_new("unnamed", "unknown");
}

static void
st_device_class_init(StDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->set_property = st_device_set_property;
	object_class->finalize = st_device_finalize;
	object_class->constructed = st_device_constructed;

	/* StDevice:info: (type StDeviceInfo) the description; copied */
	g_object_class_install_property(object_class, PROP_INFO,
					g_param_spec_pointer("info", NULL, NULL,
							     G_PARAM_WRITABLE |
								     G_PARAM_CONSTRUCT_ONLY |
								     G_PARAM_STATIC_STRINGS));
	g_object_class_install_property(object_class, PROP_DRIVER_NAME,
					g_param_spec_string("driver-name", NULL, NULL, NULL,
							    G_PARAM_WRITABLE |
								    G_PARAM_CONSTRUCT_ONLY |
								    G_PARAM_STATIC_STRINGS));

	signals[SIGNAL_SCAN] = g_signal_new("scan", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
					    NULL, NULL, NULL, G_TYPE_NONE, 1, ST_TYPE_SCAN);
	signals[SIGNAL_WEIGHT] = g_signal_new("weight", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
					      0, NULL, NULL, NULL, G_TYPE_NONE, 1, ST_TYPE_WEIGHT);
	signals[SIGNAL_SCAN_LOST] =
		g_signal_new("scan-lost", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
	signals[SIGNAL_REMOVED] =
		g_signal_new("removed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			     NULL, G_TYPE_NONE, 0);
}
