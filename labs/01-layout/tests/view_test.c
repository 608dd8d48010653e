/*
 * view_test.c - task 4: zero-copy views.
 *
 * Besides the values, these tests check where each returned view points:
 * a view made by split or trim must lie inside the buffer it came from
 * (no copy).  The last test puts its inputs against inaccessible guard
 * pages, so that a read of one byte outside a view crashes at once and is
 * reported as such.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS when the lab's flags ask for strict C */
#include "view.h"
#include "wb/test.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Quote n bytes of p for a message: C escapes, at most about 60 bytes. */
static const char *quote(char *out, size_t cap, const char *p, size_t n)
{
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)p[i];
		if (o > 60) {
			o += (size_t)snprintf(out + o, cap - o, "...");
			break;
		}
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, cap - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	snprintf(out + o, cap - o, "\"");
	return out;
}

/*
 * Guard pages.  We map three pages and make the outer two inaccessible:
 *
 *	[ PROT_NONE ][ readable page ][ PROT_NONE ]
 *	             ^ input here     ^ or input ending here
 *
 * A read one byte before or after the input then raises SIGSEGV, which we
 * turn into a failure that says which call read where.
 */
static char *page;		 /* the readable page */
static size_t page_size;
static const char *cur_op = "?"; /* the call under test */
static const char *cur_start;	 /* its input */
static size_t cur_len;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	const char *addr = si->si_addr;
	uintptr_t a = (uintptr_t)addr, lo = (uintptr_t)page;

	(void)ctx;
	if (cur_start && a >= lo + page_size && a < lo + 2 * page_size)
		wb_fail(__FILE__, __LINE__,
			"%s read outside its view: it touched %p, byte %td "
			"past the end of the input (length %zu), where a "
			"guard page sits.  Read only [ptr, ptr + len).",
			cur_op, (const void *)addr,
			addr - (cur_start + cur_len) + 1, cur_len);
	if (cur_start && a < lo && a >= lo - page_size)
		wb_fail(__FILE__, __LINE__,
			"%s read outside its view: it touched %p, byte %td "
			"before the start of the input (length %zu), where a "
			"guard page sits.  Read only [ptr, ptr + len).",
			cur_op, (const void *)addr, cur_start - addr, cur_len);
	wb_fail(__FILE__, __LINE__,
		"%s crashed with signal %d (%s) at address %p%s", cur_op, sig,
		sig == SIGSEGV ? "SIGSEGV" : "SIGBUS", (const void *)addr,
		cur_start ? ", which is not a guard page: a wild pointer?" : "");
}

