/*
 * bytes_test.c - task 3: byte_find and byte_count from src/bytes.S.
 *
 * The bytes around each buffer are the very byte searched for, so a
 * routine that looks one byte too far finds or counts it; buffers
 * against an unmapped page catch loads that cross into it.  Starts at
 * every offset 0..31 from a 32-byte boundary, lengths 0..257 and large.
 */
#include "bytes.h"
#include "kit.h"
#include "scalar.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <string.h>

enum { MAXN = 257, PAD = 64 };

static void *call_find(const void *s, int c, size_t n, struct cc_frame *f)
{
	cc_prepare(f, (const void *)byte_find, 1);
	f->arg[0] = (uintptr_t)s;
	f->arg[1] = (uint64_t)(int64_t)c;
	f->arg[2] = n;
	cc_call(f);
	return (void *)f->rax;
}

static size_t call_count(const void *s, int c, size_t n, struct cc_frame *f)
{
	cc_prepare(f, (const void *)byte_count, 1);
	f->arg[0] = (uintptr_t)s;
	f->arg[1] = (uint64_t)(int64_t)c;
	f->arg[2] = n;
	cc_call(f);
	return f->rax;
}

static void check_find(const char *what, const unsigned char *s, int c,
		       size_t n, void *got)
{
	void *want = scalar_find(s, c, n);

	if (got == want)
		return;
	if (!want)
		wb_fail(__FILE__, __LINE__, "%s: n = %zu, start %zu past a 32-byte "
			"boundary, no match inside: got s + %td, want NULL", what,
			n, (size_t)((uintptr_t)s % 32), (unsigned char *)got - s);
	if (!got)
		wb_fail(__FILE__, __LINE__, "%s: n = %zu, start %zu past a 32-byte "
			"boundary: got NULL, want s + %td", what, n,
			(size_t)((uintptr_t)s % 32), (unsigned char *)want - s);
	wb_fail(__FILE__, __LINE__, "%s: n = %zu, start %zu past a 32-byte "
		"boundary: got s + %td, want s + %td", what, n,
		(size_t)((uintptr_t)s % 32), (unsigned char *)got - s,
		(unsigned char *)want - s);
}

static void check_count(const char *what, const unsigned char *s, int c,
			size_t n, size_t got)
{
	size_t want = scalar_count(s, c, n);

	if (got != want)
		wb_fail(__FILE__, __LINE__, "%s: n = %zu, start %zu past a 32-byte "
			"boundary: got %zu, want %zu%s", what, n,
			(size_t)((uintptr_t)s % 32), got, want,
			got > want ? " (bytes outside the buffer counted?)" : "");
}

/* Which match positions to try for length n: all of them while n is
 * small, a sample (both ends, block edges) beyond. */
static bool try_pos(size_t k, size_t n)
{
	return n <= 70 || k < 3 || k + 3 > n || k % 31 == 0 || k % 32 == 31;
}

/* ---- byte_find ---- */

TEST(find_lengths)
{
	struct cc_frame f;
	unsigned char *buf = kit_alloc(MAXN + 2 * PAD);
	const int c = '\n';

	for (size_t off = 0; off < 32; off++)
		for (size_t n = 0; n <= MAXN; n++) {
			unsigned char *s = buf + PAD + off;
			memset(buf, c, MAXN + 2 * PAD);
			memset(s, 'a', n);
			check_find("byte_find, no match", s, c, n,
				   call_find(s, c, n, &f));
			for (size_t k = 0; k < n; k++) {
				if (!try_pos(k, n))
					continue;
				s[k] = c;
				check_find("byte_find, one match", s, c, n,
					   call_find(s, c, n, &f));
				if (k + 5 < n) {
					s[k + 5] = c;
					check_find("byte_find, two matches", s, c, n,
						   call_find(s, c, n, &f));
					s[k + 5] = 'a';
				}
				s[k] = 'a';
			}
		}
}

TEST(find_large)
{
	struct cc_frame f;
	size_t n = (1 << 20) + 13;
	unsigned char *buf = kit_alloc(n + 64);

	memset(buf, 0, n + 64);
	for (size_t off = 0; off < 32; off += 7) {
		unsigned char *s = buf + off;
		check_find("byte_find, 1 MB, no match", s, 0xff, n - off,
			   call_find(s, 0xff, n - off, &f));
		static const size_t at[] = {0, 31, 32, 127, 128, 129, 4095, 4096,
					    65537, 999999};
		for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
			s[at[i]] = 0xff;
			check_find("byte_find, 1 MB", s, 0xff, n - off,
				   call_find(s, 0xff, n - off, &f));
			s[at[i]] = 0;
		}
		size_t last = n - off - 1;
		s[last] = 0xff;
		check_find("byte_find, 1 MB, match at the last byte", s, 0xff,
			   n - off, call_find(s, 0xff, n - off, &f));
		s[last] = 0;
	}
}

TEST(find_guard_page)
{
	struct cc_frame f;
	struct guard g;
	const int c = 'z';

	guard_alloc(&g, 1);
	for (size_t n = 0; n <= MAXN; n++) {
		unsigned char *s = guard_end(&g, n);
		guard_fill(&g, c);
		memset(s, 'y', n);
		check_find("byte_find, ending at an unmapped page, no match", s, c,
			   n, call_find(s, c, n, &f));
		if (n) {
			s[n - 1] = c;
			check_find("byte_find, ending at an unmapped page, match at "
				   "the end", s, c, n, call_find(s, c, n, &f));
		}
	}
	for (size_t off = 0; off < 32; off++)
		for (size_t n = 0; n <= MAXN; n += 3) {
			unsigned char *s = guard_start(&g, off);
			guard_fill(&g, c);
			memset(s, 'y', n);
			check_find("byte_find, starting after an unmapped page", s, c,
				   n, call_find(s, c, n, &f));
		}
	guard_free(&g);
}

