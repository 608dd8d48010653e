/*
 * ucopy_test.c - task 3: the io_uring copy and batch reader.
 *
 * Files live in /tmp (the grader gives each test a private tmpfs there).
 * Every copy is checked byte for byte against the pattern it was made
 * from (testutil.h).  tests/inject.c sits between your io_uring_submit()
 * calls and the kernel: it counts your SQEs and, in some tests, turns
 * reads short, answers -EAGAIN, or holds writes back (inject.h).
 */
#define _GNU_SOURCE
#include "inject.h"
#include "testutil.h"
#include "ucopy.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copy a fresh file of size bytes with ucopy_path() and check it. */
static void copy_check(const char *dir, uint64_t size, unsigned qd,
		       size_t block, unsigned flags, const char *why)
{
	char src[300], dst[300], what[300];
	struct ucopy_opts o = {qd, block, flags};
	struct ucopy_stats st;
	uint64_t seed = size * 31 + qd * 7 + block;
	int ret;

	snprintf(src, sizeof src, "%s/src", dir);
	snprintf(dst, sizeof dst, "%s/dst", dir);
	tu_make_file(src, size, seed);
	unlink(dst);
	snprintf(what, sizeof what, "ucopy_path() of %llu bytes, queue depth "
		 "%u, block %zu%s%s", (unsigned long long)size, qd, block,
		 flags & UCOPY_REGISTER ? ", UCOPY_REGISTER" : "", why);
	memset(&st, 0xff, sizeof st);
	ret = ucopy_path(src, dst, &o, &st);
	CHECK(ret == 0, "%s returned %d (%s), expected 0", what, ret,
	      strerror(-ret));
	tu_check_file(dst, size, seed, what);
	CHECK(st.bytes == size, "%s: stats.bytes is %llu, expected %llu", what,
	      (unsigned long long)st.bytes, (unsigned long long)size);
	CHECK(st.reads >= (size + block - 1) / block &&
	      st.writes >= (size + block - 1) / block,
	      "%s: stats say %llu reads and %llu writes, but the file has %llu "
	      "blocks", what, (unsigned long long)st.reads,
	      (unsigned long long)st.writes,
	      (unsigned long long)((size + block - 1) / block));
}

TEST(ucopy_sizes_byte_identical)
{
	const char *dir = tu_fresh_dir("/tmp", "sizes");
	const size_t blocks[] = {4096, 65536, 1000};
	const unsigned qds[] = {1, 3, 32};
	int before = tu_fd_count();

	for (size_t b = 0; b < 3; b++) {
		size_t bs = blocks[b];
		const uint64_t sizes[] = {0, 1, 511, 512, 4095, 4096, 4097,
					  bs - 1, bs, bs + 1, 3 * bs + 7,
					  17 * 4096 + 1, (1 << 20) + 3};

		for (size_t q = 0; q < 3; q++)
			for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
				copy_check(dir, sizes[s], qds[q], bs, 0, "");
	}
	CHECK_INT("open descriptors after 117 copies (io_uring_queue_exit on "
		  "every path)", before, tu_fd_count());
	tu_remove_dir(dir);
}

TEST(ucopy_every_queue_depth)
{
	const char *dir = tu_fresh_dir("/tmp", "qd");

	for (unsigned qd = 1; qd <= UCOPY_MAX_QD; qd++)
		copy_check(dir, 300 * 1024 + 7, qd, 4096, 0, "");
	tu_remove_dir(dir);
}

TEST(ucopy_256_mib)
{
	const char *dir = tu_fresh_dir("/tmp", "big");

	copy_check(dir, (uint64_t)256 << 20, 32, 128 << 10, 0,
		   ": a file of 256 MiB");
	tu_remove_dir(dir);
}

