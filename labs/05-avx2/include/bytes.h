/*
 * bytes.h - task 3: AVX2 byte search and byte counting, written in
 * src/bytes.S.
 *
 * Both take any start address and any length, 0 included, and must not
 * touch memory outside [s, s + n) in a way that could fault: the tests
 * put the buffer's end (and, in other runs, its start) against an
 * unmapped page.  An aligned 32-byte load that contains at least one
 * byte of the buffer never crosses a page boundary, so it is allowed
 * even though some of its bytes lie outside; the bytes outside must not
 * change the result.  Each returns with vzeroupper done.
 */
#ifndef BYTES_H
#define BYTES_H

#include <stddef.h>

/* A pointer to the first byte of s[0..n) equal to (unsigned char)c, or
 * NULL: what memchr(3) does. */
void *byte_find(const void *s, int c, size_t n);

/* How many bytes of s[0..n) equal (unsigned char)c. */
size_t byte_count(const void *s, int c, size_t n);

#endif
