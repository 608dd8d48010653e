/*
 * arena_test.c - task 3: the arena allocator with markers.
 *
 * The arenas here use small blocks (one or two pages), so that ordinary
 * tests overflow a block and chain new ones often: growth and rollback
 * across blocks are where arenas go wrong.
 */
#define _GNU_SOURCE
#include "arena.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page;

static struct arena *create(size_t block)
{
	struct arena *a = arena_create(block);

	page = (size_t)sysconf(_SC_PAGESIZE);
	CHECK(a != NULL, "arena_create(%zu): expected an arena, got NULL "
	      "(errno %d)", block, errno);
	return a;
}

static void *alloc(struct arena *a, size_t n, size_t align)
{
	void *p = arena_alloc(a, n, align);

	CHECK(p != NULL, "arena_alloc(a, %zu, %zu): expected memory, got NULL "
	      "(errno %d)", n, align, errno);
	CHECK((uintptr_t)p % align == 0,
	      "arena_alloc(a, %zu, %zu) returned %p, %zu bytes past a "
	      "multiple of %zu: expected an address aligned to the align "
	      "argument",
	      n, align, p, (size_t)((uintptr_t)p % align), align);
	return p;
}

static void fill(void *p, size_t n, size_t tag)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(tag * 11 + i * 3 + 5);
}

static void check_fill(const void *p, size_t n, size_t tag, const char *when)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		unsigned char want = (unsigned char)(tag * 11 + i * 3 + 5);

		CHECK(c[i] == want,
		      "%s: allocation %zu (%zu bytes at %p) changed: byte %zu "
		      "is 0x%02x, expected 0x%02x (a later allocation overlaps "
		      "it)",
		      when, tag, n, p, i, c[i], want);
	}
}

static int page_mapped(const void *addr)
{
	void *pg = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));

	return msync(pg, page, MS_ASYNC) == 0 || errno != ENOMEM;
}

static size_t random_align(struct wb_rand *r)
{
	/* 1 .. 4096, small ones more often */
	unsigned k = (unsigned)wb_rand_below(r, 16);

	return (size_t)1 << (k < 13 ? k : (unsigned)wb_rand_below(r, 5));
}

TEST(arena_alignment)
{
	struct wb_rand r;
	struct arena *a = create(2 * 4096);

	wb_rand_seed(&r, 0xa119);
	/* every power of two, after an odd-sized allocation each time */
	for (size_t align = 1; align <= ARENA_MAX_ALIGN; align *= 2) {
		alloc(a, 1 + (size_t)wb_rand_below(&r, 7), 1);
		alloc(a, 1 + (size_t)wb_rand_below(&r, 100), align);
	}
	for (int i = 0; i < 3000; i++)
		alloc(a, 1 + (size_t)wb_rand_below(&r, 300), random_align(&r));
	arena_destroy(a);
}

TEST(arena_rejects_bad_input)
{
	static const size_t bad_align[] = {0, 3, 6, 24, 48, 1000,
					   ARENA_MAX_ALIGN * 2, SIZE_MAX};
	static const size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4096,
				      (size_t)PTRDIFF_MAX + 1};
	struct arena *a = create(4096);
	size_t used, fp;
	void *p;

	alloc(a, 100, 16);
	used = arena_used(a);
	fp = arena_footprint(a);
	for (size_t k = 0; k < sizeof bad_align / sizeof bad_align[0]; k++) {
		errno = 0;
		p = arena_alloc(a, 8, bad_align[k]);
		CHECK(p == NULL && errno == EINVAL,
		      "arena_alloc(a, 8, %zu): expected NULL with EINVAL (the "
		      "alignment must be a power of two from 1 to %zu), got "
		      "%p, errno %d",
		      bad_align[k], ARENA_MAX_ALIGN, p, errno);
	}
	errno = 0;
	p = arena_alloc(a, 0, 16);
	CHECK(p == NULL && errno == EINVAL, "arena_alloc(a, 0, 16): expected "
	      "NULL with EINVAL, got %p, errno %d", p, errno);
	for (size_t k = 0; k < sizeof huge / sizeof huge[0]; k++) {
		errno = 0;
		p = arena_alloc(a, huge[k], 16);
		CHECK(p == NULL,
		      "arena_alloc(a, %zu = 0x%zx, 16): expected NULL, got %p "
		      "(does the room check compute top + n, which wraps "
		      "around?)", huge[k], huge[k], p);
		CHECK(errno == ENOMEM, "arena_alloc(a, %zu, 16): NULL with "
		      "errno %d, expected ENOMEM", huge[k], errno);
	}
	CHECK_UINT("arena_used() after the refused requests", used,
		   arena_used(a));
	CHECK_UINT("arena_footprint() after the refused requests", fp,
		   arena_footprint(a));
	/* and it still works */
	p = alloc(a, 100, 16);
	CHECK_UINT("arena_used() after one more arena_alloc(a, 100, 16)",
		   used + 100 + (16 - used % 16) % 16, arena_used(a));
	arena_destroy(a);
	arena_destroy(NULL);
	errno = 0;
	a = arena_create(SIZE_MAX);
	CHECK(a == NULL && errno == EINVAL, "arena_create(SIZE_MAX): expected "
	      "NULL with EINVAL, got %p, errno %d", (void *)a, errno);
}

