/*
 * inject.c - see inject.h.
 */
#define _GNU_SOURCE
#include "inject.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The real functions, and their wrappers (prototypes for -Wall). */
int __real_io_uring_submit(struct io_uring *ring);
int __real_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);
int __real_io_uring_submit_and_wait_timeout(struct io_uring *ring,
					    struct io_uring_cqe **cqe_ptr,
					    unsigned wait_nr,
					    struct __kernel_timespec *ts,
					    sigset_t *sigmask);
int __real_io_uring_submit_and_get_events(struct io_uring *ring);
int __wrap_io_uring_submit(struct io_uring *ring);
int __wrap_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);
int __wrap_io_uring_submit_and_wait_timeout(struct io_uring *ring,
					    struct io_uring_cqe **cqe_ptr,
					    unsigned wait_nr,
					    struct __kernel_timespec *ts,
					    sigset_t *sigmask);
int __wrap_io_uring_submit_and_get_events(struct io_uring *ring);

#define DELAY_TAG 0x1e1a7ed5u

static enum inj_mode mode;
static unsigned every = 1;
static unsigned long eligible;
static struct inj_counts counts;
static int empty_pipe = -1;
static struct __kernel_timespec delay = {.tv_nsec = 5 * 1000 * 1000};

void inj_set(enum inj_mode m, unsigned k)
{
	mode = m;
	every = k ? k : 1;
	eligible = 0;
	memset(&counts, 0, sizeof counts);
	if (m == INJ_EAGAIN && empty_pipe < 0) {
		int p[2];

		CHECK(pipe2(p, O_CLOEXEC) == 0, "test setup: pipe: %s",
		      strerror(errno));
		empty_pipe = p[0]; /* p[1] stays open: reads wait, not EOF */
	}
}

struct inj_counts inj_get(void)
{
	return counts;
}

static int is_read(const struct io_uring_sqe *s)
{
	return s->opcode == IORING_OP_READ || s->opcode == IORING_OP_READ_FIXED ||
	       s->opcode == IORING_OP_READV;
}

static int is_write(const struct io_uring_sqe *s)
{
	return s->opcode == IORING_OP_WRITE ||
	       s->opcode == IORING_OP_WRITE_FIXED ||
	       s->opcode == IORING_OP_WRITEV;
}

static int hit(void)
{
	return eligible++ % every == every - 1;
}

/* Count one SQE and change it in place if the mode says so. */
static void look_at(struct io_uring_sqe *s)
{
	int r = is_read(s), w = is_write(s);

	if (!r && !w)
		return;
	counts.reads += r;
	counts.writes += w;
	counts.fixed_bufs += s->opcode == IORING_OP_READ_FIXED ||
			     s->opcode == IORING_OP_WRITE_FIXED;
	counts.fixed_files += (s->flags & IOSQE_FIXED_FILE) != 0;
	counts.async += (s->flags & IOSQE_ASYNC) != 0;
	/* Vectored I/O keeps its lengths in the caller's iovecs: left alone. */
	if (s->opcode == IORING_OP_READV || s->opcode == IORING_OP_WRITEV)
		return;
	if (((mode == INJ_SHORT_READ && r) || (mode == INJ_SHORT_WRITE && w)) &&
	    s->len >= 2 && hit()) {
		s->len /= 2;
		counts.injected++;
	} else if (mode == INJ_EAGAIN && r && hit()) {
		s->fd = empty_pipe;
		s->flags &= (__u8)~IOSQE_FIXED_FILE;
		s->rw_flags |= RWF_NOWAIT;
		counts.injected++;
	}
}

/* INJ_SLOW_WRITES: put a 5 ms timeout, linked, in front of every write.
 * The queued SQEs are taken out and put back one by one, flushing to the
 * kernel when the ring has no room for a timeout and its write. */
static void delay_writes(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned n = sq->sqe_tail - sq->sqe_head;
	struct io_uring_sqe *saved = malloc((n ? n : 1) * sizeof *saved);

	CHECK(saved != NULL, "test setup: out of memory");
	for (unsigned i = 0; i < n; i++)
		saved[i] = sq->sqes[(sq->sqe_head + i) & sq->ring_mask];
	sq->sqe_tail = sq->sqe_head;
	for (unsigned i = 0; i < n; i++) {
		int slow = is_write(&saved[i]);
		struct io_uring_sqe *t;

		if (io_uring_sq_space_left(ring) < (unsigned)(slow ? 2 : 1))
			__real_io_uring_submit(ring);
		if (slow) {
			t = io_uring_get_sqe(ring);
			io_uring_prep_timeout(t, &delay, 0,
					      IORING_TIMEOUT_ETIME_SUCCESS);
			t->flags |= IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS;
			t->user_data = DELAY_TAG;
			counts.injected++;
		}
		*io_uring_get_sqe(ring) = saved[i];
	}
	free(saved);
}

/* Before any wrapped submit: count, change, and say how many of the
 * caller's SQEs are going in. */
static int before(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned n = sq->sqe_tail - sq->sqe_head;

	counts.submits++;
	counts.sqpoll += (ring->flags & IORING_SETUP_SQPOLL) != 0;
	for (unsigned i = 0; i < n; i++)
		look_at(&sq->sqes[(sq->sqe_head + i) & sq->ring_mask]);
	if (mode == INJ_SLOW_WRITES)
		delay_writes(ring);
	return (int)n;
}

int __wrap_io_uring_submit(struct io_uring *ring)
{
	int n = before(ring), ret = __real_io_uring_submit(ring);

	return ret < 0 ? ret : n;
}

int __wrap_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	int n = before(ring);
	int ret = __real_io_uring_submit_and_wait(ring, wait_nr);

	return ret < 0 ? ret : n;
}

int __wrap_io_uring_submit_and_wait_timeout(struct io_uring *ring,
					    struct io_uring_cqe **cqe_ptr,
					    unsigned wait_nr,
					    struct __kernel_timespec *ts,
					    sigset_t *sigmask)
{
	before(ring);
	return __real_io_uring_submit_and_wait_timeout(ring, cqe_ptr, wait_nr,
						       ts, sigmask);
}

int __wrap_io_uring_submit_and_get_events(struct io_uring *ring)
{
	int n = before(ring), ret = __real_io_uring_submit_and_get_events(ring);

	return ret < 0 ? ret : n;
}

int inj_can_delay(void)
{
	struct __kernel_timespec wait = {.tv_nsec = 30 * 1000 * 1000};
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *t, *nop;
	int ok = 1, seen = 0;

	if (io_uring_queue_init(4, &ring, 0) != 0)
		return 0;
	t = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(t, &delay, 0, IORING_TIMEOUT_ETIME_SUCCESS);
	t->flags |= IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS;
	t->user_data = DELAY_TAG;
	nop = io_uring_get_sqe(&ring);
	io_uring_prep_nop(nop);
	nop->user_data = 7;
	__real_io_uring_submit(&ring);
	/* Exactly one CQE, the NOP's, with 0: anything else means the
	 * kernel lacks one of the two flags. */
	while (io_uring_wait_cqe_timeout(&ring, &cqe, &wait) == 0) {
		ok &= cqe->user_data == 7 && cqe->res == 0;
		seen++;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return ok && seen == 1;
}