/* Every test turns a crash into a message that names the call. */
__attribute__((constructor)) static void catch_segv(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * Check that `got` is exactly the bytes buf[off .. off+len): same length,
 * same address.  Equal contents at another address mean a copy, which is
 * a failure of its own.
 */
static void expect_view(const char *file, int line, const char *what,
			const char *buf, size_t buflen, struct view got,
			size_t off, size_t len)
{
	char w[128], g[128];
	const char *end = buf + buflen;
	/* Compare addresses as integers: < on pointers into different
	 * objects is undefined, and a copy is a different object. */
	uintptr_t b = (uintptr_t)buf, e = (uintptr_t)end, p = (uintptr_t)got.ptr;
	bool inside = p >= b && p <= e && got.len <= e - p;

	quote(w, sizeof w, buf + off, len);
	if (got.ptr == buf + off && got.len == len)
		return;
	if (!inside && got.len == len && got.ptr &&
	    memcmp(got.ptr, buf + off, len) == 0)
		wb_fail(file, line,
			"%s: expected a view of %s at offset %zu of the input,"
			" got the same bytes at %p, outside the input buffer"
			" [%p, %p): a copy, not a view",
			what, w, off, (const void *)got.ptr, (const void *)buf,
			(const void *)end);
	if (!inside)
		wb_fail(file, line,
			"%s: expected a view of %s (offset %zu, length %zu),"
			" got ptr %p length %zu, outside the input buffer"
			" [%p, %p)",
			what, w, off, len, (const void *)got.ptr, got.len,
			(const void *)buf, (const void *)end);
	wb_fail(file, line,
		"%s: expected %s (offset %zu, length %zu), got %s (offset "
		"%td, length %zu)",
		what, w, off, len, quote(g, sizeof g, got.ptr, got.len),
		got.ptr - buf, got.len);
}

#define EXPECT_VIEW(what, buf, buflen, got, off, len)                  \
	expect_view(__FILE__, __LINE__, what, buf, buflen, got, off, len)

/*
 * Split src on delim and check that the fields are exactly the runs
 * between delimiters, at the right addresses, and that the iterator then
 * stays finished.
 */
static void check_split(const char *file, int line, const char *src,
			size_t len, char delim, int want_fields)
{
	struct view_split it;
	struct view field;
	char q[128], dq[16], what[256];
	size_t start = 0;
	int n = 0;

	quote(q, sizeof q, src, len);
	quote(dq, sizeof dq, &delim, 1);
	view_split_init(&it, view_make(src, len), delim);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && src[i] != delim)
			continue;
		/* A field ends here, at a delimiter or at the end. */
		snprintf(what, sizeof what, "field %d of %s split on %s",
			 n + 1, q, dq);
		if (!view_split_next(&it, &field))
			wb_fail(file, line,
				"%s: expected %d fields, got only %d (a field"
				" after the last delimiter is a field too,"
				" even when empty)",
				what, want_fields, n);
		EXPECT_VIEW(what, src, len, field, start, i - start);
		n++;
		start = i + 1;
	}
	if (n != want_fields)
		wb_fail(file, line, "test table is wrong for %s", q);
	field = view_make("sentinel", 8);
	if (view_split_next(&it, &field))
		wb_fail(file, line,
			"split of %s on %s: expected false after %d fields,"
			" got true with a field of length %zu",
			q, dq, n, field.len);
	if (field.len != 8 || memcmp(field.ptr, "sentinel", 8) != 0)
		wb_fail(file, line,
			"split of %s: the call that returned false must leave"
			" *field untouched",
			q);
	if (view_split_next(&it, &field))
		wb_fail(file, line,
			"split of %s: expected false again after the end,"
			" got true",
			q);
}

#define CHECK_SPLIT(s, delim, nfields)                                 \
	check_split(__FILE__, __LINE__, s, sizeof(s) - 1, delim, nfields)

TEST(view_split_fields)
{
	cur_op = "view_split_init or view_split_next";

	/* Plain fields, into the caller's buffer, no copies. */
	CHECK_SPLIT("alpha,b,gamma,delta", ',', 4);
	CHECK_SPLIT("no delimiter here", ',', 1);
	CHECK_SPLIT("k=v;x=1;long field with spaces", ';', 3);
	/* Not C strings: a NUL inside is an ordinary byte, so a strchr()
	 * based split stops too early. */
	CHECK_SPLIT("a\0b\tc\0\td", '\t', 3);
	/* The delimiter can be any byte, NUL included. */
	CHECK_SPLIT("one\0two\0three", '\0', 3);

	/* An iterator is a value: a copy resumes from the same place. */
	{
		static const char src[] = "x,yy,zzz";
		struct view_split a, b;
		struct view f, g;

		view_split_init(&a, view_make(src, 8), ',');
		CHECK(view_split_next(&a, &f), "split of \"x,yy,zzz\": "
		      "expected a first field, got false");
		b = a;
		CHECK(view_split_next(&a, &f) && view_split_next(&b, &g),
		      "split of \"x,yy,zzz\": expected a second field from "
		      "the iterator and from its copy, got false");
		EXPECT_VIEW("second field from the copied iterator", src, 8,
			    g, 2, 2);
		EXPECT_VIEW("second field from the original", src, 8, f, 2,
			    2);
	}
}

TEST(view_split_empty_fields)
{
	cur_op = "view_split_init or view_split_next";

	/* n delimiters make n + 1 fields, empty ones included. */
	CHECK_SPLIT("a,,b", ',', 3);
	CHECK_SPLIT("a,", ',', 2);
	CHECK_SPLIT(",a", ',', 2);
	CHECK_SPLIT(",", ',', 2);
	CHECK_SPLIT(",,,", ',', 4);
	CHECK_SPLIT("a,b,,", ',', 4);
	CHECK_SPLIT("", ',', 1);

	/* The empty view with a NULL ptr: one empty field, nothing read. */
	{
		struct view_split it;
		struct view f = view_make("x", 1);

		view_split_init(&it, view_make(NULL, 0), ',');
		CHECK(view_split_next(&it, &f),
		      "split of the empty view {NULL, 0}: expected one empty "
		      "field, got none");
		CHECK_UINT("length of the one field of {NULL, 0}", 0, f.len);
		CHECK(!view_split_next(&it, &f),
		      "split of {NULL, 0}: expected false after one field, "
		      "got true");
	}
}