TEST(ucopy_registered)
{
	const char *dir = tu_fresh_dir("/tmp", "reg");
	const uint64_t sizes[] = {1, 65536, 1000000, 8 << 20};
	struct inj_counts c;

	inj_set(INJ_NONE, 1);
	for (size_t s = 0; s < 4; s++)
		copy_check(dir, sizes[s], 16, 65536, UCOPY_REGISTER, "");
	c = inj_get();
	CHECK(c.reads + c.writes > 0, "no read or write SQE went through "
	      "io_uring_submit() or io_uring_submit_and_wait(): submit with "
	      "those (see ucopy.h)");
	CHECK(c.fixed_bufs == c.reads + c.writes, "with UCOPY_REGISTER, %lu of "
	      "%lu read and write SQEs were READ_FIXED or WRITE_FIXED: expected "
	      "all (register the buffers)", c.fixed_bufs, c.reads + c.writes);
	CHECK(c.fixed_files == c.reads + c.writes, "with UCOPY_REGISTER, %lu of "
	      "%lu read and write SQEs had IOSQE_FIXED_FILE: expected all "
	      "(register the files)", c.fixed_files, c.reads + c.writes);
	tu_remove_dir(dir);
}

/* Copies under an injection mode; the injection must have happened. */
static void copy_injected(const char *name, enum inj_mode mode,
			  const char *what)
{
	const char *dir = tu_fresh_dir("/tmp", name);
	const unsigned qds[] = {1, 4, 32};
	const size_t blocks[] = {4096, 10000};

	for (size_t q = 0; q < 3; q++) {
		for (size_t b = 0; b < 2; b++) {
			struct inj_counts c;

			inj_set(mode, 3);
			copy_check(dir, 200 * 1024 + 11, qds[q], blocks[b], 0, what);
			c = inj_get();
			CHECK(c.injected > 0, "no SQE could be changed to test "
			      "this: submit your reads and writes with "
			      "io_uring_submit() or io_uring_submit_and_wait() "
			      "(plain READ and WRITE, not READV/WRITEV)");
		}
	}
	inj_set(INJ_NONE, 1);
	tu_remove_dir(dir);
}

TEST(ucopy_short_reads_requeued)
{
	copy_injected("shortr", INJ_SHORT_READ, ", every 3rd read short (a "
		      "short read must be continued for the rest of its block)");
}

TEST(ucopy_short_writes_requeued)
{
	copy_injected("shortw", INJ_SHORT_WRITE, ", every 3rd write short (a "
		      "short write must be continued for the rest)");
}

TEST(ucopy_eagain_requeued)
{
	copy_injected("eagain", INJ_EAGAIN, ", every 3rd read answered "
		      "-EAGAIN (submit it again; the buffer holds nothing new)");
}

TEST(ucopy_buffer_not_reused_in_flight)
{
	const char *dir = tu_fresh_dir("/tmp", "slow");

	/* Without kernel support for the delay, the copy is still checked. */
	inj_set(inj_can_delay() ? INJ_SLOW_WRITES : INJ_NONE, 1);
	copy_check(dir, 64 * 4096 + 5, 8, 4096, 0, ", every write held 5 ms "
		   "(a buffer is free only when its write's CQE has come)");
	copy_check(dir, 40 * 65536, 16, 65536, UCOPY_REGISTER, ", every write "
		   "held 5 ms");
	inj_set(INJ_NONE, 1);
	tu_remove_dir(dir);
}

static int copy_path(const char *src, const char *dst, unsigned qd,
		     size_t bs, unsigned flags)
{
	struct ucopy_opts o = {qd, bs, flags};

	return ucopy_path(src, dst, &o, NULL);
}

static void check_left(const char *dir, int want, const char *after)
{
	int n = tu_dir_entries(dir);

	CHECK(n == want, "after %s the directory holds %d entries, expected %d: "
	      "a failed copy must leave no file behind", after, n, want);
}

