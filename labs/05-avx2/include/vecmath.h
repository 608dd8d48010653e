/*
 * vecmath.h - task 2: AVX2 kernels on arrays of doubles, written in
 * src/vecmath.S.
 *
 * Every routine takes any n (0 included) and any 8-byte-aligned start
 * address: no 32-byte alignment is promised.  None may read or write a
 * byte outside its arrays, not even one that would sit on the same
 * cache line: the tests put the end of each array against an unmapped
 * page.  Each returns with the upper halves of the YMM registers zeroed
 * (vzeroupper), as the ABI expects of code that may return to SSE code.
 *
 * Results are compared with the scalar loops of naive/scalar.c:
 *   vec_add   bit for bit (each element is one IEEE addition either way);
 *   vec_sum, vec_dot  within 2 * n * DBL_EPSILON * (sum of |terms|),
 *             because adding in another order rounds differently
 *             (README.md, "Tolerance").  A NaN anywhere gives NaN, and
 *             the sum starts from +0.0 like the scalar loop, so the sum
 *             of nothing, or of negative zeros only, is +0.0.
 */
#ifndef VECMATH_H
#define VECMATH_H

#include <stddef.h>

/* x[0] + x[1] + ... + x[n-1], in any order. */
double vec_sum(const double *x, size_t n);

/* dst[i] = a[i] + b[i] for i < n.  dst may be a or b (the same array,
 * not a partial overlap). */
void vec_add(double *dst, const double *a, const double *b, size_t n);

/* a[0]*b[0] + ... + a[n-1]*b[n-1], with fused multiply-adds allowed. */
double vec_dot(const double *a, const double *b, size_t n);

#endif
