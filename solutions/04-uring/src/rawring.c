/*
 * rawring.c - task 4: io_uring by hand, without liburing.
 */
#define _GNU_SOURCE
#include "rawring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * The shared counters, with the orderings the protocol needs.  The
 * kernel side pairs with them: it loads the SQ tail with acquire and
 * stores the SQ head with release; it stores the CQ tail with release
 * and loads the CQ head with acquire.
 */
static unsigned load_acquire(const unsigned *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(unsigned *p, unsigned v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static int sys_enter(struct rr_ring *r, unsigned to_submit,
		     unsigned min_complete, unsigned flags)
{
	long ret;

	if (r->enter)
		return r->enter(r, to_submit, min_complete, flags);
	ret = syscall(__NR_io_uring_enter, r->fd, to_submit, min_complete,
		      flags, NULL, 0);
	return ret < 0 ? -errno : (int)ret;
}

static void *map_ring(int fd, size_t len, off_t what)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, what);
}

/* The pointers into the mappings, from the offsets the kernel gave. */
static void point_into(struct rr_ring *r, const struct io_uring_params *p)
{
	char *sq = r->sq_map, *cq = r->cq_map;

	r->sq.head = (unsigned *)(sq + p->sq_off.head);
	r->sq.tail = (unsigned *)(sq + p->sq_off.tail);
	r->sq.flags = (unsigned *)(sq + p->sq_off.flags);
	r->sq.array = (unsigned *)(sq + p->sq_off.array);
	r->sq.mask = *(unsigned *)(sq + p->sq_off.ring_mask);
	r->sq.entries = *(unsigned *)(sq + p->sq_off.ring_entries);
	r->sq.sqes = r->sqes_map;
	r->sq.sqe_tail = *r->sq.tail;
	r->cq.head = (unsigned *)(cq + p->cq_off.head);
	r->cq.tail = (unsigned *)(cq + p->cq_off.tail);
	r->cq.overflow = (unsigned *)(cq + p->cq_off.overflow);
	r->cq.mask = *(unsigned *)(cq + p->cq_off.ring_mask);
	r->cq.entries = *(unsigned *)(cq + p->cq_off.ring_entries);
	r->cq.cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
}

int rr_setup(struct rr_ring *r, unsigned entries)
{
	struct io_uring_params p;
	int fd, err;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	if (entries == 0)
		return -EINVAL;
	memset(&p, 0, sizeof p);
	fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (fd < 0)
		return -errno;
	r->sq_map_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	r->cq_map_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		/* One mapping holds both rings: make it as long as both need. */
		if (r->cq_map_len > r->sq_map_len)
			r->sq_map_len = r->cq_map_len;
		r->cq_map_len = r->sq_map_len;
	}
	r->sq_map = map_ring(fd, r->sq_map_len, IORING_OFF_SQ_RING);
	if (r->sq_map == MAP_FAILED)
		goto fail;
	r->cq_map = r->sq_map;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		r->cq_map = map_ring(fd, r->cq_map_len, IORING_OFF_CQ_RING);
		if (r->cq_map == MAP_FAILED)
			goto fail;
	}
	r->sqes_map_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sqes_map = map_ring(fd, r->sqes_map_len, IORING_OFF_SQES);
	if (r->sqes_map == MAP_FAILED)
		goto fail;
	r->fd = fd;
	r->features = p.features;
	point_into(r, &p);
	return 0;

fail:
	err = -errno;
	if (r->cq_map && r->cq_map != MAP_FAILED && r->cq_map != r->sq_map)
		munmap(r->cq_map, r->cq_map_len);
	if (r->sq_map && r->sq_map != MAP_FAILED)
		munmap(r->sq_map, r->sq_map_len);
	close(fd);
	memset(r, 0, sizeof *r);
	r->fd = -1;
	return err;
}

