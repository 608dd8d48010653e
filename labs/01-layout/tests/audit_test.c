/*
 * audit_test.c - tests for task 1, the layout audit.
 *
 * The truth comes from the compiler: every offset, size and alignment
 * below is an offsetof, sizeof or _Alignof of a real declaration, so the
 * tests cannot disagree with the machine.  When a number is wrong the
 * message says which struct and member, and why the right number is
 * right.
 */
#include "audit.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- the compiler's truth ----------------------------------------- */

struct tfield {
	const char *name;
	const char *type;
	size_t offset;
	size_t size;
	size_t align;
};

struct tstruct {
	const char *name;
	const char *kind; /* "struct" or "union" */
	size_t size;
	size_t align;
	bool packed;
	bool given; /* declared in audit.h: part of the guess table */
	size_t n;
	struct tfield f[AUDIT_MAX_FIELDS];
};

/* offsetof, with a compile-time check that T really is the member's type,
 * so this table cannot drift from the declarations it describes. */
#define OFF(S, T, m)                                                       \
	(offsetof(S, m) +                                                  \
	 0 * sizeof(char[__builtin_types_compatible_p(                     \
				 __typeof__(((S *)0)->m), T) ? 1 : -1]))
#define M(S, T, m) {#m, #T, OFF(S, T, m), sizeof(T), _Alignof(T)}
#define FAM(S, T, m) {#m, #T "[]", OFF(S, T[], m), 0, _Alignof(T)}
#define STRUCT(S, name, given, ...)                                        \
	{name, "struct", sizeof(struct S), _Alignof(struct S), false, given, \
	 sizeof((struct tfield[]){__VA_ARGS__}) / sizeof(struct tfield),    \
	 {__VA_ARGS__}}

/* More shapes, for audit_layout() only. */
struct x_one {
	char a;
};
struct x_cdc {
	char a;
	double b;
	char c;
};
struct x_arr {
	uint16_t a[3];
	uint32_t b;
};
struct x_nest {
	char c;
	struct span s;
	char d;
};
struct x_i128 {
	uint8_t a;
	__int128 b;
	uint16_t c;
};
struct x_over {
	char a;
	_Alignas(32) char b;
	short c;
};
struct x_fam64 {
	uint32_t len;
	uint64_t d[];
};
struct x_ptrs {
	void *p;
	char c;
	void (*fn)(void);
	int i;
};
typedef char c5[5];
typedef uint16_t u16x3[3];
struct x_many {
	char a;
	uint64_t b;
	char c;
	uint32_t d;
	char e;
	uint16_t f;
	c5 g;
	double h;
	bool i;
	u16x3 j;
	int8_t k;
	long double l;
	char m;
	float n;
	short o;
	char p;
};

typedef char c3[3];
typedef void *voidp;
typedef void (*fnp)(void);

