/*
 * view.c - zero-copy views: split, trim, compare, parse.
 *
 * Every function here works on (ptr, len) alone.  Nothing allocates,
 * nothing looks for a NUL, and every loop is bounded by the length, so a
 * view may end at the last byte of a mapping.
 */

/*
 * CORRECT BUT SLOW ON PURPOSE (tests/wrong): view_parse_i64 copies the view
 * into a malloc'd NUL-terminated string so that strtoll() can read it.  It
 * passes every test, and loses the parse benchmark: one malloc, one copy,
 * one free and a locale-aware strtoll per number is what the zero-copy
 * parser was meant to avoid.
 */
#include "view.h"

#include <errno.h>
#include <stdlib.h>
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
	size_t start = 0, end = v.len;

	if (v.len == 0)
		return v; /* ptr may be NULL, and NULL + 0 is undefined too */
	/* Indices, not pointers: both loops test the bound before they
	 * read, so an all-blank view reads each byte once and stops. */
	while (start < end && is_space(v.ptr[start]))
		start++;
	while (end > start && is_space(v.ptr[end - 1]))
		end--;
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
	char *s, *end;
	long long x;
	bool whole;
	int err;

	/* strtoll skips leading blanks; the view may not start with one. */
	if (v.len == 0 || !(v.ptr[0] == '-' || v.ptr[0] == '+' ||
			    (v.ptr[0] >= '0' && v.ptr[0] <= '9')))
		return VIEW_BADNUM;
	s = malloc(v.len + 1);
	if (s == NULL)
		return VIEW_BADNUM;
	memcpy(s, v.ptr, v.len);
	s[v.len] = '\0';
	errno = 0;
	x = strtoll(s, &end, 10);
	err = errno;
	whole = end != s && end == s + v.len; /* a NUL inside stops early */
	free(s);
	if (!whole)
		return VIEW_BADNUM;
	if (err == ERANGE)
		return VIEW_RANGE;
	*out = x;
	return VIEW_OK;
}
