#ifndef CISAL_SHIM_H
#define CISAL_SHIM_H
// Intel ISA-L's inflate (igzip): the same deflate format as zlib, about 2.3 times faster on
// x86-64 (measured in this repository: 0.38 s against 0.89 s for 411 MB).
#include <isa-l/igzip_lib.h>
#endif
