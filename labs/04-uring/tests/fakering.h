/*
 * fakering.h - a fake kernel for task 4's ring code.
 *
 * fk_start() gives an rr_ring memory of its own (no io_uring at all) and
 * starts a thread that plays the kernel: it polls the SQ tail, executes
 * each SQE (NOP, READ, WRITE, with pread/pwrite/read/write) and posts a
 * CQE.  It follows the kernel's side of the protocol exactly: SQ tail and
 * CQ head loaded with acquire, SQ head and CQ tail stored with release,
 * everything else plain.  r->enter waits for CQEs with relaxed loads
 * only, so it creates no ordering: your ring code must make its own.
 * Under ThreadSanitizer a missing release or acquire on your side is
 * then a data race between your thread and this one, reported at once.
 */
#ifndef FAKERING_H
#define FAKERING_H

#include "rawring.h"

/* sq_entries and cq_entries: powers of two.  0 or -errno. */
int fk_start(struct rr_ring *r, unsigned sq_entries, unsigned cq_entries);

/* Stop the thread, free the memory; returns the SQEs it executed. */
unsigned long fk_stop(struct rr_ring *r);

#endif
