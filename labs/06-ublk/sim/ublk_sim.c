/*
 * sim/ublk_sim.c - the simulator of ublk_drv (see ublk_sim.h).  First
 * implementation: the command rules, START, requests with re-dispatch
 * of partial results, STOP with aborts.  No fault injection yet.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ublk_sim.h"

enum tstate { T_NEW, T_FETCHED, T_OWNED, T_ABORTED };
static const char *const tstate_name[] = { "NEW", "FETCHED", "OWNED", "ABORTED" };

struct sreq;

struct stag {
	enum tstate st;
	uint64_t addr;          /* buffer of the last FETCH / COMMIT */
	uint64_t ud;            /* user_data of the command the driver holds */
	struct sreq *req;       /* while OWNED */
};

struct squeue {
	struct stag *tags;
	struct ublksrv_io_desc *iods;
	size_t iods_len;
	pid_t daemon;           /* tid of the first FETCH, 0 before */
	int ring_fd;            /* the daemon's ring, where CQEs go */
	unsigned fetched;       /* tags that left NEW */
};

struct sreq {
	unsigned op, flags;
	uint64_t sector;
	unsigned nr_sectors;    /* what is left */
	char *data;             /* where the rest goes / comes from */
	int res;
	bool done;
};

struct ublk_sim {
	struct ublk_sim_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond;    /* any state change */
	struct io_uring msg;    /* for IORING_OP_MSG_RING, under lock */
	int cdev;               /* the stand-in for /dev/ublkcN */
	bool stopping;
	unsigned owned;
	struct squeue *qs;
	struct ublk_sim_stats stats;
};

static struct ublk_sim *g_sim;   /* the one the wrapper serves */

/*
 * A CQE posted with MSG_RING orders the simulator's writes (the iod, a
 * WRITE's data) before the loop's reads of them, but through the kernel,
 * where ThreadSanitizer cannot see it.  Tell it: release before each
 * post, acquire when a wrapped submit-and-wait returns.
 */
#if defined(__SANITIZE_THREAD__)
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
static char tsan_sync;
#define HB_RELEASE() __tsan_release(&tsan_sync)
#define HB_ACQUIRE() __tsan_acquire(&tsan_sync)
/* But the loop may reap a CQE that arrived after its wait returned (the
 * CQ tail is re-read while reaping), with no call of ours in between:
 * the writes the simulator makes for the driver (iods, a WRITE's data)
 * are hidden from TSan, as the kernel's are. */
#define DRIVER_WRITES_BEGIN() AnnotateIgnoreWritesBegin(__FILE__, __LINE__)
#define DRIVER_WRITES_END() AnnotateIgnoreWritesEnd(__FILE__, __LINE__)
#else
#define HB_RELEASE() ((void)0)
#define HB_ACQUIRE() ((void)0)
#define DRIVER_WRITES_BEGIN() ((void)0)
#define DRIVER_WRITES_END() ((void)0)
#endif

int __real_io_uring_submit(struct io_uring *ring);
int __real_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);
int __real_io_uring_submit_and_wait_timeout(struct io_uring *ring,
		struct io_uring_cqe **cqe_ptr, unsigned wait_nr,
		struct __kernel_timespec *ts, sigset_t *sigmask);
int __real_io_uring_submit_and_get_events(struct io_uring *ring);
int __wrap_io_uring_submit(struct io_uring *ring);
int __wrap_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);
int __wrap_io_uring_submit_and_wait_timeout(struct io_uring *ring,
		struct io_uring_cqe **cqe_ptr, unsigned wait_nr,
		struct __kernel_timespec *ts, sigset_t *sigmask);
int __wrap_io_uring_submit_and_get_events(struct io_uring *ring);

/* ---------------- posting CQEs (lock held) ---------------- */

static void post(struct ublk_sim *s, int ring_fd, uint64_t ud, int res)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	if (ring_fd < 0)   /* the queue is gone */
		return;
	sqe = io_uring_get_sqe(&s->msg);
	if (!sqe) {
		__real_io_uring_submit(&s->msg);
		sqe = io_uring_get_sqe(&s->msg);
	}
	HB_RELEASE();
	io_uring_prep_msg_ring(sqe, ring_fd, (unsigned)res, ud, 0);
	sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	__real_io_uring_submit(&s->msg);
	/* Only failures post here (the target ring's CQ overflowed, ...). */
	io_uring_for_each_cqe(&s->msg, head, cqe) {
		fprintf(stderr, "ublk-sim: MSG_RING to ring fd %d failed: %s\n",
			ring_fd, strerror(-cqe->res));
		n++;
	}
	io_uring_cq_advance(&s->msg, n);
}

