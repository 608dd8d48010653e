/*
 * pun.h - type punning without undefined behaviour (task 3).
 *
 * "Punning" is reading the bytes of an object as another type: the bits
 * of a double as a uint64_t, four bytes of a packet as a uint32_t.  In C
 * the obvious way, a pointer cast,
 *
 *     uint64_t bits = *(uint64_t *)&d;          strict-aliasing violation
 *     uint32_t v = *(const uint32_t *)(buf + 3); misaligned access
 *
 * is undefined behaviour, and optimising compilers do exploit it.  The
 * defined ways are memcpy (which compilers turn into one move) and, for
 * the float/integer case, reading another member of a union.  Every
 * function below must use one of those; naive/pun_ub.c shows the pointer
 * casts you must not write, and the sanitizer build catches them.
 *
 * float is IEEE 754 binary32 and double binary64, as on every machine
 * this workbook runs on:
 *
 *   double:  bit 63   62 ........ 52   51 ......................... 0
 *            sign     exponent (11)    fraction (52)
 */
#ifndef PUN_H
#define PUN_H

#include <stdint.h>

/* ---- float and double as bits ------------------------------------- */

/* The 32 bits of f, unchanged (NaN payloads and the sign of zero kept). */
uint32_t pun_f32_bits(float f);
/* The float whose bits are u. */
float pun_f32_from_bits(uint32_t u);
/* The 64 bits of d, unchanged. */
uint64_t pun_f64_bits(double d);
/* The double whose bits are u. */
double pun_f64_from_bits(uint64_t u);

/* ---- loads and stores at any address ------------------------------ */

/*
 * Read or write a 2-, 4- or 8-byte integer at p, in the host's byte
 * order, whatever the alignment of p.  Exactly that many bytes are read
 * or written; nothing around them is touched.
 */
uint16_t pun_load16(const void *p);
uint32_t pun_load32(const void *p);
uint64_t pun_load64(const void *p);
void pun_store16(void *p, uint16_t v);
void pun_store32(void *p, uint32_t v);
void pun_store64(void *p, uint64_t v);

/* ---- reading a double's bits -------------------------------------- */

enum pun_class {
	PUN_ZERO = 1,  /* exponent 0, fraction 0: +0.0 or -0.0 */
	PUN_SUBNORMAL, /* exponent 0, fraction not 0 */
	PUN_NORMAL,    /* exponent 1..2046 */
	PUN_INFINITE,  /* exponent 2047, fraction 0 */
	PUN_NAN,       /* exponent 2047, fraction not 0 */
};

/* Classify d from its bits (the sign plays no part): do not use
 * fpclassify(), isnan() or floating-point comparisons. */
enum pun_class pun_classify(double d);

/*
 * The least double greater than d (IEEE 754 nextUp), computed on the bits:
 *   NaN          -> d itself, unchanged
 *   +infinity    -> +infinity
 *   -infinity    -> -DBL_MAX
 *   +0.0, -0.0   -> the smallest positive subnormal, 0x1p-1074
 *   -0x1p-1074   -> -0.0
 *   otherwise    -> the neighbour of d towards +infinity
 * Do not use nextafter() or floating-point arithmetic.
 */
double pun_next_up(double d);

#endif
