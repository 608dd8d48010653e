/*
 * audit.c - layout audit (task 1),
 * KNOWN-WRONG variant "audit_tight_packed"
 * (the reference solution with one bug; see expect.conf).
 *
 * The rules, for x86-64 System V (and, in fact, for every mainstream ABI):
 *
 *   1. each member starts at the first offset at or after the end of the
 *      previous one that is a multiple of the member's alignment;
 *   2. a struct is as aligned as its most-aligned member;
 *   3. its size is the end of its last member rounded up to a multiple of
 *      its alignment, so that in an array every element is aligned too.
 *
 * A union is the degenerate case: every member at offset 0, size the
 * largest member rounded up to the largest alignment.
 */
#include "audit.h"

#include <errno.h>
#include <stdint.h>

/* ---- Part A ------------------------------------------------------ */

/*
 * Worked out by hand from the rules above; the _Static_asserts below let
 * the compiler check the reasoning every time this file is built.
 */
static const struct audit_guess guesses[] = {
	/* id 0..3, 4 pad, ts 8..15, kind 16, 1 pad, chan 18..19,
	 * value 20..23, tag 24..26, 5 pad to 32 (a multiple of 8). */
	{"sensor_rec", 32, 8, 10, {0, 8, 16, 18, 20, 24}},
	/* len 0..1, kind 2, 1 pad: size 4, a multiple of 2. */
	{"span", 4, 2, 1, {0, 2}},
	/* tag 0, 1 pad, span 2..5 (2-aligned), 2 pad, data 8..15,
	 * seq 16..21, 2 pad to 24. */
	{"msg_slot", 24, 8, 5, {0, 2, 8, 16}},
	/* All members at 0; the largest is 12 bytes, the alignment 8:
	 * size 16, of which 4 belong to no member at all. */
	{"box_val", 16, 8, 4, {0, 0, 0}},
	/* type 0, 7 pad, v 8..23, flags 24, 7 pad to 32. */
	{"value_box", 32, 8, 14, {0, 8, 24}},
	/* len 0..3, kind 4..5, data starts at 6; size rounds 6 up to 8, so
	 * sizeof is 2 more than offsetof(data). */
	{"frame", 8, 4, 2, {0, 4, 6}},
	/* valid 0, 15 pad, v 16..31, unit 32..33, 14 pad to 48. */
	{"lab_reading", 48, 16, 29, {0, 16, 32}},
	/* packed: 1 + 4 + 2 bytes back to back. */
	{"wire_hdr_packed", 7, 1, 0, {0, 1, 5}},
};

#define PIN_OFFSET(type, m, off)                                           \
	_Static_assert(offsetof(type, m) == (off), #type "." #m " moved")

PIN_OFFSET(struct sensor_rec, ts, 8);
PIN_OFFSET(struct sensor_rec, tag, 24);
PIN_OFFSET(struct msg_slot, data, 8);
PIN_OFFSET(struct frame, data, 6);
PIN_OFFSET(struct lab_reading, v, 16);
PIN_OFFSET(struct wire_hdr_packed, crc, 5);
_Static_assert(sizeof(struct sensor_rec) == 32, "sensor_rec size");
_Static_assert(sizeof(struct frame) == 8, "frame size");
_Static_assert(_Alignof(struct wire_hdr_packed) == 1, "packed align");

const struct audit_guess *audit_guesses(size_t *n)
{
	*n = sizeof guesses / sizeof guesses[0];
	return guesses;
}

/* ---- Part B ------------------------------------------------------ */

static bool is_pow2(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Round x up to a multiple of the power of two a; false on overflow. */
static bool round_up(size_t x, size_t a, size_t *r)
{
	if (x > SIZE_MAX - (a - 1))
		return false;
	*r = (x + a - 1) & ~(a - 1);
	return true;
}

/* The input checks shared by every entry point, in the documented order. */
static int check_fields(const struct audit_field *f, size_t n)
{
	if (n == 0)
		return -EINVAL;
	if (n > AUDIT_MAX_FIELDS)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		if (!is_pow2(f[i].align))
			return -EINVAL;
		/* Only a flexible array member has size 0, and C wants it
		 * last and after at least one named member. */
		if (f[i].size == 0 && (i != n - 1 || n == 1))
			return -EINVAL;
	}
	return 0;
}

int audit_layout(const struct audit_field *f, size_t n,
		 struct audit_layout *out)
{
	struct audit_layout l = {.align = 1};
	size_t end = 0, used = 0;
	int err = check_fields(f, n);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		size_t off;

		if (!round_up(end, f[i].align, &off) ||
		    f[i].size > SIZE_MAX - off)
			return -EOVERFLOW;
		l.offset[i] = off;
		end = off + f[i].size;
		used += f[i].size; /* used <= end: cannot overflow */
		if (f[i].align > l.align)
			l.align = f[i].align;
	}
	/* The trailing padding: without it the second element of an array
	 * of these structs would start misaligned. */
	if (!round_up(end, l.align, &l.size))
		return -EOVERFLOW;
	l.padding = l.size - used;
	*out = l; /* only now: on error *out stays as it was */
	return 0;
}

