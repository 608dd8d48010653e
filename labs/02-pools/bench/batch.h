/*
 * batch.h - what the pool and size-class benchmarks share: a batch of
 * BATCH blocks, freed in a fixed shuffled order, checked before timing.
 * Header-only, because each bench links only its own task's files.
 */
#ifndef BATCH_H
#define BATCH_H

#include "wb/rand.h"
#include "wb/test.h"

#include <stdint.h>

enum { BATCH = 256 };

/* A fixed permutation of 0..BATCH-1 (Fisher-Yates): the free order.  Not
 * the reverse of the allocation order, which would flatter every
 * allocator with a LIFO cache. */
static inline void batch_order(unsigned order[BATCH], uint64_t seed)
{
	struct wb_rand r;

	wb_rand_seed(&r, seed);
	for (unsigned i = 0; i < BATCH; i++)
		order[i] = i;
	for (unsigned i = BATCH; i > 1; i--) {
		unsigned j = (unsigned)wb_rand_below(&r, i), t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* Correct first: BATCH distinct, aligned, writable blocks that keep what
 * was written until they are freed. */
static inline void batch_check(void *const p[BATCH], const char *who, size_t align)
{
	for (unsigned i = 0; i < BATCH; i++) {
		CHECK(p[i] != NULL, "%s: allocation %u of a batch returned "
		      "NULL", who, i);
		CHECK((uintptr_t)p[i] % align == 0, "%s: block %u at %p is "
		      "not %zu-aligned", who, i, p[i], align);
		*(uintptr_t *)p[i] = i;
	}
	for (unsigned i = 0; i < BATCH; i++)
		CHECK(*(uintptr_t *)p[i] == i, "%s: block %u (%p) was "
		      "overwritten by another block of the same batch: "
		      "expected %u in its first word, got %lu",
		      who, i, p[i], i, (unsigned long)*(uintptr_t *)p[i]);
}

#endif
