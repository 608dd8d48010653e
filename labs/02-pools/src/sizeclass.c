/*
 * sizeclass.c - task 2: a size-class allocator.  Yours to write.
 *
 * Read include/sizeclass.h first.  You need: the class table (derive it
 * from the rule in the header, and write it out), an O(1) lookup from a
 * request size to its class, a pool per class (your task 1 free list,
 * copied here: each task builds on its own), and large requests mapped
 * one by one.  Delete each TODO() as you implement it.
 */
#include "sizeclass.h"
#include "wb/todo.h"

/* Your design: what an allocator holds.  This placeholder only lets the
 * skeleton compile. */
struct sc {
	size_t footprint;
};

const size_t *sc_classes(size_t *count)
{
	(void)count;
	TODO();
}

size_t sc_class_size(size_t n)
{
	(void)n;
	TODO();
}

struct sc *sc_create(void)
{
	TODO();
}

void *sc_alloc(struct sc *a, size_t n)
{
	(void)a;
	(void)n;
	TODO();
}

void sc_free(struct sc *a, void *p, size_t n)
{
	(void)a;
	(void)p;
	(void)n;
	TODO();
}

void sc_stats(const struct sc *a, struct sc_stats *st)
{
	(void)a;
	(void)st;
	TODO();
}

size_t sc_footprint(const struct sc *a)
{
	(void)a;
	TODO();
}

size_t sc_mapped_total(void)
{
	TODO();
}

void sc_destroy(struct sc *a)
{
	(void)a;
	TODO();
}
