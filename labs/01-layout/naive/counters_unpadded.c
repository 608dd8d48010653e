/*
 * counters_unpadded.c - per-thread counters packed side by side.
 *
 * Same single-writer idea as the task, same cost per add, but eight
 * slots share each 64-byte line, so threads on different cores keep
 * stealing the line from each other.  We align the array to a line on
 * purpose: with plain malloc, slots 0 and 1 would share a line only
 * most of the time, and a baseline should not depend on luck.
 */
#include "counters_unpadded.h"

#include <stdlib.h>

struct ucounters {
	size_t n;
	_Atomic uint64_t *slot; /* n words in a row */
};

struct ucounters *ucounters_create(size_t n)
{
	struct ucounters *c;
	size_t bytes;

	if (n == 0 || n > SIZE_MAX / 8 - 8)
		return NULL;
	c = malloc(sizeof *c);
	if (c == NULL)
		return NULL;
	bytes = (n * sizeof *c->slot + 63) / 64 * 64;
	c->slot = aligned_alloc(64, bytes);
	if (c->slot == NULL) {
		free(c);
		return NULL;
	}
	c->n = n;
	for (size_t i = 0; i < n; i++)
		atomic_init(&c->slot[i], 0);
	return c;
}

void ucounters_add(struct ucounters *c, size_t i, uint64_t v)
{
	_Atomic uint64_t *p = &c->slot[i];

	atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + v,
			      memory_order_relaxed);
}

uint64_t ucounters_total(const struct ucounters *c)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < c->n; i++)
		sum += atomic_load_explicit(&c->slot[i], memory_order_relaxed);
	return sum;
}

const _Atomic uint64_t *ucounters_slot(const struct ucounters *c, size_t i)
{
	return &c->slot[i];
}

void ucounters_destroy(struct ucounters *c)
{
	if (c == NULL)
		return;
	free(c->slot);
	free(c);
}
