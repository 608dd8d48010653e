/*
 * dispatch.h - task 4: choosing the AVX2 kernels only where they can
 * run, written in src/dispatch.c.
 *
 * Two questions decide it (README.md, "Can this machine run AVX2?"):
 *   does the CPU implement AVX2 and FMA?     cpuid leaves 1 and 7
 *   has the OS enabled the YMM state?        cpuid leaf 1 OSXSAVE, then
 *                                            xgetbv(0): XCR0 bits 1, 2
 * The second matters: a kernel that does not save the upper halves of
 * the YMM registers on a context switch leaves XCR0 bit 2 clear, and
 * then the first VEX-encoded 256-bit instruction raises #UD (SIGILL).
 *
 * The decision is a pure function of the raw bits, so that the tests can
 * ask it about machines they do not run on.
 */
#ifndef DISPATCH_H
#define DISPATCH_H

#include <stddef.h>
#include <stdint.h>

/* What cpuid and xgetbv said, raw. */
struct cpu_bits {
	uint32_t max_leaf;   /* cpuid(0).eax: the highest standard leaf */
	uint32_t leaf1_ecx;  /* cpuid(1).ecx: FMA bit 12, OSXSAVE 27, AVX 28 */
	uint32_t leaf7_ebx;  /* cpuid(7, 0).ebx: AVX2 bit 5; 0 when
			      * max_leaf < 7 */
	uint64_t xcr0;	     /* xgetbv(0): bit 1 SSE state, bit 2 AVX
			      * (YMM) state; 0 when OSXSAVE is clear (then
			      * xgetbv itself would fault) */
};

enum kernel_choice {
	KERNELS_SCALAR,	/* the C loops of naive/scalar.c */
	KERNELS_AVX2,	/* src/vecmath.S and src/bytes.S: AVX2 and FMA */
};

/* The kernels the rest of a program calls, all through this table. */
struct kernels {
	double (*sum)(const double *x, size_t n);
	void (*add)(double *dst, const double *a, const double *b, size_t n);
	double (*dot)(const double *a, const double *b, size_t n);
	void *(*find)(const void *s, int c, size_t n);
	size_t (*count)(const void *s, int c, size_t n);
};

/* Fill *b from this CPU, with the cpuid and xgetbv instructions (inline
 * asm or <cpuid.h>; not wb/cpu.h, which is the tests' own). */
void cpu_bits_read(struct cpu_bits *b);

/* KERNELS_AVX2 when b describes a machine that can run every AVX2
 * kernel (AVX, AVX2 and FMA in cpuid, and the OS saving SSE and YMM
 * state), otherwise KERNELS_SCALAR.  Reads nothing but *b. */
enum kernel_choice dispatch_choose(const struct cpu_bits *b);

/* The table for a choice: scalar_* from naive/scalar.h, or vec_* and
 * byte_* from the assembly files. */
const struct kernels *kernels_for(enum kernel_choice c);

/* The table for this machine: chosen on the first call (from
 * cpu_bits_read and dispatch_choose), the same pointer afterwards. */
const struct kernels *kernels_get(void);

#endif