TEST(view_trim)
{
	/* Each case sits between non-blank sentinels, so the result must
	 * come from the view alone. */
	static const struct {
		const char *s;
		size_t len, off, keep;
	} cases[] = {
		{"[  hi  ]", 6, 2, 2},
		{"[\t\n\v\f\r x \r\n]", 10, 6, 1},
		{"[abc]", 3, 0, 3},
		{"[ a b ]", 5, 1, 3},   /* inner blanks stay */
		{"[\xa0x\xa0]", 3, 0, 3}, /* 0xa0 is not ASCII space */
		{"[\0a\0]", 3, 0, 3},	/* nor is NUL */
		{"[ \0 ]", 3, 1, 1},
		{"[x]", 1, 0, 1},
	};
	static const char *blank[] = {"[    ]", "[ ]", "[\t\r\n]"};
	char what[160], q[64];

	cur_op = "view_trim";

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *s = cases[i].s + 1;
		struct view got = view_trim(view_make(s, cases[i].len));

		snprintf(what, sizeof what, "view_trim(%s)",
			 quote(q, sizeof q, s, cases[i].len));
		EXPECT_VIEW(what, s, cases[i].len, got, cases[i].off,
			    cases[i].keep);
	}
	/* All blank: empty, and still pointing into the input. */
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
		const char *s = blank[i] + 1;
		size_t len = strlen(s) - 1;
		struct view got = view_trim(view_make(s, len));

		snprintf(what, sizeof what, "view_trim(%s)",
			 quote(q, sizeof q, s, len));
		CHECK(got.len == 0, "%s: expected an empty view, got length %zu",
		      what, got.len);
		CHECK(got.ptr >= s && got.ptr <= s + len,
		      "%s: expected the empty result to point into the input "
		      "[%p, %p], got %p",
		      what, (const void *)s, (const void *)(s + len),
		      (const void *)got.ptr);
	}
	{
		struct view got;

		cur_op = "view_trim({NULL, 0})";
		got = view_trim(view_make(NULL, 0));
		CHECK_UINT("length of view_trim({NULL, 0})", 0, got.len);
	}
}

/* -1, 0 or 1 for the sign of x. */
static int sign(int x)
{
	return (x > 0) - (x < 0);
}

TEST(view_cmp_order)
{
	static const struct {
		const char *a;
		size_t alen;
		const char *b;
		size_t blen;
		int want;
	} cases[] = {
		{"abc", 3, "abc", 3, 0},
		{"abc", 3, "abd", 3, -1},
		{"abd", 3, "abc", 3, 1},
		{"ab", 2, "abc", 3, -1},  /* a prefix sorts first */
		{"abc", 3, "ab", 2, 1},
		{"", 0, "", 0, 0},
		{"", 0, "a", 1, -1},
		{"a", 1, "", 0, 1},
		{"\xff", 1, "a", 1, 1},   /* bytes are unsigned */
		{"a", 1, "\x80", 1, -1},
		{"a\0b", 3, "a\0c", 3, -1}, /* NUL is a byte like others */
		{"a\0", 2, "a", 1, 1},
		{"Zebra", 5, "apple", 5, -1},
	};
	char what[200], qa[64], qb[64];

	cur_op = "view_cmp";

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = view_cmp(view_make(cases[i].a, cases[i].alen),
				   view_make(cases[i].b, cases[i].blen));

		snprintf(what, sizeof what, "sign of view_cmp(%s, %s)",
			 quote(qa, sizeof qa, cases[i].a, cases[i].alen),
			 quote(qb, sizeof qb, cases[i].b, cases[i].blen));
		CHECK_INT(what, cases[i].want, sign(got));
	}
	/* Views into one buffer, neither NUL-terminated. */
	{
		static const char buf[] = "abcabdab";
		CHECK_INT("sign of view_cmp(\"abc\", \"abd\") inside \"abcabdab\"",
			  -1,
			  sign(view_cmp(view_make(buf, 3), view_make(buf + 3, 3))));
		CHECK_INT("sign of view_cmp(\"ab\", \"ab\") inside \"abcabdab\"",
			  0,
			  sign(view_cmp(view_make(buf, 2), view_make(buf + 6, 2))));
	}
	/* Empty views are equal whatever their pointer, NULL included. */
	CHECK_INT("sign of view_cmp({NULL, 0}, {NULL, 0})", 0,
		  sign(view_cmp(view_make(NULL, 0), view_make(NULL, 0))));
	CHECK_INT("sign of view_cmp({NULL, 0}, \"\")", 0,
		  sign(view_cmp(view_make(NULL, 0), view_make("", 0))));
	CHECK_INT("sign of view_cmp({NULL, 0}, \"a\")", -1,
		  sign(view_cmp(view_make(NULL, 0), view_make("a", 1))));
}

