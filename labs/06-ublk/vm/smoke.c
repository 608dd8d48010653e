// vm/smoke.c - the VM back end's smoke test: a minimal ublk loop server
// and a data checker in one static program.
//
// It runs inside the guest (vm/guest-smoke.sh) against the real ublk_drv:
//
//   control  ADD_DEV, SET_PARAMS, START_DEV, STOP_DEV, DEL_DEV on
//            /dev/ublk-control through a 128-byte-SQE io_uring; the
//            ioctl-encoded opcodes first, the legacy ones as a fallback;
//   queue    one thread, one queue: FETCH every tag, then serve each
//            request with io_uring on a backing file and COMMIT_AND_FETCH;
//   checker  O_DIRECT writes and reads of random offsets and sizes through
//            /dev/ublkbN from several threads against a shadow copy, then
//            the whole device and the backing file against the same shadow;
//   --exec   a command run while the device is up (the guest script uses
//            it to make and mount a filesystem).
//
// It prints "VM-RESULT: ..." lines and exits 0 only if every check held.
// Usage: smoke [--size MiB] [--ios N] [--backing FILE] [--exec CMD]
//              [--legacy 1]   (legacy opcodes only, to test that path)
//              [--jobs N]     (checker threads, default 4)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>      // _IOR/_IOWR for the uapi header
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/ublk_cmd.h"

#define QUEUE_DEPTH   32
#define IO_BUF_BYTES  (512u << 10)   // per tag; also the device's max I/O
#define SECTOR_SHIFT  9

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("smoke: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);   // the console log is all the host gets
	va_end(ap);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Control path                                                        */
/* ------------------------------------------------------------------ */

struct ctrl {
	struct io_uring ring;       // IORING_SETUP_SQE128: ublksrv_ctrl_cmd is 32 B
	int fd;                     // /dev/ublk-control
	bool ioctl_encoded;         // which opcode family the driver took
	struct ublksrv_ctrl_dev_info info;
};

// One control command, synchronously.  Returns the CQE result (>= 0 or
// -errno).  legacy and encoded are the two spellings of the same command.
static int ctrl_cmd(struct ctrl *c, unsigned legacy, unsigned encoded,
		    void *buf, unsigned len, uint64_t data0)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
	struct io_uring_cqe *cqe;
	struct ublksrv_ctrl_cmd *cmd;
	int ret;

	if (!sqe)   // one command at a time: the ring is never full
		return -EBUSY;
	memset(sqe, 0, 2 * sizeof(*sqe));   // a 128-byte SQE is two slots
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = c->fd;
	sqe->cmd_op = c->ioctl_encoded ? encoded : legacy;
	cmd = (struct ublksrv_ctrl_cmd *)sqe->cmd;
	cmd->dev_id = c->info.dev_id;
	cmd->queue_id = (uint16_t)-1;       // not a per-queue command
	cmd->addr = (uint64_t)(uintptr_t)buf;
	cmd->len = (uint16_t)len;
	cmd->data[0] = data0;

	ret = io_uring_submit_and_wait(&c->ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(&c->ring, &cqe);
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

// ADD_DEV picks the opcode family for every later command.  Older
// kernels (6.1, bookworm's own) know only the legacy opcodes and refuse
// the ioctl-encoded ones with -EOPNOTSUPP or -EINVAL; newer ones may be
// built without the legacy ones.  So: ioctl encoding first, then once
// the legacy opcode.
static int ctrl_add_dev(struct ctrl *c)
{
	int ret;

	c->info.nr_hw_queues = 1;
	c->info.queue_depth = QUEUE_DEPTH;
	c->info.max_io_buf_bytes = IO_BUF_BYTES;
	c->info.dev_id = (uint32_t)-1;      // let the driver choose
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
	p.types = UBLK_PARAM_TYPE_BASIC;
	// A volatile cache makes the block layer send FLUSH, which the
	// target turns into fdatasync.
	p.basic.attrs = UBLK_ATTR_VOLATILE_CACHE;
	p.basic.logical_bs_shift = 9;
	p.basic.physical_bs_shift = 12;
	p.basic.io_opt_shift = 12;
	p.basic.io_min_shift = 9;
	p.basic.max_sectors = c->info.max_io_buf_bytes >> SECTOR_SHIFT;
	p.basic.dev_sectors = dev_bytes >> SECTOR_SHIFT;

	ret = ctrl_cmd(c, UBLK_CMD_SET_PARAMS, UBLK_U_CMD_SET_PARAMS,
		       &p, sizeof(p), 0);
	if (ret < 0)
		say("SET_PARAMS: %s", strerror(-ret));
	return ret;
}

/* ------------------------------------------------------------------ */
/* Queue: one thread serving every request of queue 0                  */
/* ------------------------------------------------------------------ */

// user_data says which tag a CQE belongs to and what it completes.
enum { UD_CMD = 1, UD_TGT = 2, UD_QUIT = 3 };
#define UD(kind, tag)  (((uint64_t)(kind) << 16) | (tag))
#define UD_KIND(ud)    ((unsigned)((ud) >> 16))
#define UD_TAG(ud)     ((unsigned)((ud) & 0xffff))

struct queue {
	const struct ctrl *ctrl;
	int cdev;                   // /dev/ublkcN
	int backing;                // the loop target's file
	const struct ublksrv_io_desc *iods;   // read-only, shared with driver
	size_t iods_len;
	char *bufs;                 // depth x max_io_buf_bytes, page aligned
	struct io_uring ring;
	unsigned live;              // tags still owned by the driver or us
	unsigned busy, max_busy;    // requests the server holds: now, peak
	unsigned long served;
	int error;                  // first fatal error, for the report
};

// An SQE from the queue's ring.  The ring has room for a command and a
// target I/O per tag, so it is full only if SQEs were prepared and not
// yet submitted: submit them and take the freed slot.
static struct io_uring_sqe *queue_sqe(struct queue *q)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(&q->ring)))
		io_uring_submit(&q->ring);
	return sqe;
}

