/* The public types every part of station shares. */
#pragma once

#include "st-device.h"
#include "st-error.h"
#include "st-scan.h"
#include "st-weight.h"
