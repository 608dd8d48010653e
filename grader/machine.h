/*
 * grader/machine.h - what this machine offers, for lab.conf's
 * `requires`.  The grader asks, not the test: a test process runs student
 * code, and anything it says about the machine could be a student's
 * wb_skip() dodging a benchmark.
 */
#ifndef GRADER_MACHINE_H
#define GRADER_MACHINE_H

#include "lab.h"

/* NULL when the machine has everything in req; otherwise why not, e.g.
 * "needs 2 CPUs; this process may use 1".  Requirements: cpus:N,
 * io_uring, or a CPU flag as /proc/cpuinfo names it (avx2, fma, cx16). */
char *machine_lacks(const struct strlist *req);

/* NULL when every requirement is one machine_lacks() understands. */
char *machine_check_names(const struct strlist *req);

#endif