static const char *result_name(enum view_parse_result r)
{
	switch (r) {
	case VIEW_OK:
		return "VIEW_OK";
	case VIEW_BADNUM:
		return "VIEW_BADNUM";
	case VIEW_RANGE:
		return "VIEW_RANGE";
	}
	return "(not a view_parse_result)";
}

#define UNTOUCHED ((int64_t)0x5a5a5a5a5a5a5a5a)

/* Parse v and check the result code and, on success, the value; on
 * failure *out must keep what it had. */
static void check_parse(const char *file, int line, const char *s,
			size_t len, enum view_parse_result want_r,
			int64_t want)
{
	char q[128];
	int64_t out = UNTOUCHED;
	enum view_parse_result r = view_parse_i64(view_make(s, len), &out);

	quote(q, sizeof q, s, len);
	if (r != want_r)
		wb_fail(file, line,
			"view_parse_i64(%s): expected %s, got %s (%d)", q,
			result_name(want_r), result_name(r), (int)r);
	if (want_r == VIEW_OK && out != want)
		wb_fail(file, line,
			"view_parse_i64(%s): expected value %lld, got %lld", q,
			(long long)want, (long long)out);
	if (want_r != VIEW_OK && out != UNTOUCHED)
		wb_fail(file, line,
			"view_parse_i64(%s) returned %s: expected *out "
			"untouched (0x%llx), got 0x%llx",
			q, result_name(r), (unsigned long long)UNTOUCHED,
			(unsigned long long)out);
}

#define PARSE_OK(s, v)                                                  \
	check_parse(__FILE__, __LINE__, s, sizeof(s) - 1, VIEW_OK, v)
#define PARSE_FAILS(s, r)                                               \
	check_parse(__FILE__, __LINE__, s, sizeof(s) - 1, r, 0)

TEST(view_parse_i64_valid)
{
	cur_op = "view_parse_i64";
	PARSE_OK("0", 0);
	PARSE_OK("7", 7);
	PARSE_OK("-0", 0);
	PARSE_OK("+0", 0);
	PARSE_OK("42", 42);
	PARSE_OK("+42", 42);
	PARSE_OK("-42", -42);
	PARSE_OK("000123", 123);
	PARSE_OK("-0000000000000000000000000000017", -17);
	PARSE_OK("1234567890123", 1234567890123);
	PARSE_OK("-987654321", -987654321);

	/* The view ends where its length says, not at a NUL: strtoll() on
	 * v.ptr would read on into the digits that follow. */
	{
		static const char buf[] = "123456,789";
		int64_t out = UNTOUCHED;
		enum view_parse_result r;

		r = view_parse_i64(view_make(buf, 3), &out);
		CHECK(r == VIEW_OK && out == 123,
		      "view_parse_i64 of the first 3 bytes of \"123456,789\": "
		      "expected VIEW_OK and 123, got %s and %lld",
		      result_name(r), (long long)out);
		r = view_parse_i64(view_make(buf + 7, 2), &out);
		CHECK(r == VIEW_OK && out == 78,
		      "view_parse_i64 of \"78\" inside \"123456,789\": expected "
		      "VIEW_OK and 78, got %s and %lld",
		      result_name(r), (long long)out);
	}
}

