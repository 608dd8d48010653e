/*
 * randread_bench.c - 4 KiB random reads at queue depth 32 against a
 * pread loop.
 *
 * The file (64 MiB, in /tmp) is in the page cache, as it would be for a
 * hot data set.  There, io_uring cannot read any faster than pread: both
 * copy 4 KiB out of the page cache, and measured on the project's machine
 * a pread costs about 650 ns, most of it the copy and the page-cache
 * lookup.  What io_uring saves is the system call per read: 32 reads
 * share one io_uring_enter.  So the ratio is modest (about 1.0 for a
 * good batch loop), and a loop that enters the kernel once per read pays
 * the entry and exit on top of the SQE bookkeeping (about 0.7).
 *
 * One unit of work: the same 256 requests at fixed random offsets (seed
 * below), through naive_pread_batch() and through your ubatch_read().
 * wb/bench.h alternates the two in this process, ABBA, and reports the
 * median of pread time / your time as "speedup".
 *
 * Both sides are timed on this thread's CPU clock, kernel time included:
 * on a busy machine, time spent waiting for a CPU would otherwise land
 * on whichever side was preempted.  Reads of cached data on ext4
 * complete inside io_uring_enter, on this thread, so the clock sees all
 * of the work.  Work handed to kernel threads would escape it, so SQEs
 * with IOSQE_ASYNC and rings with IORING_SETUP_SQPOLL are refused
 * (tests/inject.c counts them).
 */
#define _GNU_SOURCE
#include "inject.h"
#include "naive.h"
#include "testutil.h"
#include "ucopy.h"
#include "wb/bench.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SIZE = 64 << 20, BLOCK = 4096, N = 256, QD = 32 };

struct work {
	int fd;
	struct ubatch *b;
	struct ubatch_req v[N];
};

static void by_pread(void *arg)
{
	struct work *w = arg;

	naive_pread_batch(w->fd, w->v, N);
}

static void by_uring(void *arg)
{
	struct work *w = arg;

	if (ubatch_read(w->b, w->v, N) != 0)
		abort(); /* checked before timing: cannot happen */
}

TEST(randread)
{
	static struct work w;
	const char *dir = tu_fresh_dir(".", "randread");
	unsigned char *mem = aligned_alloc(4096, (size_t)N * BLOCK);
	unsigned char *want = malloc(BLOCK);
	struct wb_bench bench = {
		.baseline_name = "pread loop, 256 x 4 KiB",
		.baseline = by_pread,
		.candidate_name = "ubatch_read, 256 x 4 KiB, queue depth 32",
		.candidate = by_uring,
		.arg = &w,
		.rounds = 31,
		.warmup = 3,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct inj_counts c;
	struct wb_bench_result res;
	char path[300];
	struct wb_rand r;
	int ret;

	CHECK(mem && want, "test setup: out of memory");
	snprintf(path, sizeof path, "%s/f", dir);
	tu_make_file(path, SIZE, 3);
	w.fd = open(path, O_RDONLY | O_CLOEXEC);
	w.b = ubatch_open(w.fd, QD);
	CHECK(w.b != NULL, "ubatch_open() returned NULL (errno %d)", errno);
	wb_rand_seed(&r, 0x4a11);
	for (size_t i = 0; i < N; i++)
		w.v[i] = (struct ubatch_req){
			(off_t)wb_rand_below(&r, SIZE / BLOCK) * BLOCK,
			mem + i * BLOCK, BLOCK, 0};
	/* Correct first: every read whole and right, all on this thread. */
	inj_set(INJ_NONE, 1);
	ret = ubatch_read(w.b, w.v, N);
	CHECK(ret == 0, "ubatch_read() returned %d", ret);
	for (size_t i = 0; i < N; i++) {
		tu_pattern(want, BLOCK, 3, (uint64_t)w.v[i].off);
		CHECK(w.v[i].res == BLOCK && !memcmp(w.v[i].buf, want, BLOCK),
		      "ubatch_read(): request %zu (res %d) did not read the "
		      "file's bytes", i, w.v[i].res);
	}
	c = inj_get();
	CHECK(c.reads >= N, "only %lu of %d reads went through io_uring_submit*"
	      "(): submit with those (ucopy.h)", c.reads, N);
	CHECK(c.async == 0 && c.sqpoll == 0, "%lu SQEs with IOSQE_ASYNC, %lu "
	      "submits on an SQPOLL ring: this benchmark times this thread's CPU "
	      "clock, and work handed to kernel threads would escape it",
	      c.async, c.sqpoll);
	wb_bench_run(&bench, &res);
	wb_bench_report("speedup", &res);
	ubatch_close(w.b);
	close(w.fd);
	free(mem);
	free(want);
	tu_remove_dir(dir);
}
