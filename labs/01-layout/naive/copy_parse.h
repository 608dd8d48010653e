/*
 * copy_parse.h - the copying baseline of the parse benchmark.
 *
 * Visible on purpose: your zero-copy parser is measured against it.
 */
#ifndef COPY_PARSE_H
#define COPY_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Sum (mod 2^64) the integer fields of buf[0..len): lines end with '\n',
 * fields are separated by ',', blanks around a field are allowed, fields
 * that are not integers count as 0.  Copies every field to a fresh
 * NUL-terminated string so that strtoll() can read it. */
uint64_t copy_parse_sum(const char *buf, size_t len);

#endif