static const struct tstruct truth[] = {
	STRUCT(sensor_rec, "sensor_rec", true,
	       M(struct sensor_rec, uint32_t, id),
	       M(struct sensor_rec, uint64_t, ts),
	       M(struct sensor_rec, uint8_t, kind),
	       M(struct sensor_rec, uint16_t, chan),
	       M(struct sensor_rec, float, value),
	       M(struct sensor_rec, c3, tag)),
	STRUCT(span, "span", true, M(struct span, uint16_t, len),
	       M(struct span, uint8_t, kind)),
	STRUCT(msg_slot, "msg_slot", true, M(struct msg_slot, char, tag),
	       M(struct msg_slot, struct span, span),
	       M(struct msg_slot, voidp, data),
	       M(struct msg_slot, u16x3, seq)),
	{"box_val", "union", sizeof(union box_val), _Alignof(union box_val),
	 false, true, 3,
	 {M(union box_val, int64_t, i), M(union box_val, double, d),
	  {"s", "char[12]", OFF(union box_val, char[12], s), 12, 1}}},
	STRUCT(value_box, "value_box", true,
	       M(struct value_box, uint8_t, type),
	       M(struct value_box, union box_val, v),
	       M(struct value_box, uint8_t, flags)),
	STRUCT(frame, "frame", true, M(struct frame, uint32_t, len),
	       M(struct frame, uint16_t, kind), FAM(struct frame, uint8_t, data)),
	STRUCT(lab_reading, "lab_reading", true,
	       M(struct lab_reading, bool, valid),
	       M(struct lab_reading, long double, v),
	       M(struct lab_reading, short, unit)),
	{"wire_hdr_packed", "struct", sizeof(struct wire_hdr_packed),
	 _Alignof(struct wire_hdr_packed), true, true, 3,
	 {M(struct wire_hdr_packed, uint8_t, type),
	  M(struct wire_hdr_packed, uint32_t, len),
	  M(struct wire_hdr_packed, uint16_t, crc)}},
	/* test-only shapes */
	STRUCT(x_one, "x_one", false, M(struct x_one, char, a)),
	STRUCT(x_cdc, "x_cdc", false, M(struct x_cdc, char, a),
	       M(struct x_cdc, double, b), M(struct x_cdc, char, c)),
	STRUCT(x_arr, "x_arr", false, M(struct x_arr, u16x3, a),
	       M(struct x_arr, uint32_t, b)),
	STRUCT(x_nest, "x_nest", false, M(struct x_nest, char, c),
	       M(struct x_nest, struct span, s), M(struct x_nest, char, d)),
	STRUCT(x_i128, "x_i128", false, M(struct x_i128, uint8_t, a),
	       M(struct x_i128, __int128, b), M(struct x_i128, uint16_t, c)),
	{"x_over", "struct", sizeof(struct x_over), _Alignof(struct x_over),
	 false, false, 3,
	 {M(struct x_over, char, a),
	  {"b", "_Alignas(32) char", OFF(struct x_over, char, b), 1, 32},
	  M(struct x_over, short, c)}},
	STRUCT(x_fam64, "x_fam64", false, M(struct x_fam64, uint32_t, len),
	       FAM(struct x_fam64, uint64_t, d)),
	STRUCT(x_ptrs, "x_ptrs", false, M(struct x_ptrs, voidp, p),
	       M(struct x_ptrs, char, c), M(struct x_ptrs, fnp, fn),
	       M(struct x_ptrs, int, i)),
	STRUCT(x_many, "x_many", false, M(struct x_many, char, a),
	       M(struct x_many, uint64_t, b), M(struct x_many, char, c),
	       M(struct x_many, uint32_t, d), M(struct x_many, char, e),
	       M(struct x_many, uint16_t, f), M(struct x_many, c5, g),
	       M(struct x_many, double, h), M(struct x_many, bool, i),
	       M(struct x_many, u16x3, j), M(struct x_many, int8_t, k),
	       M(struct x_many, long double, l), M(struct x_many, char, m),
	       M(struct x_many, float, n), M(struct x_many, short, o),
	       M(struct x_many, char, p)),
};

#define NTRUTH (sizeof truth / sizeof truth[0])

static bool is_union(const struct tstruct *s)
{
	return strcmp(s->kind, "union") == 0;
}

/* The member that gives the struct its alignment (the first such). */
static const struct tfield *most_aligned(const struct tstruct *s)
{
	const struct tfield *m = &s->f[0];

	for (size_t i = 1; i < s->n; i++)
		if (s->f[i].align > m->align)
			m = &s->f[i];
	return m;
}

static size_t member_bytes(const struct tstruct *s)
{
	size_t sum = 0, max = 0;

	for (size_t i = 0; i < s->n; i++) {
		sum += s->f[i].size;
		if (s->f[i].size > max)
			max = s->f[i].size;
	}
	return is_union(s) ? max : sum;
}

/* "4 after 'id', 1 after 'kind', 5 at the end" */
static void describe_holes(char *buf, size_t cap, const struct tstruct *s)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && o < cap; i++) {
		size_t end = s->f[i].offset + s->f[i].size;
		size_t next = i + 1 < s->n ? s->f[i + 1].offset : s->size;

		if (next == end)
			continue;
		if (i + 1 < s->n)
			o += (size_t)snprintf(buf + o, cap - o, "%s%zu after '%s'",
					      o ? ", " : "", next - end,
					      s->f[i].name);
		else
			o += (size_t)snprintf(buf + o, cap - o, "%s%zu at the end",
					      o ? ", " : "", next - end);
	}
}

