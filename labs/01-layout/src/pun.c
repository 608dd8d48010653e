/*
 * pun.c - type punning without undefined behaviour (task 3).  Yours to
 * edit.
 *
 * Read "Task 3" in the handout, and naive/pun_ub.c for what not to write:
 * no pointer casts between unrelated types, no wide access through a
 * pointer that may be misaligned.  memcpy (or, for the float/integer
 * pairs, a union) is the tool.  Contract: include/pun.h.  Delete each
 * TODO() as you write the function.
 */
#include "pun.h"

#include <string.h>

#include "wb/todo.h"

/* ---- float and double as bits (handout: "Bits of a float") --------- */

uint32_t pun_f32_bits(float f)
{
	(void)f;
	TODO();
}

float pun_f32_from_bits(uint32_t u)
{
	(void)u;
	TODO();
}

uint64_t pun_f64_bits(double d)
{
	(void)d;
	TODO();
}

double pun_f64_from_bits(uint64_t u)
{
	(void)u;
	TODO();
}

/* ---- loads and stores at any address (handout: "Unaligned access") - */

uint16_t pun_load16(const void *p)
{
	(void)p;
	TODO();
}

uint32_t pun_load32(const void *p)
{
	(void)p;
	TODO();
}

uint64_t pun_load64(const void *p)
{
	(void)p;
	TODO();
}

void pun_store16(void *p, uint16_t v)
{
	(void)p;
	(void)v;
	TODO();
}

void pun_store32(void *p, uint32_t v)
{
	(void)p;
	(void)v;
	TODO();
}

void pun_store64(void *p, uint64_t v)
{
	(void)p;
	(void)v;
	TODO();
}

/* ---- reading a double's bits (handout: "Reading the bits") --------- */

enum pun_class pun_classify(double d)
{
	(void)d;
	TODO();
}

double pun_next_up(double d)
{
	(void)d;
	TODO();
}
