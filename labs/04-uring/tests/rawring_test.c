/*
 * rawring_test.c - task 4: io_uring by hand.
 *
 * Against the real kernel, the ring is compared with liburing's for the
 * same operations.  Against the fake kernel of fakering.c (a thread that
 * plays the kernel's side of the protocol on plain memory) the same code
 * runs where ThreadSanitizer can see both sides: a missing release or
 * acquire on a ring counter is a data race there (the tsan pass).
 */
#define _GNU_SOURCE
#include <liburing.h>

#include "fakering.h"
#include "rawring.h"
#include "testutil.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void setup(struct rr_ring *r, unsigned entries)
{
	int ret = rr_setup(r, entries);

	CHECK(ret == 0, "rr_setup(r, %u) returned %d (%s)", entries, ret,
	      strerror(-ret));
}

TEST(rr_setup_maps_rings)
{
	const unsigned asks[] = {1, 5, 8, 64, 1000};
	int before = tu_fd_count();

	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		struct io_uring lib;
		struct rr_ring r;
		char what[96];

		setup(&r, asks[i]);
		CHECK(io_uring_queue_init(asks[i], &lib, 0) == 0,
		      "test setup: io_uring_queue_init(%u)", asks[i]);
		snprintf(what, sizeof what, "rr_setup(%u): sq.entries, as "
			 "liburing's ring of %u", asks[i], asks[i]);
		CHECK_UINT(what, lib.sq.ring_entries, r.sq.entries);
		snprintf(what, sizeof what, "rr_setup(%u): cq.entries", asks[i]);
		CHECK_UINT(what, lib.cq.ring_entries, r.cq.entries);
		CHECK_UINT("sq.mask = sq.entries - 1", r.sq.entries - 1, r.sq.mask);
		CHECK_UINT("cq.mask = cq.entries - 1", r.cq.entries - 1, r.cq.mask);
		CHECK(r.fd >= 0 && r.sq.head && r.sq.tail && r.sq.array &&
		      r.sq.sqes && r.cq.head && r.cq.tail && r.cq.cqes,
		      "rr_setup(%u) left a pointer of struct rr_ring NULL or "
		      "fd < 0 (fd %d)", asks[i], r.fd);
		CHECK(*r.sq.head == 0 && *r.sq.tail == 0 && *r.cq.head == 0 &&
		      *r.cq.tail == 0, "a new ring's counters, read through the "
		      "mapped pointers: SQ head %u tail %u, CQ head %u tail %u; "
		      "expected all 0", *r.sq.head, *r.sq.tail, *r.cq.head,
		      *r.cq.tail);
		CHECK(r.enter == NULL, "rr_setup() must leave r->enter NULL (the "
		      "real io_uring_enter)");
		io_uring_queue_exit(&lib);
		rr_exit(&r);
	}
	CHECK_INT("open descriptors after rr_setup + rr_exit", before,
		  tu_fd_count());
	{
		struct rr_ring r;

		CHECK_INT("rr_setup(r, 0)", -EINVAL, rr_setup(&r, 0));
		CHECK_INT("rr_setup(r, 100000) (the kernel's limit is 32768)",
			  -EINVAL, rr_setup(&r, 100000));
	}
}

TEST(rr_exit_releases)
{
	int before = tu_fd_count();
	struct rr_ring r;
	const void *maps[3];

	for (int i = 0; i < 100; i++) {
		setup(&r, 16);
		rr_exit(&r);
	}
	CHECK_INT("open descriptors after 100 rr_setup + rr_exit", before,
		  tu_fd_count());
	setup(&r, 16);
	maps[0] = r.sq.tail;
	maps[1] = r.cq.cqes;
	maps[2] = r.sq.sqes;
	rr_exit(&r);
	CHECK(!tu_mapped(maps[0]), "the SQ ring is still mapped after rr_exit()");
	CHECK(!tu_mapped(maps[1]), "the CQ ring is still mapped after rr_exit()");
	CHECK(!tu_mapped(maps[2]), "the SQE array is still mapped after "
	      "rr_exit()");
}

/* Submit n NOPs tagged first.., reap them, check tags and counters. */
static void nops(struct rr_ring *r, unsigned n, unsigned long long first,
		 const char *where)
{
	unsigned sq_tail0 = *r->sq.tail, cq_head0 = *r->cq.head;
	int ret;

	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = rr_get_sqe(r);

		CHECK(sqe != NULL, "%s: rr_get_sqe() number %u of %u returned "
		      "NULL with a ring of %u entries", where, i, n, r->sq.entries);
		for (size_t b = 0; b < sizeof *sqe; b++)
			CHECK(((unsigned char *)sqe)[b] == 0, "%s: rr_get_sqe() "
			      "returned an SQE whose byte %zu is not 0", where, b);
		sqe->opcode = IORING_OP_NOP;
		sqe->user_data = first + i;
	}
	ret = rr_submit(r, n);
	CHECK(ret == (int)n, "%s: rr_submit(r, %u) after %u NOPs returned %d, "
	      "expected %u", where, n, n, ret, n);
	CHECK_UINT("SQ tail after rr_submit(): advanced by the SQEs published",
		   sq_tail0 + n, *r->sq.tail);
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;

		ret = rr_wait_cqe(r, &cqe);
		CHECK(ret == 0, "%s: rr_wait_cqe() returned %d", where, ret);
		CHECK(cqe->user_data == first + i && cqe->res == 0,
		      "%s: CQE %u: user_data %llu res %d, expected user_data "
		      "%llu res 0", where, i, (unsigned long long)cqe->user_data,
		      cqe->res, first + i);
		rr_cqe_seen(r);
	}
	CHECK_UINT("CQ head after seeing every CQE", cq_head0 + n, *r->cq.head);
	{
		struct io_uring_cqe *cqe;

		CHECK_INT("rr_peek_cqe() with no CQE ready", -EAGAIN,
			  rr_peek_cqe(r, &cqe));
	}
}

