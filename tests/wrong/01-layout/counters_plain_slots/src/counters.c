/*
 * counters.c - per-thread counters, one cache line per slot.
 *
 * The whole design is the struct slot below: alignas makes the compiler
 * round its size up to a full line and place it on a line boundary, so
 * an array of slots puts consecutive counters exactly one line apart.
 * aligned_alloc then gives the array itself a line-aligned start, which
 * malloc does not (it promises only 16 bytes).
 */

/*
 * WRONG ON PURPOSE (tests/wrong): the slots are plain uint64_t.  With one
 * writer per slot the sums come out right on x86-64, but counters_total()
 * reads words other threads are writing: a data race, undefined behaviour
 * in C11, which only ThreadSanitizer reports.
 */
#include "counters.h"

#include <stdalign.h>
#include <stdlib.h>

struct slot {
	alignas(COUNTERS_LINE) uint64_t value; /* wrong: not _Atomic */
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
		c->slots[i].value = 0;
	return c;
}

void counters_add(struct counters *c, size_t i, uint64_t v)
{
	c->slots[i].value += v; /* a plain write another thread may read */
}

uint64_t counters_total(const struct counters *c)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < c->n; i++)
		sum += c->slots[i].value; /* races with counters_add */
	return sum;
}

const _Atomic uint64_t *counters_slot(const struct counters *c, size_t i)
{
	return (const _Atomic uint64_t *)&c->slots[i].value;
}

void counters_destroy(struct counters *c)
{
	if (c == NULL)
		return;
	free(c->slots); /* aligned_alloc'd memory goes back through free */
	free(c);
}