static char *tag_buf(struct queue *q, unsigned tag)
{
	return q->bufs + (size_t)tag * q->ctrl->info.max_io_buf_bytes;
}

// Queue a FETCH (first time) or COMMIT_AND_FETCH (result of the last
// request on the tag) for one tag.  Nothing is submitted here: the loop
// submits everything queued in one system call.
static void queue_io_cmd(struct queue *q, unsigned tag, bool commit, int res)
{
	struct io_uring_sqe *sqe = queue_sqe(q);
	struct ublksrv_io_cmd *cmd;
	bool enc = q->ctrl->ioctl_encoded;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = q->cdev;
	if (commit)
		sqe->cmd_op = enc ? UBLK_U_IO_COMMIT_AND_FETCH_REQ
				  : UBLK_IO_COMMIT_AND_FETCH_REQ;
	else
		sqe->cmd_op = enc ? UBLK_U_IO_FETCH_REQ : UBLK_IO_FETCH_REQ;
	sqe->user_data = UD(UD_CMD, tag);
	cmd = (struct ublksrv_io_cmd *)sqe->cmd;
	cmd->q_id = 0;
	cmd->tag = (uint16_t)tag;
	cmd->result = res;
	cmd->addr = (uint64_t)(uintptr_t)tag_buf(q, tag);
}

// Start the target I/O for a request the driver just handed us.  Returns
// false when the operation is not supported: the caller commits an error.
static bool queue_start_target(struct queue *q, unsigned tag)
{
	const struct ublksrv_io_desc *iod = &q->iods[tag];
	unsigned len = iod->nr_sectors << SECTOR_SHIFT;
	off_t off = (off_t)iod->start_sector << SECTOR_SHIFT;
	struct io_uring_sqe *sqe;

	switch (ublksrv_get_op(iod)) {
	case UBLK_IO_OP_READ:
		sqe = queue_sqe(q);
		io_uring_prep_read(sqe, q->backing, tag_buf(q, tag), len, off);
		break;
	case UBLK_IO_OP_WRITE:
		sqe = queue_sqe(q);
		io_uring_prep_write(sqe, q->backing, tag_buf(q, tag), len, off);
		break;
	case UBLK_IO_OP_FLUSH:
		sqe = queue_sqe(q);
		io_uring_prep_fsync(sqe, q->backing, IORING_FSYNC_DATASYNC);
		break;
	default:
		return false;
	}
	sqe->user_data = UD(UD_TGT, tag);
	return true;
}

