/*
 * audit.h - layout audit (task 1).
 *
 * Everything here is about one machine model: x86-64 with the System V
 * ABI (Linux, the BSDs, macOS), where
 *
 *   type                        sizeof  _Alignof
 *   char, bool, int8_t, uint8_t      1         1
 *   short, int16_t, uint16_t         2         2
 *   int, float, int32_t, uint32_t    4         4
 *   long, size_t, pointers, double   8         8
 *   int64_t, uint64_t                8         8
 *   long double                     16        16   (10 bytes used, 6 padding)
 *   __int128                        16        16
 *   T[n]                        n*sizeof(T)  _Alignof(T)
 *   struct, union            see the handout: computed from the members
 *
 * The task has four parts, all in src/audit.c:
 *
 *   A. predict the layout of the structs below, on paper, and write your
 *      numbers into the table that audit_guesses() returns;
 *   B. compute a layout from a description of its fields: audit_layout()
 *      and audit_holes();
 *   C. find a field order of minimal size: audit_reorder();
 *   D. declare struct sensor_rec_tight, a reordering of struct sensor_rec
 *      of minimal size, pin it with _Static_assert, and describe it with
 *      audit_tight().
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Part A: the structs to audit.  Predict, for each one, its sizeof,    */
/* its _Alignof, the offset of every member and its total padding.      */
/* ------------------------------------------------------------------ */

struct sensor_rec {
	uint32_t id;
	uint64_t ts;
	uint8_t kind;
	uint16_t chan;
	float value;
	char tag[3];
};

struct span {
	uint16_t len;
	uint8_t kind;
};

struct msg_slot {
	char tag;
	struct span span;
	void *data;
	uint16_t seq[3];
};

union box_val {
	int64_t i;
	double d;
	char s[12];
};

struct value_box {
	uint8_t type;
	union box_val v;
	uint8_t flags;
};

/* A header followed by a flexible array member: allocate it with
 * offsetof(struct frame, data) + n bytes, not sizeof(struct frame) + n. */
struct frame {
	uint32_t len;
	uint16_t kind;
	uint8_t data[];
};

struct lab_reading {
	bool valid;
	long double v;
	short unit;
};

/* GNU C: packed means "every member is 1-aligned", so no padding at all. */
struct wire_hdr_packed {
	uint8_t type;
	uint32_t len;
	uint16_t crc;
} __attribute__((packed));

#define AUDIT_MAX_FIELDS 16

/*
 * One prediction.  name is the tag without "struct"/"union" ("sensor_rec",
 * "box_val"); offset[i] is your offsetof of the i-th member in declaration
 * order (a flexible array member counts); padding counts every byte of
 * the object that belongs to no member, between members and at the end.
 */
struct audit_guess {
	const char *name;
	size_t size;
	size_t align;
	size_t padding;
	size_t offset[AUDIT_MAX_FIELDS];
};

/*
 * Return your table of predictions, one entry per struct or union above
 * (eight in all, in any order), and store the number of entries in *n.
 * Work the numbers out by hand: the point is to be able to predict them.
 */
const struct audit_guess *audit_guesses(size_t *n);

/* ------------------------------------------------------------------ */
/* Part B: compute a layout from a description.                        */
/* ------------------------------------------------------------------ */

/*
 * A field as the compiler sees it: its size and its alignment, both in
 * bytes.  align must be a power of two.  size may be 0 only for the last
 * field of two or more, which then is a flexible array member (align is
 * the alignment of its element type).  A packed struct is described by
 * giving every field align 1.
 */
struct audit_field {
	const char *name;
	size_t size;
	size_t align;
};

struct audit_layout {
	size_t size;	/* sizeof the struct */
	size_t align;	/* _Alignof the struct */
	size_t padding; /* size minus the sum of the field sizes */
	size_t offset[AUDIT_MAX_FIELDS]; /* offset[i]: offsetof field i */
};

/*
 * Lay out the n fields f[0..n-1] in that order, the way the x86-64 SysV
 * ABI lays out a struct, and store the result in *out.
 *
 * Returns 0 on success, or a negative errno value with *out unchanged:
 *   -EINVAL     n == 0; an align that is 0 or not a power of two; a field
 *               of size 0 that is not the last, or that is the only one
 *   -E2BIG      n > AUDIT_MAX_FIELDS
 *   -EOVERFLOW  an offset or the size would not fit in a size_t
 */
int audit_layout(const struct audit_field *f, size_t n,
		 struct audit_layout *out);

/* A run of padding bytes: len bytes at offset, right after field `after`. */
struct audit_hole {
	size_t offset;
	size_t len;
	size_t after;
};

/*
 * Find the padding of the layout of f[0..n-1]: every run of bytes that
 * belongs to no field, in increasing offset order, the trailing padding
 * included (after the last field).  A hole is reported as one run however
 * long it is; fields with no padding after them have no entry.
 *
 * Writes the first min(count, cap) holes to out[] (out may be NULL when
 * cap is 0) and returns count, the number of holes there are, like
 * snprintf; so a call with cap 0 asks how many there are.  Returns the
 * same negative errno values as audit_layout() for the same inputs.
 */
int audit_holes(const struct audit_field *f, size_t n, struct audit_hole *out,
		size_t cap);

/* ------------------------------------------------------------------ */
/* Part C: reorder for size.                                           */
/* ------------------------------------------------------------------ */

/*
 * Choose an order of the fields f[0..n-1] whose layout is as small as any
 * order can make it, and write it to order[0..n-1]: order[k] is the index
 * in f of the field placed k-th.  A flexible array member (size 0, last in
 * f) must stay last, as C requires.  Every field's size is a multiple of
 * its alignment, as it is for every C type.
 *
 * Returns 0, or the negative errno values of audit_layout() for the same
 * inputs, order[] then unchanged.
 */
int audit_reorder(const struct audit_field *f, size_t n, size_t *order);

/* ------------------------------------------------------------------ */
/* Part D: your own struct, checked at compile time and at run time.   */
/* ------------------------------------------------------------------ */

/* One member of a real struct, as the compiler laid it out. */
struct audit_member {
	const char *name;
	size_t offset;
	size_t size;
};

#define AUDIT_MEMBER(type, m)                                              \
	{ #m, offsetof(type, m), sizeof(((type *)0)->m) }

/*
 * In src/audit.c, declare struct sensor_rec_tight: the members of struct
 * sensor_rec, same names, same types, in an order that makes it as small
 * as possible without packing.  Add a _Static_assert on its size.
 *
 * audit_tight() describes it: it writes one AUDIT_MEMBER(struct
 * sensor_rec_tight, m) per member to out[] (at most cap, in any order),
 * stores sizeof(struct sensor_rec_tight) in *size and returns the number
 * of members it wrote.
 */
size_t audit_tight(struct audit_member *out, size_t cap, size_t *size);

#endif
