/*
 * mring.h - task 2: a ring buffer mapped twice, back to back.
 *
 * One memfd of `cap` bytes is mapped at base and again at base + cap, so
 * the byte at base + cap + i is the byte at base + i.  A run of bytes
 * that wraps past the end of the ring is still contiguous in memory:
 * every write and every read is one memcpy, and a caller can hand the
 * free space (or the data) straight to read(2) or write(2).
 *
 *   virtual:  base                base + cap            base + 2cap
 *             [ A  B  C  D  E  F ][ A  B  C  D  E  F ]
 *                \___ both halves are the same pages ___/
 *   physical:           [ memfd: A B C D E F ]
 *
 * Positions are free-running byte counters, never reduced: used bytes
 * are tail - head, their offset in the ring is head % cap.
 *
 * One producer thread and one consumer thread may use a ring at the same
 * time without locks (single producer, single consumer): the producer
 * publishes its bytes by storing tail with release order, the consumer
 * reads tail with acquire order before it reads the bytes, and the same
 * again for head in the other direction.
 */
#ifndef MRING_H
#define MRING_H

#include <stddef.h>

struct mring; /* yours: defined in src/mring.c */

/*
 * A ring of at least min_bytes, rounded up to a multiple of the page
 * size (the mapping's granularity).  NULL with errno EINVAL for 0 or for
 * a size whose rounding or doubling would overflow (SIZE_MAX and the
 * like), ENOMEM (or mmap's errno) when memory runs out.  Any descriptor
 * the ring needs is closed once both mappings are made.
 */
struct mring *mring_create(size_t min_bytes);

/* Unmap both halves and free r; NULL is a no-op. */
void mring_destroy(struct mring *r);

size_t mring_capacity(const struct mring *r);
size_t mring_used(const struct mring *r);  /* bytes written, not yet read */
size_t mring_space(const struct mring *r); /* capacity - used */

/*
 * The producer's side, zero copy: where the next byte goes, and in *n
 * how many may go there in one contiguous run: all of the free space,
 * wrap or no wrap.  Fill some of it, then publish with mring_commit().
 */
void *mring_write_ptr(struct mring *r, size_t *n);
void mring_commit(struct mring *r, size_t n); /* n <= the *n given */

/* The consumer's side: the oldest unread byte, and in *n all the unread
 * bytes, contiguous.  Read some, then free them with mring_release(). */
const void *mring_read_ptr(struct mring *r, size_t *n);
void mring_release(struct mring *r, size_t n); /* n <= the *n given */

/* Copy in as much of src as fits (all of it if it fits), in one memcpy;
 * returns the bytes copied. */
size_t mring_write(struct mring *r, const void *src, size_t n);
/* Copy out up to n unread bytes, oldest first; returns the bytes copied. */
size_t mring_read(struct mring *r, void *dst, size_t n);

/* The start of the first mapping: the ring's bytes are at base[0..cap),
 * their mirror at base[cap..2cap).  For the tests. */
const void *mring_base(const struct mring *r);

#endif
