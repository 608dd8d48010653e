/*
 * debug_test.c - task 6: a debug allocator that reports double frees,
 * foreign pointers, writes past the end or before the start, and writes
 * after free, always with the block's address.
 *
 * The tests install a report callback that records what it is told, so
 * a report is a value to compare, not a crash.  One test forks a child
 * to see that the default callback prints the problem and aborts.  In an
 * AddressSanitizer build, one test checks that a freed payload is
 * poisoned in ASan's shadow memory; elsewhere it checks the fill.
 */
#include "debugalloc.h"
#include "wb/test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#include <sanitizer/asan_interface.h>
#endif

enum { MAXREP = 16 };

struct log {
	int n;
	struct dbg_report r[MAXREP];
};

static void record(const struct dbg_report *r, void *ctx)
{
	struct log *l = ctx;

	if (l->n < MAXREP)
		l->r[l->n] = *r;
	l->n++;
}

static struct dbg_pool *create(size_t max, size_t n, struct log *l)
{
	struct dbg_pool *p = dbg_create(max, n);

	CHECK(p != NULL, "dbg_create(%zu, %zu): expected a pool, got NULL",
	      max, n);
	memset(l, 0, sizeof *l);
	dbg_set_reporter(p, record, l);
	return p;
}

static void *alloc(struct dbg_pool *p, size_t size)
{
	void *b = dbg_alloc(p, size);

	CHECK(b != NULL, "dbg_alloc(%zu): expected a block, got NULL", size);
	return b;
}

/* Exactly one report of kind e about block b so far. */
static void expect_one(const struct log *l, const char *what,
		       enum dbg_error e, const void *b)
{
	CHECK(l->n == 1, "%s: expected exactly 1 report (%s at %p), got %d",
	      what, dbg_error_name(e), b, l->n);
	CHECK(l->r[0].error == e, "%s: expected a report of %s, got %s "
	      "(%d)", what, dbg_error_name(e), dbg_error_name(l->r[0].error),
	      (int)l->r[0].error);
	CHECK_PTR("the block named in the report", b, l->r[0].block);
}

TEST(debug_alloc_basic)
{
	enum { N = 32, MAX = 100 };
	struct log l;
	struct dbg_pool *p = create(MAX, N, &l);
	unsigned char *b[N];

	CHECK(dbg_alloc(p, 0) == NULL, "dbg_alloc(0): expected NULL");
	CHECK(dbg_alloc(p, MAX + 1) == NULL, "dbg_alloc(%d) from a pool of "
	      "blocks up to %d bytes: expected NULL", MAX + 1, MAX);
	for (int i = 0; i < N; i++) {
		size_t size = 1 + (size_t)i * (MAX - 1) / (N - 1);

		b[i] = alloc(p, size);
		CHECK((uintptr_t)b[i] % DBG_ALIGN == 0, "dbg_alloc(%zu) = %p: "
		      "expected an address aligned to %d", size, (void *)b[i],
		      DBG_ALIGN);
		for (size_t k = 0; k < size; k++)
			CHECK(b[i][k] == DBG_ALLOC_FILL, "new block of %zu "
			      "bytes: byte %zu is 0x%02x, expected the fill "
			      "0x%02x", size, k, b[i][k], DBG_ALLOC_FILL);
		memset(b[i], i, size); /* the whole payload is ours */
	}
	CHECK(dbg_alloc(p, 1) == NULL, "dbg_alloc with all %d blocks in "
	      "use: expected NULL", N);
	CHECK_UINT("dbg_live() with every block allocated", N, dbg_live(p));
	for (int i = 0; i < N; i++) {
		size_t size = 1 + (size_t)i * (MAX - 1) / (N - 1);

		for (size_t k = 0; k < size; k++)
			CHECK(b[i][k] == i, "block %d (%p) byte %zu: expected "
			      "0x%02x, got 0x%02x: another block overlaps it",
			      i, (void *)b[i], k, i, b[i][k]);
		dbg_free(p, b[i]);
	}
	dbg_free(p, NULL);
	CHECK_INT("reports from correct use", 0, l.n);
	CHECK_UINT("dbg_check() of a healthy pool", 0, dbg_check(p));
	CHECK_UINT("dbg_destroy() with nothing allocated (leaks)", 0,
		   dbg_destroy(p));
}