// A CQE of a FETCH / COMMIT_AND_FETCH: a new request, or the end.
static void queue_on_cmd(struct queue *q, unsigned tag, int res)
{
	if (res == UBLK_IO_RES_OK) {
		if (++q->busy > q->max_busy)
			q->max_busy = q->busy;
		if (!queue_start_target(q, tag)) {
			q->busy--;
			queue_io_cmd(q, tag, true, -EOPNOTSUPP);
		}
		return;
	}
	// UBLK_IO_RES_ABORT: the device is stopping and the tag is gone for
	// good; issuing FETCH again would be refused.  Anything else is a
	// protocol error on our side.
	if (res != UBLK_IO_RES_ABORT && !q->error) {
		q->error = res;
		say("queue: tag %u: command failed: %s", tag, strerror(-res));
	}
	q->live--;
}

static void *queue_thread(void *arg)
{
	struct queue *q = arg;
	struct io_uring_cqe *cqe;
	unsigned head, seen;
	int ret;

	for (unsigned tag = 0; tag < q->ctrl->info.queue_depth; tag++)
		queue_io_cmd(q, tag, false, 0);
	q->live = q->ctrl->info.queue_depth;

	while (q->live > 0) {
		ret = io_uring_submit_and_wait(&q->ring, 1);
		if (ret < 0 && ret != -EINTR) {
			say("queue: io_uring_submit_and_wait: %s", strerror(-ret));
			q->error = ret;
			break;
		}
		seen = 0;
		io_uring_for_each_cqe(&q->ring, head, cqe) {
			unsigned tag = UD_TAG(cqe->user_data);

			if (UD_KIND(cqe->user_data) == UD_CMD) {
				queue_on_cmd(q, tag, cqe->res);
			} else if (UD_KIND(cqe->user_data) == UD_QUIT) {
				// Told to go without a STOP_DEV (START_DEV
				// failed): closing the ring cancels the
				// fetches the driver still holds.
				q->live = 0;
			} else {
				// Target I/O done: its result (bytes or
				// -errno) is the request's result.
				q->served++;
				q->busy--;
				queue_io_cmd(q, tag, true, cqe->res);
			}
			seen++;
		}
		io_uring_cq_advance(&q->ring, seen);
	}
	return NULL;
}

// DEL_DEV waits until nobody holds /dev/ublkcN, so everything here must
// be released before it.  Also undoes a queue_open() that failed halfway.
static void queue_close(struct queue *q)
{
	if (q->ring.ring_fd >= 0)
		io_uring_queue_exit(&q->ring);
	if (q->bufs != MAP_FAILED)
		munmap(q->bufs, (size_t)q->ctrl->info.queue_depth *
				q->ctrl->info.max_io_buf_bytes);
	if (q->iods != MAP_FAILED)
		munmap((void *)q->iods, q->iods_len);
	close(q->cdev);
	q->cdev = -1;
}