int audit_holes(const struct audit_field *f, size_t n, struct audit_hole *out,
		size_t cap)
{
	struct audit_layout l;
	size_t count = 0;
	int err = audit_layout(f, n, &l);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		size_t end = l.offset[i] + f[i].size;
		size_t next = i + 1 < n ? l.offset[i + 1] : l.size;

		if (next == end)
			continue;
		if (count < cap) {
			out[count].offset = end;
			out[count].len = next - end;
			out[count].after = i;
		}
		count++;
	}
	/* At most one hole per field, and n <= AUDIT_MAX_FIELDS. */
	return (int)count;
}

/* ---- Part C ------------------------------------------------------ */

/*
 * Decreasing alignment wastes nothing: when a field is placed, everything
 * before it has a size that is a multiple of an alignment at least as
 * large as its own, so it starts aligned with no padding in front.  Only
 * the trailing padding can remain, and no order avoids that, because the
 * size must be a multiple of the largest alignment anyway.
 *
 * Insertion sort: stable (ties keep their declaration order, which keeps
 * related fields together) and plenty for 16 elements.
 */
int audit_reorder(const struct audit_field *f, size_t n, size_t *order)
{
	size_t tmp[AUDIT_MAX_FIELDS];
	size_t sorted;
	int err = check_fields(f, n);

	if (err)
		return err;
	/* A flexible array member stays where C requires it: last. */
	sorted = f[n - 1].size == 0 ? n - 1 : n;
	for (size_t i = 0; i < sorted; i++) {
		size_t j = i;

		while (j > 0 && f[tmp[j - 1]].align < f[i].align) {
			tmp[j] = tmp[j - 1];
			j--;
		}
		tmp[j] = i;
	}
	if (sorted < n)
		tmp[n - 1] = n - 1;
	for (size_t i = 0; i < n; i++)
		order[i] = tmp[i];
	return 0;
}

/* ---- Part D ------------------------------------------------------ */

/* Packed: no padding at all, so 22 bytes, the sum of the members. */
struct sensor_rec_tight {
	uint32_t id;
	uint64_t ts;
	uint8_t kind;
	uint16_t chan;
	float value;
	char tag[3];
} __attribute__((packed));

_Static_assert(sizeof(struct sensor_rec_tight) == 22,
	       "sensor_rec_tight: 22 bytes of members");

size_t audit_tight(struct audit_member *out, size_t cap, size_t *size)
{
	static const struct audit_member members[] = {
		AUDIT_MEMBER(struct sensor_rec_tight, ts),
		AUDIT_MEMBER(struct sensor_rec_tight, id),
		AUDIT_MEMBER(struct sensor_rec_tight, value),
		AUDIT_MEMBER(struct sensor_rec_tight, chan),
		AUDIT_MEMBER(struct sensor_rec_tight, kind),
		AUDIT_MEMBER(struct sensor_rec_tight, tag),
	};
	size_t n = sizeof members / sizeof members[0];

	if (n > cap)
		n = cap;
	for (size_t i = 0; i < n; i++)
		out[i] = members[i];
	*size = sizeof(struct sensor_rec_tight);
	return n;
}