TEST(debug_double_free_reported)
{
	enum { N = 8 };
	struct log l;
	struct dbg_pool *p = create(48, N, &l);
	void *a = alloc(p, 48), *b = alloc(p, 10);

	dbg_free(p, a);
	CHECK_INT("reports after one free", 0, l.n);
	dbg_free(p, a);
	expect_one(&l, "freeing a block twice", DBG_DOUBLE_FREE, a);
	/* The second free changed nothing: every block comes out once. */
	void *got[N];
	got[0] = b;
	for (int i = 1; i < N; i++)
		got[i] = alloc(p, 16);
	CHECK(dbg_alloc(p, 16) == NULL, "after a reported double free, %d "
	      "blocks were handed out and one more was not NULL: the block "
	      "freed twice is on the free list twice", N);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			CHECK(got[i] != got[j], "blocks %d and %d are both %p: "
			      "the double free made one block come out twice",
			      i, j, got[i]);
	for (int i = 0; i < N; i++)
		dbg_free(p, got[i]);
	CHECK_INT("reports at the end", 1, l.n);
	dbg_destroy(p);
}

TEST(debug_overflow_canary)
{
	static const size_t sizes[] = {1, 13, 16, 47, 64};
	struct log l;
	struct dbg_pool *p = create(64, 4, &l);

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t size = sizes[k];
		unsigned char *a = alloc(p, size);

		a[size] = 'x'; /* one byte past the end */
		l.n = 0;
		dbg_free(p, a);
		char what[80];
		snprintf(what, sizeof what, "freeing a block of %zu bytes "
			 "with byte %zu overwritten", size, size);
		expect_one(&l, what, DBG_OVERFLOW, a);
		CHECK_UINT("the size in the report", size, l.r[0].size);
		/* Nothing was freed: repair the canary and free again. */
		a[size] = DBG_CANARY;
		l.n = 0;
		dbg_free(p, a);
		CHECK_INT("reports after repairing the canary and freeing", 0, l.n);
	}
	/* Further past the end, still within the canary. */
	unsigned char *a = alloc(p, 20);
	a[20 + DBG_CANARY_MIN - 1] ^= 1;
	l.n = 0;
	CHECK_UINT("dbg_check() with a live block's last canary byte changed",
		   1, dbg_check(p));
	expect_one(&l, "dbg_check", DBG_OVERFLOW, a);
	a[20 + DBG_CANARY_MIN - 1] ^= 1;
	dbg_free(p, a);
	dbg_destroy(p);
}

TEST(debug_bad_header_reported)
{
	struct log l;
	struct dbg_pool *p = create(32, 4, &l);
	unsigned char *a = alloc(p, 32);
	unsigned char *b = alloc(p, 32);

	a[-1] ^= 0x40; /* a write just before the payload */
	dbg_free(p, a);
	expect_one(&l, "freeing a block whose header was overwritten",
		   DBG_BAD_HEADER, a);
	dbg_free(p, b); /* its neighbour is fine */
	CHECK_INT("reports after freeing the intact neighbour", 1, l.n);
	a[-1] ^= 0x40;
	dbg_free(p, a);
	CHECK_INT("reports after repairing the header", 1, l.n);
	dbg_destroy(p);
}

TEST(debug_foreign_pointer_reported)
{
	struct log l;
	struct dbg_pool *p = create(64, 4, &l);
	unsigned char *a = alloc(p, 64);
	int on_stack;
	void *heap = malloc(64);
	void *bad[] = {&on_stack, heap, a + 1, a + 16, a - 32, a + 64 * 16};

	memset(a, 0x77, 64);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		l.n = 0;
		dbg_free(p, bad[i]);
		char what[80];
		snprintf(what, sizeof what, "freeing %p, not a block of the "
			 "pool (case %zu)", bad[i], i);
		expect_one(&l, what, DBG_FOREIGN, bad[i]);
	}
	free(heap);
	for (int k = 0; k < 64; k++)
		CHECK(a[k] == 0x77, "byte %d of a live block changed to 0x%02x "
		      "after foreign frees", k, a[k]);
	l.n = 0;
	dbg_free(p, a);
	CHECK_INT("reports for the real free", 0, l.n);
	CHECK_UINT("dbg_live() afterwards", 0, dbg_live(p));
	dbg_destroy(p);
}

