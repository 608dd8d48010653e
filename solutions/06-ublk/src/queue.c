/*
 * queue.c - task 2: the per-queue loop of a ublk server (reference).
 *
 * user_data: bit 63 clear, bits 16..23 the kind (command or target I/O),
 * bits 0..15 the tag.  UBLK_UD_QUIT has every bit set, so it never
 * collides.
 */
#include <errno.h>
#include <string.h>

#include "ublk_queue.h"
#include "ublk_target.h"

enum { UD_CMD = 1, UD_TGT = 2 };

static uint64_t ud_make(unsigned kind, unsigned tag)
{
	return ((uint64_t)kind << 16) | tag;
}

static unsigned ud_kind(uint64_t ud)
{
	return (unsigned)(ud >> 16) & 0xff;
}

static unsigned ud_tag(uint64_t ud)
{
	return (unsigned)ud & 0xffff;
}

/* A free SQE: the ring is full only when SQEs wait to be submitted, so
 * submitting frees a slot. */
static struct io_uring_sqe *get_sqe(struct ublk_queue *q)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(&q->ring)))
		io_uring_submit(&q->ring);
	return sqe;
}

static void make_room(struct ublk_queue *q)
{
	if (io_uring_sq_space_left(&q->ring) == 0)
		io_uring_submit(&q->ring);
}

/* Queue FETCH (commit false) or COMMIT_AND_FETCH with res for one tag. */
static void queue_cmd(struct ublk_queue *q, unsigned tag, bool commit, int res)
{
	struct io_uring_sqe *sqe = get_sqe(q);
	struct ublksrv_io_cmd *cmd;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = q->cdev_fd;
	if (commit)
		sqe->cmd_op = q->ioctl_encoded ? UBLK_U_IO_COMMIT_AND_FETCH_REQ
					       : UBLK_IO_COMMIT_AND_FETCH_REQ;
	else
		sqe->cmd_op = q->ioctl_encoded ? UBLK_U_IO_FETCH_REQ
					       : UBLK_IO_FETCH_REQ;
	sqe->user_data = ud_make(UD_CMD, tag);
	cmd = (struct ublksrv_io_cmd *)sqe->cmd;
	cmd->q_id = (uint16_t)q->q_id;
	cmd->tag = (uint16_t)tag;
	cmd->result = commit ? res : 0;
	cmd->addr = (uint64_t)(uintptr_t)q_buf(q, tag);
}

/* A FETCH / COMMIT_AND_FETCH completed: a new request, or the tag ends.
 * Returns 1 while the tag lives, 0 when it is gone. */
static int on_cmd(struct ublk_queue *q, unsigned tag, int res)
{
	int ret;

	if (res == UBLK_IO_RES_OK) {
		if (++q->busy > q->max_busy)
			q->max_busy = q->busy;
		make_room(q);
		ret = ublk_target_prep(q->tgt, &q->ring, &q->iods[tag],
				       q_buf(q, tag), ud_make(UD_TGT, tag));
		if (ret < 0) {
			q->busy--;
			q->served++;
			queue_cmd(q, tag, true, ret);
		}
		return 1;
	}
	if (res != UBLK_IO_RES_ABORT && q->error == 0)
		q->error = res;
	return 0;
}

int ublk_queue_loop(struct ublk_queue *q)
{
	struct io_uring_cqe *cqe;
	unsigned live = q->depth, head, seen;
	int ret;

	for (unsigned tag = 0; tag < q->depth; tag++)
		queue_cmd(q, tag, false, 0);

	while (live > 0) {
		ret = io_uring_submit_and_wait(&q->ring, 1);
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
			if (q->error == 0)
				q->error = ret;
			return ret;
		}
		seen = 0;
		io_uring_for_each_cqe(&q->ring, head, cqe) {
			uint64_t ud = cqe->user_data;
			unsigned tag = ud_tag(ud);

			seen++;
			if (ud == UBLK_UD_QUIT) {
				live = 0;
				break;
			}
			if (ud_kind(ud) == UD_CMD) {
				if (!on_cmd(q, tag, cqe->res))
					live--;
			} else {
				q->busy--;
				q->served++;
				queue_cmd(q, tag, true, cqe->res);
			}
		}
		io_uring_cq_advance(&q->ring, seen);
	}
	return 0;
}
