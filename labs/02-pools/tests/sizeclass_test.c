/*
 * sizeclass_test.c - task 2: the size-class allocator.
 *
 * The table is checked against the rule in include/sizeclass.h: every
 * request gets the smallest class that holds it, and the waste stays
 * under max(16, class / 8).  The allocator is then driven with random
 * sizes, small and large, and checked for alignment, overlap, damaged
 * contents, honest statistics, reuse and a clean destroy.
 */
#define _GNU_SOURCE
#include "sizeclass.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct sc *create(void)
{
	struct sc *a = sc_create();

	CHECK(a != NULL, "sc_create(): expected an allocator, got NULL");
	return a;
}

static void *alloc(struct sc *a, size_t n)
{
	void *p = sc_alloc(a, n);

	CHECK(p != NULL, "sc_alloc(%zu): expected a block, got NULL (errno "
	      "%d)", n, errno);
	CHECK((uintptr_t)p % SC_ALIGN == 0,
	      "sc_alloc(%zu) returned %p, %zu bytes past a multiple of %d: "
	      "expected every block %d-aligned",
	      n, p, (size_t)((uintptr_t)p % SC_ALIGN), SC_ALIGN, SC_ALIGN);
	return p;
}

/* A request size: mostly small, skewed to small sizes, some large. */
static size_t random_size(struct wb_rand *r)
{
	switch (wb_rand_below(r, 8)) {
	case 0:
		return (size_t)wb_rand_below(r, 129);
	case 1:
		return SC_MAX_SMALL + 1 + (size_t)wb_rand_below(r, 100000);
	case 2:
		return (size_t)wb_rand_below(r, SC_MAX_SMALL + 1);
	default:
		return 1 + (size_t)wb_rand_below(r, 1024);
	}
}

static void fill(void *p, size_t n, size_t tag)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)(tag * 13 + i * 5 + 3);
}

static void check_fill(const void *p, size_t n, size_t tag, const char *when)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		unsigned char want = (unsigned char)(tag * 13 + i * 5 + 3);

		CHECK(c[i] == want,
		      "%s: block %zu (sc_alloc(%zu) = %p) changed while it was "
		      "allocated: byte %zu is 0x%02x, expected 0x%02x (another "
		      "block overlaps it: is its class too small?)",
		      when, tag, n, p, i, c[i], want);
	}
}

static int page_mapped(const void *addr)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *pg = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));

	return msync(pg, page, MS_ASYNC) == 0 || errno != ENOMEM;
}

TEST(sclass_table_shape)
{
	size_t count = 0;
	const size_t *t = sc_classes(&count);

	CHECK(t != NULL && count >= 2 && count <= SC_MAX_CLASSES,
	      "sc_classes(): expected a table of 2 to %d classes, got %zu "
	      "classes%s",
	      SC_MAX_CLASSES, count, t == NULL ? " and a NULL table" : "");
	CHECK_UINT("the smallest class, sc_classes()[0]", SC_ALIGN, t[0]);
	CHECK_UINT("the largest class, sc_classes()[count - 1]", SC_MAX_SMALL,
		   t[count - 1]);
	for (size_t i = 0; i < count; i++) {
		CHECK(t[i] % SC_ALIGN == 0,
		      "class %zu is %zu bytes, not a multiple of %d: blocks "
		      "carved one after another would not all be aligned",
		      i, t[i], SC_ALIGN);
		CHECK(i == 0 || t[i] > t[i - 1],
		      "classes %zu and %zu are %zu and %zu: expected a strictly "
		      "increasing table", i - 1, i, t[i - 1], t[i]);
	}
}

TEST(sclass_request_fits_class)
{
	size_t count = 0, c = 0;
	const size_t *t = sc_classes(&count);

	/* Walk the requests and the table together: the right class for n
	 * is the first one >= n. */
	for (size_t n = 0; n <= SC_MAX_SMALL; n++) {
		size_t want, got = sc_class_size(n);

		while (c < count && t[c] < n)
			c++;
		want = c < count ? t[c] : 0;
		CHECK(got == want,
		      "sc_class_size(%zu): expected %zu, the smallest class "
		      "that holds %zu bytes, got %zu%s",
		      n, want, n, got,
		      got < n ? ": too small, the block would overflow into "
				"its neighbour" : "");
	}
	CHECK_UINT("sc_class_size(SC_MAX_SMALL + 1), served by mmap", 0,
		   sc_class_size(SC_MAX_SMALL + 1));
	CHECK_UINT("sc_class_size(SIZE_MAX)", 0, sc_class_size(SIZE_MAX));
}