static void breach(struct ublk_sim *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void breach(struct ublk_sim *s, int err, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->stats.breaches++ == 0) {
		s->stats.first_breach = err;
		snprintf(s->stats.first_breach_msg,
			 sizeof(s->stats.first_breach_msg), "%s", msg);
	}
	if (!s->cfg.quiet)
		fprintf(stderr, "ublk-sim: %s: %s\n", msg, strerror(-err));
}

/* Hand the request r to tag t of queue q (lock held): fill the iod, copy
 * a WRITE's data in, post the CQE of the command the driver holds. */
static void dispatch(struct ublk_sim *s, struct squeue *q, unsigned tag,
		     struct sreq *r)
{
	struct stag *t = &q->tags[tag];
	struct ublksrv_io_desc *iod = &q->iods[tag];

	DRIVER_WRITES_BEGIN();
	iod->op_flags = r->op | r->flags;
	iod->nr_sectors = r->nr_sectors;
	iod->start_sector = r->sector;
	iod->addr = t->addr;
	if (r->op == UBLK_IO_OP_WRITE)
		memcpy((void *)(uintptr_t)t->addr, r->data,
		       (size_t)r->nr_sectors << 9);
	DRIVER_WRITES_END();
	t->st = T_OWNED;
	t->req = r;
	if (++s->owned > s->stats.max_owned)
		s->stats.max_owned = s->owned;
	post(s, q->ring_fd, t->ud, UBLK_IO_RES_OK);
}

/* The server committed res for tag's request (lock held).  Returns true
 * when the request is finished, false when the rest was re-dispatched. */
static bool complete(struct ublk_sim *s, struct squeue *q, unsigned tag,
		     int res)
{
	struct stag *t = &q->tags[tag];
	struct sreq *r = t->req;
	bool rw = r->op == UBLK_IO_OP_READ || r->op == UBLK_IO_OP_WRITE;
	unsigned len = r->nr_sectors << 9;

	s->owned--;
	t->req = NULL;
	if (res < 0) {
		r->res = res;
	} else if (rw && res == 0 && r->op == UBLK_IO_OP_READ) {
		r->res = -EIO;
	} else if (rw) {
		unsigned n = (unsigned)res > len ? len : (unsigned)res & ~511u;

		if (r->op == UBLK_IO_OP_READ)
			memcpy(r->data, (void *)(uintptr_t)t->addr, n);
		if (n == 0) {
			r->res = -EIO;   /* under a sector: no progress */
		} else if (n < len) {
			r->data += n;
			r->sector += n >> 9;
			r->nr_sectors -= n >> 9;
			s->stats.redispatches++;
			dispatch(s, q, tag, r);
			return false;
		} else {
			r->res = 0;
		}
	} else {
		r->res = 0;
	}
	r->done = true;
	s->stats.requests++;
	return true;
}

/* ---------------- the command rules ---------------- */

static const char *cmd_name(unsigned op)
{
	return op == UBLK_IO_FETCH_REQ ? "FETCH" : "COMMIT_AND_FETCH";
}