TEST(debug_write_after_free_reported)
{
	struct log l;
	struct dbg_pool *p = create(40, 3, &l);
	unsigned char *a = alloc(p, 40), *b = alloc(p, 40);

	dbg_free(p, a);
#ifdef HAVE_ASAN
	/* This write is the bug on purpose; let ASan look away. */
	__asan_unpoison_memory_region(a, 40);
#endif
	a[5] = 1;
#ifdef HAVE_ASAN
	__asan_poison_memory_region(a, 40);
#endif
	CHECK_UINT("dbg_check() after a write into a freed block", 1,
		   dbg_check(p));
	expect_one(&l, "dbg_check", DBG_WRITE_AFTER_FREE, a);
	dbg_free(p, b);
	CHECK_UINT("dbg_live() after freeing both", 0, dbg_live(p));
	dbg_destroy(p);
}

TEST(debug_freed_poisoned)
{
	struct log l;
	struct dbg_pool *p = create(100, 4, &l);
	unsigned char *a = alloc(p, 100), *b = alloc(p, 100);

	memset(a, 0x11, 100);
	dbg_free(p, a);
#ifdef HAVE_ASAN
	for (int k = 0; k < 100; k++)
		CHECK(__asan_address_is_poisoned(a + k),
		      "ASan build: byte %d of the freed block %p is not "
		      "poisoned: expected ASAN_POISON_MEMORY_REGION on the "
		      "freed payload, so a use after free is reported", k,
		      (void *)a);
	CHECK(!__asan_address_is_poisoned(b) &&
	      !__asan_address_is_poisoned(b + 99),
	      "ASan build: the live block %p is poisoned", (void *)b);
	wb_note("ASan build: checked the shadow of the freed payload");
#else
	for (int k = 0; k < 100; k++)
		CHECK(a[k] == DBG_FREE_FILL, "byte %d of the freed block %p: "
		      "expected the fill 0x%02x, got 0x%02x", k, (void *)a,
		      DBG_FREE_FILL, a[k]);
	wb_note("not an ASan build: checked the fill pattern");
#endif
	dbg_free(p, b);
	CHECK_INT("reports", 0, l.n);
	dbg_destroy(p);
}

TEST(debug_default_report_aborts)
{
	int fds[2];
	/* A pool in this process first, so that an unfinished allocator
	 * fails here and not in the child. */
	struct dbg_pool *probe = dbg_create(16, 2);

	CHECK(probe != NULL, "dbg_create(16, 2): expected a pool, got NULL");
	dbg_destroy(probe);
	CHECK_INT("pipe", 0, pipe(fds));
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		struct dbg_pool *p = dbg_create(16, 2);
		void *a = p ? dbg_alloc(p, 16) : NULL;

		if (!a)
			_exit(3);
		dprintf(2, "block=%p\n", a);
		dbg_free(p, a);
		dbg_free(p, a); /* must not return */
		_exit(4);
	}
	close(fds[1]);
	char out[1024] = {0};
	size_t len = 0;
	ssize_t n;
	while (len < sizeof out - 1 &&
	       (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
	      "a double free with the default reporter: expected the process "
	      "to die of SIGABRT, got %s %d; its stderr: %s",
	      WIFSIGNALED(st) ? "signal" : "exit status",
	      WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), out);
	char addr[64] = "";
	sscanf(out, "block=%63s", addr);
	CHECK(strstr(out, "double free") != NULL,
	      "the default report: expected \"double free\" on stderr, got: %s",
	      out);
	CHECK(addr[0] && strstr(strchr(out, '\n'), addr) != NULL,
	      "the default report: expected the block's address %s on "
	      "stderr, got: %s", addr, out);
}
