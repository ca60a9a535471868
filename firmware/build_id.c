/* The build id (git describe) printed by the banner, `version` and
 * /metrics.  Only this file is compiled with it, so a new commit rebuilds
 * this one object and relinks, instead of rebuilding the whole image. */
#include "fw.h"

#ifndef KEEL_BUILD_ID
#define KEEL_BUILD_ID "unknown"
#endif

const char fw_build_id[] = KEEL_BUILD_ID;
