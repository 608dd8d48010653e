/*
 * debugalloc.c - task 6: a debug allocator.  Reference solution.
 *
 * One mmap'd region of equal slots.  Each slot is a 32-byte header, then
 * the payload area: the payload the caller asked for, then canary bytes
 * up to the end of the slot (at least DBG_CANARY_MIN of them):
 *
 *	| magic | state | size | (unused) | guard |  payload ...  | fd fd fd ... |
 *	0       4       8      16         28      32              32+size        slot
 *
 * The free slots wait in a FIFO ring of slot numbers kept in the pool's
 * own memory, not in the slots, so a stray write into a block can break
 * that block's checks but never the free list.  Every pointer is
 * validated against the region before anything at it is read.
 */
#include "debugalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

enum { STATE_FREE = 0x46524545, STATE_LIVE = 0x4c495645 };

struct dbg_header {
	uint32_t magic;
	uint32_t state;
	uint64_t size;
	uint64_t unused;
	uint32_t unused2;
	uint32_t guard; /* DBG_MAGIC again, right before the payload */
};

_Static_assert(sizeof(struct dbg_header) == 32, "header is 32 bytes");
_Static_assert(sizeof(struct dbg_header) % DBG_ALIGN == 0, "payload alignment");

struct dbg_pool {
	unsigned char *region;
	size_t region_bytes;
	size_t slot;	/* bytes per slot, a multiple of DBG_ALIGN */
	size_t cap;	/* payload area: slot - header */
	size_t max_size;
	size_t nblocks;
	size_t live;
	uint32_t *ring; /* free slot numbers, oldest at ring[head] */
	size_t head, nfree;
	dbg_report_fn report;
	void *ctx;
};

static void default_report(const struct dbg_report *r, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "debugalloc: %s: block %p (size %zu)\n",
		dbg_error_name(r->error), r->block, r->size);
	abort();
}

const char *dbg_error_name(enum dbg_error e)
{
	switch (e) {
	case DBG_DOUBLE_FREE:
		return "double free";
	case DBG_FOREIGN:
		return "foreign pointer";
	case DBG_OVERFLOW:
		return "overflow";
	case DBG_BAD_HEADER:
		return "bad header";
	case DBG_WRITE_AFTER_FREE:
		return "write after free";
	}
	return "?";
}

static void report(struct dbg_pool *p, enum dbg_error e, const void *block,
		   size_t size)
{
	struct dbg_report r = {e, block, size};

	p->report(&r, p->ctx);
}

static struct dbg_header *hdr(struct dbg_pool *p, size_t i)
{
	return (struct dbg_header *)(p->region + i * p->slot);
}

static unsigned char *payload(struct dbg_header *h)
{
	return (unsigned char *)(h + 1);
}

/* Fill a free slot's payload area and hide it from the program. */
static void poison(struct dbg_pool *p, struct dbg_header *h)
{
	memset(payload(h), DBG_FREE_FILL, p->cap);
	ASAN_POISON_MEMORY_REGION(payload(h), p->cap);
}

/* Whether a free slot's fill is intact; leaves it poisoned. */
static bool fill_intact(struct dbg_pool *p, struct dbg_header *h)
{
	const unsigned char *b = payload(h);
	bool ok = true;

	ASAN_UNPOISON_MEMORY_REGION(b, p->cap);
	for (size_t i = 0; i < p->cap && ok; i++)
		ok = b[i] == DBG_FREE_FILL;
	ASAN_POISON_MEMORY_REGION(b, p->cap);
	return ok;
}

static bool header_intact(const struct dbg_header *h)
{
	return h->magic == DBG_MAGIC && h->guard == DBG_MAGIC &&
	       (h->state == STATE_FREE || h->state == STATE_LIVE);
}

static bool canary_intact(struct dbg_pool *p, struct dbg_header *h)
{
	const unsigned char *b = payload(h);

	for (size_t i = h->size; i < p->cap; i++)
		if (b[i] != DBG_CANARY)
			return false;
	return true;
}

struct dbg_pool *dbg_create(size_t max_size, size_t nblocks)
{
	if (max_size == 0 || max_size > DBG_MAX_SIZE || nblocks == 0 ||
	    nblocks > (1u << 20))
		return NULL;

