#ifndef CLZ4_SHIM_H
#define CLZ4_SHIM_H
#include <lz4frame.h>
// LZ4F_VERSION is a macro; Swift imports it, but keep the call in one place.
static inline unsigned clz4_version(void) { return LZ4F_VERSION; }
#endif
