/*
 * counters_test.c - task 6: per-thread counters on separate cache lines.
 *
 * The layout tests look at the addresses counters_slot() returns; the
 * value tests make sure those are the words counters_add() changes.
 * Whether the layout pays off is the counters benchmark's business.
 */
#define _GNU_SOURCE /* mallinfo2, M_PERTURB */
#include "counters.h"
#include "wb/test.h"

#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define HAVE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HAVE_TSAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/lsan_interface.h>
#endif
#ifdef HAVE_TSAN
/* From the sanitizers' allocator interface (not every compiler ships its
 * header): bytes the sanitizer's own allocator has handed out and not
 * got back. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

static uint64_t slot_value(const struct counters *c, size_t i)
{
	return atomic_load_explicit(counters_slot(c, i), memory_order_relaxed);
}

static struct counters *create(size_t n)
{
	struct counters *c = counters_create(n);

	CHECK(c != NULL, "counters_create(%zu): expected a set of counters, "
	      "got NULL", n);
	return c;
}

TEST(counters_start_at_zero)
{
	/* Make reused memory dirty: glibc then fills fresh blocks with
	 * 0xa5 and freed ones with 0x5a (ASan fills with 0xbe anyway), so
	 * memory nobody cleared is not zero by luck. */
	mallopt(M_PERTURB, 0x5a);
	for (int round = 0; round < 3; round++) {
		static const size_t sizes[] = {1, 2, 8, 13, 64};

		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			size_t n = sizes[k];
			struct counters *c = create(n);

			for (size_t i = 0; i < n; i++)
				CHECK(slot_value(c, i) == 0,
				      "round %d: slot %zu of a fresh "
				      "counters_create(%zu): expected 0, got "
				      "%llu (0x%llx): memory from malloc or "
				      "aligned_alloc is not zeroed",
				      round, i, n,
				      (unsigned long long)slot_value(c, i),
				      (unsigned long long)slot_value(c, i));
			CHECK_UINT("counters_total() of a fresh set", 0,
				   counters_total(c));
			/* Leave garbage behind for the next round. */
			for (size_t i = 0; i < n; i++)
				counters_add(c, i, 0x1234567 + i);
			counters_destroy(c);
		}
	}
	CHECK_PTR("counters_create(0)", NULL, counters_create(0));
}

TEST(counters_single_thread)
{
	struct counters *c = create(5);

	counters_add(c, 0, 1);
	counters_add(c, 4, 40);
	counters_add(c, 2, 7);
	counters_add(c, 2, 13);
	CHECK_UINT("slot 0 after adding 1", 1, slot_value(c, 0));
	CHECK_UINT("slot 1, never added to", 0, slot_value(c, 1));
	CHECK_UINT("slot 2 after adding 7 and 13", 20, slot_value(c, 2));
	CHECK_UINT("slot 3, never added to", 0, slot_value(c, 3));
	CHECK_UINT("slot 4 after adding 40", 40, slot_value(c, 4));
	CHECK_UINT("counters_total() after 1 + 40 + 7 + 13", 61,
		   counters_total(c));
	/* Sums wrap modulo 2^64 like any uint64_t. */
	counters_add(c, 1, UINT64_MAX);
	CHECK_UINT("counters_total() after also adding 2^64 - 1 (mod 2^64)",
		   60, counters_total(c));
	counters_destroy(c);

	c = create(1);
	for (int i = 0; i < 1000; i++)
		counters_add(c, 0, 3);
	CHECK_UINT("the only slot after 1000 adds of 3", 3000, slot_value(c, 0));
	CHECK_UINT("counters_total() of one slot", 3000, counters_total(c));
	counters_destroy(c);
}

enum { NTHREADS = 4, ADDS = 200000 };

struct worker {
	pthread_t tid;
	struct counters *c;
	size_t slot;
	const _Atomic bool *go;
};

static void *add_loop(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(w->go))
		;
	for (int k = 0; k < ADDS; k++)
		counters_add(w->c, w->slot, w->slot + 1);
	return NULL;
}

