/*
 * ublk_queue.h - task 2: the per-queue loop of a ublk server.
 *
 * One thread per hardware queue runs ublk_queue_loop().  The given code
 * (server/ on the real driver, sim/ in the simulator) has already done
 * everything around it: ADD_DEV, SET_PARAMS, opened /dev/ublkcN, mapped
 * the queue's io descriptors, allocated the per-tag buffers and set up
 * q->ring.  START_DEV is sent by another thread *while your loop runs*:
 * the driver holds START_DEV until every tag of every queue is fetched,
 * and the partition scan that follows reads through your loop.
 *
 * The protocol, per tag (0 .. depth-1):
 *
 *   1. Queue a FETCH_REQ for every tag, then submit.  The driver holds
 *      each fetch; its CQE arrives only when a request lands on that tag.
 *   2. CQE of a FETCH / COMMIT_AND_FETCH with res == UBLK_IO_RES_OK (0):
 *      q->iods[tag] describes a request (op, flags, start_sector,
 *      nr_sectors).  For a WRITE its data is already in q_buf(q, tag).
 *      Start the target I/O (ublk_target_prep) without waiting for it.
 *   3. CQE of that target I/O: queue COMMIT_AND_FETCH_REQ on the tag with
 *      cmd->result = the I/O's result (bytes done, or -errno).  For a
 *      READ the driver copies the buffer out at this commit, so the data
 *      must be in it by then.  The same command fetches the tag's next
 *      request.
 *   4. CQE of a FETCH / COMMIT_AND_FETCH with res == UBLK_IO_RES_ABORT
 *      (-ENODEV): the device is stopping and the tag is gone; never
 *      issue a command on it again (the driver answers -EBUSY).  When
 *      every tag is aborted, return 0.  Any other negative res is a
 *      protocol error of yours: record it in q->error (first one only),
 *      count the tag as gone, and carry on.
 *
 * A CQE with user_data == UBLK_UD_QUIT (posted by the given code with
 * IORING_OP_MSG_RING when START_DEV or STOP_DEV failed) means: return at
 * once; the given code tears the ring down, which cancels the fetches.
 *
 * How to write an io command SQE (the driver reads nothing else):
 *
 *   sqe->opcode    = IORING_OP_URING_CMD;
 *   sqe->fd        = q->cdev_fd;
 *   sqe->cmd_op    = q->ioctl_encoded ? UBLK_U_IO_FETCH_REQ
 *                                     : UBLK_IO_FETCH_REQ;   (or COMMIT_*)
 *   sqe->user_data = your encoding of (tag, "command"), see below;
 *   the 16-byte struct ublksrv_io_cmd at sqe->cmd:
 *       q_id = q->q_id, tag = tag, result = (COMMIT only) the result,
 *       addr = (uint64_t)q_buf(q, tag)        (never 0: -EINVAL)
 *   every other SQE field 0 (memset the SQE first).
 *
 * user_data: each CQE must tell you its tag and whether it completes an
 * io command or a target I/O.  Encode both in the 64 bits; the value
 * UBLK_UD_QUIT is reserved.
 *
 * Rules the driver (and the simulator) enforce, with the CQE res you get:
 *   q_id >= nr_queues or tag >= depth                          -EINVAL
 *   a command from a thread other than the one that issued the
 *     queue's first FETCH (the queue's daemon)                  -EINVAL
 *   FETCH on a tag the driver already holds (double FETCH), or
 *     any command on an aborted tag                             -EBUSY
 *   COMMIT_AND_FETCH on a tag the driver holds (no request)     -EBUSY
 *   FETCH on a tag you own (a request you have not committed)   -EINVAL
 *   COMMIT_AND_FETCH on a tag never fetched                     -EINVAL
 *   addr == 0                                                   -EINVAL
 *
 * Performance: never wait for one target I/O before taking the next
 * request.  Queue every SQE you can, then submit them all with one
 * io_uring_submit_and_wait(ring, 1); reap every CQE that is there
 * (io_uring_for_each_cqe + io_uring_cq_advance).  The ring has
 * 2 * depth entries: room for one command and one target I/O per tag;
 * if io_uring_get_sqe() returns NULL anyway, submit and retry.
 * Submission may fail with -EINTR (a signal) or -EAGAIN / -EBUSY (the
 * kernel is short of memory or the CQ ring is full): reap what is there
 * and retry; anything else is fatal: record it in q->error and return it.
 */
#ifndef UBLK_QUEUE_H
#define UBLK_QUEUE_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

#include "uapi/ublk_cmd.h"

struct ublk_target;

/* Reserved user_data: the given code's "leave now" message. */
#define UBLK_UD_QUIT (~(uint64_t)0)

/* Filled in by the given code before ublk_queue_loop(); read-only for you
 * except the ring (yours to use) and the statistics at the end. */
struct ublk_queue {
	unsigned q_id;              /* which hardware queue */
	unsigned depth;             /* tags 0 .. depth-1 */
	unsigned max_io_bytes;      /* per-tag buffer size = max request */
	int cdev_fd;                /* /dev/ublkcN (or the simulator's) */
	bool ioctl_encoded;         /* UBLK_U_IO_* (true) or UBLK_IO_* */
	const struct ublksrv_io_desc *iods;  /* [depth], written by the driver */
	char *bufs;                 /* depth * max_io_bytes, page aligned */
	struct io_uring ring;       /* 2 * depth entries, yours */
	struct ublk_target *tgt;    /* what serves the requests */

	/* Yours to fill in, reported by the given code: */
	unsigned long served;       /* requests committed */
	unsigned busy, max_busy;    /* requests held right now, peak */
	int error;                  /* first protocol / ring error, or 0 */
};

/* Tag tag's buffer: stable, page aligned, max_io_bytes long. */
static inline void *q_buf(const struct ublk_queue *q, unsigned tag)
{
	return q->bufs + (uint64_t)tag * q->max_io_bytes;
}

/*
 * Yours (src/queue.c): serve queue q until every tag is aborted (returns
 * 0) or a UBLK_UD_QUIT message arrives (returns 0), or the ring fails
 * (returns that -errno, also in q->error).  Runs on the queue's own
 * thread, which must be the only one touching q->ring.
 */
int ublk_queue_loop(struct ublk_queue *q);

#endif