	struct dbg_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->max_size = max_size;
	p->nblocks = nblocks;
	p->cap = (max_size + DBG_CANARY_MIN + DBG_ALIGN - 1) &
		 ~(size_t)(DBG_ALIGN - 1);
	p->slot = sizeof(struct dbg_header) + p->cap;
	p->region_bytes = p->slot * nblocks;
	p->ring = malloc(nblocks * sizeof p->ring[0]);
	void *m = mmap(NULL, p->region_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!p->ring || m == MAP_FAILED) {
		if (m != MAP_FAILED)
			munmap(m, p->region_bytes);
		free(p->ring);
		free(p);
		return NULL;
	}
	p->region = m;
	p->report = default_report;
	for (size_t i = 0; i < nblocks; i++) {
		struct dbg_header *h = hdr(p, i);

		*h = (struct dbg_header){.magic = DBG_MAGIC, .state = STATE_FREE,
					 .guard = DBG_MAGIC};
		poison(p, h);
		p->ring[i] = (uint32_t)i;
	}
	p->nfree = nblocks;
	return p;
}

void dbg_set_reporter(struct dbg_pool *p, dbg_report_fn fn, void *ctx)
{
	p->report = fn ? fn : default_report;
	p->ctx = fn ? ctx : NULL;
}

void *dbg_alloc(struct dbg_pool *p, size_t size)
{
	if (size == 0 || size > p->max_size || p->nfree == 0)
		return NULL;

	size_t i = p->ring[p->head];
	struct dbg_header *h = hdr(p, i);
	unsigned char *b = payload(h);

	p->head = (p->head + 1) % p->nblocks;
	p->nfree--;
	if (!fill_intact(p, h))
		report(p, DBG_WRITE_AFTER_FREE, b, 0);
	ASAN_UNPOISON_MEMORY_REGION(b, p->cap);
	/* Rewrite the whole header: a stray write may have hit it. */
	*h = (struct dbg_header){.magic = DBG_MAGIC, .state = STATE_LIVE,
				 .size = size, .guard = DBG_MAGIC};
	memset(b, DBG_ALLOC_FILL, size);
	memset(b + size, DBG_CANARY, p->cap - size);
	p->live++;
	return b;
}

/* The slot number of a payload pointer, or -1 if it is not one. */
static long slot_of(struct dbg_pool *p, const void *block)
{
	uintptr_t a = (uintptr_t)block, base = (uintptr_t)p->region;

	if (a < base + sizeof(struct dbg_header) || a >= base + p->region_bytes)
		return -1;
	uintptr_t off = a - base - sizeof(struct dbg_header);
	if (off % p->slot != 0)
		return -1;
	return (long)(off / p->slot);
}

void dbg_free(struct dbg_pool *p, void *block)
{
	if (!block)
		return;

	long i = slot_of(p, block);
	if (i < 0) {
		report(p, DBG_FOREIGN, block, 0);
		return;
	}
	struct dbg_header *h = hdr(p, (size_t)i);
	if (!header_intact(h)) {
		report(p, DBG_BAD_HEADER, block, 0);
		return;
	}
	if (h->state != STATE_LIVE) {
		report(p, DBG_DOUBLE_FREE, block, 0);
		return;
	}
	if (!canary_intact(p, h)) {
		report(p, DBG_OVERFLOW, block, h->size);
		return;
	}
	h->state = STATE_FREE;
	h->size = 0;
	poison(p, h);
	p->ring[(p->head + p->nfree) % p->nblocks] = (uint32_t)i;
	p->nfree++;
	p->live--;
}

size_t dbg_check(struct dbg_pool *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nblocks; i++) {
		struct dbg_header *h = hdr(p, i);

		if (!header_intact(h)) {
			report(p, DBG_BAD_HEADER, payload(h), 0);
			n++;
		} else if (h->state == STATE_LIVE) {
			if (!canary_intact(p, h)) {
				report(p, DBG_OVERFLOW, payload(h), h->size);
				n++;
			}
		} else if (!fill_intact(p, h)) {
			report(p, DBG_WRITE_AFTER_FREE, payload(h), 0);
			n++;
		}
	}
	return n;
}

size_t dbg_live(struct dbg_pool *p)
{
	return p->live;
}

size_t dbg_destroy(struct dbg_pool *p)
{
	if (!p)
		return 0;

	size_t live = p->live;
	/* The shadow outlives the mapping: leave it clean for whoever
	 * maps these addresses next. */
	ASAN_UNPOISON_MEMORY_REGION(p->region, p->region_bytes);
	munmap(p->region, p->region_bytes);
	free(p->ring);
	free(p);
	return live;
}
