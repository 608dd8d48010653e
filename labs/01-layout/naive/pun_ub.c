/*
 * naive/pun_ub.c - how NOT to pun: the pointer-cast version of pun.h.
 *
 * This file is here to be read, not used: nothing graded compiles it.  It
 * is the code that "works on my machine": on x86-64 with GCC or Clang at
 * -O0 every test passes, and that is precisely the trap.  Each function
 * has undefined behaviour, of one of two kinds.
 *
 * 1. Strict aliasing (C11 6.5p7).  An object may be read only through an
 *    lvalue of its own type (or a character type, or a few relatives).  A
 *    double read through a uint64_t * breaks the rule, so the optimiser
 *    may assume the two pointers do not refer to the same memory and
 *    reorder or drop the accesses.  GCC warns at -O2 with -Wall
 *    ("dereferencing type-punned pointer will break strict-aliasing
 *    rules"), which under -Werror is a build failure.  UBSan cannot see
 *    this kind at all.
 *
 * 2. Alignment (C11 6.3.2.3p7).  Converting a pointer to uint32_t * when
 *    the address is not a multiple of 4 is already undefined.  x86-64
 *    happens to execute a misaligned mov, but the compiler is entitled to
 *    assume alignment: it may vectorise with aligned SSE loads (movdqa,
 *    which faults), and on ARMv7, SPARC or some RISC-V cores the plain
 *    load itself traps.  UBSan reports every such access:
 *
 *      runtime error: load of misaligned address 0x602000000013 for
 *      type 'const uint32_t', which requires 4 byte alignment
 *
 * See it for yourself (from the lab directory):
 *
 *   gcc -std=gnu11 -g -O1 -fsanitize=address,undefined \
 *       -fno-sanitize-recover=all -Iinclude -I../../common/include \
 *       ../../common/test.c ../../common/bench.c ../../common/cpu.c \
 *       tests/pun_test.c naive/pun_ub.c -lm -pthread -o pun_ub && ./pun_ub
 *
 * and compare with your src/pun.c built the same way.
 */
#include "pun.h"

uint32_t pun_f32_bits(float f)
{
	return *(uint32_t *)&f; /* UB: a float read as a uint32_t */
}

float pun_f32_from_bits(uint32_t u)
{
	return *(float *)&u; /* UB: a uint32_t read as a float */
}

uint64_t pun_f64_bits(double d)
{
	return *(uint64_t *)&d; /* UB: aliasing */
}

double pun_f64_from_bits(uint64_t u)
{
	return *(double *)&u; /* UB: aliasing */
}

uint16_t pun_load16(const void *p)
{
	return *(const uint16_t *)p; /* UB when p is odd */
}

uint32_t pun_load32(const void *p)
{
	return *(const uint32_t *)p; /* UB unless p % 4 == 0 */
}

uint64_t pun_load64(const void *p)
{
	return *(const uint64_t *)p; /* UB unless p % 8 == 0 */
}

void pun_store16(void *p, uint16_t v)
{
	*(uint16_t *)p = v;
}

void pun_store32(void *p, uint32_t v)
{
	*(uint32_t *)p = v;
}

void pun_store64(void *p, uint64_t v)
{
	*(uint64_t *)p = v;
}

/* The same aliasing violation, hidden in a helper. */
static uint64_t bits(double d)
{
	return *(uint64_t *)&d;
}

enum pun_class pun_classify(double d)
{
	uint64_t u = bits(d);
	uint64_t exp = u >> 52 & 0x7ff, frac = u & 0xfffffffffffffull;

	if (exp == 0)
		return frac ? PUN_SUBNORMAL : PUN_ZERO;
	if (exp == 0x7ff)
		return frac ? PUN_NAN : PUN_INFINITE;
	return PUN_NORMAL;
}

double pun_next_up(double d)
{
	uint64_t u = bits(d);

	if (pun_classify(d) == PUN_NAN || u == 0x7ff0000000000000ull)
		return d;
	if ((u << 1) == 0)
		u = 1;
	else if (u >> 63)
		u--;
	else
		u++;
	return *(double *)&u;
}
