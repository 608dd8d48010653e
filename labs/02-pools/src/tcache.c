/*
 * tcache.c - task 4 (a per-thread cache in front of a shared pool) and
 * task 5 (its statistics).  Yours to write.
 *
 * Read include/tcache.h first.  Delete each TODO() as you implement it.
 */
#include "tcache.h"
#include "wb/todo.h"

/* Your design: the shared pool (a lock, a free list, the chunks), the
 * pthread key that finds a thread's cache, the statistics.  This
 * placeholder only lets the skeleton compile. */
struct tc_pool {
	size_t block_size;
};

struct tc_pool *tc_create(size_t block_size, size_t cache_cap)
{
	(void)block_size;
	(void)cache_cap;
	TODO();
}

void *tc_alloc(struct tc_pool *p)
{
	(void)p;
	TODO();
}

void tc_free(struct tc_pool *p, void *block)
{
	(void)p;
	(void)block;
	TODO();
}

void tc_flush(struct tc_pool *p)
{
	(void)p;
	TODO();
}

size_t tc_cached(struct tc_pool *p)
{
	(void)p;
	TODO();
}

size_t tc_shared_free(struct tc_pool *p)
{
	(void)p;
	TODO();
}

void tc_destroy(struct tc_pool *p)
{
	(void)p;
	TODO();
}

/* ---- task 5: statistics ---- */

void tc_get_stats(struct tc_pool *p, struct tc_stats *out)
{
	(void)p;
	(void)out;
	TODO();
}

int tc_print_stats(struct tc_pool *p, FILE *f)
{
	(void)p;
	(void)f;
	TODO();
}
