/*
 * sim/sim_demo.c - the simulator end to end, before the graded tests
 * exist: SRC's queue loop and target on a simulated device (2 queues x
 * 32 tags), random reads and writes from 8 threads against a shadow,
 * flushes, discards, write-zeroes, two rule breaches (a FETCH from a
 * foreign thread, a COMMIT_AND_FETCH with a bad q_id),
 * then STOP and the loops' exit.  Exit 0 when everything held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ublk_sim.h"

#define NQ      2
#define DEPTH   32
#define DEV     (32u << 20)
#define JOBS    8
#define IOS     4000

static struct ublk_sim *sim;
static char *shadow;

struct job { unsigned id; int failed; unsigned long done; };

static uint64_t rng(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dull;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	uint64_t x = 0x9e3779b97f4a7c15ull * (j->id + 1);
	uint64_t slice = DEV / JOBS, base = j->id * slice;
	char *buf = malloc(256 << 10);

	for (unsigned i = 0; i < IOS / JOBS && buf; i++) {
		unsigned nsec = 1 + (unsigned)(rng(&x) % 512);
		uint64_t sec = (base >> 9) + rng(&x) % ((slice >> 9) - nsec + 1);
		unsigned kind = (unsigned)(rng(&x) % 16), q = (unsigned)(rng(&x) % NQ);
		char *sh = shadow + (sec << 9);
		size_t len = (size_t)nsec << 9;
		int ret;

		if (kind < 7) {
			for (size_t k = 0; k < len; k++)
				buf[k] = (char)rng(&x);
			ret = ublk_sim_io(sim, q, UBLK_IO_OP_WRITE,
					  kind == 0 ? UBLK_IO_F_FUA : 0, sec, nsec, buf);
			if (ret == 0)
				memcpy(sh, buf, len);
		} else if (kind < 14) {
			ret = ublk_sim_io(sim, q, UBLK_IO_OP_READ, 0, sec, nsec, buf);
			if (ret == 0 && memcmp(buf, sh, len)) {
				fprintf(stderr, "demo: MISMATCH at sector %llu\n",
					(unsigned long long)sec);
				ret = -1;
			}
		} else if (kind == 14) {
			ret = ublk_sim_io(sim, q, UBLK_IO_OP_FLUSH, 0, 0, 0, NULL);
		} else {
			unsigned op = (rng(&x) & 1) ? UBLK_IO_OP_DISCARD
						    : UBLK_IO_OP_WRITE_ZEROES;

			ret = ublk_sim_io(sim, q, op, 0, sec, nsec, NULL);
			if (ret == 0)
				memset(sh, 0, len);
		}
		if (ret != 0) {
			fprintf(stderr, "demo: job %u op kind %u: %d\n", j->id,
				kind, ret);
			j->failed = 1;
			break;
		}
		j->done++;
	}
	free(buf);
	return NULL;
}

struct qrun { struct ublk_queue q; pthread_t th; int ret; };

static void *queue_main(void *arg)
{
	struct qrun *r = arg;

	r->ret = ublk_queue_loop(&r->q);
	return NULL;
}

/* A command from this (non-daemon) thread: expect res. */
static int foreign_cmd(int cdev, unsigned qid, unsigned op, int expect)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct ublksrv_io_cmd *c;
	int res;

	if (io_uring_queue_init(4, &ring, 0) < 0)
		return -1;
	sqe = io_uring_get_sqe(&ring);
	if (!sqe) {
		io_uring_queue_exit(&ring);
		return -1;
	}
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = cdev;
	sqe->cmd_op = op;
	sqe->user_data = 77;
	c = (struct ublksrv_io_cmd *)sqe->cmd;
	c->q_id = (uint16_t)qid;
	c->tag = 0;
	c->addr = 4096;
	io_uring_submit_and_wait(&ring, 1);
	io_uring_wait_cqe(&ring, &cqe);
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	printf("demo: foreign %s q%u: res %d (want %d)\n",
	       op == UBLK_U_IO_FETCH_REQ ? "FETCH" : "COMMIT", qid, res, expect);
	return res == expect ? 0 : -1;
}

/* ---- the rules, driven by hand from one thread (the daemon) ---- */

static int cmd_wait(struct io_uring *ring, int cdev, unsigned op,
		    unsigned tag, uint64_t addr, int expect, const char *what)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	struct ublksrv_io_cmd *c;
	int res;

	if (!sqe)
		return -1;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = cdev;
	sqe->cmd_op = op;
	sqe->user_data = 1000 + tag;
	c = (struct ublksrv_io_cmd *)sqe->cmd;
	c->tag = (uint16_t)tag;
	c->addr = addr;
	io_uring_submit(ring);
	if (expect == 1)   /* held by the driver: no CQE now */
		return io_uring_cq_ready(ring) == 0 ? 0 : -1;
	io_uring_wait_cqe(ring, &cqe);
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	printf("demo: rules: %-40s res %d (want %d)%s\n", what, res, expect,
	       res == expect ? "" : "  <-- WRONG");
	return res == expect ? 0 : -1;
}