/* One io command from the submitting thread; lock held. */
static void on_cmd(struct ublk_sim *s, struct io_uring *ring,
		   const struct io_uring_sqe *sqe)
{
	const struct ublksrv_io_cmd *c = (const void *)sqe->cmd;
	unsigned op = sqe->cmd_op, tag = c->tag, qid = c->q_id;
	uint64_t ud = sqe->user_data;
	struct squeue *q;
	struct stag *t;
	pid_t me = gettid();

	if (op == UBLK_U_IO_FETCH_REQ)
		op = UBLK_IO_FETCH_REQ;
	else if (op == UBLK_U_IO_COMMIT_AND_FETCH_REQ)
		op = UBLK_IO_COMMIT_AND_FETCH_REQ;
	if (op != UBLK_IO_FETCH_REQ && op != UBLK_IO_COMMIT_AND_FETCH_REQ) {
		breach(s, -EOPNOTSUPP, "unknown io command cmd_op 0x%x", sqe->cmd_op);
		post(s, ring->ring_fd, ud, -EOPNOTSUPP);
		return;
	}
	if (qid >= s->cfg.nr_queues) {
		breach(s, -EINVAL, "%s with q_id %u, device has %u queue(s)",
		       cmd_name(op), qid, s->cfg.nr_queues);
		post(s, ring->ring_fd, ud, -EINVAL);
		return;
	}
	q = &s->qs[qid];
	if (q->daemon == 0 && op == UBLK_IO_FETCH_REQ) {
		q->daemon = me;
		q->ring_fd = ring->ring_fd;
	}
	if (q->daemon != me) {
		breach(s, -EINVAL, "q%u: %s from thread %d, the queue's daemon "
		       "is thread %d (the one of its first FETCH)", qid,
		       cmd_name(op), (int)me, (int)q->daemon);
		post(s, ring->ring_fd, ud, -EINVAL);
		return;
	}
	if (tag >= s->cfg.depth) {
		breach(s, -EINVAL, "q%u: %s with tag %u, depth is %u", qid,
		       cmd_name(op), tag, s->cfg.depth);
		post(s, q->ring_fd, ud, -EINVAL);
		return;
	}
	t = &q->tags[tag];
	if (t->st == T_FETCHED || t->st == T_ABORTED) {
		breach(s, -EBUSY, "q%u tag %u: %s while the driver holds the "
		       "tag (state %s)%s", qid, tag, cmd_name(op),
		       tstate_name[t->st], t->st == T_ABORTED ?
		       ": an aborted tag takes no more commands" :
		       op == UBLK_IO_FETCH_REQ ? ": double FETCH" :
		       ": no request to commit");
		post(s, q->ring_fd, ud, -EBUSY);
		return;
	}
	if (op == UBLK_IO_FETCH_REQ && t->st == T_OWNED) {
		breach(s, -EINVAL, "q%u tag %u: FETCH on a tag whose request "
		       "you have not committed (state OWNED)", qid, tag);
		post(s, q->ring_fd, ud, -EINVAL);
		return;
	}
	if (c->addr == 0) {
		breach(s, -EINVAL, "q%u tag %u: %s with buffer address 0", qid,
		       tag, cmd_name(op));
		post(s, q->ring_fd, ud, -EINVAL);
		return;
	}
	if (op == UBLK_IO_COMMIT_AND_FETCH_REQ && t->st == T_NEW) {
		breach(s, -EINVAL, "q%u tag %u: COMMIT_AND_FETCH on a tag never "
		       "fetched (state NEW)", qid, tag);
		post(s, q->ring_fd, ud, -EINVAL);
		return;
	}
	t->addr = c->addr;
	t->ud = ud;
	if (op == UBLK_IO_FETCH_REQ) {
		q->fetched++;
		t->st = T_FETCHED;
	} else if (complete(s, q, tag, c->result)) {
		t->st = T_FETCHED;
	} else {
		return;   /* re-dispatched: still OWNED */
	}
	pthread_cond_broadcast(&s->cond);
}

/* Take the simulator's commands out of ring's unsubmitted SQEs. */
static void intercept(struct io_uring *ring)
{
	struct ublk_sim *s = g_sim;
	unsigned shift = (ring->flags & IORING_SETUP_SQE128) ? 1 : 0;

	if (!s)
		return;
	for (unsigned i = ring->sq.sqe_head; i != ring->sq.sqe_tail; i++) {
		struct io_uring_sqe *sqe =
			&ring->sq.sqes[(i & ring->sq.ring_mask) << shift];
		uint64_t ud = sqe->user_data;

		if (sqe->opcode != IORING_OP_URING_CMD || sqe->fd != s->cdev ||
		    (sqe->flags & IOSQE_FIXED_FILE))
			continue;
		pthread_mutex_lock(&s->lock);
		on_cmd(s, ring, sqe);
		pthread_mutex_unlock(&s->lock);
		memset(sqe, 0, sizeof(*sqe) << shift);
		sqe->opcode = IORING_OP_NOP;
		sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
		sqe->user_data = ud;
	}
}

int __wrap_io_uring_submit(struct io_uring *ring)
{
	int ret;

	intercept(ring);
	ret = __real_io_uring_submit(ring);

	HB_ACQUIRE();
	return ret;
}

int __wrap_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	int ret;

	intercept(ring);
	ret = __real_io_uring_submit_and_wait(ring, wait_nr);

	HB_ACQUIRE();
	return ret;
}