TEST(arena_contents_preserved)
{
	enum { N = 4000 };
	struct wb_rand r;
	struct arena *a = create(4096);
	void **p = malloc(N * sizeof *p);
	size_t *len = malloc(N * sizeof *len);

	CHECK(p != NULL && len != NULL, "test setup: out of memory");
	wb_rand_seed(&r, 0xc0de);
	for (size_t i = 0; i < N; i++) {
		/* now and then one larger than a block */
		len[i] = wb_rand_below(&r, 50) == 0
				 ? 4096 + (size_t)wb_rand_below(&r, 10000)
				 : 1 + (size_t)wb_rand_below(&r, 200);
		p[i] = alloc(a, len[i], random_align(&r));
		fill(p[i], len[i], i);
	}
	for (size_t i = 0; i < N; i++)
		check_fill(p[i], len[i], i, "after all allocations");
	arena_destroy(a);
	free(p);
	free(len);
}

TEST(arena_marker_rollback)
{
	struct arena *a = create(4096 * 4);
	struct arena_marker m0, m1;
	unsigned char *keep, *x, *y, *z;
	size_t used0, used1;

	keep = alloc(a, 40, 8);
	fill(keep, 40, 1);
	m0 = arena_mark(a);
	used0 = arena_used(a);
	x = alloc(a, 100, 16);
	m1 = arena_mark(a);
	used1 = arena_used(a);
	y = alloc(a, 33, 32);
	fill(y, 33, 2);
	/* back to m1: y is gone, x stays */
	arena_rollback(a, m1);
	CHECK_UINT("arena_used() after rolling back to a marker", used1,
		   arena_used(a));
	z = alloc(a, 33, 32);
	CHECK_PTR("the first allocation after arena_rollback(m1), with the "
		  "same size and alignment as the first after arena_mark()",
		  y, z);
	/* m1 stays valid: roll back to it again */
	arena_rollback(a, m1);
	CHECK_PTR("allocating again after a second rollback to the same "
		  "marker", y, alloc(a, 33, 32));
	/* and to the older marker: x is gone too */
	arena_rollback(a, m0);
	CHECK_UINT("arena_used() after rolling back to the outer marker",
		   used0, arena_used(a));
	CHECK_PTR("the first allocation after arena_rollback(m0)", x,
		  alloc(a, 100, 16));
	check_fill(keep, 40, 1, "after rollbacks to later markers");
	/* a marker where nothing was allocated since: a no-op */
	m0 = arena_mark(a);
	used0 = arena_used(a);
	arena_rollback(a, m0);
	CHECK_UINT("arena_used() after rolling back to a marker just taken",
		   used0, arena_used(a));
	arena_destroy(a);
}

TEST(arena_rollback_across_blocks)
{
	struct wb_rand r;
	struct arena *a = create(4096);
	unsigned char *before[64];

	wb_rand_seed(&r, 0xb10c);
	for (int round = 0; round < 20; round++) {
		struct arena_marker m;
		size_t fp, used, chained;
		void *first, *again;

		/* something to keep, then a marker somewhere in a block */
		for (int i = 0; i < 64; i++) {
			before[i] = alloc(a, 20, 4);
			fill(before[i], 20, (size_t)(round * 64 + i));
		}
		m = arena_mark(a);
		fp = arena_footprint(a);
		used = arena_used(a);
		first = alloc(a, 24, 8);
		/* enough to chain several blocks, one larger than a block */
		for (int i = 0; i < 200; i++)
			alloc(a, 1 + (size_t)wb_rand_below(&r, 120),
			      random_align(&r));
		alloc(a, 3 * 4096, 16);
		chained = arena_footprint(a);
		CHECK(chained >= fp + 3 * 4096,
		      "round %d: after allocating well over a block since the "
		      "marker, the footprint is %zu, expected at least %zu: "
		      "new blocks are mapped when one is full",
		      round, chained, fp + 3 * 4096);
		arena_rollback(a, m);
		CHECK(arena_footprint(a) == fp,
		      "round %d: arena_rollback() across %zu bytes of chained "
		      "blocks: footprint %zu, expected %zu, as at the marker "
		      "(blocks chained after the marker are unmapped)",
		      round, chained - fp, arena_footprint(a), fp);
		CHECK(arena_used(a) == used,
		      "round %d: arena_used() after rolling back across "
		      "blocks: %zu, expected %zu, as at the marker",
		      round, arena_used(a), used);
		again = alloc(a, 24, 8);
		CHECK(again == first,
		      "round %d: the first allocation after rolling back "
		      "across blocks is at %p, expected %p, where the first "
		      "after the marker was",
		      round, again, first);
		for (int i = 0; i < 64; i++)
			check_fill(before[i], 20, (size_t)(round * 64 + i),
				   "after a rollback across blocks");
	}
	arena_destroy(a);
}

