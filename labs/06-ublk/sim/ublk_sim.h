/*
 * sim/ublk_sim.h - a userspace model of ublk_drv (Linux 6.12) that runs
 * the student's unchanged src/queue.c and src/target.c without root,
 * without a VM, with the driver's rules and clearer messages.
 *
 * How the student's code talks to it
 * ----------------------------------
 * Exactly as to the driver: the queue loop fills IORING_OP_URING_CMD
 * SQEs for q->cdev_fd and submits them on q->ring.  q->cdev_fd here is a
 * descriptor the simulator owns (an eventfd: the kernel would refuse a
 * URING_CMD on it).  Every binary that uses the simulator links with
 *
 *   -Wl,--wrap=io_uring_submit,--wrap=io_uring_submit_and_wait,
 *       --wrap=io_uring_submit_and_wait_timeout,
 *       --wrap=io_uring_submit_and_get_events
 *
 * (ublk_sim.c defines the __wrap_ functions; UBLK_SIM_WRAP_LDFLAGS below
 * spells it).  Before the real submit, the wrapper walks the SQEs the
 * caller prepared and has not yet handed to the kernel (sq.sqe_head ..
 * sq.sqe_tail), and for each URING_CMD whose fd is the simulator's:
 *   - decodes it (cmd_op: legacy UBLK_IO_* or ioctl-encoded UBLK_U_IO_*,
 *     both accepted like 6.12 with CONFIG_BLKDEV_UBLK_LEGACY_OPCODES;
 *     struct ublksrv_io_cmd at sqe->cmd) and applies the driver's rules
 *     (below) in the calling thread;
 *   - rewrites the SQE in place into IORING_OP_NOP with
 *     IOSQE_CQE_SKIP_SUCCESS: the kernel consumes it and posts nothing.
 * Everything else in the batch (the target's reads and writes on the
 * backing file) goes to the kernel untouched: target I/O is real I/O.
 *
 * The command's CQE (an error, a request, or UBLK_IO_RES_ABORT) is posted
 * later into the student's own ring by the simulator with
 * IORING_OP_MSG_RING (IORING_MSG_DATA: len -> cqe->res, data ->
 * cqe->user_data, the command SQE's user_data), from the simulator's
 * ring under its lock, with IOSQE_CQE_SKIP_SUCCESS.  So the student's
 * loop has its real shape: submit, wait, reap, dispatch by user_data.
 * Checked on the host kernel (6.18) and inside the 6.12 guest: MSG_RING
 * delivers negative res (-ENODEV) unchanged, and a NOP with
 * CQE_SKIP_SUCCESS posts no CQE.
 *
 * The rules (ublk_ch_uring_cmd() in drivers/block/ublk_drv.c, 6.12) and
 * the CQE res each breach gets; every breach is also logged with the
 * rule in words, the queue, the tag and the tag's state, e.g.
 *   "ublk-sim: q0 tag 5: COMMIT_AND_FETCH on a tag never fetched
 *    (state NEW): -EINVAL"
 *
 *   q_id >= nr_queues                                        -EINVAL
 *   from a thread other than the queue's daemon (the thread
 *     of the queue's first FETCH)                            -EINVAL
 *   tag >= depth                                             -EINVAL
 *   the driver holds the tag (FETCHED or ABORTED): double
 *     FETCH, COMMIT with no request, any command after ABORT -EBUSY
 *   FETCH on a tag the server owns (OWNED)                   -EINVAL
 *   addr == 0 (FETCH or COMMIT)                              -EINVAL
 *   COMMIT_AND_FETCH on a tag never fetched (NEW)            -EINVAL
 *   an unknown cmd_op                                        -EOPNOTSUPP
 *
 * Tag states:  NEW --FETCH--> FETCHED --request--> OWNED
 *              OWNED --COMMIT_AND_FETCH--> FETCHED (or OWNED at once if
 *              a request waits; or ABORTED if stopping)
 *              FETCHED --stop--> ABORTED (CQE res UBLK_IO_RES_ABORT)
 *
 * Requests: a WRITE's data is in the tag's buffer (the addr of the last
 * FETCH/COMMIT) before its CQE is posted; a READ's data is copied out of
 * that buffer at COMMIT.  COMMIT result: < 0 fails the request with that
 * errno; for READ/WRITE a positive result shorter than the request
 * re-dispatches the remainder on the same tag (new iod, same CQE
 * user_data rules) as blk_update_request() does; READ with result 0
 * is -EIO.  For FLUSH, DISCARD, WRITE_ZEROES any result >= 0 is success.
 *
 * Faults (ublk_sim_config.faults, first implementation: none yet):
 * backing-file errors are injected by the workload through a target
 * wrapper, slow completions by a delay before posting, and a stop in
 * the middle of traffic by ublk_sim_stop() while requests are owned.
 *
 * Threads: ublk_sim_io() may be called from any number of workload
 * threads at once (that makes queue depth); each blocks until its
 * request completes.  One simulator at a time per process (the
 * wrapper finds it through a global).
 */
