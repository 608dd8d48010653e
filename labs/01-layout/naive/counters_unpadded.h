/*
 * counters_unpadded.h - the baseline of the counters benchmark: the
 * same API as counters.h with the prefix ucounters_, and the layout you
 * get without thinking about cache lines: slots side by side.
 */
#ifndef COUNTERS_UNPADDED_H
#define COUNTERS_UNPADDED_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct ucounters;

struct ucounters *ucounters_create(size_t n);
void ucounters_add(struct ucounters *c, size_t i, uint64_t v);
uint64_t ucounters_total(const struct ucounters *c);
const _Atomic uint64_t *ucounters_slot(const struct ucounters *c, size_t i);
void ucounters_destroy(struct ucounters *c);

#endif
