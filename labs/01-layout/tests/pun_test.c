/*
 * pun_test.c - tests for task 3, type punning without undefined behaviour.
 *
 * Expected bit patterns are written out from IEEE 754, expected loads are
 * assembled byte by byte, and expected classes come from the C library,
 * so nothing here relies on the pun being tested.  Loads and stores run
 * at every offset of a heap block, up to its very last byte: in the
 * sanitizer build a pointer-cast version is reported as a misaligned
 * access, and a wide read past the end as a heap overflow.
 */
#include "pun.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------- */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_ORDER "little-endian"
#else
#define HOST_ORDER "big-endian"
#endif

/* The n bytes at p as an integer in the host's byte order. */
static uint64_t host_value(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
#else
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
#endif
	return v;
}

/* The inverse: v as n bytes in host order. */
static void host_bytes(uint8_t *p, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		p[i] = (uint8_t)(v >> (8 * i));
#else
		p[n - 1 - i] = (uint8_t)(v >> (8 * i));
#endif
	}
}

static uint64_t bits_of(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return u;
}

static double double_of(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

static uint32_t bits_of_f(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof u);
	return u;
}

static uint8_t *random_block(struct wb_rand *r, size_t len)
{
	uint8_t *p = malloc(len);

	CHECK(p != NULL, "out of memory");
	wb_rand_fill(r, p, len);
	return p;
}

/* ---- float and double as bits ------------------------------------- */

struct f32_case {
	const char *what;
	float f;
	uint32_t bits;
};

TEST(pun_f32_bits)
{
	const struct f32_case cases[] = {
		{"1.0f", 1.0f, 0x3f800000},
		{"-2.5f", -2.5f, 0xc0200000},
		{"0.1f", 0.1f, 0x3dcccccd},
		{"+0.0f", 0.0f, 0x00000000},
		{"-0.0f", -0.0f, 0x80000000},
		{"FLT_MIN", FLT_MIN, 0x00800000},
		{"FLT_MAX", FLT_MAX, 0x7f7fffff},
		{"0x1p-149f, the smallest subnormal", 0x1p-149f, 0x00000001},
		{"+infinity", INFINITY, 0x7f800000},
		{"-infinity", -INFINITY, 0xff800000},
	};
	struct wb_rand r;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint32_t got = pun_f32_bits(cases[k].f);
		float back;

		CHECK(got == cases[k].bits,
		      "pun_f32_bits(%s): expected 0x%08x, got 0x%08x", cases[k].what,
		      (unsigned)cases[k].bits, (unsigned)got);
		back = pun_f32_from_bits(cases[k].bits);
		CHECK(bits_of_f(back) == cases[k].bits,
		      "pun_f32_from_bits(0x%08x): expected %s (bits 0x%08x), got "
		      "a float with bits 0x%08x",
		      (unsigned)cases[k].bits, cases[k].what,
		      (unsigned)cases[k].bits, (unsigned)bits_of_f(back));
	}
	/* every kind of pattern, NaN payloads included, survives both ways */
	wb_rand_seed(&r, 0xf32u);
	for (int t = 0; t < 20000; t++) {
		uint32_t u = (uint32_t)wb_rand_u64(&r);
		uint32_t got = pun_f32_bits(pun_f32_from_bits(u));

		CHECK(got == u,
		      "pun_f32_bits(pun_f32_from_bits(0x%08x)) gave 0x%08x: the "
		      "bits must come back unchanged",
		      (unsigned)u, (unsigned)got);
	}
}

struct f64_case {
	const char *what;
	double d;
	uint64_t bits;
};

TEST(pun_f64_bits)
{
	const struct f64_case cases[] = {
		{"1.0", 1.0, 0x3ff0000000000000},
		{"-2.5", -2.5, 0xc004000000000000},
		{"0.1", 0.1, 0x3fb999999999999a},
		{"1e300", 1e300, 0x7e37e43c8800759c},
		{"+0.0", 0.0, 0x0000000000000000},
		{"-0.0", -0.0, 0x8000000000000000},
		{"DBL_MIN", DBL_MIN, 0x0010000000000000},
		{"DBL_MAX", DBL_MAX, 0x7fefffffffffffff},
		{"0x1p-1074, the smallest subnormal", 0x1p-1074, 1},
		{"-infinity", -INFINITY, 0xfff0000000000000},
	};
	struct wb_rand r;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint64_t got = pun_f64_bits(cases[k].d);
		double back;

		CHECK(got == cases[k].bits,
		      "pun_f64_bits(%s): expected 0x%016llx, got 0x%016llx%s",
		      cases[k].what, (unsigned long long)cases[k].bits,
		      (unsigned long long)got,
		      got == (cases[k].bits & 0xffffffffu)
			      ? " (only the low 32 bits: is the integer side "
				"of the pun 4 bytes wide?)"
			      : "");
		back = pun_f64_from_bits(cases[k].bits);
		CHECK(bits_of(back) == cases[k].bits,
		      "pun_f64_from_bits(0x%016llx): expected %s, got a double "
		      "with bits 0x%016llx",
		      (unsigned long long)cases[k].bits, cases[k].what,
		      (unsigned long long)bits_of(back));
	}
	wb_rand_seed(&r, 0xf64u);
	for (int t = 0; t < 20000; t++) {
		uint64_t u = wb_rand_u64(&r);
		uint64_t got = pun_f64_bits(pun_f64_from_bits(u));

		CHECK(got == u,
		      "pun_f64_bits(pun_f64_from_bits(0x%016llx)) gave 0x%016llx: "
		      "the bits must come back unchanged",
		      (unsigned long long)u, (unsigned long long)got);
	}
}