TEST(view_parse_i64_limits)
{
	cur_op = "view_parse_i64";

	/* The extremes themselves parse... */
	PARSE_OK("9223372036854775807", INT64_MAX);
	PARSE_OK("+9223372036854775807", INT64_MAX);
	PARSE_OK("0009223372036854775807", INT64_MAX);
	PARSE_OK("-9223372036854775808", INT64_MIN);
	PARSE_OK("-0009223372036854775808", INT64_MIN);
	PARSE_OK("-9223372036854775807", INT64_MIN + 1);
	PARSE_OK("9223372036854775806", INT64_MAX - 1);
	/* ...one past them does not. */
	PARSE_FAILS("9223372036854775808", VIEW_RANGE);
	PARSE_FAILS("+9223372036854775808", VIEW_RANGE);
	PARSE_FAILS("-9223372036854775809", VIEW_RANGE);
	PARSE_FAILS("9223372036854775810", VIEW_RANGE);
	/* Past the limits by more, including values that wrap a uint64_t
	 * accumulator round to something small. */
	PARSE_FAILS("10000000000000000000", VIEW_RANGE);
	PARSE_FAILS("18446744073709551615", VIEW_RANGE);
	PARSE_FAILS("18446744073709551616", VIEW_RANGE);
	PARSE_FAILS("18446744073709551617", VIEW_RANGE);
	PARSE_FAILS("36893488147419103232", VIEW_RANGE);
	PARSE_FAILS("-18446744073709551616", VIEW_RANGE);
	PARSE_FAILS("99999999999999999999", VIEW_RANGE);
	PARSE_FAILS("-99999999999999999999999999999999999999999", VIEW_RANGE);
}

TEST(view_parse_i64_invalid)
{
	cur_op = "view_parse_i64";
	PARSE_FAILS("", VIEW_BADNUM);
	PARSE_FAILS("-", VIEW_BADNUM);
	PARSE_FAILS("+", VIEW_BADNUM);
	PARSE_FAILS("--1", VIEW_BADNUM);
	PARSE_FAILS("+-1", VIEW_BADNUM);
	PARSE_FAILS("1-", VIEW_BADNUM);
	PARSE_FAILS("1a", VIEW_BADNUM);
	PARSE_FAILS("a1", VIEW_BADNUM);
	PARSE_FAILS(" 1", VIEW_BADNUM);
	PARSE_FAILS("1 ", VIEW_BADNUM);
	PARSE_FAILS("0x10", VIEW_BADNUM);
	PARSE_FAILS("1,000", VIEW_BADNUM);
	PARSE_FAILS("1.5", VIEW_BADNUM);
	PARSE_FAILS("1e3", VIEW_BADNUM);
	PARSE_FAILS("/", VIEW_BADNUM); /* '0' - 1 */
	PARSE_FAILS(":", VIEW_BADNUM); /* '9' + 1 */
	PARSE_FAILS("\xd9\xa1", VIEW_BADNUM); /* a non-ASCII digit */
	PARSE_FAILS("12\0", VIEW_BADNUM);    /* NUL is not the end */
	PARSE_FAILS("\0", VIEW_BADNUM);
	/* Malformed wins over too large. */
	PARSE_FAILS("99999999999999999999x", VIEW_BADNUM);
	PARSE_FAILS("-99999999999999999999 ", VIEW_BADNUM);

	{
		int64_t out = UNTOUCHED;
		enum view_parse_result r = view_parse_i64(view_make(NULL, 0), &out);
		CHECK(r == VIEW_BADNUM && out == UNTOUCHED,
		      "view_parse_i64({NULL, 0}): expected VIEW_BADNUM with *out "
		      "untouched, got %s and 0x%llx",
		      result_name(r), (unsigned long long)out);
	}
}

static void guard_setup(void)
{
	char *m;

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	m = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED, "test setup: mmap of 3 pages failed");
	CHECK(mprotect(m, page_size, PROT_NONE) == 0 &&
		      mprotect(m + 2 * page_size, page_size, PROT_NONE) == 0,
	      "test setup: mprotect of the guard pages failed");
	page = m + page_size;
	memset(page, '#', page_size);
}

/* Copy s to the very end of the readable page (nothing after it). */
static const char *at_end(const char *s, size_t len, const char *op)
{
	char *p = page + page_size - len;

	memcpy(p, s, len);
	cur_op = op;
	cur_start = p;
	cur_len = len;
	return p;
}

/* Copy s to the very start of the readable page (nothing before it). */
static const char *at_start(const char *s, size_t len, const char *op)
{
	memcpy(page, s, len);
	cur_op = op;
	cur_start = page;
	cur_len = len;
	return page;
}

