/*
 * pool.c - a fixed-size block pool: a free list threaded through the free
 * blocks, chunks from mmap carved lazily.
 *
 * The fast paths are three loads and stores each:
 *
 *   alloc:  b = head; head = b->next; return b;
 *   free:   b->next = head; head = b;
 *
 * Everything else (carving, mapping a chunk) is on the slow path, taken
 * once per block for carving and once per chunk for mmap.
 *
 * A chunk, just mapped and partly carved:
 *
 *   +-----+-------+-------+-------+----------------------------+
 *   | hdr | blk 0 | blk 1 | blk 2 |  not carved yet            |
 *   +-----+-------+-------+-------+----------------------------+
 *   ^                             ^                            ^
 *   chunk                         carve                        carve_end
 *
 * Carving lazily, one block per alloc when the free list is empty,
 * instead of threading the whole chunk onto the free list when it is
 * mapped, keeps alloc O(1) without exception and touches a page of the
 * chunk only when a block on it is first handed out: a pool that maps
 * 64 KiB for three blocks uses one page of RAM.
 */
#include "pool.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* A free block, seen through its first bytes. */
struct free_block {
	struct free_block *next;
};

/* The start of every chunk: how to find and unmap it at destroy. */
struct chunk {
	struct chunk *next;
	size_t len; /* of the mapping, header included */
};

/* The header's room, rounded so that the first block is aligned too
 * (chunks themselves are page-aligned). */
#define CHUNK_HDR ((sizeof(struct chunk) + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1))

struct pool {
	struct free_block *head; /* freed blocks, most recent first */
	char *carve;		 /* next block to carve from the newest chunk */
	char *carve_end;	 /* end of the newest chunk */
	size_t size;		 /* block size, a multiple of POOL_ALIGN */
	size_t chunk_len;	 /* bytes per chunk, a page multiple */
	struct chunk *chunks;	 /* every chunk, newest first */
	size_t footprint;	 /* sum of chunk lengths */
};

/* Every pool's chunks, for pool_mapped_total().  Atomic because pools in
 * different threads may map at the same time; touched only per chunk. */
static _Atomic size_t mapped_total;

static size_t round_up(size_t x, size_t a) /* a: a power of two */
{
	return (x + a - 1) & ~(a - 1);
}

struct pool *pool_create(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct pool *p;

	/*
	 * Check before rounding: SIZE_MAX rounded up to 16 wraps to 0, and
	 * a check after the rounding would see a tiny, valid-looking size.
	 */
	if (size == 0 || size > POOL_MAX_BLOCK) {
		errno = EINVAL;
		return NULL;
	}
	p = malloc(sizeof *p);
	if (p == NULL)
		return NULL;
	/* A block must hold the free-list link and keep the next block
	 * aligned: a multiple of 16 does both. */
	p->size = round_up(size, POOL_ALIGN);
	p->chunk_len = POOL_CHUNK;
	if (CHUNK_HDR + 8 * p->size > POOL_CHUNK)
		p->chunk_len = round_up(CHUNK_HDR + 8 * p->size, page);
	p->head = NULL;
	p->carve = p->carve_end = NULL;
	p->chunks = NULL;
	p->footprint = 0;
	return p;
}

/* Map a new chunk and make it the one to carve from.  0 or -1 (ENOMEM). */
static int pool_grow(struct pool *p)
{
	struct chunk *c = mmap(NULL, p->chunk_len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (c == MAP_FAILED) {
		errno = ENOMEM;
		return -1;
	}
	c->len = p->chunk_len;
	c->next = p->chunks;
	p->chunks = c;
	/* The tail of the previous chunk, if any, is smaller than a block
	 * (we only grow when carving found no room), so nothing is lost
	 * by moving on. */
	p->carve = (char *)c + CHUNK_HDR;
	p->carve_end = (char *)c + p->chunk_len;
	p->footprint += p->chunk_len;
	atomic_fetch_add_explicit(&mapped_total, p->chunk_len,
				  memory_order_relaxed);
	return 0;
}

/* The free list is empty: carve, growing first if need be.  Kept out of
 * line so that the fast path in pool_alloc() stays small. */
static __attribute__((noinline)) void *pool_alloc_slow(struct pool *p)
{
	void *b;

	/* carve_end - carve, not carve + size > carve_end: the pointers
	 * are NULL before the first chunk. */
	if ((size_t)(p->carve_end - p->carve) < p->size && pool_grow(p) != 0)
		return NULL;
	b = p->carve;
	p->carve += p->size;
	return b;
}

void *pool_alloc(struct pool *p)
{
	struct free_block *b = p->head;

	if (b != NULL) {
		p->head = b->next;
		return b;
	}
	return pool_alloc_slow(p);
}

void pool_free(struct pool *p, void *b)
{
	struct free_block *f = b;

	if (f == NULL)
		return;
	/* Push: the block's own first bytes become the link. */
	f->next = p->head;
	p->head = f;
}

size_t pool_block_size(const struct pool *p)
{
	return p->size;
}

size_t pool_footprint(const struct pool *p)
{
	return p->footprint;
}

size_t pool_mapped_total(void)
{
	return atomic_load_explicit(&mapped_total, memory_order_relaxed);
}

void pool_destroy(struct pool *p)
{
	struct chunk *c, *next;

	if (p == NULL)
		return;
	/* Read the link before unmapping the chunk that holds it. */
	for (c = p->chunks; c != NULL; c = next) {
		next = c->next;
		atomic_fetch_sub_explicit(&mapped_total, c->len,
					  memory_order_relaxed);
		munmap(c, c->len);
	}
	free(p);
}
