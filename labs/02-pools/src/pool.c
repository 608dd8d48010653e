/*
 * pool.c - task 1: a fixed-size block pool.  Yours to write.
 *
 * Read include/pool.h first: it is the contract the tests check.  The
 * design in brief: chunks from mmap, a free list threaded through the
 * free blocks, O(1) alloc and free, everything unmapped on destroy.
 * Delete each TODO() as you implement it.
 */
#include "pool.h"
#include "wb/todo.h"

/* Your design: what a pool holds.  This placeholder only lets the
 * skeleton compile. */
struct pool {
	size_t size;
};

struct pool *pool_create(size_t size)
{
	(void)size;
	TODO();
}

void *pool_alloc(struct pool *p)
{
	(void)p;
	TODO();
}

void pool_free(struct pool *p, void *b)
{
	(void)p;
	(void)b;
	TODO();
}

size_t pool_block_size(const struct pool *p)
{
	(void)p;
	TODO();
}

size_t pool_footprint(const struct pool *p)
{
	(void)p;
	TODO();
}

size_t pool_mapped_total(void)
{
	TODO();
}

void pool_destroy(struct pool *p)
{
	(void)p;
	TODO();
}