TEST(find_high_bytes)
{
	struct cc_frame f;
	unsigned char s[100];

	for (int i = 0; i < 100; i++)
		s[i] = (unsigned char)(0x80 + i);
	check_find("byte_find(c = 0xc0)", s, 0xc0, 100, call_find(s, 0xc0, 100, &f));
	check_find("byte_find(c = -128, that is 0x80)", s, -128, 100,
		   call_find(s, -128, 100, &f));
	check_find("byte_find(c = 0x1c1, that is 0xc1)", s, 0x1c1, 100,
		   call_find(s, 0x1c1, 100, &f));
	check_find("byte_find(c = 0)", s, 0, 100, call_find(s, 0, 100, &f));
	s[77] = 0;
	check_find("byte_find(c = 0)", s, 0, 100, call_find(s, 0, 100, &f));
}

TEST(find_vzeroupper)
{
	struct cc_frame f;
	unsigned char s[200] = {0};

	call_find(s, 1, 200, &f);
	check_vzeroupper("byte_find (no match)", &f);
	s[150] = 1;
	call_find(s, 1, 200, &f);
	check_vzeroupper("byte_find (a match)", &f);
}

TEST(find_callee_saved)
{
	struct cc_frame f;
	unsigned char s[200] = {0};

	call_find(s, 1, 200, &f);
	check_callee_saved("byte_find", &f);
}

/* ---- byte_count ---- */

TEST(count_lengths)
{
	struct wb_rand r;
	struct cc_frame f;
	unsigned char *buf = kit_alloc(MAXN + 2 * PAD);
	const int c = '\n';

	wb_rand_seed(&r, 61);
	for (size_t off = 0; off < 32; off++)
		for (size_t n = 0; n <= MAXN; n++) {
			unsigned char *s = buf + PAD + off;
			memset(buf, c, MAXN + 2 * PAD);
			memset(s, 'a', n);
			check_count("byte_count, none inside", s, c, n,
				    call_count(s, c, n, &f));
			for (size_t i = 0; i < n; i++)
				s[i] = wb_rand_below(&r, 3) ? 'a' : c;
			check_count("byte_count", s, c, n, call_count(s, c, n, &f));
			memset(s, c, n);
			check_count("byte_count, all match", s, c, n,
				    call_count(s, c, n, &f));
		}
}

TEST(count_large)
{
	struct wb_rand r;
	struct cc_frame f;
	size_t n = (3 << 20) + 29;
	unsigned char *buf = kit_alloc(n + 64);

	/* all matching: per-byte counters must be folded before 255 */
	memset(buf, 'x', n + 64);
	static const size_t lens[] = {255 * 32, 256 * 32, 504 * 32 + 5,
				      505 * 32, 1 << 20, (3 << 20) + 29};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
		for (size_t off = 0; off < 32; off += 9)
			check_count("byte_count, every byte matching", buf + off,
				    'x', lens[i] - off, call_count(buf + off, 'x',
								   lens[i] - off, &f));
	wb_rand_seed(&r, 62);
	wb_rand_fill(&r, buf, n);
	for (size_t off = 0; off < 32; off += 5)
		check_count("byte_count, random bytes", buf + off, 0x41, n - off,
			    call_count(buf + off, 0x41, n - off, &f));
}

TEST(count_guard_page)
{
	struct wb_rand r;
	struct cc_frame f;
	struct guard g;
	const int c = 'z';

	wb_rand_seed(&r, 63);
	guard_alloc(&g, 1);
	guard_fill(&g, c);
	for (size_t n = 0; n <= MAXN; n++) {
		unsigned char *s = guard_end(&g, n);
		for (size_t i = 0; i < n; i++)
			s[i] = wb_rand_below(&r, 2) ? 'y' : c;
		check_count("byte_count, ending at an unmapped page", s, c, n,
			    call_count(s, c, n, &f));
		memset(s, c, n);
	}
	for (size_t off = 0; off < 32; off++)
		for (size_t n = 0; n <= MAXN; n += 3) {
			unsigned char *s = guard_start(&g, off);
			for (size_t i = 0; i < n; i++)
				s[i] = wb_rand_below(&r, 2) ? 'y' : c;
			check_count("byte_count, starting after an unmapped page", s,
				    c, n, call_count(s, c, n, &f));
			memset(s, c, n);
		}
	guard_free(&g);
}

TEST(count_high_bytes)
{
	struct cc_frame f;
	unsigned char s[300];

	for (int i = 0; i < 300; i++)
		s[i] = (unsigned char)(i * 7);
	check_count("byte_count(c = 0xfe)", s, 0xfe, 300,
		    call_count(s, 0xfe, 300, &f));
	check_count("byte_count(c = -2, that is 0xfe)", s, -2, 300,
		    call_count(s, -2, 300, &f));
	check_count("byte_count(c = 0x300, that is 0)", s, 0x300, 300,
		    call_count(s, 0x300, 300, &f));
}

TEST(count_vzeroupper)
{
	struct cc_frame f;
	unsigned char s[300] = {0};

	call_count(s, 0, 300, &f);
	check_vzeroupper("byte_count", &f);
	call_count(s, 0, 5, &f);
	check_vzeroupper("byte_count (n = 5)", &f);
}

TEST(count_callee_saved)
{
	struct cc_frame f;
	unsigned char s[300] = {0};

	call_count(s, 0, 300, &f);
	check_callee_saved("byte_count", &f);
}
