/*
 * view.c - zero-copy views: split, trim, compare, parse.
 *
 * Every function here works on (ptr, len) alone.  Nothing allocates,
 * nothing looks for a NUL, and every loop is bounded by the length, so a
 * view may end at the last byte of a mapping.
 */

/*
 * WRONG ON PURPOSE (tests/wrong): the right-hand loop reads the byte
 * before it checks that one is left, so an all-blank view makes it read
 * v.ptr[-1], one byte before the view (and {NULL, 0} reads address -1).
 */
#include "view.h"

#include <string.h>

void view_split_init(struct view_split *it, struct view src, char delim)
{
	it->rest = src;
	it->delim = delim;
	it->done = false;
}

bool view_split_next(struct view_split *it, struct view *field)
{
	const char *d;

	if (it->done)
		return false;
	/* memchr stops at rest.len; with len 0 it reads nothing, but it
	 * still wants a valid pointer, hence the test. */
	d = it->rest.len ? memchr(it->rest.ptr, it->delim, it->rest.len) : NULL;
	if (d == NULL) {
		/* No delimiter left: what remains is the last field, even
		 * when it is empty ("a," ends with an empty field). */
		*field = it->rest;
		it->rest.len = 0;
		it->done = true;
		return true;
	}
	field->ptr = it->rest.ptr;
	field->len = (size_t)(d - it->rest.ptr);
	/* Step over the delimiter.  Finding one means a field follows it,
	 * so we are not done even if nothing is left. */
	it->rest.len -= field->len + 1;
	it->rest.ptr = d + 1;
	return true;
}

/* ASCII only: isspace() depends on the locale and on (unsigned char). */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

struct view view_trim(struct view v)
{
	size_t end = v.len, start = 0;

	/* wrong: reads v.ptr[end - 1] before asking whether end > 0 */
	while (is_space(v.ptr[end - 1]) && end > 0)
		end--;
	while (start < end && is_space(v.ptr[start]))
		start++;
	return view_make(v.ptr + start, end - start);
}

int view_cmp(struct view a, struct view b)
{
	size_t n = a.len < b.len ? a.len : b.len;

	/* memcmp(NULL, p, 0) is undefined (its arguments are declared
	 * nonnull), and an empty view may carry a NULL ptr. */
	if (n > 0) {
		int r = memcmp(a.ptr, b.ptr, n); /* compares unsigned char */
		if (r != 0)
			return r;
	}
	return (a.len > b.len) - (a.len < b.len);
}

enum view_parse_result view_parse_i64(struct view v, int64_t *out)
{
	const char *p, *end;
	bool neg = false, range = false;
	uint64_t acc = 0, limit, cutoff;
	unsigned cutlim;

	if (v.len == 0)
		return VIEW_BADNUM;
	p = v.ptr;
	end = v.ptr + v.len;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	if (p == end)
		return VIEW_BADNUM; /* a sign alone */
	/*
	 * Accumulate the magnitude in unsigned arithmetic, which wraps by
	 * definition instead of being undefined like signed overflow, and
	 * stop growing it before it passes the limit.  The limits differ:
	 * |INT64_MIN| = INT64_MAX + 1 has no int64_t of its own, which is
	 * why we cannot build a positive int64_t and negate it at the end.
	 *
	 * acc * 10 + d > limit exactly when acc > limit / 10, or acc equals
	 * limit / 10 and d > limit % 10: two compares per digit, no
	 * division in the loop (the trick of BSD's strtol).
	 */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	cutoff = limit / 10;
	cutlim = (unsigned)(limit % 10);
	for (; p < end; p++) {
		unsigned d = (unsigned char)*p - (unsigned)'0';

		if (d > 9)
			return VIEW_BADNUM;
		if (acc > cutoff || (acc == cutoff && d > cutlim))
			range = true; /* keep going: a later 'x' is BADNUM */
		else if (!range)
			acc = acc * 10 + d;
	}
	if (range)
		return VIEW_RANGE;
	/* Up to INT64_MAX the magnitude fits int64_t and negates safely.
	 * 2^63 does not fit: converting it is implementation-defined and
	 * negating the INT64_MIN that gcc makes of it overflows, so spell
	 * INT64_MIN out. */
	if (neg)
		*out = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
	else
		*out = (int64_t)acc;
	return VIEW_OK;
}