/* ---- loads and stores at any address ------------------------------ */

TEST(pun_load_unaligned)
{
	enum { LEN = 40 };
	struct wb_rand r;
	uint8_t *buf;

	wb_rand_seed(&r, 0x10adu);
	buf = random_block(&r, LEN);
	/* every offset, up to the last byte of the block */
	for (size_t off = 0; off < LEN; off++) {
		if (off + 2 <= LEN) {
			uint64_t want = host_value(buf + off, 2);
			uint16_t got = pun_load16(buf + off);

			CHECK(got == want,
			      "pun_load16(block + %zu): expected 0x%04llx (bytes "
			      "%zu..%zu, " HOST_ORDER "), got 0x%04x",
			      off, (unsigned long long)want, off, off + 1,
			      (unsigned)got);
		}
		if (off + 4 <= LEN) {
			uint64_t want = host_value(buf + off, 4);
			uint32_t got = pun_load32(buf + off);

			CHECK(got == want,
			      "pun_load32(block + %zu): expected 0x%08llx (bytes "
			      "%zu..%zu, " HOST_ORDER "), got 0x%08lx",
			      off, (unsigned long long)want, off, off + 3,
			      (unsigned long)got);
		}
		if (off + 8 <= LEN) {
			uint64_t want = host_value(buf + off, 8);
			uint64_t got = pun_load64(buf + off);

			CHECK(got == want,
			      "pun_load64(block + %zu): expected 0x%016llx (bytes "
			      "%zu..%zu, " HOST_ORDER "), got 0x%016llx",
			      off, (unsigned long long)want, off, off + 7,
			      (unsigned long long)got);
		}
	}
	free(buf);
}

/* Store at every offset; the block must then hold exactly the value's
 * bytes there and the fill everywhere else. */
static void store_all_offsets(const char *name, size_t width,
			      void (*store)(uint8_t *, uint64_t),
			      struct wb_rand *r)
{
	enum { LEN = 40 };
	uint8_t *buf = malloc(LEN);
	uint8_t want[LEN];

	CHECK(buf != NULL, "out of memory");
	for (size_t off = 0; off + width <= LEN; off++) {
		uint64_t v = wb_rand_u64(r);
		char what[160];

		if (width < 8)
			v &= (UINT64_C(1) << (8 * width)) - 1;
		memset(buf, 0xcc, LEN);
		memset(want, 0xcc, LEN);
		host_bytes(want + off, width, v);
		store(buf + off, v);
		snprintf(what, sizeof what,
			 "%s(block + %zu, 0x%llx): the block afterwards (bytes "
			 "%zu..%zu hold the value, " HOST_ORDER
			 "; the rest must stay 0xcc)",
			 name, off, (unsigned long long)v, off, off + width - 1);
		CHECK_MEM(what, want, buf, LEN);
	}
	free(buf);
}

static void do_store16(uint8_t *p, uint64_t v)
{
	pun_store16(p, (uint16_t)v);
}

static void do_store32(uint8_t *p, uint64_t v)
{
	pun_store32(p, (uint32_t)v);
}

static void do_store64(uint8_t *p, uint64_t v)
{
	pun_store64(p, v);
}

TEST(pun_store_unaligned)
{
	struct wb_rand r;

	wb_rand_seed(&r, 0x5702u);
	store_all_offsets("pun_store16", 2, do_store16, &r);
	store_all_offsets("pun_store32", 4, do_store32, &r);
	store_all_offsets("pun_store64", 8, do_store64, &r);
}

/* ---- reading a double's bits -------------------------------------- */

static const char *class_name(int c)
{
	switch (c) {
	case PUN_ZERO: return "PUN_ZERO";
	case PUN_SUBNORMAL: return "PUN_SUBNORMAL";
	case PUN_NORMAL: return "PUN_NORMAL";
	case PUN_INFINITE: return "PUN_INFINITE";
	case PUN_NAN: return "PUN_NAN";
	default: return "not a pun_class";
	}
}

/* What the C library says, in pun_class terms. */
static enum pun_class libc_class(double d)
{
	switch (fpclassify(d)) {
	case FP_ZERO: return PUN_ZERO;
	case FP_SUBNORMAL: return PUN_SUBNORMAL;
	case FP_INFINITE: return PUN_INFINITE;
	case FP_NAN: return PUN_NAN;
	default: return PUN_NORMAL;
	}
}