TEST(sclass_waste_bounded)
{
	double worst = 0;
	size_t worst_n = 0;

	for (size_t n = 1; n <= SC_MAX_SMALL; n++) {
		size_t c = sc_class_size(n);
		size_t bound = c / 8 > 16 ? c / 8 : 16;

		CHECK(c >= n && c - n < bound,
		      "a request of %zu bytes gets class %zu: %zu bytes wasted, "
		      "expected under max(16, class/8) = %zu (is a class "
		      "missing from the table?)",
		      n, c, c - n, bound);
		if (n > 128 && (double)(c - n) / (double)c > worst) {
			worst = (double)(c - n) / (double)c;
			worst_n = n;
		}
	}
	wb_note("worst waste above 128 bytes: %.1f%% (request %zu, class %zu)",
		100 * worst, worst_n, sc_class_size(worst_n));
}

TEST(sclass_blocks_aligned_disjoint)
{
	enum { N = 3000, ROUNDS = 2 };
	struct wb_rand r;
	struct sc *a = create();
	void **p = malloc(N * sizeof *p);
	size_t *len = malloc(N * sizeof *len);

	CHECK(p != NULL && len != NULL, "test setup: out of memory");
	wb_rand_seed(&r, 0x5c1a55);
	for (int round = 0; round < ROUNDS; round++) {
		/* Contents first: a block too small for its request writes
		 * into the next one's pattern. */
		for (size_t i = 0; i < N; i++) {
			len[i] = random_size(&r);
			p[i] = alloc(a, len[i]);
			fill(p[i], len[i], i);
		}
		for (size_t i = 0; i < N; i++)
			check_fill(p[i], len[i], i, "after all were allocated");
		/* free every other block; the rest must stay intact */
		for (size_t i = 0; i < N; i += 2)
			sc_free(a, p[i], len[i]);
		for (size_t i = 1; i < N; i += 2)
			check_fill(p[i], len[i], i, "after half were freed");
		for (size_t i = 1; i < N; i += 2)
			sc_free(a, p[i], len[i]);
	}
	sc_destroy(a);
	free(p);
	free(len);
}

TEST(sclass_stats_exact)
{
	static const size_t sizes[] = {0, 1, 16, 17, 100, 129, 1000, 1025,
				       SC_MAX_SMALL, SC_MAX_SMALL + 1, 100000};
	enum { K = sizeof sizes / sizeof sizes[0] };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct sc *a = create();
	struct sc_stats st;
	void *p[K];
	size_t req = 0, res_lo = 0, res_hi = 0;

	sc_stats(a, &st);
	CHECK(st.live == 0 && st.requested == 0 && st.reserved == 0,
	      "sc_stats() of a new allocator: expected all 0, got live %zu, "
	      "requested %zu, reserved %zu", st.live, st.requested,
	      st.reserved);
	for (size_t k = 0; k < K; k++) {
		size_t c = sc_class_size(sizes[k]);

		p[k] = alloc(a, sizes[k]);
		req += sizes[k];
		if (c != 0) {
			res_lo += c;
			res_hi += c;
		} else {
			/* a large block: its whole mapping, header or not */
			res_lo += (sizes[k] + page - 1) / page * page;
			res_hi += (sizes[k] + page - 1) / page * page + page;
		}
		sc_stats(a, &st);
		CHECK_UINT("sc_stats(): live blocks", k + 1, st.live);
		CHECK(st.requested == req,
		      "sc_stats() after sc_alloc(%zu): requested is %zu, "
		      "expected %zu, the sum of the sizes asked for",
		      sizes[k], st.requested, req);
		CHECK(st.reserved >= res_lo && st.reserved <= res_hi,
		      "sc_stats() after sc_alloc(%zu): reserved is %zu, "
		      "expected %s%zu: class sizes for small blocks, whole "
		      "pages for large ones",
		      sizes[k], st.reserved, res_lo == res_hi ? "" : "at least ",
		      res_lo);
	}
	for (size_t k = 0; k < K; k++)
		sc_free(a, p[k], sizes[k]);
	sc_stats(a, &st);
	CHECK(st.live == 0 && st.requested == 0 && st.reserved == 0,
	      "sc_stats() after freeing everything: expected all 0, got "
	      "live %zu, requested %zu, reserved %zu",
	      st.live, st.requested, st.reserved);
	sc_destroy(a);
}

