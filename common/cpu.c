/*
 * common/cpu.c - CPU feature detection for skips and dispatch.
 *
 * AVX and AVX2 need two answers: the CPU has them (cpuid) and the kernel
 * saves the YMM registers on a context switch (OSXSAVE, then XCR0 bits 1
 * and 2 via xgetbv).  Without the second, the first vector instruction
 * faults.
 */
#define _GNU_SOURCE
#include "wb/cpu.h"

#include <sched.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static bool os_saves_ymm(void)
{
	unsigned a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return false;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return (lo & 6) == 6;
}

bool wb_cpu_has(enum wb_cpu_feature f)
{
	unsigned a, b, c, d, b7 = 0;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return false;
	if (__get_cpuid_max(0, 0) >= 7) {
		unsigned a7, c7, d7;
		__cpuid_count(7, 0, a7, b7, c7, d7);
		(void)a7, (void)c7, (void)d7;
	}
	switch (f) {
	case WB_CPU_SSE42:
		return c & bit_SSE4_2;
	case WB_CPU_AVX:
		return (c & bit_AVX) && os_saves_ymm();
	case WB_CPU_AVX2:
		return (b7 & bit_AVX2) && os_saves_ymm();
	case WB_CPU_FMA:
		return (c & bit_FMA) && os_saves_ymm();
	case WB_CPU_BMI2:
		return b7 & bit_BMI2;
	case WB_CPU_CX16:
		return c & bit_CMPXCHG16B;
	}
	return false;
}
#else
bool wb_cpu_has(enum wb_cpu_feature f)
{
	(void)f;
	return false;
}
#endif

int wb_cpu_count(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
}
