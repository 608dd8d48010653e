/*
 * pun.c - type punning without undefined behaviour (task 3),
 * KNOWN-WRONG variant "pun_union_wrong_size"
 * (the reference solution with one bug; see expect.conf).
 *
 * memcpy is the one tool.  It copies bytes, so it is defined for any
 * types of the same size and any alignment; and because its size is a
 * constant, GCC and Clang never call the library: a memcpy of 8 bytes
 * between a double and a uint64_t is a single movq, and an unaligned
 * 4-byte load is a single movl (x86-64 allows misaligned integer loads;
 * what C forbids is telling the compiler a pointer is aligned when it is
 * not, which is what a cast to uint32_t * does).
 *
 * A union would do for the float/integer pair (C11 6.5.2.3 footnote 95
 * makes reading another member a reinterpretation of the bytes), but
 * memcpy covers both jobs here with one rule to remember.
 */
#include "pun.h"

#include <string.h>

/* The two types must have the same size, or the copy is not a pun. */
_Static_assert(sizeof(float) == sizeof(uint32_t), "binary32");
_Static_assert(sizeof(double) == sizeof(uint64_t), "binary64");

/* ---- float and double as bits ------------------------------------- */

uint32_t pun_f32_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof u);
	return u;
}

float pun_f32_from_bits(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof f);
	return f;
}

uint64_t pun_f64_bits(double d)
{
	/* The float version, with float changed to double. */
	union {
		double d;
		uint32_t u;
	} pun = {.d = d};

	return pun.u;
}

double pun_f64_from_bits(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

/* ---- loads and stores at any address ------------------------------ */

uint16_t pun_load16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

uint32_t pun_load32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

uint64_t pun_load64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

void pun_store16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof v);
}

void pun_store32(void *p, uint32_t v)
{
	memcpy(p, &v, sizeof v);
}

void pun_store64(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof v);
}

/* ---- reading a double's bits -------------------------------------- */

#define F64_SIGN (UINT64_C(1) << 63)
#define F64_EXP_MASK UINT64_C(0x7ff0000000000000)
#define F64_FRAC_MASK UINT64_C(0x000fffffffffffff)

enum pun_class pun_classify(double d)
{
	uint64_t u = pun_f64_bits(d);
	uint64_t exp = u & F64_EXP_MASK, frac = u & F64_FRAC_MASK;

	if (exp == 0)
		return frac == 0 ? PUN_ZERO : PUN_SUBNORMAL;
	if (exp == F64_EXP_MASK)
		return frac == 0 ? PUN_INFINITE : PUN_NAN;
	return PUN_NORMAL;
}

/*
 * Apart from the sign, doubles are ordered like their bit patterns read
 * as integers: the exponent sits above the fraction, and a fraction that
 * overflows carries into the exponent, which is exactly the next binade.
 * So one step up is +1 on the magnitude of a positive number and -1 on
 * the magnitude of a negative one.  The exceptions are the ends of the
 * line: the two zeros, +infinity and NaN.
 */
double pun_next_up(double d)
{
	uint64_t u = pun_f64_bits(d);

	if (pun_classify(d) == PUN_NAN)
		return d;
	if ((u & ~F64_SIGN) == 0)	/* +0.0 or -0.0 */
		return pun_f64_from_bits(1);
	if (u == F64_EXP_MASK)		/* +infinity stays */
		return d;
	if (u & F64_SIGN)		/* negative: towards zero */
		return pun_f64_from_bits(u - 1);
	return pun_f64_from_bits(u + 1); /* DBL_MAX + 1 ulp is +infinity */
}
