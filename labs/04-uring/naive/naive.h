/*
 * naive.h - the baselines the benchmarks measure against (visible to you,
 * as docs/lab-format.md asks).
 */
#ifndef NAIVE_H
#define NAIVE_H

#include "ucopy.h"

#include <stddef.h>

/* One pread(2) per request, in order, each continued after a short read:
 * the loop io_uring's batching has to beat.  Fills res like ubatch_read. */
void naive_pread_batch(int fd, struct ubatch_req *v, size_t n);

#endif
