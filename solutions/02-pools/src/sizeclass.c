/*
 * sizeclass.c - a size-class allocator: one free-list pool per class,
 * large requests straight to mmap.
 *
 * Three pieces:
 *   1. the class table and an O(1) lookup from a request size to its
 *      class;
 *   2. a pool per class, the same free list as task 1's pool, all of
 *      them carving from chunks this allocator maps;
 *   3. large blocks, one mapping each, on a list so that destroy can
 *      find the ones still live.
 */
#include "sizeclass.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The classes.  Up to 128 bytes, every multiple of 16: 16-byte alignment
 * allows nothing finer, and a request wastes under 16 bytes.  Above 128,
 * eight classes per power of two, each step 1/8 of the power of two
 * below: in (2^k, 2^(k+1)] the step is 2^(k-3).  A request just above
 * one class then gets the next, wasting under one step, and a step is at
 * most 1/8 of any class in that range: under 12.5%, however large.
 * The rule, generated from 16: size += max(16, floor_pow2(size) / 8).
 * Like Go's sizeclasses.go and tcmalloc, we write the result out: the
 * table is data, and a reader can see it.
 */
static const size_t class_size[] = {
	16,    32,    48,    64,    80,    96,    112,   128,
	144,   160,   176,   192,   208,   224,   240,   256,
	288,   320,   352,   384,   416,   448,   480,   512,
	576,   640,   704,   768,   832,   896,   960,   1024,
	1152,  1280,  1408,  1536,  1664,  1792,  1920,  2048,
	2304,  2560,  2816,  3072,  3328,  3584,  3840,  4096,
	4608,  5120,  5632,  6144,  6656,  7168,  7680,  8192,
	9216,  10240, 11264, 12288, 13312, 14336, 15360, 16384,
	18432, 20480, 22528, 24576, 26624, 28672, 30720, 32768,
};

#define NCLASSES (sizeof class_size / sizeof class_size[0])
_Static_assert(NCLASSES <= SC_MAX_CLASSES, "too many classes");
_Static_assert(NCLASSES <= 256, "class_of holds a byte");

/*
 * The lookup.  Every class is a multiple of 16, so all requests in one
 * 16-byte granule (16(g-1), 16g] share a class: a byte per granule,
 * 2 KiB in all, maps a request to its class in one load.  Granule 0 is
 * the request of 0 bytes.  The index is (n + 15) / 16, rounding *up*: n
 * / 16 would send 17 to the granule of 16, and to a class too small.
 */
static uint8_t class_of[SC_MAX_SMALL / SC_ALIGN + 1];

/* Filled before main, so every entry point may use it without a check
 * and without a race. */
__attribute__((constructor)) static void build_class_of(void)
{
	size_t c = 0;

	for (size_t g = 0; g <= SC_MAX_SMALL / SC_ALIGN; g++) {
		/* The smallest class that holds the granule's largest
		 * request, 16 g. */
		while (class_size[c] < g * SC_ALIGN)
			c++;
		class_of[g] = (uint8_t)c;
	}
}

static inline size_t class_index(size_t n) /* n <= SC_MAX_SMALL */
{
	return class_of[(n + SC_ALIGN - 1) / SC_ALIGN];
}

struct free_block {
	struct free_block *next;
};

/* At the start of every chunk, to unmap it at destroy. */
struct chunk {
	struct chunk *next;
	size_t len;
};

#define CHUNK_HDR ((sizeof(struct chunk) + SC_ALIGN - 1) & ~(size_t)(SC_ALIGN - 1))

/* In front of every large block: a doubly linked list, so that a free
 * unlinks in O(1) and destroy finds what is still live.  32 bytes, so
 * the block after it stays 16-aligned. */
struct large {
	struct large *prev, *next;
	size_t len; /* of the mapping */
	size_t pad;
};

_Static_assert(sizeof(struct large) % SC_ALIGN == 0, "large header");

/* One class's pool: task 1's free list and lazy carving. */
struct class_pool {
	struct free_block *head;
	char *carve, *carve_end;
};

struct sc {
	struct class_pool pool[NCLASSES];
	struct chunk *chunks; /* of every class, newest first */
	struct large *large;  /* live large blocks */
	size_t footprint;
	struct sc_stats st;
};

static _Atomic size_t mapped_total;

static size_t round_up(size_t x, size_t a) /* a: a power of two */
{
	return (x + a - 1) & ~(a - 1);
}

