/*
 * counters.c - task 6: per-thread counters without false sharing.  Yours
 * to write.
 *
 * Read include/counters.h first.  The layout is the task: every slot's
 * counter must start a cache line (COUNTERS_LINE bytes) of its own.
 * Delete each TODO() as you implement it.
 */
#include "counters.h"
#include "wb/todo.h"

/* Your design: what a set of counters holds, and how its slots are laid
 * out in memory.  This placeholder only lets the skeleton compile. */
struct counters {
	size_t n;
};

struct counters *counters_create(size_t n)
{
	(void)n;
	TODO();
}

void counters_add(struct counters *c, size_t i, uint64_t v)
{
	(void)c;
	(void)i;
	(void)v;
	TODO();
}

uint64_t counters_total(const struct counters *c)
{
	(void)c;
	TODO();
}

const _Atomic uint64_t *counters_slot(const struct counters *c, size_t i)
{
	(void)c;
	(void)i;
	TODO();
}

void counters_destroy(struct counters *c)
{
	(void)c;
	TODO();
}
