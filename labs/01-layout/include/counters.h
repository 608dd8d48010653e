/*
 * counters.h - per-thread counters without false sharing (task 6).
 *
 * Threads that count events into one shared variable fight over it.  So
 * give each thread its own slot: thread i adds only to slot i, and a
 * reader sums the slots.  No locks, no atomic read-modify-write: each
 * slot has exactly one writer.
 *
 * That alone is not enough.  A CPU caches memory in lines of 64 bytes
 * and a core must own a line to write any byte of it.  Two slots on one
 * line make two threads that never touch each other's data still pass
 * the line back and forth on every write ("false sharing"):
 *
 *	one line:  [ slot 0 | slot 1 | slot 2 | ... ]   cores 0 and 1 fight
 *
 *	padded:    [ slot 0 | padding ............ ]   core 0 owns it
 *	           [ slot 1 | padding ............ ]   core 1 owns it
 *
 * Your layout must give every slot a line of its own: each slot's
 * address a multiple of COUNTERS_LINE, no two slots within one line.
 */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* The cache line size assumed by the layout (x86-64 and most ARM64). */
#define COUNTERS_LINE 64

struct counters; /* yours: defined in src/counters.c */

/* A set of n counters (slots 0 .. n-1), all zero.  NULL when n is 0 or
 * memory runs out. */
struct counters *counters_create(size_t n);

/* Add v to slot i (i < n).  Only one thread may add to a given slot
 * (usually thread i); different threads may add to different slots at
 * the same time, and counters_total() may run meanwhile.  So the slot is
 * _Atomic, for the reader's sake, but the add need not be an atomic
 * read-modify-write: a relaxed load and a relaxed store suffice with a
 * single writer, and cost what a plain add costs. */
void counters_add(struct counters *c, size_t i, uint64_t v);

/* The sum of all slots (mod 2^64).  Safe while adders run: it then sees
 * each slot at some moment of the call. */
uint64_t counters_total(const struct counters *c);

/* The address of slot i's counter, the very word counters_add(c, i, v)
 * changes.  The tests use it to check your layout. */
const _Atomic uint64_t *counters_slot(const struct counters *c, size_t i);

/* Free everything counters_create allocated.  NULL is a no-op. */
void counters_destroy(struct counters *c);

#endif