TEST(ucopy_bad_input)
{
	const char *dir = tu_fresh_dir("/tmp", "bad");
	char src[300], dst[300], sub[300], ro[300];
	struct rlimit old, small;
	int before = tu_fd_count(), ret, fds[2];
	struct ucopy_opts o = {4, 4096, 0};

	snprintf(src, sizeof src, "%s/src", dir);
	snprintf(dst, sizeof dst, "%s/dst", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	snprintf(ro, sizeof ro, "%s/unreadable", dir);
	tu_make_file(src, 3 << 20, 8);
	ret = copy_path(src, dst, 0, 4096, 0);
	CHECK_INT("ucopy_path() with queue depth 0 (-EINVAL)", -EINVAL, ret);
	ret = copy_path(src, dst, UCOPY_MAX_QD + 1, 4096, 0);
	CHECK_INT("ucopy_path() with queue depth UCOPY_MAX_QD + 1", -EINVAL, ret);
	ret = copy_path(src, dst, 4, 0, 0);
	CHECK_INT("ucopy_path() with block size 0", -EINVAL, ret);
	ret = copy_path(src, dst, 4, UCOPY_MAX_BLOCK + 1, 0);
	CHECK_INT("ucopy_path() with block size UCOPY_MAX_BLOCK + 1", -EINVAL, ret);
	ret = copy_path(src, dst, 4, 4096, 0x80);
	CHECK_INT("ucopy_path() with unknown flags", -EINVAL, ret);
	CHECK_INT("ucopy_fd() with opts NULL", -EINVAL, ucopy_fd(0, 1, NULL, NULL));
	check_left(dir, 1, "calls with bad options");
	ret = copy_path("/nonexistent/lab04", dst, 4, 4096, 0);
	CHECK_INT("ucopy_path() of a missing source (-ENOENT)", -ENOENT, ret);
	CHECK(mkdir(sub, 0755) == 0, "test setup: mkdir");
	ret = copy_path(sub, dst, 4, 4096, 0);
	CHECK_INT("ucopy_path() of a directory (-EISDIR)", -EISDIR, ret);
	ret = copy_path(src, sub, 4, 4096, 0);
	CHECK_INT("ucopy_path() onto a directory (-EISDIR)", -EISDIR, ret);
	check_left(dir, 2, "copies from and onto a directory");
	rmdir(sub);
	ret = copy_path(src, "/nonexistent/lab04/dst", 4, 4096, 0);
	CHECK_INT("ucopy_path() into a missing directory (-ENOENT)", -ENOENT, ret);
	CHECK(pipe(fds) == 0, "test setup: pipe");
	ret = ucopy_fd(fds[0], fds[1], &o, NULL);
	CHECK_INT("ucopy_fd() from a pipe (-EINVAL: not a regular file)",
		  -EINVAL, ret);
	close(fds[0]);
	close(fds[1]);
	{
		/* A destination open for reading only: every write's CQE
		 * says -EBADF, and that is the error to return. */
		int in = open(src, O_RDONLY | O_CLOEXEC);
		int out = open(src, O_RDONLY | O_CLOEXEC);

		ret = ucopy_fd(in, out, &o, NULL);
		close(in);
		close(out);
		CHECK_INT("ucopy_fd() to a descriptor open for reading only "
			  "(-EBADF, from the writes' cqe->res)", -EBADF, ret);
	}

	/* A full file system, as far as this process can tell: a 1 MiB
	 * file size limit (the signal it raises, ignored, leaves -EFBIG). */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 1 << 20;
	for (unsigned flags = 0; flags <= UCOPY_REGISTER; flags++) {
		CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0, "test setup: setrlimit");
		ret = copy_path(src, dst, 4, 65536, flags);
		setrlimit(RLIMIT_FSIZE, &old);
		CHECK(ret == -EFBIG, "ucopy_path() of 3 MiB under a 1 MiB file "
		      "size limit%s returned %d (%s): expected -EFBIG, the "
		      "writes' cqe->res", flags ? ", UCOPY_REGISTER" : "", ret,
		      ret ? strerror(-ret) : "success");
		check_left(dir, 1, "a copy that failed with -EFBIG");
	}
	/* An existing destination survives a failed copy untouched. */
	tu_make_file(dst, 1000, 77);
	CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0, "test setup: setrlimit");
	ret = copy_path(src, dst, 8, 4096, 0);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK_INT("ucopy_path() over an existing file, under the size limit",
		  -EFBIG, ret);
	tu_check_file(dst, 1000, 77, "the old destination after a failed copy "
		      "(it must be unchanged: copy to a new file, rename on "
		      "success)");
	check_left(dir, 2, "a failed copy over an existing file");
	unlink(dst);

	tu_make_file(ro, 5000, 2);
	chmod(ro, 0);
	tu_drop_dac();
	ret = copy_path(ro, dst, 4, 4096, 0);
	CHECK_INT("ucopy_path() of a file with mode 000 (-EACCES)", -EACCES, ret);
	CHECK_INT("open descriptors after the failing calls (the ring torn down "
		  "on error paths too)", before, tu_fd_count());
	tu_remove_dir(dir);
}