TEST(arena_reset_and_reuse)
{
	struct arena *a = create(8192);
	size_t fp0 = arena_footprint(a);
	void *first = NULL;

	CHECK(fp0 >= 8192 && fp0 % page == 0,
	      "arena_create(8192): footprint %zu, expected one block of 8192 "
	      "bytes (rounded to pages)", fp0);
	CHECK_UINT("arena_used() of a new arena", 0, arena_used(a));
	for (int round = 0; round < 500; round++) {
		void *p = alloc(a, 48, 16);

		if (round == 0)
			first = p;
		CHECK(p == first,
		      "round %d: the first allocation after arena_reset() is "
		      "at %p, expected %p, the first of the arena", round, p,
		      first);
		for (int i = 0; i < 100; i++)
			alloc(a, 100 + (size_t)i, 8);
		arena_reset(a);
		CHECK_UINT("arena_used() after arena_reset()", 0,
			   arena_used(a));
		CHECK(arena_footprint(a) == fp0,
		      "round %d: arena_footprint() after arena_reset() is %zu, "
		      "expected %zu, the first block alone", round,
		      arena_footprint(a), fp0);
	}
	arena_destroy(a);
}

TEST(arena_grows_by_chaining)
{
	struct arena *a = create(4096);
	size_t fp0 = arena_footprint(a), used = 0;
	void *big;

	/* 100 allocations of 1000 bytes: 4 fit per page */
	for (int i = 0; i < 100; i++) {
		alloc(a, 1000, 8);
		used += 1000;
	}
	CHECK(arena_footprint(a) >= 25 * 4096 && arena_footprint(a) <= 35 * 4096,
	      "100 allocations of 1000 bytes in 4096-byte blocks: footprint "
	      "%zu, expected about 25 to 34 blocks' worth (%d..%d)",
	      arena_footprint(a), 25 * 4096, 35 * 4096);
	CHECK_UINT("arena_used() after 100 allocations of 1000 bytes, "
		   "8-aligned", used, arena_used(a));
	/* a request larger than a block gets a block of its own */
	big = alloc(a, 1 << 20, 4096);
	memset(big, 0x5a, 1 << 20);
	CHECK(arena_footprint(a) >= fp0 + (1 << 20),
	      "after arena_alloc(a, 1 MiB, 4096) with 4 KiB blocks: footprint "
	      "%zu, expected at least 1 MiB more", arena_footprint(a));
	CHECK(arena_mapped_total() >= arena_footprint(a),
	      "arena_mapped_total() %zu is less than this arena's footprint "
	      "%zu", arena_mapped_total(), arena_footprint(a));
	arena_destroy(a);
}

TEST(arena_destroy_releases)
{
	size_t before = arena_mapped_total();
	struct arena *a = create(4096), *b = create(0);
	void *pa[3], *pb;
	size_t fa, fb;

	pa[0] = alloc(a, 10, 16);
	for (int i = 0; i < 300; i++)
		pa[1] = alloc(a, 100, 16);
	pa[2] = alloc(a, 100000, 64);
	pb = alloc(b, 100, 16);
	fa = arena_footprint(a);
	fb = arena_footprint(b);
	CHECK(arena_mapped_total() == before + fa + fb,
	      "arena_mapped_total() is %zu, expected %zu before plus the two "
	      "arenas' footprints %zu and %zu",
	      arena_mapped_total(), before, fa, fb);
	arena_destroy(a);
	CHECK(arena_mapped_total() == before + fb,
	      "arena_mapped_total() after destroying an arena of footprint "
	      "%zu: %zu, expected %zu", fa, arena_mapped_total(), before + fb);
	for (int i = 0; i < 3; i++)
		CHECK(!page_mapped(pa[i]), "after arena_destroy(), the page of "
		      "allocation %p is still mapped: expected every block "
		      "unmapped", pa[i]);
	CHECK(page_mapped(pb), "destroying one arena unmapped another's "
	      "block");
	arena_destroy(b);
	CHECK_UINT("arena_mapped_total() after destroying every arena", before,
		   arena_mapped_total());
}
