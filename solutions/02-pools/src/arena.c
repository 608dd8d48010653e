/*
 * arena.c - a bump allocator over a chain of mmap'd blocks, with markers.
 *
 *   arena --> cur block                        older block
 *             +-----+---------+-----------+    +-----+--------+---+
 *             | hdr | in use  |   free    |    | hdr | in use |   |
 *             +-----+---------+-----------+    +-----+--------+---+
 *             ^ prev -----------------------> ^       ^ saved top
 *                             ^ top
 *
 * The arena's top is an offset into the current block.  An allocation
 * rounds the top's address up to the alignment and adds n; when that
 * does not fit, a new block is mapped and chained in front, and the
 * old block's top is saved in its header so that rollback can return
 * to it.  A marker is the pair (current block, top): rolling back pops
 * (and unmaps) blocks until the marker's block is current again, then
 * restores the top.
 */
#include "arena.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

struct block {
	struct block *prev; /* the block before this one, NULL for the first */
	size_t len;	    /* of the mapping */
	size_t top;	    /* saved top, while a newer block is current */
};

/* Usable memory starts here, 16-aligned (blocks are page-aligned). */
#define HDR ((sizeof(struct block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

struct arena {
	struct block *cur;
	size_t top;	    /* first free offset in cur */
	size_t block_size;  /* for new blocks, a page multiple */
	size_t used_before; /* in-use bytes of the blocks before cur */
	size_t footprint;
};

static _Atomic size_t mapped_total;

static size_t round_up(size_t x, size_t a) /* a: a power of two */
{
	return (x + a - 1) & ~(a - 1);
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static struct block *map_block(struct arena *a, size_t len)
{
	struct block *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	b->len = len;
	b->top = HDR;
	b->prev = NULL;
	a->footprint += len;
	atomic_fetch_add_explicit(&mapped_total, len, memory_order_relaxed);
	return b;
}

static void unmap_block(struct arena *a, struct block *b)
{
	a->footprint -= b->len;
	atomic_fetch_sub_explicit(&mapped_total, b->len, memory_order_relaxed);
	munmap(b, b->len);
}

struct arena *arena_create(size_t block_size)
{
	struct arena *a;

	if (block_size == 0)
		block_size = ARENA_DEFAULT_BLOCK;
	if (block_size > PTRDIFF_MAX / 2) {
		errno = EINVAL;
		return NULL;
	}
	a = malloc(sizeof *a);
	if (a == NULL)
		return NULL;
	a->block_size = round_up(block_size, page_size());
	a->footprint = 0;
	a->used_before = 0;
	a->cur = map_block(a, a->block_size);
	if (a->cur == NULL) {
		free(a);
		return NULL;
	}
	a->top = HDR;
	return a;
}

/* No room in the current block: chain a new one that surely has room,
 * then allocate from it. */
static __attribute__((noinline)) void *arena_grow(struct arena *a, size_t n,
						  size_t align)
{
	struct block *b;
	size_t len;

	/* No mapping exceeds PTRDIFF_MAX; refusing such n first also keeps
	 * the sums below from wrapping around. */
	if (n > PTRDIFF_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	/* The first aligned offset in a fresh, page-aligned block is
	 * round_up(HDR, align), since align <= one page. */
	len = round_up(round_up(HDR, align) + n, page_size());
	if (len < a->block_size)
		len = a->block_size;
	b = map_block(a, len);
	if (b == NULL)
		return NULL; /* nothing changed yet */
	a->cur->top = a->top;
	a->used_before += a->top - HDR;
	b->prev = a->cur;
	a->cur = b;
	a->top = round_up(HDR, align) + n;
	return (char *)b + round_up(HDR, align);
}

void *arena_alloc(struct arena *a, size_t n, size_t align)
{
	uintptr_t base = (uintptr_t)a->cur, end = base + a->cur->len, p;

	if (n == 0 || align == 0 || (align & (align - 1)) != 0 ||
	    align > ARENA_MAX_ALIGN) {
		errno = EINVAL;
		return NULL;
	}
	/* Align the address, not the offset: the two agree only up to the
	 * block's own alignment.  p <= end, since end is a page multiple
	 * and align at most a page. */
	p = round_up(base + a->top, align);
	/* Compare n with the room left, never p + n with end: for n near
	 * SIZE_MAX, p + n wraps around to a small address and "fits". */
	if (n > end - p)
		return arena_grow(a, n, align);
	a->top = p + n - base;
	return (void *)p;
}

struct arena_marker arena_mark(const struct arena *a)
{
	return (struct arena_marker){.block = a->cur, .top = a->top};
}

void arena_rollback(struct arena *a, struct arena_marker m)
{
	/* Pop the blocks chained after the marker's, newest first. */
	while (a->cur != m.block) {
		struct block *b = a->cur;

		a->cur = b->prev;
		a->used_before -= a->cur->top - HDR;
		unmap_block(a, b);
	}
	a->top = m.top;
}

void arena_reset(struct arena *a)
{
	struct block *first = a->cur;

	while (first->prev != NULL)
		first = first->prev;
	arena_rollback(a, (struct arena_marker){.block = first, .top = HDR});
}

size_t arena_used(const struct arena *a)
{
	return a->used_before + (a->top - HDR);
}

size_t arena_footprint(const struct arena *a)
{
	return a->footprint;
}

size_t arena_mapped_total(void)
{
	return atomic_load_explicit(&mapped_total, memory_order_relaxed);
}

void arena_destroy(struct arena *a)
{
	if (a == NULL)
		return;
	while (a->cur != NULL) {
		struct block *b = a->cur;

		a->cur = b->prev; /* before the unmap takes the header away */
		unmap_block(a, b);
	}
	free(a);
}
