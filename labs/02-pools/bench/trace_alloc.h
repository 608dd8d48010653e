/*
 * trace_alloc.h - the allocator the trace driver scores, seen through a
 * small adapter, so the driver does not depend on one allocator's API.
 * trace_adapter_sclass.c implements it over the size-class allocator of
 * task 2 (sizeclass.h).
 */
#ifndef TRACE_ALLOC_H
#define TRACE_ALLOC_H

#include <stddef.h>

/* A fresh allocator with nothing allocated; 0 on success, -1 if it
 * cannot be created.  Every trace_* call below goes to it. */
int trace_begin(void);
/* A block of at least n bytes (n >= 1), aligned to 16; NULL when out of
 * memory. */
void *trace_alloc(size_t n);
/* Free p, which trace_alloc(n) returned, passing the same n. */
void trace_free(void *p, size_t n);
/* Bytes the allocator holds from the system now (its footprint). */
size_t trace_footprint(void);
/* Release the allocator and everything it holds. */
void trace_end(void);

#endif