/* Why field i of s is where it is. */
static void explain_offset(char *buf, size_t cap, const struct tstruct *s,
			   size_t i)
{
	const struct tfield *f = &s->f[i], *p;
	size_t end, gap;

	if (is_union(s)) {
		snprintf(buf, cap, "every member of a union starts at offset 0");
		return;
	}
	if (i == 0) {
		snprintf(buf, cap,
			 "the first member of a struct is always at offset 0");
		return;
	}
	p = &s->f[i - 1];
	end = p->offset + p->size;
	gap = f->offset - end;
	if (s->packed)
		snprintf(buf, cap,
			 "the struct is packed: no padding, so '%s' starts "
			 "where '%s' ends",
			 f->name, p->name);
	else if (gap)
		snprintf(buf, cap,
			 "a %s is %zu-aligned, so %zu padding %s '%s', "
			 "which ends at %zu",
			 f->type, f->align, gap,
			 gap == 1 ? "byte follows" : "bytes follow", p->name, end);
	else
		snprintf(buf, cap,
			 "'%s' ends at %zu, already a multiple of %zu, the "
			 "alignment of a %s: no padding",
			 p->name, end, f->align, f->type);
}

static const struct tstruct *find_truth(const char *name)
{
	for (size_t i = 0; i < NTRUTH; i++)
		if (truth[i].given && strcmp(truth[i].name, name) == 0)
			return &truth[i];
	return NULL;
}

static const struct audit_guess *find_guess(const struct audit_guess *g,
					    size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].name && strcmp(g[i].name, name) == 0)
			return &g[i];
	return NULL;
}

static const struct audit_guess *get_guess(const struct tstruct *s)
{
	size_t n = 0;
	const struct audit_guess *g = audit_guesses(&n);
	const struct audit_guess *mine;

	CHECK(g != NULL, "audit_guesses() returned NULL");
	mine = find_guess(g, n, s->name);
	CHECK(mine != NULL,
	      "audit_guesses(): no entry named \"%s\" among the %zu entries "
	      "(name it without the word %s)",
	      s->name, n, s->kind);
	return mine;
}

/* ---- Part A: the guesses ------------------------------------------ */

TEST(audit_guess_sizes)
{
	size_t n = 0;
	const struct audit_guess *g = audit_guesses(&n);

	CHECK(g != NULL, "audit_guesses() returned NULL");
	for (size_t i = 0; i < n; i++)
		CHECK(g[i].name && find_truth(g[i].name),
		      "audit_guesses(): entry %zu is named %s%s%s, which is not "
		      "a struct or union of audit.h",
		      i, g[i].name ? "\"" : "", g[i].name ? g[i].name : "NULL",
		      g[i].name ? "\"" : "");
	for (size_t k = 0; k < NTRUTH; k++) {
		const struct tstruct *s = &truth[k];
		const struct audit_guess *mine;
		const struct tfield *big = most_aligned(s);
		size_t last_end = s->f[s->n - 1].offset + s->f[s->n - 1].size;
		char holes[256];

		if (!s->given)
			continue;
		mine = get_guess(s);
		if (s->packed)
			CHECK(mine->align == s->align,
			      "%s %s: _Alignof: expected %zu, you said %zu (a "
			      "packed struct is 1-aligned: packing makes every "
			      "member 1-aligned)",
			      s->kind, s->name, s->align, mine->align);
		else
			CHECK(mine->align == s->align,
			      "%s %s: _Alignof: expected %zu, you said %zu (it is "
			      "as aligned as its most-aligned member, '%s', a %s)",
			      s->kind, s->name, s->align, mine->align, big->name,
			      big->type);
		if (is_union(s))
			CHECK(mine->size == s->size,
			      "union %s: sizeof: expected %zu, you said %zu (the "
			      "largest member is %zu bytes; rounded up to a "
			      "multiple of the alignment %zu)",
			      s->name, s->size, mine->size, member_bytes(s),
			      s->align);
		else if (last_end != s->size)
			CHECK(mine->size == s->size,
			      "struct %s: sizeof: expected %zu, you said %zu (the "
			      "last member ends at %zu; the size is rounded up to "
			      "a multiple of the alignment %zu, so that every "
			      "element of an array of them is aligned)",
			      s->name, s->size, mine->size, last_end, s->align);
		else
			CHECK(mine->size == s->size,
			      "struct %s: sizeof: expected %zu, you said %zu (the "
			      "last member ends at %zu, already a multiple of the "
			      "alignment %zu)",
			      s->name, s->size, mine->size, last_end, s->align);
		describe_holes(holes, sizeof holes, s);
		if (is_union(s))
			CHECK(mine->padding == s->size - member_bytes(s),
			      "union %s: padding: expected %zu, you said %zu (size "
			      "%zu minus the largest member, %zu bytes)",
			      s->name, s->size - member_bytes(s), mine->padding,
			      s->size, member_bytes(s));
		else
			CHECK(mine->padding == s->size - member_bytes(s),
			      "struct %s: padding: expected %zu, you said %zu (size "
			      "%zu minus %zu bytes of members%s%s%s)",
			      s->name, s->size - member_bytes(s), mine->padding,
			      s->size, member_bytes(s), holes[0] ? ": " : "",
			      holes, holes[0] ? "" : ": none");
	}
}