TEST(rr_nop_roundtrip)
{
	struct rr_ring r;

	setup(&r, 8);
	nops(&r, 5, 100, "5 NOPs on a ring of 8");
	CHECK_UINT("SQ head (the kernel's) after 5 NOPs", 5, *r.sq.head);
	/* Many more than the ring holds: counters wrap around the slots. */
	for (unsigned k = 0; k < 300; k++)
		nops(&r, 1 + k % 8, 1000 + k * 10, "NOP batches of 1..8");
	CHECK(rr_get_sqe(&r) != NULL, "rr_get_sqe() on an idle ring");
	for (int i = 1; i < 8; i++)
		rr_get_sqe(&r);
	CHECK(rr_get_sqe(&r) == NULL, "rr_get_sqe() returned an SQE when all "
	      "8 were handed out and not submitted: expected NULL");
	rr_exit(&r);
}

struct op {
	int opcode, fd;
	unsigned len;
	long long off;
};

TEST(rr_agrees_with_liburing)
{
	const char *dir = tu_fresh_dir("/tmp", "agree");
	char path[300];
	int fd, rofd;
	struct rr_ring r;
	struct io_uring lib;
	static unsigned char a[16][8192], b[16][8192];
	struct op ops[16];
	int ra[16], rb[16];
	unsigned nops_ = 0;

	snprintf(path, sizeof path, "%s/f", dir);
	tu_make_file(path, 20000, 6);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	rofd = fd;
	ops[nops_++] = (struct op){IORING_OP_READ, fd, 4096, 0};
	ops[nops_++] = (struct op){IORING_OP_READ, fd, 8192, 16000};
	ops[nops_++] = (struct op){IORING_OP_READ, fd, 100, 20000};
	ops[nops_++] = (struct op){IORING_OP_READ, fd, 100, 19950};
	ops[nops_++] = (struct op){IORING_OP_NOP, -1, 0, 0};
	ops[nops_++] = (struct op){IORING_OP_READ, -1, 10, 0};
	ops[nops_++] = (struct op){IORING_OP_WRITE, rofd, 10, 0};
	ops[nops_++] = (struct op){IORING_OP_READ, fd, 1, 12345};
	setup(&r, 16);
	CHECK(io_uring_queue_init(16, &lib, 0) == 0, "test setup: liburing");
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	for (unsigned i = 0; i < nops_; i++) {
		struct io_uring_sqe *s = rr_get_sqe(&r);
		struct io_uring_sqe *t = io_uring_get_sqe(&lib);

		CHECK(s != NULL, "rr_get_sqe() returned NULL");
		if (ops[i].opcode == IORING_OP_NOP) {
			io_uring_prep_nop(t);
		} else {
			io_uring_prep_rw(ops[i].opcode, t, ops[i].fd, b[i],
					 ops[i].len, (__u64)ops[i].off);
		}
		*s = *t;
		if (ops[i].opcode != IORING_OP_NOP)
			s->addr = (__u64)(unsigned long)a[i];
		s->user_data = t->user_data = i;
	}
	CHECK((unsigned)rr_submit(&r, nops_) == nops_, "rr_submit() of %u SQEs",
	      nops_);
	io_uring_submit_and_wait(&lib, nops_);
	for (unsigned i = 0; i < nops_; i++) {
		struct io_uring_cqe *c;

		CHECK(rr_wait_cqe(&r, &c) == 0, "rr_wait_cqe()");
		CHECK(c->user_data < nops_, "a CQE with user_data %llu, which no "
		      "SQE had", (unsigned long long)c->user_data);
		ra[c->user_data] = c->res;
		rr_cqe_seen(&r);
		CHECK(io_uring_wait_cqe(&lib, &c) == 0, "test setup: liburing");
		rb[c->user_data] = c->res;
		io_uring_cqe_seen(&lib, c);
	}
	for (unsigned i = 0; i < nops_; i++) {
		CHECK(ra[i] == rb[i], "operation %u (opcode %d, fd %d, %u bytes "
		      "at %lld): res %d on your ring, %d on liburing's", i,
		      ops[i].opcode, ops[i].fd, ops[i].len, ops[i].off, ra[i],
		      rb[i]);
		if (ra[i] > 0 && ops[i].opcode == IORING_OP_READ)
			CHECK_MEM("bytes read through your ring and liburing's",
				  b[i], a[i], (size_t)ra[i]);
	}
	io_uring_queue_exit(&lib);
	rr_exit(&r);
	close(fd);
	tu_remove_dir(dir);
}

