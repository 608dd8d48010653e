/*
 * scalar.h - the plain C loops: the reference the tests compare with,
 * the fallback task 4 dispatches to, and the baseline the benchmarks
 * time.  The lab compiles everything with -O2 -fno-tree-vectorize (see
 * lab.conf), so these stay one element per iteration: check with
 * objdump -d that no ymm or packed instruction appears in them.
 */
#ifndef SCALAR_H
#define SCALAR_H

#include <stddef.h>

double scalar_sum(const double *x, size_t n);
void scalar_add(double *dst, const double *a, const double *b, size_t n);
double scalar_dot(const double *a, const double *b, size_t n);
void *scalar_find(const void *s, int c, size_t n);
size_t scalar_count(const void *s, int c, size_t n);

#endif