TEST(audit_guess_offsets)
{
	for (size_t k = 0; k < NTRUTH; k++) {
		const struct tstruct *s = &truth[k];
		const struct audit_guess *mine;

		if (!s->given)
			continue;
		mine = get_guess(s);
		for (size_t i = 0; i < s->n; i++) {
			char why[256];

			if (mine->offset[i] == s->f[i].offset)
				continue;
			explain_offset(why, sizeof why, s, i);
			CHECK(0,
			      "%s %s: offset of member '%s' (member %zu): expected "
			      "%zu, you said %zu (%s)",
			      s->kind, s->name, s->f[i].name, i, s->f[i].offset,
			      mine->offset[i], why);
		}
	}
}

/* ---- Part B: audit_layout() and audit_holes() ---------------------- */

/* Describe s as audit_layout() input: packed means every align is 1. */
static void to_fields(const struct tstruct *s, struct audit_field *f)
{
	for (size_t i = 0; i < s->n; i++) {
		f[i].name = s->f[i].name;
		f[i].size = s->f[i].size;
		f[i].align = s->packed ? 1 : s->f[i].align;
	}
}

/* "{id 4/4, ts 8/8}" : the description the student's code was given */
static void show_fields(char *buf, size_t cap, const struct audit_field *f,
			size_t n)
{
	size_t o = (size_t)snprintf(buf, cap, "{");

	for (size_t i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s size %zu align %zu",
				      i ? ", " : "", f[i].name ? f[i].name : "?",
				      f[i].size, f[i].align);
	if (o < cap)
		snprintf(buf + o, cap - o, "}");
}

TEST(audit_layout_matches_compiler)
{
	for (size_t k = 0; k < NTRUTH; k++) {
		const struct tstruct *s = &truth[k];
		struct audit_field f[AUDIT_MAX_FIELDS];
		struct audit_layout l;
		char desc[1024], why[256];
		int rc;

		if (is_union(s))
			continue;
		to_fields(s, f);
		show_fields(desc, sizeof desc, f, s->n);
		memset(&l, 0, sizeof l);
		rc = audit_layout(f, s->n, &l);
		CHECK(rc == 0,
		      "audit_layout(struct %s %s): returned %d, expected 0",
		      s->name, desc, rc);
		for (size_t i = 0; i < s->n; i++) {
			if (l.offset[i] == s->f[i].offset)
				continue;
			explain_offset(why, sizeof why, s, i);
			CHECK(0,
			      "audit_layout(struct %s %s): offset[%zu] ('%s'): "
			      "expected %zu, got %zu (%s)",
			      s->name, desc, i, s->f[i].name, s->f[i].offset,
			      l.offset[i], why);
		}
		CHECK(l.align == s->align,
		      "audit_layout(struct %s %s): align: expected %zu, got %zu "
		      "(the largest member alignment)",
		      s->name, desc, s->align, l.align);
		CHECK(l.size == s->size,
		      "audit_layout(struct %s %s): size: expected %zu, got %zu "
		      "(the end of the last member, %zu, rounded up to a "
		      "multiple of the alignment %zu)",
		      s->name, desc, s->size, l.size,
		      s->f[s->n - 1].offset + s->f[s->n - 1].size, s->align);
		CHECK(l.padding == s->size - member_bytes(s),
		      "audit_layout(struct %s %s): padding: expected %zu, got %zu "
		      "(size minus the sum of the member sizes, %zu)",
		      s->name, desc, s->size - member_bytes(s), l.padding,
		      member_bytes(s));
	}
}