static void check_reads(struct ubatch_req *v, size_t n, int fd, uint64_t size,
			uint64_t seed, const char *what)
{
	unsigned char want[70000];

	(void)fd;
	for (size_t i = 0; i < n; i++) {
		uint64_t end = (uint64_t)v[i].off + v[i].len;
		int exp = (uint64_t)v[i].off >= size ? 0
			  : end > size ? (int)(size - (uint64_t)v[i].off)
				       : (int)v[i].len;

		CHECK(v[i].res == exp, "%s: request %zu (offset %lld, %u bytes "
		      "of a %llu-byte file): res %d, expected %d", what, i,
		      (long long)v[i].off, v[i].len, (unsigned long long)size,
		      v[i].res, exp);
		tu_pattern(want, (size_t)exp, seed, (uint64_t)v[i].off);
		CHECK(memcmp(v[i].buf, want, (size_t)exp) == 0, "%s: request %zu "
		      "(offset %lld, %u bytes): the bytes read are not the "
		      "file's", what, i, (long long)v[i].off, v[i].len);
	}
}

static void batch_round(const char *what, unsigned qd, enum inj_mode mode)
{
	enum { N = 300, SIZE = 3 << 20 };
	const char *dir = tu_fresh_dir("/tmp", "batch");
	char path[300];
	struct ubatch_req *v = calloc(N, sizeof *v);
	unsigned char *mem = malloc((size_t)N * 8192);
	struct wb_rand r;
	struct ubatch *b;
	int fd, ret, before;

	CHECK(v && mem, "test setup: out of memory");
	snprintf(path, sizeof path, "%s/f", dir);
	tu_make_file(path, SIZE, 21);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	inj_set(mode, 3); /* INJ_EAGAIN opens its pipe: count it as before */
	before = tu_fd_count();
	b = ubatch_open(fd, qd);
	CHECK(b != NULL, "ubatch_open(fd, %u) returned NULL (errno %d)", qd, errno);
	wb_rand_seed(&r, qd);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < N; i++) {
			v[i].len = 1 + (unsigned)wb_rand_below(&r, 8192);
			v[i].off = (off_t)wb_rand_below(&r, SIZE + 20000);
			v[i].buf = mem + i * 8192;
			v[i].res = 12345;
		}
		v[0].off = SIZE - 10; /* across the end: 10 bytes */
		v[1].off = SIZE + 4096; /* past the end: 0 */
		inj_set(mode, 3);
		ret = ubatch_read(b, v, N);
		CHECK(ret == 0, "%s: ubatch_read() returned %d (%s)", what, ret,
		      strerror(-ret));
		check_reads(v, N, fd, SIZE, 21, what);
		if (mode != INJ_NONE)
			CHECK(inj_get().injected > 0, "%s: no SQE could be "
			      "changed: submit with io_uring_submit() or "
			      "io_uring_submit_and_wait()", what);
	}
	inj_set(INJ_NONE, 1);
	ubatch_close(b);
	CHECK_INT("open descriptors after ubatch_close()", before, tu_fd_count());
	close(fd);
	free(v);
	free(mem);
	tu_remove_dir(dir);
}

TEST(ubatch_reads_match_pread)
{
	batch_round("300 random reads, queue depth 1", 1, INJ_NONE);
	batch_round("300 random reads, queue depth 32", 32, INJ_NONE);
	batch_round("300 random reads, queue depth 256", 256, INJ_NONE);
}

TEST(ubatch_short_and_eagain)
{
	batch_round("every 3rd read short", 32, INJ_SHORT_READ);
	batch_round("every 3rd read -EAGAIN", 32, INJ_EAGAIN);
}

TEST(ubatch_bad_depth)
{
	errno = 0;
	CHECK(ubatch_open(0, 0) == NULL && errno == EINVAL,
	      "ubatch_open(fd, 0): expected NULL with EINVAL (errno %d)", errno);
	errno = 0;
	CHECK(ubatch_open(0, UCOPY_MAX_QD + 1) == NULL && errno == EINVAL,
	      "ubatch_open(fd, UCOPY_MAX_QD + 1): expected NULL with EINVAL");
	ubatch_close(NULL);
}