#ifndef UBLK_SIM_H
#define UBLK_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "ublk_queue.h"
#include "ublk_target.h"

#define UBLK_SIM_WRAP_LDFLAGS \
	"-Wl,--wrap=io_uring_submit,--wrap=io_uring_submit_and_wait," \
	"--wrap=io_uring_submit_and_wait_timeout," \
	"--wrap=io_uring_submit_and_get_events"

struct ublk_sim;

struct ublk_sim_config {
	unsigned nr_queues;       /* 1 .. 16 */
	unsigned depth;           /* tags per queue, 1 .. 4096 */
	unsigned max_io_bytes;    /* per-tag buffer, multiple of 4096 */
	uint64_t dev_bytes;       /* device size, multiple of 512 */
	bool ioctl_encoded;       /* what q->ioctl_encoded says */
	bool quiet;               /* no log lines for rule breaches */
	unsigned io_timeout_ms;   /* ublk_sim_io gives up (0: 10000) */
};

/* A simulated device in the state after ADD_DEV + SET_PARAMS.  NULL with
 * errno set on a bad config or no memory. */
struct ublk_sim *ublk_sim_create(const struct ublk_sim_config *cfg);

/*
 * Fill in *q for queue q_id as server/server.c does on the driver: the
 * simulator's cdev stand-in, its iods array, a fresh buffer area, a ring
 * of 2 * depth entries, tgt.  Undo with ublk_sim_queue_fini() after the
 * loop returned.  0 or -errno.
 */
int ublk_sim_queue_init(struct ublk_sim *s, unsigned q_id,
			struct ublk_queue *q, struct ublk_target *tgt);
void ublk_sim_queue_fini(struct ublk_sim *s, struct ublk_queue *q);

/*
 * START_DEV: wait until every tag of every queue is FETCHED, at most
 * timeout_ms.  0, or -ETIMEDOUT after logging which tags of which queue
 * were never fetched (the real driver would wait forever).
 */
int ublk_sim_start(struct ublk_sim *s, unsigned timeout_ms);

/*
 * One request through queue q_id, blocking until it completes: op is a
 * UBLK_IO_OP_*, flags UBLK_IO_F_* bits (of op_flags), data the bytes to
 * write or the room to read into (nr_sectors << 9 bytes; NULL for
 * FLUSH/DISCARD/WRITE_ZEROES).  Returns 0, or the request's -errno
 * (-EIO for a READ committed with 0, -ENODEV once stopped, -ETIMEDOUT
 * when the server kept it longer than the config allows: a hang the
 * real driver would not report).
 */
int ublk_sim_io(struct ublk_sim *s, unsigned q_id, unsigned op,
		unsigned flags, uint64_t sector, unsigned nr_sectors,
		void *data);

/*
 * STOP_DEV: new requests fail with -ENODEV; requests the server owns are
 * waited for (at most timeout_ms, then -ETIMEDOUT); every FETCHED tag
 * gets its CQE with UBLK_IO_RES_ABORT and becomes ABORTED.  0 or -errno.
 */
int ublk_sim_stop(struct ublk_sim *s, unsigned timeout_ms);

/* What happened, for tests: rule breaches (by kind) and requests. */
struct ublk_sim_stats {
	unsigned long requests, redispatches, aborts;
	unsigned long breaches;          /* every rule breach */
	int first_breach;                /* its -errno */
	char first_breach_msg[160];      /* its log line */
	unsigned max_owned;              /* peak requests the server held */
};
void ublk_sim_stats(struct ublk_sim *s, struct ublk_sim_stats *out);

/* After the loops returned and the queues were fini'd. */
void ublk_sim_destroy(struct ublk_sim *s);

#endif
