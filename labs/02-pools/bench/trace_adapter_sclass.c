/*
 * trace_adapter_sclass.c - trace_alloc.h over the size-class allocator
 * of task 2 (sizeclass.h): one struct sc per trace_begin.
 */
#include "trace_alloc.h"
#include "sizeclass.h"

#include <stddef.h>

static struct sc *cur;

int trace_begin(void)
{
	cur = sc_create();
	return cur ? 0 : -1;
}

void *trace_alloc(size_t n)
{
	return sc_alloc(cur, n);
}

void trace_free(void *p, size_t n)
{
	sc_free(cur, p, n);
}

size_t trace_footprint(void)
{
	return sc_footprint(cur);
}

void trace_end(void)
{
	sc_destroy(cur);
	cur = NULL;
}
