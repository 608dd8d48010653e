/*
 * ucopy.c - task 3: a file copy and a batch reader on io_uring.
 */
#define _GNU_SOURCE
#include "ucopy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

enum slot_state { IDLE, READING, WRITING };

/* One block in flight: its buffer and how far its read or write got. */
struct slot {
	unsigned char *buf;
	off_t off;	/* the block's offset in both files */
	size_t len;	/* the block's length */
	size_t done;	/* bytes of the current read or write that are done */
	enum slot_state state;
	unsigned index; /* = buffer index when the buffers are registered */
};

struct copy {
	struct io_uring ring;
	struct slot *slots;
	unsigned char *mem;
	unsigned nslots;
	int in, out;	/* descriptors, or 0 and 1 when registered */
	int fixed;	/* files and buffers are registered */
	int ring_made;	/* io_uring_queue_init() succeeded */
	off_t size;	/* bytes to copy */
	off_t next;	/* offset of the next block to read */
	size_t block;
	unsigned inflight;
	int err;	/* the first error; no new blocks once it is set */
	struct ucopy_stats st;
};

static int check_opts(const struct ucopy_opts *o)
{
	if (!o || o->queue_depth < 1 || o->queue_depth > UCOPY_MAX_QD ||
	    o->block_size < 1 || o->block_size > UCOPY_MAX_BLOCK ||
	    (o->flags & ~UCOPY_REGISTER))
		return -EINVAL;
	return 0;
}

/* Queue the slot's current operation (or its rest, after a short one).
 * The ring has an SQ entry per slot and a slot has one operation in
 * flight at most, so an SQE is always free. */
static void queue_op(struct copy *c, struct slot *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
	unsigned char *p = s->buf + s->done;
	unsigned n = (unsigned)(s->len - s->done);
	off_t at = s->off + (off_t)s->done;

	if (s->state == READING) {
		if (c->fixed)
			io_uring_prep_read_fixed(sqe, c->in, p, n, (__u64)at,
						 (int)s->index);
		else
			io_uring_prep_read(sqe, c->in, p, n, (__u64)at);
		c->st.reads++;
	} else {
		if (c->fixed)
			io_uring_prep_write_fixed(sqe, c->out, p, n, (__u64)at,
						  (int)s->index);
		else
			io_uring_prep_write(sqe, c->out, p, n, (__u64)at);
		c->st.writes++;
	}
	if (c->fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data(sqe, s);
}

/* Give an idle slot the next block, if there is one and no error. */
static void start_block(struct copy *c, struct slot *s)
{
	if (c->err || c->next >= c->size) {
		s->state = IDLE;
		return;
	}
	s->off = c->next;
	s->len = (size_t)(c->size - c->next) < c->block
			 ? (size_t)(c->size - c->next) : c->block;
	c->next += (off_t)s->len;
	s->done = 0;
	s->state = READING;
	c->inflight++;
	queue_op(c, s);
}

/* One completion: continue, requeue, move on to the write, or fail. */
static void complete(struct copy *c, struct slot *s, int res)
{
	if (res == -EAGAIN) { /* nothing happened: ask again */
		c->st.requeued++;
		queue_op(c, s);
		return;
	}
	if (res <= 0) {
		/* 0 from a read: the file ended before its size; from a
		 * write: no progress, and retrying would loop forever. */
		if (!c->err)
			c->err = res < 0 ? res : -EIO;
		s->state = IDLE;
		c->inflight--;
		return;
	}
	s->done += (size_t)res;
	if (s->done < s->len) { /* short: the rest, from where it stopped */
		c->st.requeued++;
		queue_op(c, s);
		return;
	}
	if (s->state == READING) {
		s->state = WRITING;
		s->done = 0;
		queue_op(c, s);
		return;
	}
	/* Written: only now is the buffer free for the next block. */
	c->st.bytes += s->len;
	c->inflight--;
	start_block(c, s);
}

/*
 * Submit what is queued, wait for completions, handle all that are
 * there: one system call for a whole batch.  Reads of cached data
 * complete inside the call; writes usually go to the kernel's worker
 * threads and trickle back.  Waiting for a quarter of what is in flight,
 * not for one, lets them pile up: fewer calls, and the queue never runs
 * dry, since three quarters are still in flight.
 */
static int run(struct copy *c)
{
	while (c->inflight > 0) {
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		unsigned want = c->inflight / 4 ? c->inflight / 4 : 1;
		int ret = io_uring_submit_and_wait(&c->ring, want);

		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
			return ret; /* the ring itself is broken */
		io_uring_for_each_cqe(&c->ring, head, cqe) {
			complete(c, io_uring_cqe_get_data(cqe), cqe->res);
			seen++;
		}
		io_uring_cq_advance(&c->ring, seen);
	}
	return 0;
}

static int setup(struct copy *c, const struct ucopy_opts *o)
{
	unsigned qd = o->queue_depth;
	size_t stride = (o->block_size + 4095) & ~(size_t)4095;
	int ret;

	/* No more slots than blocks: a small file needs no big ring. */
	if ((off_t)qd > (c->size + (off_t)o->block_size - 1) / (off_t)o->block_size)
		qd = (unsigned)((c->size + (off_t)o->block_size - 1) /
				(off_t)o->block_size);
	c->nslots = qd;
	c->block = o->block_size;
	c->slots = calloc(qd, sizeof *c->slots);
	c->mem = aligned_alloc(4096, stride * qd);
	if (!c->slots || !c->mem)
		return -ENOMEM;
	for (unsigned i = 0; i < qd; i++) {
		c->slots[i].buf = c->mem + stride * i;
		c->slots[i].index = i;
	}
	ret = io_uring_queue_init(qd, &c->ring, 0);
	if (ret < 0)
		return ret;
	c->ring_made = 1;
	if (o->flags & UCOPY_REGISTER) {
		struct iovec *iov = calloc(qd, sizeof *iov);
		int fds[2] = {c->in, c->out};

		if (!iov)
			ret = -ENOMEM;
		for (unsigned i = 0; iov && i < qd; i++)
			iov[i] = (struct iovec){c->slots[i].buf, o->block_size};
		if (!ret)
			ret = io_uring_register_buffers(&c->ring, iov, qd);
		if (!ret)
			ret = io_uring_register_files(&c->ring, fds, 2);
		free(iov);
		c->fixed = 1;
		c->in = 0;
		c->out = 1;
	}
	return ret > 0 ? 0 : ret;
}

int ucopy_fd(int in, int out, const struct ucopy_opts *o,
	     struct ucopy_stats *st)
{
	struct copy c = {.in = in, .out = out};
	struct stat sb;
	int ret;

	if ((ret = check_opts(o)))
		return ret;
	if (fstat(in, &sb) != 0)
		return -errno;
	if (S_ISDIR(sb.st_mode))
		return -EISDIR;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	c.size = sb.st_size;
	if (c.size > 0) {
		ret = setup(&c, o);
		for (unsigned i = 0; !ret && i < c.nslots; i++)
			start_block(&c, &c.slots[i]);
		if (!ret)
			ret = run(&c);
		if (!ret)
			ret = c.err;
		if (c.ring_made)
			io_uring_queue_exit(&c.ring);
		free(c.slots);
		free(c.mem);
	}
	if (!ret && ftruncate(out, c.size) != 0)
		ret = -errno;
	if (st)
		*st = c.st;
	return ret;
}

int ucopy_path(const char *src, const char *dst, const struct ucopy_opts *o,
	       struct ucopy_stats *st)
{
	char tmp[PATH_MAX];
	struct stat sb;
	int in, out, ret;

	if ((ret = check_opts(o)))
		return ret;
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		ret = S_ISDIR(sb.st_mode) ? -EISDIR : -EINVAL;
		goto out_in;
	}
	/* A new file beside dst: rename() within one directory is atomic,
	 * so dst is either the old file or the whole copy, never half. */
	if (snprintf(tmp, sizeof tmp, "%s.ucopy-XXXXXX", dst) >= (int)sizeof tmp) {
		ret = -ENAMETOOLONG;
		goto out_in;
	}
	if ((out = mkostemp(tmp, O_CLOEXEC)) < 0) {
		ret = -errno;
		goto out_in;
	}
	ret = fchmod(out, sb.st_mode & 07777) ? -errno : 0;
	if (!ret)
		ret = ucopy_fd(in, out, o, st);
	if (close(out) != 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, dst) != 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
out_in:
	close(in);
	return ret;
}