TEST(counters_threads_total)
{
	struct counters *c = create(NTHREADS + 1);
	struct worker w[NTHREADS];
	_Atomic bool go = false;
	uint64_t want = 0, last = 0, seen;
	int reads = 0;

	for (size_t i = 0; i < NTHREADS; i++) {
		/* Slot 0 stays idle; threads use slots 1..NTHREADS. */
		w[i] = (struct worker){.c = c, .slot = i + 1, .go = &go};
		want += (uint64_t)ADDS * (i + 2);
		CHECK(pthread_create(&w[i].tid, NULL, add_loop, &w[i]) == 0,
		      "test setup: pthread_create failed");
	}
	atomic_store(&go, true);
	/* Read the total while they add: it may only grow, never past the
	 * final sum (each slot only grows and is read whole). */
	do {
		seen = counters_total(c);
		CHECK(seen >= last && seen <= want,
		      "counters_total() while %d threads add: expected a "
		      "value between the previous reading %llu and the final "
		      "%llu, got %llu",
		      NTHREADS, (unsigned long long)last,
		      (unsigned long long)want, (unsigned long long)seen);
		last = seen;
	} while (seen < want && ++reads < 1000000);
	for (size_t i = 0; i < NTHREADS; i++)
		pthread_join(w[i].tid, NULL);
	CHECK_UINT("counters_total() after 4 threads each added to its own "
		   "slot", want, counters_total(c));
	CHECK_UINT("the idle slot 0", 0, slot_value(c, 0));
	for (size_t i = 1; i <= NTHREADS; i++) {
		char what[64];
		snprintf(what, sizeof what, "slot %zu after %d adds of %zu", i,
			 ADDS, i + 1);
		CHECK_UINT(what, (uint64_t)ADDS * (i + 1), slot_value(c, i));
	}
	counters_destroy(c);
}

static const size_t layout_sizes[] = {1, 2, 3, 5, 8, 17, 64};

TEST(counters_slots_aligned)
{
	for (size_t k = 0; k < sizeof layout_sizes / sizeof layout_sizes[0];
	     k++) {
		size_t n = layout_sizes[k];
		struct counters *c = create(n);

		for (size_t i = 0; i < n; i++) {
			uintptr_t a = (uintptr_t)counters_slot(c, i);

			CHECK(a % COUNTERS_LINE == 0,
			      "counters_create(%zu): slot %zu is at %p, which "
			      "is %zu bytes into its cache line: expected a "
			      "multiple of %d (malloc only promises 16; see "
			      "aligned_alloc and alignas)",
			      n, i, (void *)a, (size_t)(a % COUNTERS_LINE),
			      COUNTERS_LINE);
		}
		counters_destroy(c);
	}
}

TEST(counters_slots_distinct_lines)
{
	for (size_t k = 0; k < sizeof layout_sizes / sizeof layout_sizes[0];
	     k++) {
		size_t n = layout_sizes[k];
		struct counters *c = create(n);

		for (size_t i = 0; i < n; i++) {
			uintptr_t a = (uintptr_t)counters_slot(c, i);

			for (size_t j = 0; j < i; j++) {
				uintptr_t b = (uintptr_t)counters_slot(c, j);

				CHECK(a / COUNTERS_LINE != b / COUNTERS_LINE,
				      "counters_create(%zu): slots %zu (at %p) "
				      "and %zu (at %p) share the cache line "
				      "at %p: expected every slot on a line "
				      "of its own",
				      n, j, (void *)b, i, (void *)a,
				      (void *)(a / COUNTERS_LINE *
					       COUNTERS_LINE));
			}
		}
		counters_destroy(c);
	}
}

TEST(counters_destroy_frees)
{
	enum { ROUNDS = 2000 };

	counters_destroy(NULL); /* a no-op, like free(NULL) */
#ifdef HAVE_ASAN
	/* The harness ends a test with _exit(), which skips LeakSanitizer's
	 * check at exit, so ask for it here. */
	for (int i = 0; i < ROUNDS / 20; i++)
		counters_destroy(create((size_t)(i % 64) + 1));
	CHECK(__lsan_do_recoverable_leak_check() == 0,
	      "LeakSanitizer found memory still allocated after %d rounds "
	      "of counters_create() and counters_destroy() (its report is "
	      "on stderr): counters_destroy must free everything "
	      "counters_create allocated",
	      ROUNDS / 20);
#elif defined(HAVE_TSAN)
	{
		size_t before, after;

		/* TSan has its own allocator, which glibc's statistics do not
		 * see; it keeps its own. */
		counters_destroy(create(64));
		before = __sanitizer_get_current_allocated_bytes();
		for (int i = 0; i < ROUNDS; i++)
			counters_destroy(create((size_t)(i % 64) + 1));
		after = __sanitizer_get_current_allocated_bytes();
		CHECK(after <= before + 65536,
		      "memory in use grew from %zu to %zu bytes over %d "
		      "rounds of counters_create() and counters_destroy(): "
		      "expected no growth (counters_destroy must free "
		      "everything counters_create allocated)",
		      before, after, ROUNDS);
	}
#else
	{
		struct mallinfo2 before, after;

		/* Warm up once, so the first allocation's bookkeeping does
		 * not count as a leak. */
		counters_destroy(create(64));
		before = mallinfo2();
		for (int i = 0; i < ROUNDS; i++)
			counters_destroy(create((size_t)(i % 64) + 1));
		after = mallinfo2();
		CHECK(after.uordblks <= before.uordblks + 65536,
		      "memory in use grew from %zu to %zu bytes over %d "
		      "rounds of counters_create() and counters_destroy(): "
		      "expected no growth (counters_destroy must free "
		      "everything counters_create allocated)",
		      before.uordblks, after.uordblks, ROUNDS);
	}
#endif
}