void rr_exit(struct rr_ring *r)
{
	if (r->fd < 0)
		return;
	munmap(r->sqes_map, r->sqes_map_len);
	if (r->cq_map != r->sq_map)
		munmap(r->cq_map, r->cq_map_len);
	munmap(r->sq_map, r->sq_map_len);
	close(r->fd);
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

struct io_uring_sqe *rr_get_sqe(struct rr_ring *r)
{
	/* Acquire: the kernel is done reading the SQEs it consumed, so
	 * their slots may be written again. */
	unsigned head = load_acquire(r->sq.head);
	struct io_uring_sqe *sqe;

	if (r->sq.sqe_tail - head >= r->sq.entries)
		return NULL;
	sqe = &r->sq.sqes[r->sq.sqe_tail & r->sq.mask];
	r->sq.sqe_tail++;
	memset(sqe, 0, sizeof *sqe);
	return sqe;
}

int rr_submit(struct rr_ring *r, unsigned wait_nr)
{
	unsigned tail = *r->sq.tail; /* only we write it */
	unsigned flags = wait_nr ? IORING_ENTER_GETEVENTS : 0;
	unsigned published = r->sq.sqe_tail - tail;
	int ret;

	/* The SQE for slot i is sqes[i]: array is the identity. */
	for (; tail != r->sq.sqe_tail; tail++)
		r->sq.array[tail & r->sq.mask] = tail & r->sq.mask;
	/* Release: the SQEs and array entries above are written before
	 * the kernel can see the new tail. */
	store_release(r->sq.tail, tail);
	do {
		/* Everything published and not consumed yet: a previous
		 * enter may have left some behind. */
		unsigned pending = tail - load_acquire(r->sq.head);

		ret = sys_enter(r, pending, wait_nr, flags);
	} while (ret == -EINTR);
	return ret < 0 ? ret : (int)published;
}

int rr_peek_cqe(struct rr_ring *r, struct io_uring_cqe **cqe)
{
	unsigned head = *r->cq.head; /* only we write it */

	/* Acquire: the CQE is written before the tail that shows it. */
	if (head == load_acquire(r->cq.tail))
		return -EAGAIN;
	*cqe = &r->cq.cqes[head & r->cq.mask];
	return 0;
}

int rr_wait_cqe(struct rr_ring *r, struct io_uring_cqe **cqe)
{
	int ret;

	while ((ret = rr_peek_cqe(r, cqe)) == -EAGAIN) {
		ret = sys_enter(r, 0, 1, IORING_ENTER_GETEVENTS);
		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	return ret;
}

void rr_cqe_seen(struct rr_ring *r)
{
	/* Release: our reads of the CQE are done before the kernel may
	 * reuse its slot. */
	store_release(r->cq.head, *r->cq.head + 1);
}

/* One block of cat: where it is in the file, how much of it is read. */
struct block {
	off_t off;
	size_t len;
	size_t got;
};

/* cat's state: reads run ahead of the write position by at most qd
 * blocks; one write is in flight at a time, so out gets them in order. */
struct cat {
	struct rr_ring *r;
	int in, out;
	unsigned char *mem;
	struct block *blk; /* per slot; block k uses slot k % qd */
	size_t block;
	unsigned qd;
	off_t size;
	off_t next_read;  /* offset of the next block to read */
	off_t next_write; /* offset of the block to write next */
	size_t written;	  /* bytes of it written so far */
	int writing;	  /* a write is in flight */
	unsigned inflight;
	int err;
};

/* user_data: bit 63 marks a write; the rest is the slot. */
#define WRITE_TAG (1ull << 63)

static void prep_rw(struct io_uring_sqe *sqe, int op, int fd, void *buf,
		    size_t len, __u64 off, __u64 data)
{
	sqe->opcode = (__u8)op;
	sqe->fd = fd;
	sqe->addr = (__u64)(unsigned long)buf;
	sqe->len = (__u32)len;
	sqe->off = off;
	sqe->user_data = data;
}

static unsigned slot_of(const struct cat *c, off_t off)
{
	return (unsigned)((off / (off_t)c->block) % c->qd);
}

static unsigned char *buf_of(const struct cat *c, unsigned slot)
{
	return c->mem + (size_t)slot * c->block;
}

/* The ring has at least qd + 1 SQ entries and we never have more than
 * qd reads and one write out, so an SQE is always there. */
static void queue_read(struct cat *c, unsigned slot)
{
	struct block *b = &c->blk[slot];

	prep_rw(rr_get_sqe(c->r), IORING_OP_READ, c->in, buf_of(c, slot) + b->got,
		b->len - b->got, (__u64)(b->off + (off_t)b->got), slot);
}

static void queue_write(struct cat *c)
{
	unsigned slot = slot_of(c, c->next_write);
	struct block *b = &c->blk[slot];

	/* Offset -1: out's own position, which a pipe also has. */
	prep_rw(rr_get_sqe(c->r), IORING_OP_WRITE, c->out,
		buf_of(c, slot) + c->written, b->len - c->written, (__u64)-1,
		WRITE_TAG | slot);
}

/* Start the write of the next block once it is fully read, and reads
 * into the slots whose blocks are written. */
static void refill(struct cat *c)
{
	if (c->err)
		return;
	if (!c->writing && c->next_write < c->next_read) {
		struct block *b = &c->blk[slot_of(c, c->next_write)];

		if (b->got == b->len) {
			c->writing = 1;
			c->written = 0;
			c->inflight++;
			queue_write(c);
		}
	}
	while (c->next_read < c->size &&
	       c->next_read < c->next_write + (off_t)c->qd * (off_t)c->block) {
		unsigned slot = slot_of(c, c->next_read);
		struct block *b = &c->blk[slot];

		b->off = c->next_read;
		b->len = (size_t)(c->size - b->off) < c->block
				 ? (size_t)(c->size - b->off) : c->block;
		b->got = 0;
		c->next_read += (off_t)b->len;
		c->inflight++;
		queue_read(c, slot);
	}
}

static void on_write(struct cat *c, int res)
{
	struct block *b = &c->blk[slot_of(c, c->next_write)];

	if (res == -EAGAIN || (res > 0 && c->written + (size_t)res < b->len)) {
		c->written += res > 0 ? (size_t)res : 0; /* short: the rest */
		queue_write(c);
		return;
	}
	c->inflight--;
	c->writing = 0;
	if (res <= 0) {
		c->err = c->err ? c->err : res < 0 ? res : -EIO;
		return;
	}
	c->next_write += (off_t)b->len; /* the slot is free again */
}

static void on_read(struct cat *c, unsigned slot, int res)
{
	struct block *b = &c->blk[slot];

	if (res == -EAGAIN || (res > 0 && b->got + (size_t)res < b->len)) {
		b->got += res > 0 ? (size_t)res : 0;
		queue_read(c, slot);
		return;
	}
	c->inflight--;
	if (res <= 0) { /* 0: the file ended early */
		c->err = c->err ? c->err : res < 0 ? res : -EIO;
		return;
	}
	b->got += (size_t)res;
}

static int cat_run(struct cat *c)
{
	refill(c);
	while (c->inflight > 0) {
		struct io_uring_cqe *cqe;
		int ret = rr_submit(c->r, 1);

		if (ret < 0 && ret != -EAGAIN && ret != -EBUSY)
			return ret;
		/* Everything that is there, before the next enter. */
		while (rr_peek_cqe(c->r, &cqe) == 0) {
			__u64 data = cqe->user_data;
			int res = cqe->res;

			rr_cqe_seen(c->r);
			if (data & WRITE_TAG)
				on_write(c, res);
			else
				on_read(c, (unsigned)data, res);
		}
		refill(c);
	}
	return c->err;
}

int rr_cat_ring(struct rr_ring *r, int in, int out, unsigned queue_depth,
		size_t block)
{
	struct cat c = {.r = r, .in = in, .out = out, .block = block,
			.qd = queue_depth};
	struct stat st;
	int ret;

	if (queue_depth == 0 || queue_depth >= r->sq.entries || block == 0 ||
	    block > ((size_t)1 << 30))
		return -EINVAL;
	if (fstat(in, &st) != 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	c.size = st.st_size;
	/* aligned_alloc wants a multiple of the alignment. */
	c.mem = aligned_alloc(4096, (queue_depth * block + 4095) & ~(size_t)4095);
	c.blk = calloc(queue_depth, sizeof *c.blk);
	ret = c.mem && c.blk ? cat_run(&c) : -ENOMEM;
	free(c.mem);
	free(c.blk);
	return ret;
}

int rr_cat(int in, int out, unsigned queue_depth, size_t block)
{
	struct rr_ring r;
	int ret;

	if (queue_depth == 0 || queue_depth > 4096)
		return -EINVAL;
	/* One more entry than reads: the write needs an SQE too. */
	if ((ret = rr_setup(&r, queue_depth + 1)) < 0)
		return ret;
	ret = rr_cat_ring(&r, in, out, queue_depth, block);
	rr_exit(&r);
	return ret;
}