struct bad_case {
	const char *what;
	int want;
	size_t n;
	struct audit_field f[AUDIT_MAX_FIELDS + 1];
};

#define HUGE_SZ ((size_t)-1)

static const struct bad_case bad_cases[] = {
	{"no fields at all (n == 0)", -EINVAL, 0, {{"a", 1, 1}}},
	{"align 0", -EINVAL, 2, {{"a", 4, 4}, {"b", 4, 0}}},
	{"align 3 (not a power of two)", -EINVAL, 1, {{"a", 3, 3}}},
	{"align 24 (not a power of two)", -EINVAL, 2, {{"a", 1, 1}, {"b", 24, 24}}},
	{"a size-0 field that is not the last", -EINVAL, 3,
	 {{"a", 4, 4}, {"data", 0, 1}, {"b", 2, 2}}},
	{"a size-0 field alone (a flexible array member needs a member "
	 "before it)",
	 -EINVAL, 1, {{"data", 0, 4}}},
	{"17 fields (more than AUDIT_MAX_FIELDS)", -E2BIG, 17,
	 {{"f0", 1, 1}, {"f1", 1, 1}, {"f2", 1, 1}, {"f3", 1, 1},
	  {"f4", 1, 1}, {"f5", 1, 1}, {"f6", 1, 1}, {"f7", 1, 1},
	  {"f8", 1, 1}, {"f9", 1, 1}, {"f10", 1, 1}, {"f11", 1, 1},
	  {"f12", 1, 1}, {"f13", 1, 1}, {"f14", 1, 1}, {"f15", 1, 1},
	  {"f16", 1, 1}}},
	{"a field that ends past SIZE_MAX", -EOVERFLOW, 2,
	 {{"a", HUGE_SZ - 2, 1}, {"b", 4, 1}}},
	{"an offset that rounds up past SIZE_MAX", -EOVERFLOW, 2,
	 {{"a", HUGE_SZ - 2, 1}, {"b", 8, 8}}},
	{"a size that rounds up past SIZE_MAX", -EOVERFLOW, 2,
	 {{"a", 8, 8}, {"b", HUGE_SZ - 9, 1}}},
};

static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case -EINVAL: return "-EINVAL";
	case -E2BIG: return "-E2BIG";
	case -EOVERFLOW: return "-EOVERFLOW";
	default: return "an unexpected value";
	}
}

TEST(audit_layout_rejects_bad_input)
{
	for (size_t k = 0; k < sizeof bad_cases / sizeof bad_cases[0]; k++) {
		const struct bad_case *c = &bad_cases[k];
		struct audit_layout l, before;
		int rc;

		memset(&l, 0xab, sizeof l);
		before = l;
		rc = audit_layout(c->f, c->n, &l);
		CHECK(rc == c->want,
		      "audit_layout() given %s: expected %s (%d), got %s (%d)",
		      c->what, errname(c->want), c->want, errname(rc), rc);
		CHECK(memcmp(&l, &before, sizeof l) == 0,
		      "audit_layout() given %s: returned %s but changed *out; "
		      "on error *out must stay as it was",
		      c->what, errname(rc));
	}
}

