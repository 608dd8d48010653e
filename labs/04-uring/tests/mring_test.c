/*
 * mring_test.c - task 2: the double-mapped ring buffer.
 *
 * The tests look at the memory itself through mring_base(): the second
 * half must be the first half again, not a copy.  Order is checked with
 * the pattern of tu_pattern(): byte i of the stream is known for every i.
 */
#define _GNU_SOURCE
#include "mring.h"
#include "testutil.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static struct mring *create(size_t n)
{
	struct mring *r = mring_create(n);

	CHECK(r != NULL, "mring_create(%zu) returned NULL (errno %d, %s)", n,
	      errno, strerror(errno));
	return r;
}

TEST(mring_capacity_pages)
{
	const size_t pg = page();
	const size_t asks[] = {1, pg - 1, pg, pg + 1, 5 * pg + 3, 1 << 20};
	char what[96];

	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		struct mring *r = create(asks[i]);
		size_t want = (asks[i] + pg - 1) / pg * pg;

		snprintf(what, sizeof what, "mring_capacity() of mring_create(%zu) "
			 "(rounded up to pages of %zu)", asks[i], pg);
		CHECK_UINT(what, want, mring_capacity(r));
		CHECK_UINT("mring_used() of a new ring", 0, mring_used(r));
		CHECK_UINT("mring_space() of a new ring", want, mring_space(r));
		mring_destroy(r);
	}
}

TEST(mring_bad_sizes)
{
	const size_t bad[] = {0, SIZE_MAX, SIZE_MAX - page() + 2,
			      SIZE_MAX / 2 + 1};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mring *r;

		errno = 0;
		r = mring_create(bad[i]);
		if (r) {
			size_t cap = mring_capacity(r);

			mring_destroy(r);
			CHECK(0, "mring_create(%zu = 0x%zx) returned a ring of "
			      "%zu bytes: expected NULL (rounding up or doubling "
			      "the size must not wrap around)", bad[i], bad[i],
			      cap);
		}
		CHECK(errno == EINVAL || errno == ENOMEM, "mring_create(%zu) "
		      "returned NULL with errno %d (%s): expected EINVAL or "
		      "ENOMEM", bad[i], errno, strerror(errno));
	}
	mring_destroy(NULL);
}

TEST(mring_mirror_is_same_memory)
{
	struct mring *r = create(3 * page());
	size_t cap = mring_capacity(r), n;
	unsigned char *w, buf[64];
	const volatile unsigned char *base = mring_base(r);

	CHECK(base != NULL, "mring_base() returned NULL");
	/* Through the API, across the end: 100 bytes written at cap - 40. */
	w = mring_write_ptr(r, &n);
	memset(w, 0, cap - 40);
	mring_commit(r, cap - 40);
	mring_read_ptr(r, &n);
	mring_release(r, cap - 40);
	tu_pattern(buf, 64, 1, 0);
	CHECK_UINT("mring_write() of 64 bytes that wrap past the end", 64,
		   mring_write(r, buf, 64));
	for (size_t i = 0; i < 64; i++) {
		size_t at = (cap - 40 + i) % cap;

		CHECK(base[at] == buf[i] && base[at + cap] == buf[i],
		      "after a write that wrapped, byte %zu of it is 0x%02x at "
		      "base + %zu and 0x%02x at base + %zu (the mirror), "
		      "expected 0x%02x in both: the two halves must be one memory",
		      i, base[at], at, base[at + cap], at + cap, buf[i]);
	}
	/* Writing the mirror changes the first half, and back. */
	for (size_t i = 0; i < cap; i += 997) {
		((volatile unsigned char *)base)[cap + i] = (unsigned char)(i * 7 + 1);
		CHECK(base[i] == (unsigned char)(i * 7 + 1), "a byte stored at "
		      "base + cap + %zu is not seen at base + %zu: the second "
		      "mapping is not the same pages as the first", i, i);
		((volatile unsigned char *)base)[i] = (unsigned char)(i * 3 + 2);
		CHECK(base[cap + i] == (unsigned char)(i * 3 + 2), "a byte "
		      "stored at base + %zu is not seen at base + cap + %zu", i, i);
	}
	mring_destroy(r);
}

TEST(mring_wrap_is_contiguous)
{
	struct mring *r = create(page());
	size_t cap = mring_capacity(r), n;
	unsigned char *src = malloc(cap), *dst = malloc(cap);
	const unsigned char *base = mring_base(r), *rp;
	unsigned char *wp;

	CHECK(src && dst, "test setup: out of memory");
	mring_write_ptr(r, &n);
	mring_commit(r, cap - 100);
	mring_read_ptr(r, &n);
	mring_release(r, cap - 100);
	wp = mring_write_ptr(r, &n);
	CHECK_UINT("mring_write_ptr(): contiguous free bytes when the free "
		   "space wraps around the end (all of it: the mirror makes it "
		   "one run)", cap, n);
	CHECK_PTR("mring_write_ptr() when the ring is empty at offset cap - 100",
		  (const void *)(base + cap - 100), (const void *)wp);
	tu_pattern(src, cap, 2, 0);
	memcpy(wp, src, cap); /* one memcpy over the end, into the mirror */
	mring_commit(r, cap);
	CHECK_UINT("mring_used() after filling the ring", cap, mring_used(r));
	CHECK_UINT("mring_space() of a full ring", 0, mring_space(r));
	CHECK_UINT("mring_write() into a full ring", 0, mring_write(r, src, 1));
	rp = mring_read_ptr(r, &n);
	CHECK_UINT("mring_read_ptr(): contiguous unread bytes, wrapping", cap, n);
	CHECK_MEM("the bytes at mring_read_ptr(), read straight across the end",
		  src, rp, cap);
	mring_release(r, cap);
	CHECK_UINT("mring_read() from an empty ring", 0, mring_read(r, dst, 1));
	free(src);
	free(dst);
	mring_destroy(r);
}

