/*
 * wb/cpu.h - what this machine can do, so a test or benchmark can skip
 * with a clear reason instead of failing on hardware it does not have.
 */
#ifndef WB_CPU_H
#define WB_CPU_H

#include <stdbool.h>

enum wb_cpu_feature {
	WB_CPU_SSE42,
	WB_CPU_AVX,
	WB_CPU_AVX2, /* true only when the OS also saves YMM state */
	WB_CPU_FMA,
	WB_CPU_BMI2,
	WB_CPU_CX16, /* cmpxchg16b */
};

bool wb_cpu_has(enum wb_cpu_feature f);
/* CPUs this process may run on (its affinity mask), at least 1. */
int wb_cpu_count(void);

#endif
