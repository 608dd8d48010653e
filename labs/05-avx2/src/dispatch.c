/*
 * dispatch.c - task 4: CPU feature detection and runtime dispatch.
 * Yours to write.
 *
 * Read include/dispatch.h and README.md, "Task 4", first.  Read the CPU
 * with the cpuid and xgetbv instructions yourself (inline asm, or the
 * __cpuid_count macro of <cpuid.h>), and never run xgetbv when OSXSAVE
 * is clear: it would fault.  Delete each TODO() as you implement it.
 */
#include "dispatch.h"

#include "bytes.h"
#include "scalar.h"
#include "vecmath.h"
#include "wb/todo.h"

void cpu_bits_read(struct cpu_bits *b)
{
	(void)b;
	TODO();
}

enum kernel_choice dispatch_choose(const struct cpu_bits *b)
{
	(void)b;
	TODO();
}

const struct kernels *kernels_for(enum kernel_choice c)
{
	(void)c;
	TODO();
}

const struct kernels *kernels_get(void)
{
	TODO();
}