TEST(mring_order_across_wraps)
{
	enum { TOTAL = 8 << 20 };
	struct mring *r = create(page());
	unsigned char *want = malloc(70000), *chunk = malloc(70000);
	uint64_t wpos = 0, rpos = 0;
	struct wb_rand rnd;

	CHECK(want && chunk, "test setup: out of memory");
	wb_rand_seed(&rnd, 42);
	while (rpos < TOTAL) {
		size_t n = (size_t)wb_rand_below(&rnd, mring_capacity(r) + 300);
		size_t got;

		if (wb_rand_below(&rnd, 2) && wpos < TOTAL) {
			tu_pattern(chunk, n, 3, wpos);
			got = mring_write(r, chunk, n);
			CHECK(got <= n, "mring_write() of %zu bytes returned %zu",
			      n, got);
			wpos += got;
		} else {
			got = mring_read(r, chunk, n);
			tu_pattern(want, got, 3, rpos);
			if (memcmp(chunk, want, got) != 0) {
				size_t i = 0;

				while (chunk[i] == want[i])
					i++;
				CHECK(0, "byte %llu of the stream came out as 0x%02x, "
				      "expected 0x%02x (ring of %zu bytes, %llu "
				      "bytes written so far): order lost across a wrap",
				      (unsigned long long)(rpos + i), chunk[i], want[i],
				      mring_capacity(r), (unsigned long long)wpos);
			}
			rpos += got;
		}
		CHECK_UINT("mring_used() = bytes written - bytes read", wpos - rpos,
			   mring_used(r));
	}
	free(want);
	free(chunk);
	mring_destroy(r);
}

struct stream {
	struct mring *r;
	uint64_t total;
	uint64_t bad_at; /* first wrong byte + 1, 0 if none */
};

static void *producer(void *arg)
{
	struct stream *s = arg;
	uint64_t pos = 0;

	while (pos < s->total) {
		size_t n;
		unsigned char *p = mring_write_ptr(s->r, &n);

		if (n > s->total - pos)
			n = (size_t)(s->total - pos);
		if (n > 5000)
			n = 1 + (size_t)(pos % 5000);
		if (n == 0) {
			sched_yield();
			continue;
		}
		tu_pattern(p, n, 4, pos);
		mring_commit(s->r, n);
		pos += n;
	}
	return NULL;
}

TEST(mring_threads_spsc)
{
	enum { TOTAL = 32 << 20 };
	struct stream s = {create(2 * page()), TOTAL, 0};
	unsigned char want[8192];
	pthread_t t;
	uint64_t pos = 0;

	CHECK(pthread_create(&t, NULL, producer, &s) == 0, "test setup: thread");
	while (pos < TOTAL) {
		size_t n;
		const unsigned char *p = mring_read_ptr(s.r, &n);

		if (n == 0) {
			sched_yield();
			continue;
		}
		if (n > sizeof want)
			n = sizeof want;
		tu_pattern(want, n, 4, pos);
		if (memcmp(p, want, n) != 0 && !s.bad_at) {
			size_t i = 0;

			while (p[i] == want[i])
				i++;
			s.bad_at = pos + i + 1;
		}
		mring_release(s.r, n);
		pos += n;
	}
	pthread_join(t, NULL);
	CHECK(s.bad_at == 0, "a producer thread and a consumer thread streamed "
	      "%d MiB through a %zu-byte ring: byte %llu came out wrong (publish "
	      "with a release store of tail, read it with an acquire load)",
	      TOTAL >> 20, mring_capacity(s.r), (unsigned long long)s.bad_at - 1);
	CHECK_UINT("mring_used() after the consumer read everything", 0,
		   mring_used(s.r));
	mring_destroy(s.r);
}

TEST(mring_destroy_releases)
{
	int before = tu_fd_count();
	const void *base;
	size_t cap;

	for (int i = 0; i < 200; i++) {
		struct mring *r = create(4 * page());

		mring_destroy(r);
	}
	CHECK_INT("open descriptors after 200 mring_create + mring_destroy "
		  "(close the memfd once both halves are mapped)", before,
		  tu_fd_count());
	{
		struct mring *r = create(4 * page());

		base = mring_base(r);
		cap = mring_capacity(r);
		mring_destroy(r);
	}
	CHECK(!tu_mapped(base), "the first half at %p is still mapped after "
	      "mring_destroy()", base);
	CHECK(!tu_mapped((const char *)base + cap), "the mirror at %p is still "
	      "mapped after mring_destroy()", (const void *)((const char *)base + cap));
	CHECK(!tu_mapped((const char *)base + 2 * cap - 1), "the end of the "
	      "mirror is still mapped after mring_destroy()");
}