/* Read everything from a pipe into a file, in a thread. */
struct drain {
	int fd;
	const char *path;
};

static void *drain(void *arg)
{
	struct drain *d = arg;
	int out = open(d->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	char buf[65536];
	ssize_t n;

	while ((n = read(d->fd, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(out);
	return NULL;
}

static void cat_check(const char *dir, uint64_t size, unsigned qd,
		      size_t block, int to_pipe, struct rr_ring *fake)
{
	char src[300], dst[300], what[200];
	uint64_t seed = size + qd * 3 + block;
	int in, out, ret, p[2];
	pthread_t t;
	struct drain d;

	snprintf(src, sizeof src, "%s/src", dir);
	snprintf(dst, sizeof dst, "%s/dst", dir);
	snprintf(what, sizeof what, "rr_cat%s() of %llu bytes to a %s, queue "
		 "depth %u, block %zu", fake ? "_ring (fake kernel)" : "",
		 (unsigned long long)size, to_pipe ? "pipe" : "file", qd, block);
	tu_make_file(src, size, seed);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (to_pipe) {
		CHECK(pipe2(p, O_CLOEXEC) == 0, "test setup: pipe");
		d = (struct drain){p[0], dst};
		CHECK(pthread_create(&t, NULL, drain, &d) == 0, "test setup");
		out = p[1];
	} else {
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	ret = fake ? rr_cat_ring(fake, in, out, qd, block)
		   : rr_cat(in, out, qd, block);
	close(out);
	if (to_pipe) {
		pthread_join(t, NULL);
		close(p[0]);
	}
	close(in);
	CHECK(ret == 0, "%s returned %d (%s)", what, ret, strerror(-ret));
	tu_check_file(dst, size, seed, what);
}

TEST(rr_cat_files_and_pipes)
{
	const char *dir = tu_fresh_dir("/tmp", "cat");
	const uint64_t sizes[] = {0, 1, 4095, 4096, 4097, 65536 * 3 + 1,
				  (2 << 20) + 7};
	const unsigned qds[] = {1, 2, 8, 64};
	int before = tu_fd_count();

	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
		for (size_t q = 0; q < 4; q++) {
			cat_check(dir, sizes[s], qds[q], 4096, 0, NULL);
			cat_check(dir, sizes[s], qds[q], 65536, 1, NULL);
		}
	CHECK_INT("open descriptors after the rr_cat() calls", before,
		  tu_fd_count());
	tu_remove_dir(dir);
}

TEST(rr_cat_bad_input)
{
	const char *dir = tu_fresh_dir("/tmp", "catbad");
	char path[300];
	int fd, p[2], before;

	snprintf(path, sizeof path, "%s/f", dir);
	tu_make_file(path, 10000, 1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(pipe(p) == 0, "test setup: pipe");
	before = tu_fd_count();
	CHECK_INT("rr_cat() with queue depth 0", -EINVAL, rr_cat(fd, p[1], 0, 4096));
	CHECK_INT("rr_cat() with block 0", -EINVAL, rr_cat(fd, p[1], 4, 0));
	{
		int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		CHECK_INT("rr_cat() of a directory", -EISDIR, rr_cat(d, p[1], 4, 4096));
		close(d);
	}
	CHECK_INT("rr_cat() from a pipe (not a regular file)", -EINVAL,
		  rr_cat(p[0], p[1], 4, 4096));
	CHECK_INT("rr_cat() to a descriptor open for reading only (-EBADF from "
		  "the write's cqe->res)", -EBADF, rr_cat(fd, fd, 4, 4096));
	CHECK_INT("open descriptors after failing rr_cat() calls", before,
		  tu_fd_count());
	close(fd);
	close(p[0]);
	close(p[1]);
	tu_remove_dir(dir);
}

TEST(rr_fake_kernel_nops)
{
	struct rr_ring r;
	unsigned long done;

	CHECK(fk_start(&r, 8, 16) == 0, "test setup: the fake kernel");
	for (unsigned k = 0; k < 2000; k++)
		nops(&r, 1 + k % 8, (unsigned long long)k << 8,
		     "NOP batches through the fake kernel");
	done = fk_stop(&r);
	CHECK_UINT("SQEs the fake kernel executed", 2000 / 8 * 36, done);
}

TEST(rr_fake_kernel_cat)
{
	const char *dir = tu_fresh_dir("/tmp", "fakecat");
	struct rr_ring r;

	CHECK(fk_start(&r, 16, 32) == 0, "test setup: the fake kernel");
	cat_check(dir, 1 << 20, 8, 4096, 0, &r);
	cat_check(dir, 300000, 15, 8192, 1, &r);
	cat_check(dir, 5, 3, 4096, 0, &r);
	fk_stop(&r);
	tu_remove_dir(dir);
}