TEST(sclass_reuses_memory)
{
	enum { N = 2000, ROUNDS = 100 };
	struct wb_rand r;
	struct sc *a = create();
	void **p = malloc(N * sizeof *p);
	size_t *len = malloc(N * sizeof *len);
	size_t first = 0;

	CHECK(p != NULL && len != NULL, "test setup: out of memory");
	wb_rand_seed(&r, 0x2e05e);
	for (size_t i = 0; i < N; i++)
		len[i] = 1 + (size_t)wb_rand_below(&r, 1024);
	for (int round = 0; round < ROUNDS; round++) {
		for (size_t i = 0; i < N; i++)
			p[i] = alloc(a, len[i]);
		for (size_t i = 0; i < N; i++)
			sc_free(a, p[(i * 7) % N], len[(i * 7) % N]);
		if (round == 0)
			first = sc_footprint(a);
		CHECK(sc_footprint(a) == first,
		      "round %d of allocating the same %d sizes (1..1024) and "
		      "freeing them: footprint %zu bytes, it was %zu after "
		      "round 0: expected no growth (freed blocks are reused)",
		      round, N, sc_footprint(a), first);
	}
	/* A large block is unmapped when freed. */
	for (int i = 0; i < 50; i++) {
		size_t n = SC_MAX_SMALL + 1 + (size_t)i * 5000;
		void *big = alloc(a, n);

		CHECK(sc_footprint(a) > first,
		      "sc_alloc(%zu): the footprint did not grow (%zu): a large "
		      "block is a mapping of its own", n, sc_footprint(a));
		sc_free(a, big, n);
		CHECK(sc_footprint(a) == first,
		      "sc_free() of a %zu-byte block: footprint %zu, expected "
		      "%zu: a large block is unmapped when freed",
		      n, sc_footprint(a), first);
	}
	sc_destroy(a);
	free(p);
	free(len);
}

TEST(sclass_bad_sizes)
{
	static const size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4095,
				      SIZE_MAX - 16, (size_t)PTRDIFF_MAX + 1,
				      SIZE_MAX / 2 + 4096};
	struct sc *a = create();
	struct sc_stats st;
	void *z1, *z2;
	size_t fp;

	/* A request of 0 bytes: a unique block, like malloc(0) in glibc. */
	z1 = alloc(a, 0);
	z2 = alloc(a, 0);
	CHECK(z1 != z2, "two sc_alloc(0) calls returned the same pointer %p: "
	      "expected unique blocks", z1);
	sc_free(a, z1, 0);
	sc_free(a, z2, 0);
	sc_free(a, NULL, 0);
	sc_free(a, NULL, 100);
	sc_free(a, NULL, SC_MAX_SMALL + 1); /* NULL: no-op whatever n is */
	fp = sc_footprint(a);
	for (size_t k = 0; k < sizeof huge / sizeof huge[0]; k++) {
		void *p;

		errno = 0;
		p = sc_alloc(a, huge[k]);
		CHECK(p == NULL,
		      "sc_alloc(%zu = 0x%zx): expected NULL (no mapping can "
		      "hold it), got %p%s",
		      huge[k], huge[k], p,
		      sc_footprint(a) - fp < 65536
			      ? ": rounding the size up wrapped around to a "
				"small request"
			      : "");
		CHECK(errno == ENOMEM, "sc_alloc(%zu): NULL with errno %d, "
		      "expected ENOMEM", huge[k], errno);
	}
	CHECK_UINT("sc_footprint() after the refused requests", fp,
		   sc_footprint(a));
	sc_stats(a, &st);
	CHECK(st.live == 0 && st.requested == 0,
	      "sc_stats() after refused requests: expected nothing live, got "
	      "live %zu, requested %zu", st.live, st.requested);
	sc_destroy(a);
	sc_destroy(NULL);
}

TEST(sclass_destroy_releases)
{
	struct wb_rand r;
	size_t before = sc_mapped_total();
	struct sc *a = create();
	void *small = NULL, *large = NULL;
	size_t fp;

	wb_rand_seed(&r, 0xde57);
	for (int i = 0; i < 4000; i++) {
		size_t n = random_size(&r);
		void *p = alloc(a, n);

		/* leave them all live: destroy must take them anyway */
		if (n > SC_MAX_SMALL)
			large = p;
		else
			small = p;
	}
	fp = sc_footprint(a);
	CHECK(sc_mapped_total() == before + fp,
	      "sc_mapped_total() is %zu, expected %zu before the allocator "
	      "plus its footprint %zu", sc_mapped_total(), before, fp);
	sc_destroy(a);
	CHECK(sc_mapped_total() == before,
	      "sc_mapped_total() after sc_destroy(): %zu, expected %zu: %zu "
	      "bytes of chunks or large blocks are still mapped",
	      sc_mapped_total(), before, sc_mapped_total() - before);
	CHECK(!page_mapped(small), "after sc_destroy(), the page of a live "
	      "small block (%p) is still mapped", small);
	CHECK(!page_mapped(large), "after sc_destroy(), a live large block "
	      "(%p) is still mapped", large);
}
