/*
 * rawring.c - task 4: io_uring by hand, without liburing.  Yours to
 * write.
 *
 * Read include/rawring.h first.  In brief: io_uring_setup(2) via
 * syscall(), three mmaps at the offsets it returns, then the head/tail
 * protocol with __atomic_load_n(.., __ATOMIC_ACQUIRE) and
 * __atomic_store_n(.., __ATOMIC_RELEASE) where the kernel is on the
 * other side; io_uring_enter only through r->enter when it is set.
 * Delete each TODO() as you implement it.
 */
#include "rawring.h"
#include "wb/todo.h"

int rr_setup(struct rr_ring *r, unsigned entries)
{
	(void)r;
	(void)entries;
	TODO();
}

void rr_exit(struct rr_ring *r)
{
	(void)r;
	TODO();
}

struct io_uring_sqe *rr_get_sqe(struct rr_ring *r)
{
	(void)r;
	TODO();
}

int rr_submit(struct rr_ring *r, unsigned wait_nr)
{
	(void)r;
	(void)wait_nr;
	TODO();
}

int rr_wait_cqe(struct rr_ring *r, struct io_uring_cqe **cqe)
{
	(void)r;
	(void)cqe;
	TODO();
}

int rr_peek_cqe(struct rr_ring *r, struct io_uring_cqe **cqe)
{
	(void)r;
	(void)cqe;
	TODO();
}

void rr_cqe_seen(struct rr_ring *r)
{
	(void)r;
	TODO();
}

int rr_cat_ring(struct rr_ring *r, int in, int out, unsigned queue_depth,
		size_t block)
{
	(void)r;
	(void)in;
	(void)out;
	(void)queue_depth;
	(void)block;
	TODO();
}

int rr_cat(int in, int out, unsigned queue_depth, size_t block)
{
	(void)in;
	(void)out;
	(void)queue_depth;
	(void)block;
	TODO();
}
