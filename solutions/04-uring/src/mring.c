/*
 * mring.c - task 2: a ring buffer mapped twice, back to back.
 */
#define _GNU_SOURCE
#include "mring.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct mring {
	unsigned char *base; /* 2 * cap bytes: the ring, then its mirror */
	size_t cap;
	/* Free-running positions.  head is written by the consumer only,
	 * tail by the producer only; each reads the other's with acquire.
	 * Apart, so the two threads do not share a cache line. */
	_Alignas(64) _Atomic size_t head;
	_Alignas(64) _Atomic size_t tail;
};

/* Map the memfd at addr, exactly there (the space is reserved by us). */
static int map_half(void *addr, size_t cap, int fd)
{
	void *p = mmap(addr, cap, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED, fd, 0);

	return p == MAP_FAILED ? -1 : 0;
}

struct mring *mring_create(size_t min_bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), cap;
	struct mring *r;
	void *area;
	int fd, err;

	/* Reject before rounding: SIZE_MAX rounded up is 0, and 2 * cap
	 * must fit too. */
	if (min_bytes == 0 || min_bytes > (SIZE_MAX / 4))
		return errno = EINVAL, NULL;
	cap = (min_bytes + page - 1) / page * page;
	if (!(r = calloc(1, sizeof *r)))
		return NULL;
	fd = memfd_create("mring", MFD_CLOEXEC);
	if (fd < 0)
		goto fail_free;
	if (ftruncate(fd, (off_t)cap) != 0)
		goto fail_close;
	/* Reserve 2 * cap of address space, then put both halves over it
	 * with MAP_FIXED: nobody else can take the second half between
	 * the two calls. */
	area = mmap(NULL, 2 * cap, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED)
		goto fail_close;
	if (map_half(area, cap, fd) || map_half((char *)area + cap, cap, fd))
		goto fail_unmap;
	close(fd); /* the mappings keep the memory alive */
	r->base = area;
	r->cap = cap;
	return r;

fail_unmap:
	err = errno;
	munmap(area, 2 * cap);
	errno = err;
fail_close:
	err = errno;
	close(fd);
	errno = err;
fail_free:
	free(r);
	return NULL;
}

void mring_destroy(struct mring *r)
{
	if (!r)
		return;
	munmap(r->base, 2 * r->cap);
	free(r);
}

size_t mring_capacity(const struct mring *r)
{
	return r->cap;
}

size_t mring_used(const struct mring *r)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	return tail - head;
}

size_t mring_space(const struct mring *r)
{
	return r->cap - mring_used(r);
}

void *mring_write_ptr(struct mring *r, size_t *n)
{
	/* Our own tail needs no ordering; the consumer's head does: the
	 * bytes it released must be read before we overwrite them. */
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	*n = r->cap - (tail - head);
	return r->base + tail % r->cap;
}

void mring_commit(struct mring *r, size_t n)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	/* Release: the bytes are written before the consumer sees them. */
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
}

const void *mring_read_ptr(struct mring *r, size_t *n)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	*n = tail - head;
	return r->base + head % r->cap;
}

void mring_release(struct mring *r, size_t n)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	atomic_store_explicit(&r->head, head + n, memory_order_release);
}

size_t mring_write(struct mring *r, const void *src, size_t n)
{
	size_t room;
	void *dst = mring_write_ptr(r, &room);

	if (n > room)
		n = room;
	memcpy(dst, src, n); /* one copy, wrap or not: the mirror */
	mring_commit(r, n);
	return n;
}

size_t mring_read(struct mring *r, void *dst, size_t n)
{
	size_t avail;
	const void *src = mring_read_ptr(r, &avail);

	if (n > avail)
		n = avail;
	memcpy(dst, src, n);
	mring_release(r, n);
	return n;
}

const void *mring_base(const struct mring *r)
{
	return r->base;
}
