/*
 * server/server.c - the given part of the ublk loop server: the control
 * path, the queues' memory, main().  The queue loop (src/queue.c) and
 * the target (src/target.c) are the student's; this file calls
 * ublk_queue_loop() on one thread per queue.
 *
 *   ADD_DEV, SET_PARAMS on /dev/ublk-control (128-byte SQEs); the
 *   ioctl-encoded opcodes first, the legacy ones as a fallback;
 *   per queue: /dev/ublkcN, the io descriptors mapped read-only, the
 *   buffers, a ring of 2 * depth entries, and a thread in the loop;
 *   START_DEV (the driver waits for every queue's fetches), then
 *   "ready" (--ready FILE gets the block device's path) and wait for
 *   SIGTERM or SIGINT; then STOP_DEV (the loops see their tags abort and
 *   return), close everything, DEL_DEV.
 *
 * Usage: ublk-server --backing FILE [--size MiB] [--queues N]
 *                    [--depth N] [--legacy 1] [--ready FILE]
 * Exit 0 when every step succeeded and no loop reported an error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "uapi/ublk_cmd.h"
#include "ublk_queue.h"
#include "ublk_target.h"

#define MAX_QUEUES    16
#define IO_BUF_BYTES  (512u << 10)   /* per tag; also the device's max I/O */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ublk-server: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------- control path ---------------- */

struct ctrl {
	struct io_uring ring;
	int fd;
	bool ioctl_encoded;
	struct ublksrv_ctrl_dev_info info;
};

static int ctrl_cmd(struct ctrl *c, unsigned legacy, unsigned encoded,
		    void *buf, unsigned len, uint64_t data0)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
	struct io_uring_cqe *cqe;
	struct ublksrv_ctrl_cmd *cmd;
	int ret;

	if (!sqe)
		return -EBUSY;
	memset(sqe, 0, 2 * sizeof(*sqe));   /* SQE128: two slots */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = c->fd;
	sqe->cmd_op = c->ioctl_encoded ? encoded : legacy;
	cmd = (struct ublksrv_ctrl_cmd *)sqe->cmd;
	cmd->dev_id = c->info.dev_id;
	cmd->queue_id = (uint16_t)-1;
	cmd->addr = (uint64_t)(uintptr_t)buf;
	cmd->len = (uint16_t)len;
	cmd->data[0] = data0;
	do
		ret = io_uring_submit_and_wait(&c->ring, 1);
	while (ret == -EINTR);
	if (ret < 0)
		return ret;
	do
		ret = io_uring_wait_cqe(&c->ring, &cqe);
	while (ret == -EINTR);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(&c->ring, cqe);
	return ret;
}

static int ctrl_open(struct ctrl *c, bool legacy)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = open("/dev/ublk-control", O_RDWR | O_CLOEXEC);
	if (c->fd < 0) {
		say("open /dev/ublk-control: %s", strerror(errno));
		return -1;
	}
	ret = io_uring_queue_init(4, &c->ring, IORING_SETUP_SQE128);
	if (ret < 0) {
		say("control ring: %s", strerror(-ret));
		close(c->fd);
		return -1;
	}
	c->ioctl_encoded = !legacy;
	return 0;
}

static void ctrl_close(struct ctrl *c)
{
	io_uring_queue_exit(&c->ring);
	close(c->fd);
}

static int ctrl_add_dev(struct ctrl *c, unsigned queues, unsigned depth)
{
	int ret;

	c->info.nr_hw_queues = (uint16_t)queues;
	c->info.queue_depth = (uint16_t)depth;
	c->info.max_io_buf_bytes = IO_BUF_BYTES;
	c->info.dev_id = (uint32_t)-1;
	c->info.ublksrv_pid = getpid();
	c->info.flags = 0;
	ret = ctrl_cmd(c, UBLK_CMD_ADD_DEV, UBLK_U_CMD_ADD_DEV,
		       &c->info, sizeof(c->info), 0);
	if (c->ioctl_encoded && (ret == -EOPNOTSUPP || ret == -EINVAL)) {
		say("ADD_DEV (ioctl-encoded): %s; trying the legacy opcode",
		    strerror(-ret));
		c->ioctl_encoded = false;
		c->info.dev_id = (uint32_t)-1;
		ret = ctrl_cmd(c, UBLK_CMD_ADD_DEV, UBLK_U_CMD_ADD_DEV,
			       &c->info, sizeof(c->info), 0);
	}
	if (ret < 0)
		say("ADD_DEV: %s", strerror(-ret));
	else
		say("ADD_DEV: dev %u, %u queue(s) x %u tags, %u-byte buffers, "
		    "%s opcodes", c->info.dev_id, c->info.nr_hw_queues,
		    c->info.queue_depth, c->info.max_io_buf_bytes,
		    c->ioctl_encoded ? "ioctl-encoded" : "legacy");
	return ret;
}