TEST(audit_holes_listed)
{
	for (size_t k = 0; k < NTRUTH; k++) {
		const struct tstruct *s = &truth[k];
		struct audit_field f[AUDIT_MAX_FIELDS];
		struct audit_hole want[AUDIT_MAX_FIELDS], got[AUDIT_MAX_FIELDS + 1];
		size_t nwant = 0;
		char desc[1024], holes[256];
		int rc;

		if (is_union(s))
			continue;
		to_fields(s, f);
		show_fields(desc, sizeof desc, f, s->n);
		for (size_t i = 0; i < s->n; i++) {
			size_t end = s->f[i].offset + s->f[i].size;
			size_t next = i + 1 < s->n ? s->f[i + 1].offset : s->size;

			if (next != end)
				want[nwant++] = (struct audit_hole){end, next - end, i};
		}
		memset(got, 0xab, sizeof got);
		describe_holes(holes, sizeof holes, s);
		rc = audit_holes(f, s->n, got, AUDIT_MAX_FIELDS + 1);
		CHECK(rc == (int)nwant,
		      "audit_holes(struct %s %s): expected %zu hole%s%s%s%s, got %d",
		      s->name, desc, nwant, nwant == 1 ? "" : "s",
		      nwant ? " (" : "", holes, nwant ? ")" : "", rc);
		for (size_t h = 0; h < nwant; h++)
			CHECK(got[h].offset == want[h].offset &&
				      got[h].len == want[h].len &&
				      got[h].after == want[h].after,
			      "audit_holes(struct %s %s): hole %zu: expected %zu "
			      "byte%s at offset %zu after field %zu ('%s'), got "
			      "%zu byte%s at offset %zu after field %zu",
			      s->name, desc, h, want[h].len,
			      want[h].len == 1 ? "" : "s", want[h].offset,
			      want[h].after, s->f[want[h].after].name, got[h].len,
			      got[h].len == 1 ? "" : "s", got[h].offset,
			      got[h].after);
		rc = audit_holes(f, s->n, NULL, 0);
		CHECK(rc == (int)nwant,
		      "audit_holes(struct %s, out = NULL, cap = 0): expected the "
		      "count, %zu, got %d",
		      s->name, nwant, rc);
		if (nwant >= 2) {
			struct audit_hole guard;

			memset(got, 0xab, sizeof got);
			guard = got[1];
			rc = audit_holes(f, s->n, got, 1);
			CHECK(rc == (int)nwant,
			      "audit_holes(struct %s, cap = 1): expected the full "
			      "count, %zu, got %d",
			      s->name, nwant, rc);
			CHECK(memcmp(&got[1], &guard, sizeof guard) == 0,
			      "audit_holes(struct %s, cap = 1): wrote past out[0]",
			      s->name);
			CHECK(got[0].offset == want[0].offset &&
				      got[0].len == want[0].len,
			      "audit_holes(struct %s, cap = 1): out[0] should be the "
			      "first hole, %zu bytes at offset %zu",
			      s->name, want[0].len, want[0].offset);
		}
	}
}

/* ---- Part C: audit_reorder() --------------------------------------- */

/* The layout rule, applied to f in the given order: the size only. */
static size_t size_in_order(const struct audit_field *f, const size_t *order,
			    size_t n)
{
	size_t end = 0, align = 1;

	for (size_t k = 0; k < n; k++) {
		const struct audit_field *x = &f[order[k]];

		end = (end + x->align - 1) / x->align * x->align + x->size;
		if (x->align > align)
			align = x->align;
	}
	return (end + align - 1) / align * align;
}

/* The smallest any order can do: all member bytes, rounded up. */
static size_t min_size(const struct audit_field *f, size_t n)
{
	size_t sum = 0, align = 1;

	for (size_t i = 0; i < n; i++) {
		sum += f[i].size;
		if (f[i].align > align)
			align = f[i].align;
	}
	return (sum + align - 1) / align * align;
}

static void show_order(char *buf, size_t cap, const struct audit_field *f,
		       const size_t *order, size_t n)
{
	size_t o = (size_t)snprintf(buf, cap, "[");

	for (size_t k = 0; k < n && o < cap; k++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", k ? ", " : "",
				      f[order[k]].name);
	if (o < cap)
		snprintf(buf + o, cap - o, "]");
}