static int rules(void)
{
	struct ublk_sim_config cfg = { .nr_queues = 1, .depth = 4,
		.max_io_bytes = 4096, .dev_bytes = 1 << 20,
		.ioctl_encoded = true, .quiet = true };
	struct ublk_target tgt = { .fd = -1, .size = 1 << 20 };
	struct ublk_queue q;
	const unsigned F = UBLK_U_IO_FETCH_REQ, C = UBLK_U_IO_COMMIT_AND_FETCH_REQ;
	int bad = 0;
	uint64_t a;

	sim = ublk_sim_create(&cfg);
	if (!sim || ublk_sim_queue_init(sim, 0, &q, &tgt) < 0)
		return -1;
	a = (uint64_t)(uintptr_t)q.bufs;
	for (unsigned t = 0; t < 3; t++)
		bad |= cmd_wait(&q.ring, q.cdev_fd, F, t, a, 1, "FETCH");
	bad |= cmd_wait(&q.ring, q.cdev_fd, F, 0, a, -EBUSY, "double FETCH");
	bad |= cmd_wait(&q.ring, q.cdev_fd, C, 1, a, -EBUSY,
			"COMMIT with no request");
	bad |= cmd_wait(&q.ring, q.cdev_fd, C, 3, a, -EINVAL,
			"COMMIT on a never-fetched tag");
	bad |= cmd_wait(&q.ring, q.cdev_fd, F, 3, 0, -EINVAL, "FETCH addr 0");
	bad |= cmd_wait(&q.ring, q.cdev_fd, F, 4, a, -EINVAL, "FETCH tag 4 of 4");
	bad |= ublk_sim_start(sim, 100) != -ETIMEDOUT;   /* tag 3 missing */
	bad |= cmd_wait(&q.ring, q.cdev_fd, F, 3, a, 1, "FETCH");
	bad |= ublk_sim_start(sim, 100) != 0;
	bad |= ublk_sim_stop(sim, 100) != 0;
	for (unsigned n = 0; n < 4; n++) {
		struct io_uring_cqe *cqe;

		io_uring_wait_cqe(&q.ring, &cqe);
		bad |= cqe->res != UBLK_IO_RES_ABORT;
		io_uring_cqe_seen(&q.ring, cqe);
	}
	bad |= cmd_wait(&q.ring, q.cdev_fd, C, 2, a, -EBUSY,
			"COMMIT after ABORT");
	ublk_sim_queue_fini(sim, &q);
	ublk_sim_destroy(sim);
	printf("demo: rules %s\n", bad ? "FAILED" : "passed");
	return bad ? -1 : 0;
}

int main(void)
{
	struct ublk_sim_config cfg = { .nr_queues = NQ, .depth = DEPTH,
		.max_io_bytes = 512u << 10, .dev_bytes = DEV,
		.ioctl_encoded = true };
	char path[] = "/tmp/ublk-sim-XXXXXX";
	struct ublk_target tgt;
	struct qrun qr[NQ];
	struct job jobs[JOBS];
	pthread_t th[JOBS];
	struct ublk_sim_stats st;
	struct timespec t0, t1;
	int failed = 0;
	unsigned long done = 0;

	tgt.fd = mkstemp(path);
	if (tgt.fd < 0 || ftruncate(tgt.fd, DEV) < 0)
		return 1;
	unlink(path);
	tgt.size = DEV;
	shadow = calloc(1, DEV);
	sim = ublk_sim_create(&cfg);
	if (!sim || !shadow)
		return 1;
	for (unsigned i = 0; i < NQ; i++)
		if (ublk_sim_queue_init(sim, i, &qr[i].q, &tgt) < 0 ||
		    pthread_create(&qr[i].th, NULL, queue_main, &qr[i]))
			return 1;
	if (ublk_sim_start(sim, 5000) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < JOBS; i++) {
		jobs[i] = (struct job){ .id = i };
		pthread_create(&th[i], NULL, job_main, &jobs[i]);
	}
	for (unsigned i = 0; i < JOBS; i++) {
		pthread_join(th[i], NULL);
		failed |= jobs[i].failed;
		done += jobs[i].done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	failed |= foreign_cmd(qr[0].q.cdev_fd, 0, UBLK_U_IO_FETCH_REQ, -EINVAL);
	failed |= foreign_cmd(qr[0].q.cdev_fd, NQ, UBLK_U_IO_COMMIT_AND_FETCH_REQ,
			      -EINVAL);
	failed |= ublk_sim_stop(sim, 5000) != 0;
	for (unsigned i = 0; i < NQ; i++) {
		pthread_join(qr[i].th, NULL);
		printf("demo: queue %u: loop %d, error %d, served %lu, peak %u\n",
		       i, qr[i].ret, qr[i].q.error, qr[i].q.served,
		       qr[i].q.max_busy);
		failed |= qr[i].ret != 0 || qr[i].q.error != 0;
		ublk_sim_queue_fini(sim, &qr[i].q);
	}
	ublk_sim_stats(sim, &st);
	printf("demo: %lu I/Os in %.3f s; sim: %lu requests, %lu re-dispatched, "
	       "%lu aborts, %lu breaches, peak owned %u\n", done,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       st.requests, st.redispatches, st.aborts, st.breaches, st.max_owned);
	failed |= st.breaches != 2 || st.aborts != NQ * DEPTH;
	ublk_sim_destroy(sim);
	close(tgt.fd);
	free(shadow);
	failed |= rules() != 0;
	printf("demo: %s\n", failed ? "FAILED" : "passed");
	return failed;
}
