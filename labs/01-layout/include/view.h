/*
 * view.h - zero-copy views over one buffer (task 4).
 *
 * A view names a run of bytes that lives somewhere else: a pointer and a
 * length, nothing more.  Splitting, trimming and parsing a view make new
 * views into the same bytes; no function here allocates or copies, and
 * none of them needs a terminating NUL.  A view may contain NUL bytes and
 * is compared by its length, never by a terminator.
 *
 *   buffer:  | 4 | 2 | , |   | 1 | 7 | , | - | 3 |
 *              ^               ^               ^
 *   views:   {buf+0, 2}      {buf+4, 2}      {buf+7, 2}
 *
 * Lifetime rules (the price of never copying):
 *
 *   1. A view never outlives its buffer.  Once the buffer is freed,
 *      unmapped or goes out of scope, every view into it dangles, exactly
 *      like a pointer into it would.
 *   2. A view does not own its bytes and does not keep them alive.
 *      Nothing here frees or writes through a view (ptr is const).
 *   3. Moving the buffer invalidates every view into it.  realloc() may
 *      move a block even when it grows in place on one call and not on
 *      the next, so after any realloc() of the buffer all old views are
 *      dangling, whether or not the address happened to change.  Keep
 *      offsets (v.ptr - buf) if views must survive a resize, and rebuild
 *      the views from the new address.
 *   4. Views see later writes to the buffer: a view is a window, not a
 *      snapshot.  Copy the bytes out when you need them to stay put.
 *
 * Every function reads only the bytes [v.ptr, v.ptr + v.len): never one
 * before the start, never one past the end.  A view with len == 0 may
 * have any ptr, NULL included, and its bytes are never read.
 */
#ifndef VIEW_H
#define VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct view {
	const char *ptr; /* first byte; need not be NUL-terminated */
	size_t len;	 /* number of bytes */
};

/* Helpers for building views; they are not part of the task. */
static inline struct view view_make(const char *ptr, size_t len)
{
	struct view v = {ptr, len};
	return v;
}

/* A view of a C string, without its terminating NUL. */
static inline struct view view_from_cstr(const char *s)
{
	return view_make(s, strlen(s));
}

/*
 * Splitting.  An iterator over the fields of `src` separated by the byte
 * `delim`:
 *
 *	struct view_split it;
 *	struct view field;
 *
 *	view_split_init(&it, line, ',');
 *	while (view_split_next(&it, &field))
 *		use(field);
 *
 * The rules, which match Python's str.split(sep) and Go's strings.Split:
 *   - n delimiters make n + 1 fields, always;
 *   - so "a,,b" gives "a", "", "b"; "a," gives "a", ""; ",a" gives "", "a";
 *     "," gives "", ""; and the empty view gives one empty field;
 *   - every field points into src (field.ptr is inside src, or at its end
 *     for an empty last field), and delimiters belong to no field.
 * The iterator keeps no pointer to itself and allocates nothing; it may
 * be copied to restart from the same place.
 */
struct view_split {
	struct view rest; /* what is left to split */
	char delim;	  /* the separator byte */
	bool done;	  /* true once the last field has been returned */
};

/* Start splitting src on delim. */
void view_split_init(struct view_split *it, struct view src, char delim);

/* Store the next field in *field and return true; return false, leaving
 * *field untouched, when every field has been returned.  Calling it again
 * after it returned false keeps returning false. */
bool view_split_next(struct view_split *it, struct view *field);

/*
 * Trimming.  Return v without its leading and trailing ASCII whitespace
 * (' ', '\t', '\n', '\v', '\f', '\r').  The result points into v: when
 * nothing is left its len is 0 and its ptr lies in [v.ptr, v.ptr + v.len].
 * Bytes of 0x80 and above are not whitespace, whatever the locale says.
 */
struct view view_trim(struct view v);

/*
 * Comparison.  Order a and b byte by byte as unsigned char; when one is a
 * prefix of the other, the shorter comes first.  Return a negative value,
 * 0 or a positive value as a sorts before, equal to or after b (like
 * memcmp; only the sign means anything).  Embedded NUL bytes are ordinary
 * bytes.  Two empty views are equal, whatever their ptr.
 */
int view_cmp(struct view a, struct view b);

/* Results of view_parse_i64. */
enum view_parse_result {
	VIEW_OK = 0,	  /* *out holds the value */
	VIEW_BADNUM = -1, /* not a decimal integer: *out untouched */
	VIEW_RANGE = -2,  /* a decimal integer outside int64_t: *out untouched */
};

/*
 * Parse the whole of v as a decimal int64_t: an optional '+' or '-',
 * then one or more digits '0'..'9', and nothing else (no spaces: trim
 * first; no "0x"; leading zeros are fine).  Values from INT64_MIN to
 * INT64_MAX parse; a well-formed number outside them is VIEW_RANGE
 * however many digits it has, and is found without signed overflow
 * (which would be undefined behaviour, not a wrap-around).  Anything that
 * is not well-formed is VIEW_BADNUM, even when its digits alone would
 * overflow ("99999999999999999999x" is VIEW_BADNUM).  v need not be
 * NUL-terminated, so strtoll() cannot be used on it directly.
 */
enum view_parse_result view_parse_i64(struct view v, int64_t *out);

#endif