int __wrap_io_uring_submit_and_wait_timeout(struct io_uring *ring,
		struct io_uring_cqe **cqe_ptr, unsigned wait_nr,
		struct __kernel_timespec *ts, sigset_t *sigmask)
{
	int ret;

	intercept(ring);
	ret = __real_io_uring_submit_and_wait_timeout(ring, cqe_ptr, wait_nr,
						      ts, sigmask);

	HB_ACQUIRE();
	return ret;
}

int __wrap_io_uring_submit_and_get_events(struct io_uring *ring)
{
	int ret;

	intercept(ring);
	ret = __real_io_uring_submit_and_get_events(ring);

	HB_ACQUIRE();
	return ret;
}

/* ---------------- the device ---------------- */

static void deadline(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

struct ublk_sim *ublk_sim_create(const struct ublk_sim_config *cfg)
{
	struct ublk_sim *s;

	if (g_sim || cfg->nr_queues < 1 || cfg->nr_queues > 16 ||
	    cfg->depth < 1 || cfg->depth > UBLK_MAX_QUEUE_DEPTH ||
	    cfg->max_io_bytes == 0 || cfg->max_io_bytes % 4096 ||
	    cfg->dev_bytes == 0 || cfg->dev_bytes % 512) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = *cfg;
	if (!s->cfg.io_timeout_ms)
		s->cfg.io_timeout_ms = 10000;
	s->qs = calloc(cfg->nr_queues, sizeof(*s->qs));
	s->cdev = eventfd(0, EFD_CLOEXEC);
	if (!s->qs || s->cdev < 0 || io_uring_queue_init(8, &s->msg, 0) < 0)
		goto fail;
	for (unsigned i = 0; i < cfg->nr_queues; i++) {
		s->qs[i].tags = calloc(cfg->depth, sizeof(struct stag));
		if (!s->qs[i].tags)
			goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	g_sim = s;
	return s;
fail:
	if (s->qs)
		for (unsigned i = 0; i < cfg->nr_queues; i++)
			free(s->qs[i].tags);
	free(s->qs);
	if (s->cdev >= 0)
		close(s->cdev);
	free(s);
	errno = ENOMEM;
	return NULL;
}

int ublk_sim_queue_init(struct ublk_sim *s, unsigned q_id,
			struct ublk_queue *q, struct ublk_target *tgt)
{
	struct squeue *sq = &s->qs[q_id];
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	int ret;

	if (q_id >= s->cfg.nr_queues)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	sq->iods_len = (s->cfg.depth * sizeof(*sq->iods) + pg - 1) & ~(pg - 1);
	sq->iods = mmap(NULL, sq->iods_len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sq->iods == MAP_FAILED)
		return -errno;
	q->bufs = mmap(NULL, (size_t)s->cfg.depth * s->cfg.max_io_bytes,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q->bufs == MAP_FAILED) {
		ret = -errno;
		munmap(sq->iods, sq->iods_len);
		return ret;
	}
	ret = io_uring_queue_init(2 * s->cfg.depth, &q->ring, 0);
	if (ret < 0) {
		munmap(q->bufs, (size_t)s->cfg.depth * s->cfg.max_io_bytes);
		munmap(sq->iods, sq->iods_len);
		return ret;
	}
	q->q_id = q_id;
	q->depth = s->cfg.depth;
	q->max_io_bytes = s->cfg.max_io_bytes;
	q->cdev_fd = s->cdev;
	q->ioctl_encoded = s->cfg.ioctl_encoded;
	q->iods = sq->iods;
	q->tgt = tgt;
	return 0;
}

void ublk_sim_queue_fini(struct ublk_sim *s, struct ublk_queue *q)
{
	struct squeue *sq = &s->qs[q->q_id];

	io_uring_queue_exit(&q->ring);
	munmap(q->bufs, (size_t)s->cfg.depth * s->cfg.max_io_bytes);
	munmap(sq->iods, sq->iods_len);
	pthread_mutex_lock(&s->lock);
	sq->ring_fd = -1;    /* nothing may be posted there any more */
	pthread_mutex_unlock(&s->lock);
}

static bool all_fetched(const struct ublk_sim *s)
{
	for (unsigned i = 0; i < s->cfg.nr_queues; i++)
		if (s->qs[i].fetched < s->cfg.depth)
			return false;
	return true;
}

int ublk_sim_start(struct ublk_sim *s, unsigned timeout_ms)
{
	struct timespec ts;
	int ret = 0;

	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&s->lock);
	while (!all_fetched(s) && ret == 0)
		ret = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	if (!all_fetched(s)) {
		for (unsigned i = 0; i < s->cfg.nr_queues; i++) {
			unsigned first = s->cfg.depth;

			for (unsigned t = 0; t < s->cfg.depth; t++)
				if (s->qs[i].tags[t].st == T_NEW && first == s->cfg.depth)
					first = t;
			if (s->qs[i].fetched < s->cfg.depth)
				fprintf(stderr, "ublk-sim: START_DEV: q%u: %u of %u "
					"tags never fetched (first: tag %u); the "
					"real driver would wait forever\n", i,
					s->cfg.depth - s->qs[i].fetched,
					s->cfg.depth, first);
		}
		pthread_mutex_unlock(&s->lock);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int ublk_sim_io(struct ublk_sim *s, unsigned q_id, unsigned op,
		unsigned flags, uint64_t sector, unsigned nr_sectors,
		void *data)
{
	struct sreq r = { .op = op, .flags = flags, .sector = sector,
			  .nr_sectors = nr_sectors, .data = data };
	struct squeue *q;
	struct timespec ts;
	unsigned tag = 0;
	int ret = 0;

	if (q_id >= s->cfg.nr_queues ||
	    (uint64_t)nr_sectors << 9 > s->cfg.max_io_bytes ||
	    sector + nr_sectors > s->cfg.dev_bytes >> 9)
		return -EINVAL;
	q = &s->qs[q_id];
	deadline(&ts, s->cfg.io_timeout_ms);
	pthread_mutex_lock(&s->lock);
	for (;;) {   /* a free tag: FETCHED, no request */
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return -ENODEV;
		}
		for (tag = 0; tag < s->cfg.depth; tag++)
			if (q->tags[tag].st == T_FETCHED)
				break;
		if (tag < s->cfg.depth || ret != 0)
			break;
		ret = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	if (tag == s->cfg.depth) {
		pthread_mutex_unlock(&s->lock);
		fprintf(stderr, "ublk-sim: q%u: no fetched tag for %u ms: the "
			"server holds every request\n", q_id, s->cfg.io_timeout_ms);
		return -ETIMEDOUT;
	}
	dispatch(s, q, tag, &r);
	ret = 0;
	while (!r.done && ret == 0)
		ret = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	if (!r.done) {
		/* The request stays OWNED: the server still has the buffer
		 * address; we must not return while it may copy into r.data. */
		fprintf(stderr, "ublk-sim: q%u tag %u: request not committed "
			"after %u ms\n", q_id, tag, s->cfg.io_timeout_ms);
		while (!r.done)
			pthread_cond_wait(&s->cond, &s->lock);
		pthread_mutex_unlock(&s->lock);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&s->lock);
	return r.res;
}

int ublk_sim_stop(struct ublk_sim *s, unsigned timeout_ms)
{
	struct timespec ts;
	int ret = 0;

	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->cond);
	while (s->owned > 0 && ret == 0)
		ret = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	if (s->owned > 0) {
		fprintf(stderr, "ublk-sim: STOP_DEV: the server still holds %u "
			"request(s) after %u ms\n", s->owned, timeout_ms);
		pthread_mutex_unlock(&s->lock);
		return -ETIMEDOUT;
	}
	for (unsigned i = 0; i < s->cfg.nr_queues; i++) {
		struct squeue *q = &s->qs[i];

		for (unsigned t = 0; t < s->cfg.depth; t++) {
			if (q->tags[t].st != T_FETCHED)
				continue;
			q->tags[t].st = T_ABORTED;
			s->stats.aborts++;
			post(s, q->ring_fd, q->tags[t].ud, UBLK_IO_RES_ABORT);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
}

void ublk_sim_stats(struct ublk_sim *s, struct ublk_sim_stats *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->stats;
	pthread_mutex_unlock(&s->lock);
}

void ublk_sim_destroy(struct ublk_sim *s)
{
	if (!s)
		return;
	g_sim = NULL;
	io_uring_queue_exit(&s->msg);
	close(s->cdev);
	for (unsigned i = 0; i < s->cfg.nr_queues; i++)
		free(s->qs[i].tags);
	free(s->qs);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