/* Run audit_reorder() on f and check it returns a permutation. */
static void reorder_ok(const char *what, const struct audit_field *f,
		       size_t n, size_t *order)
{
	bool seen[AUDIT_MAX_FIELDS] = {false};
	char desc[1024];
	int rc;

	show_fields(desc, sizeof desc, f, n);
	for (size_t k = 0; k < n; k++)
		order[k] = (size_t)-1;
	rc = audit_reorder(f, n, order);
	CHECK(rc == 0, "audit_reorder(%s %s): returned %d, expected 0", what,
	      desc, rc);
	for (size_t k = 0; k < n; k++) {
		CHECK(order[k] < n,
		      "audit_reorder(%s %s): order[%zu] = %zu is not an index "
		      "of a field (0..%zu)",
		      what, desc, k, order[k], n - 1);
		CHECK(!seen[order[k]],
		      "audit_reorder(%s %s): field %zu ('%s') appears twice in "
		      "order[]: it must be a permutation",
		      what, desc, order[k], f[order[k]].name);
		seen[order[k]] = true;
	}
}

static void check_minimal(const char *what, const struct audit_field *f,
			  size_t n, const size_t *order)
{
	size_t got = size_in_order(f, order, n), want = min_size(f, n);
	char desc[1024], ord[512];

	if (got == want)
		return;
	show_fields(desc, sizeof desc, f, n);
	show_order(ord, sizeof ord, f, order, n);
	CHECK(0,
	      "audit_reorder(%s %s): your order %s has size %zu, but %zu is "
	      "possible (the member bytes rounded up to the largest "
	      "alignment; hint: no field needs padding in front of it if "
	      "every field before it is at least as aligned)",
	      what, desc, ord, got, want);
}

struct shape {
	const char *name;
	size_t size, align;
};

static const struct shape palette[] = {
	{"u8", 1, 1},	  {"u16", 2, 2},     {"u32", 4, 4},
	{"u64", 8, 8},	  {"ldbl", 16, 16},  {"char3", 3, 1},
	{"u16x3", 6, 2}, {"u32x3", 12, 4}, {"u64x3", 24, 8},
	{"char5", 5, 1}, {"i128x2", 32, 16},
};

#define NPALETTE (sizeof palette / sizeof palette[0])

static const char *const fname[AUDIT_MAX_FIELDS] = {
	"f0", "f1", "f2",  "f3",  "f4",	 "f5",	"f6",  "f7",
	"f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15",
};

static size_t random_fields(struct wb_rand *r, struct audit_field *f,
			    bool fam)
{
	size_t n = 1 + (size_t)wb_rand_below(r, AUDIT_MAX_FIELDS - 1);

	for (size_t i = 0; i < n; i++) {
		const struct shape *s = &palette[wb_rand_below(r, NPALETTE)];

		f[i] = (struct audit_field){fname[i], s->size, s->align};
	}
	if (fam) {
		static const size_t elem_align[] = {1, 2, 4, 8, 16};

		f[n] = (struct audit_field){"data", 0,
					    elem_align[wb_rand_below(r, 5)]};
		n++;
	}
	return n;
}

TEST(audit_reorder_minimal)
{
	struct wb_rand r;
	struct audit_field f[AUDIT_MAX_FIELDS];
	size_t order[AUDIT_MAX_FIELDS];

	for (size_t k = 0; k < NTRUTH; k++) {
		const struct tstruct *s = &truth[k];
		char what[64];

		if (is_union(s) || s->packed || s->f[s->n - 1].size == 0)
			continue;
		to_fields(s, f);
		snprintf(what, sizeof what, "struct %s", s->name);
		reorder_ok(what, f, s->n, order);
		check_minimal(what, f, s->n, order);
	}
	wb_rand_seed(&r, 0x1a70u);
	for (int t = 0; t < 500; t++) {
		size_t n = random_fields(&r, f, false);

		reorder_ok("random", f, n, order);
		check_minimal("random", f, n, order);
	}
}