static int queue_open(struct queue *q, const struct ctrl *c, int backing)
{
	size_t depth = c->info.queue_depth, pg = (size_t)getpagesize();
	char path[64];
	int ret;

	memset(q, 0, sizeof(*q));
	q->ctrl = c;
	q->backing = backing;
	q->iods = MAP_FAILED;
	q->bufs = MAP_FAILED;
	q->ring.ring_fd = -1;
	snprintf(path, sizeof(path), "/dev/ublkc%u", c->info.dev_id);
	q->cdev = open(path, O_RDWR | O_CLOEXEC);
	if (q->cdev < 0) {
		say("open %s: %s", path, strerror(errno));
		return -1;
	}
	// Queue 0's descriptors are at offset 0; the driver rejects
	// writable mappings and any length but the rounded-up array.
	q->iods_len = (depth * sizeof(struct ublksrv_io_desc) + pg - 1) & ~(pg - 1);
	q->iods = mmap(NULL, q->iods_len, PROT_READ, MAP_SHARED | MAP_POPULATE,
		       q->cdev, UBLKSRV_CMD_BUF_OFFSET);
	if (q->iods == MAP_FAILED) {
		say("mmap io descriptors: %s", strerror(errno));
		goto fail;
	}
	q->bufs = mmap(NULL, depth * c->info.max_io_buf_bytes,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q->bufs == MAP_FAILED) {
		say("mmap io buffers: %s", strerror(errno));
		goto fail;
	}
	// Room for a command and a target I/O per tag.
	ret = io_uring_queue_init((unsigned)depth * 2, &q->ring, 0);
	if (ret < 0) {
		say("queue ring: %s", strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	queue_close(q);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Checker: random O_DIRECT I/O through /dev/ublkbN against a shadow   */
/* ------------------------------------------------------------------ */

#define MAX_JOBS 16

// xorshift64*: reproducible, cheap under TCG, good enough for test data.
static uint64_t rng(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

// The checker's jobs run in parallel so that the server holds several
// requests at once.  Each owns a disjoint slice of the device, so the
// shadow (what the device must hold) needs no lock.
struct job {
	int fd;                     // /dev/ublkbN, O_DIRECT, shared
	char *shadow;               // the whole device's; we touch our slice
	uint64_t base, size;        // our slice
	unsigned ios;               // how many to do
	uint64_t rng;
	char *buf;                  // O_DIRECT needs aligned memory
	unsigned long done, bytes;
	int failed;
	pthread_t th;
};

static int full_io(bool wr, int fd, char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = wr ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

// One random write or read of 512 B .. 256 KiB at a 512-byte boundary.
static int check_one(struct job *j)
{
	size_t len = (size_t)(1 + rng(&j->rng) % 512) << SECTOR_SHIFT;
	uint64_t slots = ((j->size - len) >> SECTOR_SHIFT) + 1;
	uint64_t off = j->base + ((rng(&j->rng) % slots) << SECTOR_SHIFT);
	bool wr = rng(&j->rng) & 1;
	int ret;

	if (wr) {
		for (size_t i = 0; i < len; i += 8) {
			uint64_t v = rng(&j->rng);
			memcpy(j->buf + i, &v, 8);
		}
		ret = full_io(true, j->fd, j->buf, len, (off_t)off);
		if (ret == 0)
			memcpy(j->shadow + off, j->buf, len);
	} else {
		ret = full_io(false, j->fd, j->buf, len, (off_t)off);
		if (ret == 0 && memcmp(j->shadow + off, j->buf, len) != 0) {
			say("MISMATCH: read of %zu bytes at %" PRIu64, len, off);
			return -1;
		}
	}
	if (ret < 0) {
		say("%s of %zu bytes at %" PRIu64 ": %s", wr ? "write" : "read",
		    len, off, strerror(-ret));
		return -1;
	}
	j->done++;
	j->bytes += len;
	return 0;
}

static void *job_thread(void *arg)
{
	struct job *j = arg;

	for (unsigned i = 0; i < j->ios && !j->failed; i++)
		j->failed = check_one(j) < 0;
	return NULL;
}

// Compare a whole file (the device or the backing file) with the shadow.
static int check_whole(int fd, const char *what, const char *shadow,
		       uint64_t size, char *buf)
{
	const size_t chunk = 256 << 10;

	for (uint64_t off = 0; off < size; off += chunk) {
		if (full_io(false, fd, buf, chunk, (off_t)off) < 0 ||
		    memcmp(buf, shadow + off, chunk) != 0) {
			say("MISMATCH: %s differs from the shadow in the 256 KiB "
			    "at %" PRIu64, what, off);
			return -1;
		}
	}
	return 0;
}

// Start the jobs on slices of the device; returns how many started.
static unsigned start_jobs(struct job *jobs, unsigned n, int fd, char *shadow,
			   uint64_t size, unsigned ios)
{
	uint64_t slice = (size / n) & ~(uint64_t)((1 << 20) - 1);

	for (unsigned i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		*j = (struct job){ .fd = fd, .shadow = shadow, .size = slice,
				   .base = i * slice, .ios = ios / n + (i < ios % n),
				   .rng = 0x9e3779b97f4a7c15ull * (i + 1) };
		if (posix_memalign((void **)&j->buf, 4096, 256 << 10) != 0 ||
		    pthread_create(&j->th, NULL, job_thread, j) != 0) {
			free(j->buf);
			return i;
		}
	}
	return n;
}

// Joins the jobs; returns how many failed, and adds up their work.
static unsigned join_jobs(struct job *jobs, unsigned n, unsigned long *ios,
			  unsigned long *bytes)
{
	unsigned failed = 0;

	for (unsigned i = 0; i < n; i++) {
		pthread_join(jobs[i].th, NULL);
		failed += jobs[i].failed != 0;
		*ios += jobs[i].done;
		*bytes += jobs[i].bytes;
		free(jobs[i].buf);
	}
	return failed;
}

static int run_checker(const char *dev, int backing, uint64_t size,
		       unsigned ios, unsigned njobs)
{
	struct job jobs[MAX_JOBS];
	unsigned long done = 0, bytes = 0;
	double t0 = now_s();
	char *shadow = calloc(1, size);   // the backing file starts all zeroes
	char *buf = NULL;
	int fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	int ret = -1;
	unsigned started;

	if (fd < 0 || !shadow || posix_memalign((void **)&buf, 4096, 256 << 10)) {
		say("checker setup (%s): %s", dev, strerror(errno));
		goto out;
	}
	started = start_jobs(jobs, njobs, fd, shadow, size, ios);
	if (join_jobs(jobs, started, &done, &bytes) > 0 || started < njobs)
		goto out;
	if (fsync(fd) < 0) {              // a FLUSH through the driver
		say("fsync %s: %s", dev, strerror(errno));
		goto out;
	}
	if (check_whole(fd, dev, shadow, size, buf) < 0 ||
	    check_whole(backing, "backing file", shadow, size, buf) < 0)
		goto out;
	printf("VM-RESULT: data ios=%lu bytes=%lu jobs=%u seconds=%.2f; whole "
	       "device and backing file match\n", done, bytes, njobs, now_s() - t0);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(shadow);
	free(buf);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Main: control sequence around the queue thread and the checker       */
/* ------------------------------------------------------------------ */

struct opts {
	uint64_t size;
	unsigned ios;
	const char *backing;
	const char *exec;
	bool legacy;
	unsigned jobs;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	o->size = 64ull << 20;
	o->ios = 2000;
	o->backing = "/tmp/backing.img";
	o->exec = NULL;
	o->legacy = false;
	o->jobs = 4;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--size"))
			o->size = strtoull(argv[i + 1], NULL, 0) << 20;
		else if (!strcmp(argv[i], "--ios"))
			o->ios = (unsigned)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--backing"))
			o->backing = argv[i + 1];
		else if (!strcmp(argv[i], "--exec"))
			o->exec = argv[i + 1];
		else if (!strcmp(argv[i], "--jobs"))
			o->jobs = (unsigned)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--legacy"))
			o->legacy = strtoul(argv[i + 1], NULL, 0) != 0;
		else
			return -1;
	}
	// Each job's slice is a whole number of MiB.
	return (argc % 2 == 1 && o->jobs >= 1 && o->jobs <= MAX_JOBS &&
		o->size >= o->jobs << 20) ? 0 : -1;
}

// Everything between START_DEV and STOP_DEV: the checks on the live device.
static int exercise(const struct ctrl *c, const struct opts *o, int backing)
{
	char dev[64];
	int ret;

	snprintf(dev, sizeof(dev), "/dev/ublkb%u", c->info.dev_id);
	if (run_checker(dev, backing, o->size, o->ios, o->jobs) < 0)
		return -1;
	if (o->exec) {
		setenv("UBLK_DEV", dev, 1);
		ret = system(o->exec);
		printf("VM-RESULT: exec '%s' status %d\n", o->exec, ret);
		if (ret != 0)
			return -1;
	}
	return 0;
}

// Wake the queue thread out of its wait and tell it to leave, for when
// there will be no STOP_DEV to abort its fetches: a message from the
// control ring lands in the queue ring as a CQE the loop recognises.
static void queue_kick(struct ctrl *c, const struct queue *q)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
	struct io_uring_cqe *cqe;

	if (!sqe)
		return;
	memset(sqe, 0, 2 * sizeof(*sqe));
	io_uring_prep_msg_ring(sqe, q->ring.ring_fd, 0, UD(UD_QUIT, 0), 0);
	if (io_uring_submit_and_wait(&c->ring, 1) >= 0 &&
	    io_uring_wait_cqe(&c->ring, &cqe) == 0)
		io_uring_cqe_seen(&c->ring, cqe);
}

// ADD_DEV .. DEL_DEV; returns 0 when every step and check succeeded.
static int run(struct ctrl *c, const struct opts *o, int backing)
{
	struct queue q;
	pthread_t th;
	int ret, failed = 0;
	double t0 = now_s();

	if (ctrl_add_dev(c) < 0)
		return -1;
	if (ctrl_set_params(c, o->size) < 0 || queue_open(&q, c, backing) < 0)
		goto del;
	if (pthread_create(&th, NULL, queue_thread, &q) != 0) {
		queue_close(&q);
		goto del;
	}
	// START_DEV waits in the driver until the queue thread has fetched
	// every tag, then adds the disk; the partition scan's reads are
	// served by the queue thread meanwhile.
	ret = ctrl_cmd(c, UBLK_CMD_START_DEV, UBLK_U_CMD_START_DEV, NULL, 0,
		       (uint64_t)getpid());
	if (ret < 0) {
		say("START_DEV: %s", strerror(-ret));
		failed = 1;
		queue_kick(c, &q);
	} else {
		printf("VM-RESULT: device up in %.3f s\n", now_s() - t0);
		failed = exercise(c, o, backing) < 0;
		ret = ctrl_cmd(c, UBLK_CMD_STOP_DEV, UBLK_U_CMD_STOP_DEV,
			       NULL, 0, 0);
		if (ret < 0) {
			say("STOP_DEV: %s", strerror(-ret));
			failed = 1;
			queue_kick(c, &q);
		}
	}
	pthread_join(th, NULL);   // returns once every tag was aborted
	failed |= q.error != 0;
	printf("VM-RESULT: queue served %lu requests, at most %u at once\n",
	       q.served, q.max_busy);
	queue_close(&q);
del:
	ret = ctrl_cmd(c, UBLK_CMD_DEL_DEV, UBLK_U_CMD_DEL_DEV, NULL, 0, 0);
	if (ret < 0) {
		say("DEL_DEV: %s", strerror(-ret));
		return -1;
	}
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct ctrl c;
	int backing, ret;

	if (parse_opts(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: %s [--size MiB] [--ios N] [--backing FILE] "
			"[--exec CMD] [--legacy 0|1] [--jobs N]\n", argv[0]);
		return 2;
	}
	backing = open(o.backing, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (backing < 0 || ftruncate(backing, (off_t)o.size) < 0) {
		say("backing file %s: %s", o.backing, strerror(errno));
		return 1;
	}
	if (ctrl_open(&c, o.legacy) < 0)
		return 1;
	ret = run(&c, &o, backing);
	ctrl_close(&c);
	close(backing);
	printf("VM-RESULT: smoke %s\n", ret == 0 ? "passed" : "FAILED");
	return ret == 0 ? 0 : 1;
}
