/*
 * dispatch_test.c - task 4: detection and dispatch, src/dispatch.c.
 *
 * Runs on every x86-64 machine, AVX2 or not: it never calls an AVX2
 * kernel.  dispatch_choose is asked about machines described bit by bit
 * (one with AVX2 in cpuid but an OS that does not save YMM state among
 * them); cpu_bits_read is compared with this test's own cpuid; the
 * scalar table is run on guard-page buffers.
 */
#include "bytes.h"
#include "dispatch.h"
#include "kit.h"
#include "scalar.h"
#include "vecmath.h"
#include "wb/cpu.h"
#include "wb/test.h"

#include <cpuid.h>
#include <math.h>
#include <string.h>

#define FMA (1u << 12)
#define OSXSAVE (1u << 27)
#define AVX (1u << 28)
#define AVX2 (1u << 5)

/* A machine that has it all: AVX, FMA, AVX2, and x87/SSE/YMM state on. */
static struct cpu_bits full(void)
{
	struct cpu_bits b = {
		.max_leaf = 0xd,
		.leaf1_ecx = FMA | OSXSAVE | AVX | 0x1,
		.leaf7_ebx = AVX2 | 0x8,
		.xcr0 = 0x7,
	};
	return b;
}

static const char *choice_name(enum kernel_choice c)
{
	return c == KERNELS_AVX2 ? "KERNELS_AVX2" : c == KERNELS_SCALAR
		? "KERNELS_SCALAR" : "neither";
}

static void expect(const char *machine, struct cpu_bits b, enum kernel_choice want)
{
	enum kernel_choice got = dispatch_choose(&b);

	if (got != want)
		wb_fail(__FILE__, __LINE__, "dispatch_choose(%s: max_leaf %#x, "
			"leaf1 ecx %#x, leaf7 ebx %#x, xcr0 %#llx) = %s, want %s",
			machine, b.max_leaf, b.leaf1_ecx, b.leaf7_ebx,
			(unsigned long long)b.xcr0, choice_name(got),
			choice_name(want));
}

TEST(choose_avx2_machine)
{
	struct cpu_bits b = full();

	expect("everything there", b, KERNELS_AVX2);
	b.leaf1_ecx = 0xffffffff, b.leaf7_ebx = 0xffffffff, b.xcr0 = 0xe7;
	expect("every feature bit set, AVX-512 state on too", b, KERNELS_AVX2);
}

TEST(choose_no_avx2)
{
	struct cpu_bits b = full();

	b.leaf7_ebx &= ~AVX2;
	expect("no AVX2", b, KERNELS_SCALAR);
	b = full();
	b.leaf1_ecx &= ~AVX;
	expect("no AVX", b, KERNELS_SCALAR);
}

TEST(choose_no_fma)
{
	struct cpu_bits b = full();

	b.leaf1_ecx &= ~FMA;
	expect("no FMA (vec_dot needs it)", b, KERNELS_SCALAR);
}

TEST(choose_low_max_leaf)
{
	struct cpu_bits b = full();

	b.max_leaf = 6;
	expect("leaf 7 absent (max_leaf 6): its bits mean nothing", b,
	       KERNELS_SCALAR);
}

TEST(choose_no_osxsave)
{
	struct cpu_bits b = full();

	b.leaf1_ecx &= ~OSXSAVE;
	expect("OSXSAVE clear: the OS does not manage extended state, XCR0 "
	       "cannot be read", b, KERNELS_SCALAR);
}

TEST(choose_os_without_ymm)
{
	struct cpu_bits b = full();

	b.xcr0 = 0x3;
	expect("AVX2 in cpuid, but XCR0 bit 2 clear: the OS does not save YMM "
	       "state", b, KERNELS_SCALAR);
	b.xcr0 = 0x1;
	expect("XCR0 = x87 only", b, KERNELS_SCALAR);
}

TEST(read_matches_cpu)
{
	struct cpu_bits b;
	unsigned a, bx, c, d, max = __get_cpuid_max(0, 0);

	memset(&b, 0x5a, sizeof b);
	cpu_bits_read(&b);
	CHECK_UINT("max_leaf (cpuid 0, eax)", max, b.max_leaf);
	__cpuid(1, a, bx, c, d);
	CHECK_UINT("leaf1_ecx (cpuid 1, ecx)", c, b.leaf1_ecx);
	uint32_t l7 = 0;
	if (max >= 7) {
		__cpuid_count(7, 0, a, bx, c, d);
		l7 = bx;
	}
	CHECK_UINT("leaf7_ebx (cpuid 7.0, ebx)", l7, b.leaf7_ebx);
	uint64_t xcr0 = 0;
	if (b.leaf1_ecx & OSXSAVE) {
		uint32_t lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = (uint64_t)hi << 32 | lo;
	}
	CHECK_UINT("xcr0 (xgetbv 0)", xcr0, b.xcr0);
	enum kernel_choice want = wb_cpu_has(WB_CPU_AVX2) && wb_cpu_has(WB_CPU_FMA)
					  ? KERNELS_AVX2 : KERNELS_SCALAR;
	CHECK_STR("dispatch_choose on this machine", choice_name(want),
		  choice_name(dispatch_choose(&b)));
}

TEST(tables)
{
	const struct kernels *s = kernels_for(KERNELS_SCALAR);
	const struct kernels *v = kernels_for(KERNELS_AVX2);

	CHECK(s && v, "kernels_for returned NULL");
	CHECK(s->sum == scalar_sum && s->add == scalar_add && s->dot == scalar_dot &&
	      s->find == scalar_find && s->count == scalar_count,
	      "kernels_for(KERNELS_SCALAR) is not the scalar_* functions of "
	      "naive/scalar.h");
	CHECK(v->sum == vec_sum && v->add == vec_add && v->dot == vec_dot &&
	      v->find == byte_find && v->count == byte_count,
	      "kernels_for(KERNELS_AVX2) is not vec_sum, vec_add, vec_dot, "
	      "byte_find, byte_count");
}

TEST(get_matches_machine)
{
	enum kernel_choice want = wb_cpu_has(WB_CPU_AVX2) && wb_cpu_has(WB_CPU_FMA)
					  ? KERNELS_AVX2 : KERNELS_SCALAR;
	const struct kernels *k = kernels_get();

	CHECK(k == kernels_for(want), "kernels_get() is not kernels_for(%s), "
	      "what this machine can run", choice_name(want));
	CHECK(kernels_get() == k, "kernels_get() changed its answer");
	wb_note("this machine runs %s", choice_name(want));
}

TEST(scalar_table_works)
{
	const struct kernels *k = kernels_for(KERNELS_SCALAR);
	struct guard g;

	CHECK(k != NULL, "kernels_for(KERNELS_SCALAR) returned NULL");
	guard_alloc(&g, 1);
	for (size_t n = 0; n <= 257; n++) {
		guard_fill(&g, 'q');
		unsigned char *s = guard_end(&g, n);
		CHECK(k->find(s, 'r', n) == NULL, "scalar find found a byte absent");
		CHECK_UINT("scalar count of 'q'", n, k->count(s, 'q', n));
		double *x = (double *)guard_end(&g, 8 * (n % 100));
		for (size_t i = 0; i < n % 100; i++)
			x[i] = 1.0;
		CHECK(k->sum(x, n % 100) == (double)(n % 100), "scalar sum of ones");
		CHECK(k->dot(x, x, n % 100) == (double)(n % 100), "scalar dot of ones");
		k->add(x, x, x, n % 100);
		CHECK(n % 100 == 0 || x[0] == 2.0, "scalar add of ones");
	}
	guard_free(&g);
}
