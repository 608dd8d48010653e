/*
 * batching_bench.c - how many operations share one io_uring_enter?
 *
 * Not a time but a count, so it does not depend on the machine's load:
 * tests/sysfilter.c traps every io_uring_enter of this process (a
 * seccomp filter) and counts it.  Two workloads, queue depth 32:
 *
 *   copy    ucopy_fd() of 16 MiB in 4 KiB blocks: 4096 reads + 4096 writes
 *   reads   ubatch_read() of 4096 random 4 KiB reads of a 16 MiB file
 *
 * The metric, ops_per_enter, is the smaller of (SQEs / enters) of the
 * two.  Submitting and waiting for each operation alone gives 1 (or
 * less); a loop that submits everything it has queued and reaps
 * everything that has completed, one system call per pass, gives many.
 */
#define _GNU_SOURCE
#include "sysfilter.h"
#include "testutil.h"
#include "ucopy.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SIZE = 16 << 20, BLOCK = 4096, QD = 32, READS = 4096 };

TEST(batching)
{
	const char *dir = tu_fresh_dir(".", "batching");
	char src[300], dst[300];
	struct ucopy_opts o = {QD, BLOCK, 0};
	struct ucopy_stats st;
	struct ubatch_req *v = calloc(READS, sizeof *v);
	unsigned char *mem = aligned_alloc(4096, (size_t)READS * BLOCK);
	unsigned long e0, e1, e2;
	double copy_ratio, read_ratio;
	struct ubatch *b;
	struct wb_rand r;
	int in, out, ret;

	CHECK(v && mem, "test setup: out of memory");
	snprintf(src, sizeof src, "%s/src", dir);
	snprintf(dst, sizeof dst, "%s/dst", dir);
	tu_make_file(src, SIZE, 1);
	in = open(src, O_RDONLY | O_CLOEXEC);
	out = open(dst, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ret = sf_count_enters();
	CHECK(ret == 0, "test setup: the seccomp counter: %s", strerror(-ret));

	e0 = sf_enters();
	ret = ucopy_fd(in, out, &o, &st);
	e1 = sf_enters();
	CHECK(ret == 0, "ucopy_fd() returned %d", ret);
	tu_check_file(dst, SIZE, 1, "the copy made while counting");
	copy_ratio = (double)(st.reads + st.writes) / (double)(e1 - e0 ? e1 - e0 : 1);
	wb_note("copy: %llu reads + %llu writes in %lu io_uring_enter calls: "
		"%.2f SQEs per call", (unsigned long long)st.reads,
		(unsigned long long)st.writes, e1 - e0, copy_ratio);

	b = ubatch_open(in, QD);
	CHECK(b != NULL, "ubatch_open() returned NULL (errno %d)", errno);
	wb_rand_seed(&r, 7);
	for (size_t i = 0; i < READS; i++)
		v[i] = (struct ubatch_req){
			(off_t)wb_rand_below(&r, SIZE / BLOCK) * BLOCK,
			mem + i * BLOCK, BLOCK, 0};
	e1 = sf_enters();
	ret = ubatch_read(b, v, READS);
	e2 = sf_enters();
	CHECK(ret == 0, "ubatch_read() returned %d", ret);
	for (size_t i = 0; i < READS; i++)
		CHECK(v[i].res == BLOCK, "ubatch_read(): request %zu res %d", i,
		      v[i].res);
	read_ratio = (double)READS / (double)(e2 - e1 ? e2 - e1 : 1);
	wb_note("reads: %d random 4 KiB reads in %lu io_uring_enter calls: "
		"%.2f reads per call", READS, e2 - e1, read_ratio);
	ubatch_close(b);
	close(in);
	close(out);
	free(v);
	free(mem);
	tu_remove_dir(dir);
	wb_metric("ops_per_enter", copy_ratio < read_ratio ? copy_ratio : read_ratio);
}
