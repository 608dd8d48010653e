/*
 * rawring.h - task 4: io_uring by hand, without liburing.
 *
 * io_uring_setup(2) returns a descriptor and, in struct io_uring_params,
 * the offsets of the ring fields inside three mappings of it:
 *
 *   mmap(fd, IORING_OFF_SQ_RING)   SQ ring: head tail mask entries flags
 *                                  dropped array[entries]
 *   mmap(fd, IORING_OFF_CQ_RING)   CQ ring: head tail mask entries
 *                                  overflow cqes[cq_entries]
 *                                  (with IORING_FEAT_SINGLE_MMAP, one
 *                                  mapping holds both rings)
 *   mmap(fd, IORING_OFF_SQES)      the SQE array, sqes[entries]
 *
 * We fill an SQE, put its index in array[tail & mask], and publish it by
 * storing tail + 1 with release order: the kernel loads tail with
 * acquire order, so it sees the whole SQE.  The kernel fills a CQE and
 * publishes it by storing the CQ tail with release order; we load that
 * tail with acquire order before reading the CQE, and store the CQ head
 * with release order once we are done with it, so the kernel does not
 * overwrite a CQE we are still reading.  head and tail are free-running
 * 32-bit counters; a slot is counter & mask.
 *
 *   SQ:  [ . . x x x x . . ]   x: published, not yet consumed
 *              ^head   ^tail   (the kernel moves head, we move tail)
 *   CQ:  [ y y . . . . . y ]   y: posted, not yet seen
 *            ^tail     ^head   (the kernel moves tail, we move head)
 *
 * The same code must run against the kernel and against the tests' fake
 * kernel, a thread that plays the kernel's part on memory of its own: so
 * every field the protocol needs is in struct rr_ring, and io_uring_enter
 * is called only through r->enter when it is not NULL.
 */
#ifndef RAWRING_H
#define RAWRING_H

#include <linux/io_uring.h>
#include <stddef.h>

struct rr_ring;

/* io_uring_enter(r->fd, to_submit, min_complete, flags, NULL, 0), or
 * the fake kernel's stand-in: returns what the system call returns
 * (SQEs consumed), or -errno. */
typedef int (*rr_enter_fn)(struct rr_ring *r, unsigned to_submit,
			   unsigned min_complete, unsigned flags);

struct rr_sq {
	unsigned *head;	 /* the kernel's: SQEs it has consumed */
	unsigned *tail;	 /* ours: SQEs published */
	unsigned *flags; /* IORING_SQ_* */
	unsigned *array; /* array[slot]: the index of the SQE in that slot */
	unsigned mask;	 /* entries - 1 */
	unsigned entries;
	struct io_uring_sqe *sqes;
	unsigned sqe_tail; /* ours, not shared: SQEs handed out by
			    * rr_get_sqe(); *tail catches up in rr_submit() */
};

struct rr_cq {
	unsigned *head;	    /* ours: CQEs we are done with */
	unsigned *tail;	    /* the kernel's: CQEs posted */
	unsigned *overflow; /* CQEs the kernel could not post */
	unsigned mask;
	unsigned entries;
	struct io_uring_cqe *cqes;
};

struct rr_ring {
	int fd;		   /* -1 for the fake kernel */
	unsigned features; /* IORING_FEAT_* */
	struct rr_sq sq;
	struct rr_cq cq;
	void *sq_map;	   /* the mappings, for rr_exit(); cq_map == sq_map */
	size_t sq_map_len; /* with IORING_FEAT_SINGLE_MMAP */
	void *cq_map;
	size_t cq_map_len;
	void *sqes_map;
	size_t sqes_map_len;
	rr_enter_fn enter; /* NULL: the real io_uring_enter(2) on fd */
};

/*
 * Make a ring with at least `entries` SQ entries (1..32768; the kernel
 * rounds up to a power of two and gives twice as many CQ entries), map
 * it and fill *r.  Returns 0, or -errno: -EINVAL for 0 entries, the
 * error of io_uring_setup or mmap otherwise (r then holds nothing that
 * needs rr_exit()).
 */
int rr_setup(struct rr_ring *r, unsigned entries);

/* Unmap everything rr_setup() mapped and close the descriptor. */
void rr_exit(struct rr_ring *r);

/* The next free SQE, zeroed, or NULL when every SQ slot is taken
 * (published SQEs the kernel has not consumed count as taken). */
struct io_uring_sqe *rr_get_sqe(struct rr_ring *r);

/*
 * Publish every SQE handed out since the last call and enter the kernel
 * to submit them; with wait_nr > 0, also wait until at least wait_nr
 * CQEs are ready (IORING_ENTER_GETEVENTS).  Returns the number of SQEs
 * this call published, or -errno from io_uring_enter (-EINTR is
 * retried).
 */
int rr_submit(struct rr_ring *r, unsigned wait_nr);

/* The oldest CQE not yet seen, waiting for one if need be: 0 and
 * *cqe set, or -errno.  The CQE stays valid until rr_cqe_seen(). */
int rr_wait_cqe(struct rr_ring *r, struct io_uring_cqe **cqe);

/* Like rr_wait_cqe() without waiting: -EAGAIN when none is ready. */
int rr_peek_cqe(struct rr_ring *r, struct io_uring_cqe **cqe);

/* Done with the CQE rr_wait_cqe() or rr_peek_cqe() gave: hand its slot
 * back to the kernel. */
void rr_cqe_seen(struct rr_ring *r);

/*
 * cat on the ring: copy the regular file in (from offset 0 to its size
 * at the start) to out, any descriptor (a file, a pipe), in order.
 * Up to queue_depth reads of `block` bytes are in flight, at explicit
 * offsets; writes go out one at a time, in file order, at offset -1
 * (out's current position: a pipe has no other), each continued after a
 * short write.  Returns 0 or -errno (-EINVAL for a bad depth or block,
 * or an in that is not a regular file; -EISDIR for a directory).
 * rr_cat_ring() uses the ring it is given (queue_depth <= its entries);
 * rr_cat() makes one with rr_setup(queue_depth) and tears it down.
 */
int rr_cat_ring(struct rr_ring *r, int in, int out, unsigned queue_depth,
		size_t block);
int rr_cat(int in, int out, unsigned queue_depth, size_t block);

#endif