TEST(audit_reorder_flex_last)
{
	struct wb_rand r;
	struct audit_field f[AUDIT_MAX_FIELDS];
	size_t order[AUDIT_MAX_FIELDS];

	wb_rand_seed(&r, 0xf1e7u);
	for (int t = 0; t < 500 + (int)NTRUTH; t++) {
		char desc[1024], ord[512];
		size_t n;

		if (t < (int)NTRUTH) {
			const struct tstruct *s = &truth[t];

			if (is_union(s) || s->f[s->n - 1].size != 0)
				continue;
			to_fields(s, f);
			n = s->n;
		} else {
			n = random_fields(&r, f, true);
		}
		reorder_ok("with a flexible array member", f, n, order);
		show_fields(desc, sizeof desc, f, n);
		show_order(ord, sizeof ord, f, order, n);
		CHECK(order[n - 1] == n - 1,
		      "audit_reorder(%s): your order %s moves the flexible array "
		      "member '%s' away from the end; C requires it to be the "
		      "last member",
		      desc, ord, f[n - 1].name);
		check_minimal("with a flexible array member", f, n, order);
	}
}

/* ---- Part D: struct sensor_rec_tight ------------------------------- */

TEST(audit_tight_struct)
{
	const struct tstruct *s = find_truth("sensor_rec");
	struct audit_member m[AUDIT_MAX_FIELDS + 1];
	bool seen[AUDIT_MAX_FIELDS] = {false};
	size_t size = 0, n, sum = 0;
	size_t want_size = ((member_bytes(s) + s->align - 1) / s->align) *
			   s->align;

	memset(m, 0, sizeof m);
	n = audit_tight(m, AUDIT_MAX_FIELDS + 1, &size);
	CHECK(n == s->n,
	      "audit_tight(): described %zu members; struct sensor_rec has %zu "
	      "(id, ts, kind, chan, value, tag) and the tight one must have "
	      "the same",
	      n, s->n);
	for (size_t i = 0; i < n; i++) {
		const struct tfield *t = NULL;
		size_t j;

		for (j = 0; j < s->n; j++)
			if (m[i].name && strcmp(m[i].name, s->f[j].name) == 0) {
				t = &s->f[j];
				break;
			}
		CHECK(t != NULL,
		      "audit_tight(): member %zu is named %s%s%s; struct "
		      "sensor_rec has no member of that name",
		      i, m[i].name ? "'" : "", m[i].name ? m[i].name : "NULL",
		      m[i].name ? "'" : "");
		CHECK(!seen[j], "audit_tight(): member '%s' is described twice",
		      t->name);
		seen[j] = true;
		CHECK(m[i].size == t->size,
		      "audit_tight(): member '%s' is %zu bytes; in struct "
		      "sensor_rec it is a %s, %zu bytes: keep the types",
		      t->name, m[i].size, t->type, t->size);
		CHECK(m[i].offset % t->align == 0,
		      "audit_tight(): member '%s' (a %s, %zu-aligned) is at "
		      "offset %zu, which is misaligned: did you pack the struct? "
		      "A packed struct is smaller, but every access to a "
		      "misaligned member is slow or, on some machines, a fault",
		      t->name, t->type, t->align, m[i].offset);
		CHECK(m[i].offset + m[i].size <= size,
		      "audit_tight(): member '%s' at offset %zu, %zu bytes, ends "
		      "past sizeof, %zu",
		      t->name, m[i].offset, m[i].size, size);
		for (size_t k = 0; k < i; k++)
			CHECK(m[i].offset >= m[k].offset + m[k].size ||
				      m[k].offset >= m[i].offset + m[i].size,
			      "audit_tight(): members '%s' (offset %zu, %zu bytes) "
			      "and '%s' (offset %zu, %zu bytes) overlap: is it a "
			      "union?",
			      m[k].name, m[k].offset, m[k].size, m[i].name,
			      m[i].offset, m[i].size);
		sum += m[i].size;
	}
	CHECK(size >= want_size,
	      "audit_tight(): sizeof(struct sensor_rec_tight) is %zu, less than "
	      "%zu: a struct of these members without packing is at least "
	      "%zu bytes of members rounded up to the alignment %zu",
	      size, want_size, sum, s->align);
	CHECK(size == want_size,
	      "audit_tight(): sizeof(struct sensor_rec_tight) is %zu; the %zu "
	      "bytes of members fit in %zu (rounded up to a multiple of the "
	      "alignment %zu); struct sensor_rec takes %zu",
	      size, sum, want_size, s->align, s->size);
}