static int ctrl_set_params(struct ctrl *c, uint64_t dev_bytes)
{
	struct ublk_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	p.len = sizeof(p);
	p.types = UBLK_PARAM_TYPE_BASIC | UBLK_PARAM_TYPE_DISCARD;
	/* A volatile cache makes the block layer send FLUSH; FUA lets it
	 * send FUA writes instead of write + flush. */
	p.basic.attrs = UBLK_ATTR_VOLATILE_CACHE | UBLK_ATTR_FUA;
	p.basic.logical_bs_shift = 9;
	p.basic.physical_bs_shift = 12;
	p.basic.io_opt_shift = 12;
	p.basic.io_min_shift = 9;
	p.basic.max_sectors = c->info.max_io_buf_bytes >> 9;
	p.basic.dev_sectors = dev_bytes >> 9;
	p.discard.discard_granularity = 4096;
	p.discard.max_discard_sectors = UINT32_MAX >> 9;
	p.discard.max_write_zeroes_sectors = UINT32_MAX >> 9;
	p.discard.max_discard_segments = 1;
	ret = ctrl_cmd(c, UBLK_CMD_SET_PARAMS, UBLK_U_CMD_SET_PARAMS,
		       &p, sizeof(p), 0);
	if (ret < 0)
		say("SET_PARAMS: %s", strerror(-ret));
	return ret;
}

/* ---------------- queues ---------------- */

struct qslot {
	struct ublk_queue q;
	size_t iods_len;
	pthread_t th;
	bool running;
	int ret;
};

/* Leaves q->cdev_fd open: the queues share it (see serve()). */
static void queue_close(struct qslot *s)
{
	struct ublk_queue *q = &s->q;

	if (q->ring.ring_fd >= 0)
		io_uring_queue_exit(&q->ring);
	if (q->bufs != MAP_FAILED)
		munmap(q->bufs, (size_t)q->depth * q->max_io_bytes);
	if (q->iods != MAP_FAILED)
		munmap((void *)q->iods, s->iods_len);
	q->ring.ring_fd = -1;
	q->bufs = MAP_FAILED;
	q->iods = MAP_FAILED;
}

static int queue_open(struct qslot *s, const struct ctrl *c, int cdev,
		      unsigned q_id, struct ublk_target *tgt)
{
	struct ublk_queue *q = &s->q;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t stride = (UBLK_MAX_QUEUE_DEPTH *
			 sizeof(struct ublksrv_io_desc) + pg - 1) & ~(pg - 1);
	int ret;

	memset(s, 0, sizeof(*s));
	q->q_id = q_id;
	q->depth = c->info.queue_depth;
	q->max_io_bytes = c->info.max_io_buf_bytes;
	q->ioctl_encoded = c->ioctl_encoded;
	q->tgt = tgt;
	q->iods = MAP_FAILED;
	q->bufs = MAP_FAILED;
	q->ring.ring_fd = -1;
	q->cdev_fd = cdev;
	/* Queue q's descriptors sit at q * (the largest queue's array,
	 * page rounded); the driver wants a read-only mapping of exactly
	 * this queue's array, page rounded. */
	s->iods_len = (q->depth * sizeof(struct ublksrv_io_desc) + pg - 1) &
		      ~(pg - 1);
	q->iods = mmap(NULL, s->iods_len, PROT_READ, MAP_SHARED | MAP_POPULATE,
		       q->cdev_fd, (off_t)(UBLKSRV_CMD_BUF_OFFSET + q_id * stride));
	if (q->iods == MAP_FAILED) {
		say("mmap io descriptors of queue %u: %s", q_id, strerror(errno));
		goto fail;
	}
	q->bufs = mmap(NULL, (size_t)q->depth * q->max_io_bytes,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q->bufs == MAP_FAILED) {
		say("mmap io buffers: %s", strerror(errno));
		goto fail;
	}
	ret = io_uring_queue_init(2 * q->depth, &q->ring, 0);
	if (ret < 0) {
		say("queue ring: %s", strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	queue_close(s);
	return -1;
}

static void *queue_thread(void *arg)
{
	struct qslot *s = arg;

	s->ret = ublk_queue_loop(&s->q);
	return NULL;
}

/* Post UBLK_UD_QUIT into a queue's ring: for when no STOP_DEV will abort
 * its fetches. */
static void queue_kick(struct ctrl *c, struct qslot *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
	struct io_uring_cqe *cqe;

	if (!sqe)
		return;
	memset(sqe, 0, 2 * sizeof(*sqe));
	io_uring_prep_msg_ring(sqe, s->q.ring.ring_fd, 0, UBLK_UD_QUIT, 0);
	if (io_uring_submit_and_wait(&c->ring, 1) >= 0 &&
	    io_uring_wait_cqe(&c->ring, &cqe) == 0)
		io_uring_cqe_seen(&c->ring, cqe);
}

/* ---------------- main ---------------- */

struct opts {
	uint64_t size;
	const char *backing, *ready;
	unsigned queues, depth;
	bool legacy;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .size = 64ull << 20, .queues = 1, .depth = 32 };
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *v = argv[i + 1];

		if (!strcmp(argv[i], "--size"))
			o->size = strtoull(v, NULL, 0) << 20;
		else if (!strcmp(argv[i], "--backing"))
			o->backing = v;
		else if (!strcmp(argv[i], "--ready"))
			o->ready = v;
		else if (!strcmp(argv[i], "--queues"))
			o->queues = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--depth"))
			o->depth = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--legacy"))
			o->legacy = strtoul(v, NULL, 0) != 0;
		else
			return -1;
	}
	return (argc % 2 == 1 && o->backing && o->size > 0 &&
		o->queues >= 1 && o->queues <= MAX_QUEUES &&
		o->depth >= 1 && o->depth <= 4096) ? 0 : -1;
}

