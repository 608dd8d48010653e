/*
 * mring.c - task 2: a ring buffer mapped twice, back to back.  Yours to
 * write.
 *
 * Read include/mring.h first.  In brief: memfd_create + ftruncate,
 * reserve 2 * cap of address space, map the memfd over each half with
 * MAP_FIXED, close the memfd; free-running head and tail with
 * acquire/release.  Delete each TODO() as you implement it.
 */
#include "mring.h"
#include "wb/todo.h"

/* Your design: what a ring holds.  This placeholder only lets the
 * skeleton compile. */
struct mring {
	size_t cap;
};

struct mring *mring_create(size_t min_bytes)
{
	(void)min_bytes;
	TODO();
}

void mring_destroy(struct mring *r)
{
	(void)r;
	TODO();
}

size_t mring_capacity(const struct mring *r)
{
	(void)r;
	TODO();
}

size_t mring_used(const struct mring *r)
{
	(void)r;
	TODO();
}

size_t mring_space(const struct mring *r)
{
	(void)r;
	TODO();
}

void *mring_write_ptr(struct mring *r, size_t *n)
{
	(void)r;
	(void)n;
	TODO();
}

void mring_commit(struct mring *r, size_t n)
{
	(void)r;
	(void)n;
	TODO();
}

const void *mring_read_ptr(struct mring *r, size_t *n)
{
	(void)r;
	(void)n;
	TODO();
}

void mring_release(struct mring *r, size_t n)
{
	(void)r;
	(void)n;
	TODO();
}

size_t mring_write(struct mring *r, const void *src, size_t n)
{
	(void)r;
	(void)src;
	(void)n;
	TODO();
}

size_t mring_read(struct mring *r, void *dst, size_t n)
{
	(void)r;
	(void)dst;
	(void)n;
	TODO();
}

const void *mring_base(const struct mring *r)
{
	(void)r;
	TODO();
}
