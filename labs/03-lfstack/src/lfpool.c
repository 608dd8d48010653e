/*
 * lfpool.c - task 5: a lock-free pool of nodes on your tagstack.  Yours
 * to write.
 *
 * Read include/lfpool.h first.  The fast paths are one tagstack_pop or
 * tagstack_push; the work is in the slow path that grows the pool.
 * Delete each TODO() as you implement it.
 */
#include "lfpool.h"
#include "wb/todo.h"

int lfpool_init(struct lfpool *p, size_t chunk_nodes)
{
	(void)p;
	(void)chunk_nodes;
	TODO();
}

void lfpool_destroy(struct lfpool *p)
{
	(void)p;
	TODO();
}

struct lf_node *lfpool_get(struct lfpool *p)
{
	(void)p;
	TODO();
}

void lfpool_put(struct lfpool *p, struct lf_node *n)
{
	(void)p;
	(void)n;
	TODO();
}

size_t lfpool_made(struct lfpool *p)
{
	(void)p;
	TODO();
}