static int write_ready(const char *path, unsigned dev_id)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "/dev/ublkb%u\n", dev_id);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);   /* whoever polls sees all or nothing */
}

static int serve(struct ctrl *c, const struct opts *o, struct ublk_target *tgt,
		 const sigset_t *stop)
{
	static struct qslot qs[MAX_QUEUES];
	unsigned opened = 0, nq;
	int ret, sig, failed = 0, cdev;
	char path[64];
	double t0 = now_s();

	if (ctrl_add_dev(c, o->queues, o->depth) < 0)
		return -1;
	if (ctrl_set_params(c, o->size) < 0) {
		failed = 1;
		goto del;
	}
	/* The driver lets one process open /dev/ublkcN once (-EBUSY after):
	 * every queue uses this descriptor.  It may have given us fewer
	 * queues than asked (at most one per CPU). */
	snprintf(path, sizeof(path), "/dev/ublkc%u", c->info.dev_id);
	cdev = open(path, O_RDWR | O_CLOEXEC);
	if (cdev < 0) {
		say("open %s: %s", path, strerror(errno));
		failed = 1;
		goto del;
	}
	nq = c->info.nr_hw_queues;
	for (; opened < nq; opened++) {
		if (queue_open(&qs[opened], c, cdev, opened, tgt) < 0)
			break;
		if (pthread_create(&qs[opened].th, NULL, queue_thread,
				   &qs[opened]) != 0) {
			queue_close(&qs[opened]);
			break;
		}
		qs[opened].running = true;
	}
	if (opened < nq) {
		failed = 1;
		goto down;
	}
	ret = ctrl_cmd(c, UBLK_CMD_START_DEV, UBLK_U_CMD_START_DEV, NULL, 0,
		       (uint64_t)getpid());
	if (ret < 0) {
		say("START_DEV: %s", strerror(-ret));
		failed = 1;
		goto down;
	}
	say("device /dev/ublkb%u up in %.3f s", c->info.dev_id, now_s() - t0);
	if (o->ready && write_ready(o->ready, c->info.dev_id) < 0) {
		say("--ready %s: %s", o->ready, strerror(errno));
		failed = 1;
	} else {
		sigwait(stop, &sig);
		say("signal %d: stopping", sig);
	}
	ret = ctrl_cmd(c, UBLK_CMD_STOP_DEV, UBLK_U_CMD_STOP_DEV, NULL, 0, 0);
	if (ret < 0) {
		say("STOP_DEV: %s", strerror(-ret));
		failed = 1;
		goto down;
	}
	goto join;
down:
	for (unsigned i = 0; i < opened; i++)
		queue_kick(c, &qs[i]);
join:
	for (unsigned i = 0; i < opened; i++) {
		struct ublk_queue *q = &qs[i].q;

		pthread_join(qs[i].th, NULL);
		printf("VM-RESULT: queue %u served %lu requests, at most %u at "
		       "once, loop returned %d, error %d\n", i, q->served,
		       q->max_busy, qs[i].ret, q->error);
		failed |= qs[i].ret != 0 || q->error != 0;
		queue_close(&qs[i]);
	}
	close(cdev);   /* DEL_DEV waits until nobody holds it */
del:
	ret = ctrl_cmd(c, UBLK_CMD_DEL_DEV, UBLK_U_CMD_DEL_DEV, NULL, 0, 0);
	if (ret < 0) {
		say("DEL_DEV: %s", strerror(-ret));
		failed = 1;
	}
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct ublk_target tgt;
	struct opts o;
	struct ctrl c;
	struct stat st;
	sigset_t stop;
	int ret;

	if (parse_opts(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: %s --backing FILE [--size MiB] "
			"[--queues N] [--depth N] [--legacy 0|1] [--ready FILE]\n",
			argv[0]);
		return 2;
	}
	/* Every thread inherits the mask: only sigwait() takes the signal. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	tgt.fd = open(o.backing, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (tgt.fd < 0 || fstat(tgt.fd, &st) < 0 ||
	    ((uint64_t)st.st_size < o.size &&
	     ftruncate(tgt.fd, (off_t)o.size) < 0)) {
		say("backing file %s: %s", o.backing, strerror(errno));
		return 1;
	}
	tgt.size = o.size;
	if (ctrl_open(&c, o.legacy) < 0)
		return 1;
	ret = serve(&c, &o, &tgt, &stop);
	ctrl_close(&c);
	close(tgt.fd);
	printf("VM-RESULT: server %s\n", ret == 0 ? "stopped cleanly" : "FAILED");
	return ret == 0 ? 0 : 1;
}