static void check_class(uint64_t u)
{
	double d = double_of(u);
	enum pun_class want = libc_class(d), got = pun_classify(d);
	unsigned exp = (unsigned)(u >> 52 & 0x7ff);
	uint64_t frac = u & 0xfffffffffffffull;

	CHECK(got == want,
	      "pun_classify(%a, bits 0x%016llx: sign %u, exponent %u, fraction "
	      "0x%013llx): expected %s, got %s (%d)",
	      d, (unsigned long long)u, (unsigned)(u >> 63), exp,
	      (unsigned long long)frac, class_name(want), class_name(got),
	      (int)got);
}

TEST(pun_classify_bits)
{
	static const uint64_t edges[] = {
		0x0000000000000000, /* +0 */
		0x8000000000000000, /* -0 */
		0x0000000000000001, /* smallest subnormal */
		0x8000000000000001, /* its negative */
		0x000fffffffffffff, /* largest subnormal */
		0x800fffffffffffff,
		0x0010000000000000, /* DBL_MIN */
		0x8010000000000000,
		0x3ff0000000000000, /* 1.0 */
		0x7fefffffffffffff, /* DBL_MAX */
		0xffefffffffffffff,
		0x7ff0000000000000, /* +inf */
		0xfff0000000000000, /* -inf */
		0x7ff8000000000000, /* quiet NaN */
		0xfff8000000000000, /* negative quiet NaN */
		0x7ff0000000000001, /* signalling NaN, smallest payload */
		0x7fffffffffffffff, /* NaN, all ones */
		0x0008000000000000, /* subnormal, top fraction bit only */
	};
	struct wb_rand r;

	for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++)
		check_class(edges[k]);
	wb_rand_seed(&r, 0xc1a5u);
	for (int t = 0; t < 40000; t++) {
		uint64_t u = wb_rand_u64(&r);

		/* force the rare exponents 0 and 2047 a quarter of the time each */
		if (t % 4 == 1)
			u &= 0x800fffffffffffffull;
		else if (t % 4 == 2)
			u |= 0x7ff0000000000000ull;
		check_class(u);
	}
}

struct up_case {
	const char *what;
	uint64_t in, out;
};

static void check_next_up(const char *what, uint64_t in, uint64_t want)
{
	double got = pun_next_up(double_of(in));

	CHECK(bits_of(got) == want,
	      "pun_next_up(%s%s%a, bits 0x%016llx): expected %a (bits "
	      "0x%016llx), got %a (bits 0x%016llx)",
	      what ? what : "", what ? " = " : "", double_of(in),
	      (unsigned long long)in, double_of(want),
	      (unsigned long long)want, got, (unsigned long long)bits_of(got));
}

TEST(pun_next_up)
{
	static const struct up_case cases[] = {
		{"+0.0", 0x0000000000000000, 0x0000000000000001},
		{"-0.0", 0x8000000000000000, 0x0000000000000001},
		{"the smallest subnormal", 0x0000000000000001, 0x0000000000000002},
		{"minus the smallest subnormal", 0x8000000000000001,
		 0x8000000000000000},
		{"the largest subnormal", 0x000fffffffffffff, 0x0010000000000000},
		{"-DBL_MIN", 0x8010000000000000, 0x800fffffffffffff},
		{"1.0", 0x3ff0000000000000, 0x3ff0000000000001},
		{"-1.0", 0xbff0000000000000, 0xbfefffffffffffff},
		{"the double just below 2.0", 0x3fffffffffffffff,
		 0x4000000000000000},
		{"DBL_MAX", 0x7fefffffffffffff, 0x7ff0000000000000},
		{"-DBL_MAX", 0xffefffffffffffff, 0xffeffffffffffffe},
		{"+infinity", 0x7ff0000000000000, 0x7ff0000000000000},
		{"-infinity", 0xfff0000000000000, 0xffefffffffffffff},
		{"a quiet NaN", 0x7ff8000000000000, 0x7ff8000000000000},
		{"a negative quiet NaN with a payload", 0xfff8000000000123,
		 0xfff8000000000123},
	};
	struct wb_rand r;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		check_next_up(cases[k].what, cases[k].in, cases[k].out);
	/* everything else agrees with the C library's nextafter() */
	wb_rand_seed(&r, 0x0e7au);
	for (int t = 0; t < 40000; t++) {
		uint64_t u = wb_rand_u64(&r);
		double d;

		switch (t % 4) {
		case 1: /* subnormals and zeros, both signs */
			u &= 0x800fffffffffffffull;
			break;
		case 2: /* a fraction of all ones: the step carries */
			u |= 0x000fffffffffff00ull;
			break;
		case 3: /* within a few steps of zero */
			u &= 0x8000000000000003ull;
			break;
		}
		d = double_of(u);
		if (isnan(d)) {
			double got = pun_next_up(d);

			CHECK(isnan(got),
			      "pun_next_up(a NaN, bits 0x%016llx): expected a NaN, "
			      "got %a",
			      (unsigned long long)u, got);
			continue;
		}
		check_next_up(NULL, u, bits_of(nextafter(d, INFINITY)));
	}
}
