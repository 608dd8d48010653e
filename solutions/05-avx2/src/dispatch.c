/*
 * dispatch.c - task 4, reference solution: detection and dispatch.
 */
#include "dispatch.h"

#include "bytes.h"
#include "scalar.h"
#include "vecmath.h"

#include <stdatomic.h>

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

void cpu_bits_read(struct cpu_bits *b)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	b->max_leaf = r[0];
	b->leaf1_ecx = 0;
	b->leaf7_ebx = 0;
	b->xcr0 = 0;
	if (b->max_leaf >= 1) {
		cpuid(1, 0, r);
		b->leaf1_ecx = r[2];
	}
	if (b->max_leaf >= 7) {
		cpuid(7, 0, r);
		b->leaf7_ebx = r[1];
	}
	/* xgetbv faults unless the OS set CR4.OSXSAVE, which cpuid shows. */
	if (b->leaf1_ecx & (1u << 27)) {
		uint32_t lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		b->xcr0 = (uint64_t)hi << 32 | lo;
	}
}

enum kernel_choice dispatch_choose(const struct cpu_bits *b)
{
	const uint32_t fma = 1u << 12, osxsave = 1u << 27, avx = 1u << 28;
	const uint32_t avx2 = 1u << 5;
	const uint64_t sse_ymm = (1u << 1) | (1u << 2);

	if ((b->leaf1_ecx & (fma | osxsave | avx)) != (fma | osxsave | avx))
		return KERNELS_SCALAR;
	if (b->max_leaf < 7 || !(b->leaf7_ebx & avx2))
		return KERNELS_SCALAR;
	/* The CPU can; can we?  Only if the OS saves SSE and YMM state. */
	if ((b->xcr0 & sse_ymm) != sse_ymm)
		return KERNELS_SCALAR;
	return KERNELS_AVX2;
}

static const struct kernels scalar_table = {
	scalar_sum, scalar_add, scalar_dot, scalar_find, scalar_count,
};

static const struct kernels avx2_table = {
	vec_sum, vec_add, vec_dot, byte_find, byte_count,
};

const struct kernels *kernels_for(enum kernel_choice c)
{
	return c == KERNELS_AVX2 ? &avx2_table : &scalar_table;
}

const struct kernels *kernels_get(void)
{
	/* Two threads racing here both compute the same answer; the atomic
	 * only keeps the race defined. */
	static _Atomic(const struct kernels *) chosen;
	const struct kernels *k = atomic_load_explicit(&chosen, memory_order_acquire);

	if (!k) {
		struct cpu_bits b;
		cpu_bits_read(&b);
		k = kernels_for(dispatch_choose(&b));
		atomic_store_explicit(&chosen, k, memory_order_release);
	}
	return k;
}
