/*
 * abi.h - task 1: three scalar routines, written in src/abi.S.
 *
 * Each one exercises a different corner of the System V AMD64 calling
 * convention (see README.md, "The calling convention"):
 *
 *   abi_weighted8    eight integer arguments: six arrive in registers,
 *                    the last two on the stack, above the return address
 *   abi_strlen       a loop over memory, a 64-bit result in rax
 *   abi_apply_twice  a call back into C: the stack aligned to 16 at the
 *                    call, values kept across the call in callee-saved
 *                    registers or on the stack, a double in xmm0
 */
#ifndef ABI_H
#define ABI_H

#include <stddef.h>

/* a + 2b + 3c + 4d + 5e + 6f + 7g + 8h, wrapping like unsigned
 * arithmetic on overflow (what add and imul do anyway). */
long abi_weighted8(long a, long b, long c, long d, long e, long f, long g,
		   long h);

/* The number of bytes before the first '\0' of s, like strlen(3).  Read
 * one byte at a time: the string may end right before an unmapped page,
 * so a wider load past the terminator could fault. */
size_t abi_strlen(const char *s);

/* fn(fn(x, ctx), ctx) + x: call fn twice, the second time on what the
 * first returned, then add the original x.  fn is ordinary C code: it
 * may change every caller-saved register (all of xmm0-xmm15 among
 * them), and it may use aligned SSE stores to its own stack frame. */
double abi_apply_twice(double (*fn)(double x, void *ctx), void *ctx, double x);

#endif
