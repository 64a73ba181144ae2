/* The services' error domain: what printing, label data and imports refuse themselves. */
#include "station/st-error.h"

G_DEFINE_QUARK(st-service-error-quark, st_service_error)
