/*
 * fakering.c - see fakering.h.
 */
#define _GNU_SOURCE
#include "fakering.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fake {
	/* The shared counters, each on a line of its own, as the kernel's. */
	_Alignas(64) unsigned sq_head, sq_tail, sq_flags;
	_Alignas(64) unsigned cq_head, cq_tail, cq_overflow;
	unsigned *array;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned sq_mask, cq_mask, cq_entries;
	int stop;
	unsigned long done;
	pthread_t thread;
};

static struct fake *the_fake;

static int execute(const struct io_uring_sqe *s)
{
	void *buf = (void *)(unsigned long)s->addr;
	ssize_t ret;

	switch (s->opcode) {
	case IORING_OP_NOP:
		return 0;
	case IORING_OP_READ:
		ret = s->off == (__u64)-1 ? read(s->fd, buf, s->len)
					  : pread(s->fd, buf, s->len, (off_t)s->off);
		break;
	case IORING_OP_WRITE:
		ret = s->off == (__u64)-1 ? write(s->fd, buf, s->len)
					  : pwrite(s->fd, buf, s->len, (off_t)s->off);
		break;
	default:
		return -EINVAL;
	}
	return ret < 0 ? -errno : (int)ret;
}

static void post(struct fake *f, __u64 data, int res)
{
	unsigned tail = f->cq_tail; /* only this thread writes it */

	/* Wait for room: the application releases CQ head when it is done
	 * reading a CQE, and only then may we write over it. */
	while (tail - __atomic_load_n(&f->cq_head, __ATOMIC_ACQUIRE) >=
	       f->cq_entries) {
		if (__atomic_load_n(&f->stop, __ATOMIC_RELAXED))
			return;
		sched_yield();
	}
	f->cqes[tail & f->cq_mask].user_data = data;
	f->cqes[tail & f->cq_mask].res = res;
	f->cqes[tail & f->cq_mask].flags = 0;
	__atomic_store_n(&f->cq_tail, tail + 1, __ATOMIC_RELEASE);
}

static void *kernel(void *arg)
{
	struct fake *f = arg;
	unsigned head = 0;

	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		unsigned tail = __atomic_load_n(&f->sq_tail, __ATOMIC_ACQUIRE);

		if (head == tail) {
			sched_yield();
			continue;
		}
		for (; head != tail; head++) {
			unsigned idx = f->array[head & f->sq_mask];
			struct io_uring_sqe s = f->sqes[idx & f->sq_mask];

			/* The SQE is copied: its slot may be reused. */
			__atomic_store_n(&f->sq_head, head + 1, __ATOMIC_RELEASE);
			post(f, s.user_data, execute(&s));
			__atomic_fetch_add(&f->done, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/* io_uring_enter's stand-in: SQEs are picked up by polling, so only the
 * wait is left, and it synchronises with nothing. */
static int fake_enter(struct rr_ring *r, unsigned to_submit,
		      unsigned min_complete, unsigned flags)
{
	struct fake *f = the_fake;

	(void)r;
	if (flags & IORING_ENTER_GETEVENTS)
		while (__atomic_load_n(&f->cq_tail, __ATOMIC_RELAXED) -
			       __atomic_load_n(&f->cq_head, __ATOMIC_RELAXED) <
		       min_complete)
			sched_yield();
	return (int)to_submit;
}

int fk_start(struct rr_ring *r, unsigned sq_entries, unsigned cq_entries)
{
	struct fake *f = calloc(1, sizeof *f);

	if (!f)
		return -ENOMEM;
	f->array = calloc(sq_entries, sizeof *f->array);
	f->sqes = calloc(sq_entries, sizeof *f->sqes);
	f->cqes = calloc(cq_entries, sizeof *f->cqes);
	if (!f->array || !f->sqes || !f->cqes)
		return -ENOMEM;
	f->sq_mask = sq_entries - 1;
	f->cq_mask = cq_entries - 1;
	f->cq_entries = cq_entries;
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->sq = (struct rr_sq){.head = &f->sq_head, .tail = &f->sq_tail,
			       .flags = &f->sq_flags, .array = f->array,
			       .mask = f->sq_mask, .entries = sq_entries,
			       .sqes = f->sqes};
	r->cq = (struct rr_cq){.head = &f->cq_head, .tail = &f->cq_tail,
			       .overflow = &f->cq_overflow, .mask = f->cq_mask,
			       .entries = cq_entries, .cqes = f->cqes};
	r->enter = fake_enter;
	the_fake = f;
	if (pthread_create(&f->thread, NULL, kernel, f) != 0)
		return -EAGAIN;
	return 0;
}

unsigned long fk_stop(struct rr_ring *r)
{
	struct fake *f = the_fake;
	unsigned long done;

	__atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
	pthread_join(f->thread, NULL);
	done = f->done;
	free(f->array);
	free(f->sqes);
	free(f->cqes);
	free(f);
	the_fake = NULL;
	memset(r, 0, sizeof *r);
	r->fd = -1;
	return done;
}
