/*
 * abi_test.c - task 1: the calling convention, on src/abi.S.
 *
 * Every call goes through cc_call (callcheck.S), which puts known values
 * in the callee-saved registers and restores the real ones afterwards:
 * a routine that clobbers rbx fails abi_callee_saved, and nothing else,
 * instead of crashing the test in some unrelated place.
 */
#include "abi.h"
#include "kit.h"
#include "wb/test.h"

#include <string.h>

static long call_weighted8(const long v[8], struct cc_frame *f)
{
	cc_prepare(f, (const void *)abi_weighted8, 0);
	for (int i = 0; i < 6; i++)
		f->arg[i] = (uint64_t)v[i];
	f->stack[0] = (uint64_t)v[6];
	f->stack[1] = (uint64_t)v[7];
	cc_call(f);
	return (long)f->rax;
}

static long weighted8_ref(const long v[8])
{
	unsigned long s = 0;

	for (int i = 0; i < 8; i++)
		s += (unsigned long)(i + 1) * (unsigned long)v[i];
	return (long)s;
}

static size_t call_strlen(const char *s, struct cc_frame *f)
{
	cc_prepare(f, (const void *)abi_strlen, 0);
	f->arg[0] = (uintptr_t)s;
	cc_call(f);
	return f->rax;
}

/* The probe's context: a test can tell its own ctx from a stray one. */
struct probe {
	int calls;
	int wrong_ctx;
};
static struct probe the_probe;

double cc_probe_body(double x, void *ctx)
{
	if (ctx != &the_probe) {
		the_probe.wrong_ctx++;
		return 0;
	}
	the_probe.calls++;
	return 2 * x + 1;
}

static double call_apply_twice(double x, struct cc_frame *f)
{
	cc_prepare(f, (const void *)abi_apply_twice, 0);
	f->arg[0] = (uintptr_t)cc_probe_cb;
	f->arg[1] = (uintptr_t)&the_probe;
	f->x0 = x;
	cc_call(f);
	return f->xmm0;
}

TEST(weighted8_small)
{
	struct cc_frame f;
	long v[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	CHECK_INT("abi_weighted8(1, 2, ..., 8)", 204, call_weighted8(v, &f));
	memset(v, 0, sizeof v);
	CHECK_INT("abi_weighted8(0, ..., 0)", 0, call_weighted8(v, &f));
	for (int i = 0; i < 6; i++) {
		memset(v, 0, sizeof v);
		v[i] = -3;
		CHECK_INT("abi_weighted8 with one register argument -3",
			  -3 * (i + 1), call_weighted8(v, &f));
	}
}

TEST(weighted8_stack_args)
{
	struct cc_frame f;
	long v[8] = {0};

	v[6] = 1;
	CHECK_INT("abi_weighted8(0, 0, 0, 0, 0, 0, g = 1, 0): 7g, g from "
		  "8(%rsp)", 7, call_weighted8(v, &f));
	v[6] = 0;
	v[7] = 1;
	CHECK_INT("abi_weighted8(0, ..., 0, h = 1): 8h, h from 16(%rsp)", 8,
		  call_weighted8(v, &f));
	v[6] = -100000000000L;
	v[7] = 0x0123456789abcdefL;
	CHECK_INT("abi_weighted8 with 64-bit g and h (wrapping)",
		  weighted8_ref(v), call_weighted8(v, &f));
	long w[8] = {-9, 1L << 40, 77, -(1L << 50), 5, 123456789, -1, 1L << 60};
	CHECK_INT("abi_weighted8 with mixed 64-bit values", weighted8_ref(w),
		  call_weighted8(w, &f));
}

TEST(strlen_lengths)
{
	struct cc_frame f;
	struct guard g;

	guard_alloc(&g, 1);
	for (size_t n = 0; n <= 300; n++) {
		/* the terminator is the last byte before the unmapped page */
		char *s = (char *)guard_end(&g, n + 1);
		guard_fill(&g, 'x');
		s[n] = '\0';
		size_t got = call_strlen(s, &f);
		CHECK(got == n, "abi_strlen of %zu bytes ending right before an "
		      "unmapped page: got %zu", n, got);
	}
	/* and embedded bytes that are not zero but have the sign bit set */
	char *s = (char *)guard_end(&g, 5);
	memcpy(s, "\xff\x80\x01\x7f", 5);
	CHECK_UINT("abi_strlen(\"\\xff\\x80\\x01\\x7f\")", 4, call_strlen(s, &f));
	guard_free(&g);
}

TEST(apply_twice_value)
{
	struct cc_frame f;
	static const double xs[] = {3.0, -0.5, 0.0, 1e300, -7.25};

	for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
		double x = xs[i], want = 2 * (2 * x + 1) + 1 + x;
		memset(&the_probe, 0, sizeof the_probe);
		double got = call_apply_twice(x, &f);
		CHECK(the_probe.wrong_ctx == 0, "fn was called with a ctx that is "
		      "not the one passed in (rdi at each call must be ctx)");
		CHECK_INT("calls of fn by abi_apply_twice", 2, the_probe.calls);
		CHECK(got == want, "abi_apply_twice(fn: 2x+1, x = %g) = %g, want "
		      "%g (x must survive the calls: xmm registers are "
		      "caller-saved)", x, got, want);
	}
}

TEST(apply_twice_stack_aligned)
{
	struct cc_frame f;

	cc_misaligned = 0;
	memset(&the_probe, 0, sizeof the_probe);
	call_apply_twice(1.0, &f);
	CHECK_INT("calls of fn by abi_apply_twice", 2, the_probe.calls);
	CHECK(cc_misaligned == 0, "%d of the 2 calls to fn were made with rsp "
	      "not a multiple of 16 at the call instruction", (int)cc_misaligned);
}

TEST(abi_callee_saved)
{
	struct cc_frame f;
	long v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct guard g;

	call_weighted8(v, &f);
	check_callee_saved("abi_weighted8", &f);
	guard_alloc(&g, 1);
	char *s = (char *)guard_end(&g, 12);
	memcpy(s, "eleven byte", 12);
	call_strlen(s, &f);
	check_callee_saved("abi_strlen", &f);
	guard_free(&g);
	memset(&the_probe, 0, sizeof the_probe);
	call_apply_twice(1.0, &f);
	check_callee_saved("abi_apply_twice", &f);
}