#define AT_END(s, op) at_end(s, sizeof(s) - 1, op)
#define AT_START(s, op) at_start(s, sizeof(s) - 1, op)

static size_t count_fields(const char *p, size_t len, char delim)
{
	struct view_split it;
	struct view f;
	size_t n = 0;

	view_split_init(&it, view_make(p, len), delim);
	while (view_split_next(&it, &f) && n < 100)
		n++;
	return n;
}

TEST(view_stays_inside_buffer)
{
	const char *p;
	int64_t out = 0;
	struct view t;

	guard_setup();

	p = AT_END("9223372036854775807", "view_parse_i64(\"9223372036854775807\")");
	CHECK(view_parse_i64(view_make(p, 19), &out) == VIEW_OK &&
		      out == INT64_MAX,
	      "view_parse_i64(\"9223372036854775807\") at the end of a page: "
	      "expected VIEW_OK and INT64_MAX, got %lld", (long long)out);
	p = AT_END("-12", "view_parse_i64(\"-12\")");
	CHECK(view_parse_i64(view_make(p, 3), &out) == VIEW_OK && out == -12,
	      "view_parse_i64(\"-12\") at the end of a page: expected -12, "
	      "got %lld", (long long)out);
	p = AT_END("-", "view_parse_i64(\"-\")");
	CHECK(view_parse_i64(view_make(p, 1), &out) == VIEW_BADNUM,
	      "view_parse_i64(\"-\") at the end of a page: expected "
	      "VIEW_BADNUM");
	p = AT_END("", "view_parse_i64(\"\") at the end of a page");
	CHECK(view_parse_i64(view_make(p, 0), &out) == VIEW_BADNUM,
	      "view_parse_i64(\"\") at the end of a page: expected "
	      "VIEW_BADNUM");

	p = AT_END("    ", "view_trim(\"    \") at the end of a page");
	t = view_trim(view_make(p, 4));
	CHECK_UINT("length of view_trim(\"    \")", 0, t.len);
	p = AT_START("    ", "view_trim(\"    \") at the start of a page");
	t = view_trim(view_make(p, 4));
	CHECK_UINT("length of view_trim(\"    \")", 0, t.len);
	p = AT_START(" \tx", "view_trim(\" \\tx\") at the start of a page");
	t = view_trim(view_make(p, 3));
	CHECK(t.ptr == p + 2 && t.len == 1,
	      "view_trim(\" \\tx\"): expected \"x\" at offset 2, got offset "
	      "%td length %zu", t.ptr - p, t.len);
	p = AT_END("x\t ", "view_trim(\"x\\t \") at the end of a page");
	t = view_trim(view_make(p, 3));
	CHECK(t.ptr == p && t.len == 1,
	      "view_trim(\"x\\t \"): expected \"x\" at offset 0, got offset "
	      "%td length %zu", t.ptr - p, t.len);

	p = AT_END("a,b", "view_split_next on \"a,b\" at the end of a page");
	CHECK_UINT("number of fields of \"a,b\"", 2, count_fields(p, 3, ','));
	/* Here only the reads matter; the field counts of these edge cases
	 * are view_split_empty_fields' business. */
	p = AT_END("a,", "view_split_next on \"a,\" at the end of a page");
	count_fields(p, 2, ',');
	p = AT_START(",a", "view_split_next on \",a\" at the start of a page");
	count_fields(p, 2, ',');
	p = AT_END("", "view_split_next on \"\" at the end of a page");
	count_fields(p, 0, ',');

	{
		static const char other[] = "abcd";

		p = AT_END("abc", "view_cmp(\"abc\", \"abcd\") with \"abc\" at "
				  "the end of a page");
		CHECK(view_cmp(view_make(p, 3), view_make(other, 4)) < 0,
		      "view_cmp(\"abc\", \"abcd\"): expected < 0");
		CHECK(view_cmp(view_make(other, 4), view_make(p, 3)) > 0,
		      "view_cmp(\"abcd\", \"abc\"): expected > 0");
		p = AT_END("abc", "view_cmp(\"abc\", \"abc\") at the end of a page");
		CHECK(view_cmp(view_make(p, 3), view_make(other, 3)) == 0,
		      "view_cmp(\"abc\", \"abc\"): expected 0");
	}
	cur_start = NULL;
}
