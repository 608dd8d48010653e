/*
 * counters.c - per-thread counters, one cache line per slot.
 *
 * The whole design is the struct slot below: alignas makes the compiler
 * round its size up to a full line and place it on a line boundary, so
 * an array of slots puts consecutive counters exactly one line apart.
 * aligned_alloc then gives the array itself a line-aligned start, which
 * malloc does not (it promises only 16 bytes).
 */
#include "counters.h"

#include <stdalign.h>
#include <stdlib.h>

struct slot {
	alignas(COUNTERS_LINE) _Atomic uint64_t value;
	/* The compiler pads the rest of the line: sizeof == 64. */
};

_Static_assert(sizeof(struct slot) == COUNTERS_LINE, "one slot, one line");

struct counters {
	size_t n;
	struct slot *slots; /* n slots, line-aligned */
};

struct counters *counters_create(size_t n)
{
	struct counters *c;

	if (n == 0 || n > SIZE_MAX / sizeof(struct slot))
		return NULL;
	c = malloc(sizeof *c);
	if (c == NULL)
		return NULL;
	/* aligned_alloc wants a size that is a multiple of the alignment;
	 * n whole slots always is. */
	c->slots = aligned_alloc(COUNTERS_LINE, n * sizeof(struct slot));
	if (c->slots == NULL) {
		free(c);
		return NULL;
	}
	c->n = n;
	/* aligned_alloc, like malloc, hands back whatever was there. */
	for (size_t i = 0; i < n; i++)
		atomic_init(&c->slots[i].value, 0);
	return c;
}

void counters_add(struct counters *c, size_t i, uint64_t v)
{
	_Atomic uint64_t *p = &c->slots[i].value;

	/*
	 * A single writer per slot, so no lock-prefixed add is needed: a
	 * relaxed load and store compile to plain moves on x86-64 and
	 * cannot lose an update, because nobody else writes this word.
	 * They are still atomic accesses, so counters_total() reading the
	 * word meanwhile is not a data race.
	 */
	atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + v,
			      memory_order_relaxed);
}

uint64_t counters_total(const struct counters *c)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < c->n; i++)
		sum += atomic_load_explicit(&c->slots[i].value,
					    memory_order_relaxed);
	return sum;
}

const _Atomic uint64_t *counters_slot(const struct counters *c, size_t i)
{
	return &c->slots[i].value;
}

void counters_destroy(struct counters *c)
{
	if (c == NULL)
		return;
	free(c->slots); /* aligned_alloc'd memory goes back through free */
	free(c);
}