static void *map(struct sc *a, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	a->footprint += len;
	atomic_fetch_add_explicit(&mapped_total, len, memory_order_relaxed);
	return m;
}

static void unmap(struct sc *a, void *m, size_t len)
{
	munmap(m, len);
	a->footprint -= len;
	atomic_fetch_sub_explicit(&mapped_total, len, memory_order_relaxed);
}

const size_t *sc_classes(size_t *count)
{
	*count = NCLASSES;
	return class_size;
}

size_t sc_class_size(size_t n)
{
	return n <= SC_MAX_SMALL ? class_size[class_index(n)] : 0;
}

struct sc *sc_create(void)
{
	/* calloc: empty free lists, no chunks, zero statistics. */
	return calloc(1, sizeof(struct sc));
}

/* Class c's free list is empty: carve a block, mapping a chunk first
 * when the current one is used up. */
static __attribute__((noinline)) void *carve(struct sc *a, size_t c)
{
	struct class_pool *cp = &a->pool[c];
	size_t size = class_size[c];
	void *b;

	if ((size_t)(cp->carve_end - cp->carve) < size) {
		size_t len = SC_CHUNK;
		struct chunk *ch;

		/* At least 8 blocks per chunk, or the big classes would map
		 * a chunk for every other block. */
		if (CHUNK_HDR + 8 * size > len)
			len = round_up(CHUNK_HDR + 8 * size,
				       (size_t)sysconf(_SC_PAGESIZE));
		ch = map(a, len);
		if (ch == NULL)
			return NULL;
		ch->len = len;
		ch->next = a->chunks;
		a->chunks = ch;
		cp->carve = (char *)ch + CHUNK_HDR;
		cp->carve_end = (char *)ch + len;
	}
	b = cp->carve;
	cp->carve += size;
	return b;
}

static void *large_alloc(struct sc *a, size_t n)
{
	struct large *l;
	size_t len;

	/* No mapping can be larger than PTRDIFF_MAX, and refusing those
	 * first keeps n + header + a page far from wrapping around. */
	if (n > PTRDIFF_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	len = round_up(sizeof(struct large) + n, (size_t)sysconf(_SC_PAGESIZE));
	l = map(a, len);
	if (l == NULL)
		return NULL;
	l->len = len;
	l->prev = NULL;
	l->next = a->large;
	if (a->large != NULL)
		a->large->prev = l;
	a->large = l;
	a->st.live++;
	a->st.requested += n;
	a->st.reserved += len;
	return l + 1;
}

void *sc_alloc(struct sc *a, size_t n)
{
	struct class_pool *cp;
	struct free_block *b;
	size_t c;

	if (n > SC_MAX_SMALL)
		return large_alloc(a, n);
	c = class_index(n);
	cp = &a->pool[c];
	b = cp->head;
	if (b != NULL)
		cp->head = b->next;
	else if ((b = carve(a, c)) == NULL)
		return NULL;
	a->st.live++;
	a->st.requested += n;
	a->st.reserved += class_size[c];
	return b;
}

void sc_free(struct sc *a, void *p, size_t n)
{
	if (p == NULL)
		return;
	if (n <= SC_MAX_SMALL) {
		size_t c = class_index(n);
		struct free_block *b = p;

		b->next = a->pool[c].head;
		a->pool[c].head = b;
		a->st.live--;
		a->st.requested -= n;
		a->st.reserved -= class_size[c];
	} else {
		struct large *l = (struct large *)p - 1;

		if (l->prev != NULL)
			l->prev->next = l->next;
		else
			a->large = l->next;
		if (l->next != NULL)
			l->next->prev = l->prev;
		a->st.live--;
		a->st.requested -= n;
		a->st.reserved -= l->len;
		unmap(a, l, l->len);
	}
}

void sc_stats(const struct sc *a, struct sc_stats *st)
{
	*st = a->st;
}

size_t sc_footprint(const struct sc *a)
{
	return a->footprint;
}

size_t sc_mapped_total(void)
{
	return atomic_load_explicit(&mapped_total, memory_order_relaxed);
}

void sc_destroy(struct sc *a)
{
	struct chunk *c, *cnext;
	struct large *l, *lnext;

	if (a == NULL)
		return;
	for (c = a->chunks; c != NULL; c = cnext) {
		cnext = c->next; /* before the unmap takes it away */
		unmap(a, c, c->len);
	}
	for (l = a->large; l != NULL; l = lnext) {
		lnext = l->next;
		unmap(a, l, l->len);
	}
	free(a);
}
