/*
 * copy_parse.c - the way many programs parse text: copy each field into
 * a NUL-terminated string, because that is what the C library wants,
 * then hand it to strtoll().  One malloc, one copy and one free per
 * field, and strtoll() consults the locale for every call.  Correct, and
 * the baseline the zero-copy parser must beat.
 */
#define _GNU_SOURCE /* strndup before C23 */
#include "copy_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Value of one field, or 0 when it is not an integer. */
static int64_t field_value(const char *p, size_t n)
{
	char *s = strndup(p, n), *end;
	long long v;

	if (s == NULL)
		abort();
	errno = 0;
	v = strtoll(s, &end, 10); /* skips leading blanks itself */
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end != '\0' || errno == ERANGE)
		v = 0;
	free(s);
	return v;
}

uint64_t copy_parse_sum(const char *buf, size_t len)
{
	const char *p = buf, *stop = buf + len;
	uint64_t sum = 0;

	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		const char *eol = nl ? nl : stop;

		for (;;) {
			const char *comma = memchr(p, ',', (size_t)(eol - p));
			const char *eof = comma ? comma : eol;

			if (eof > p)
				sum += (uint64_t)field_value(p, (size_t)(eof - p));
			if (comma == NULL)
				break;
			p = comma + 1;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return sum;
}