struct ubatch {
	struct io_uring ring;
	unsigned qd;
};

struct ubatch *ubatch_open(int fd, unsigned queue_depth)
{
	struct ubatch *b;
	int ret;

	if (queue_depth < 1 || queue_depth > UCOPY_MAX_QD)
		return errno = EINVAL, NULL;
	if (!(b = calloc(1, sizeof *b)))
		return NULL;
	b->qd = queue_depth;
	ret = io_uring_queue_init(queue_depth, &b->ring, 0);
	/* A registered file saves a file lookup on every read. */
	if (!ret && (ret = io_uring_register_files(&b->ring, &fd, 1)) < 0)
		io_uring_queue_exit(&b->ring);
	if (ret < 0) {
		free(b);
		return errno = -ret, NULL;
	}
	return b;
}

static void queue_req(struct ubatch *b, struct ubatch_req *v, size_t i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
	unsigned done = (unsigned)v[i].res;

	io_uring_prep_read(sqe, 0, (char *)v[i].buf + done, v[i].len - done,
			   (__u64)(v[i].off + done));
	sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, i);
}

int ubatch_read(struct ubatch *b, struct ubatch_req *v, size_t n)
{
	size_t next = 0, inflight = 0;

	while (next < n || inflight > 0) {
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		int ret;

		for (; next < n && inflight < b->qd; next++, inflight++) {
			v[next].res = 0; /* bytes done so far */
			queue_req(b, v, next);
		}
		ret = io_uring_submit_and_wait(&b->ring, 1);
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
			return ret;
		io_uring_for_each_cqe(&b->ring, head, cqe) {
			size_t i = (size_t)io_uring_cqe_get_data64(cqe);
			int res = cqe->res;

			seen++;
			if (res == -EAGAIN) {
				queue_req(b, v, i);
				continue;
			}
			if (res > 0 && (unsigned)(v[i].res + res) < v[i].len) {
				v[i].res += res; /* short: read the rest */
				queue_req(b, v, i);
				continue;
			}
			v[i].res = res < 0 ? res : v[i].res + res;
			inflight--;
		}
		io_uring_cq_advance(&b->ring, seen);
	}
	return 0;
}

void ubatch_close(struct ubatch *b)
{
	if (!b)
		return;
	io_uring_queue_exit(&b->ring);
	free(b);
}
