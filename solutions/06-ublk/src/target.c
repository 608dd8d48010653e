/*
 * target.c - task 3: the loop target (reference).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>

#include "ublk_target.h"

int ublk_target_prep(struct ublk_target *t, struct io_uring *ring,
		     const struct ublksrv_io_desc *iod, void *buf,
		     uint64_t user_data)
{
	unsigned op = ublksrv_get_op(iod);
	uint64_t off = iod->start_sector << 9;
	uint64_t len = (uint64_t)iod->nr_sectors << 9;
	struct io_uring_sqe *sqe;
	int mode;

	if (op != UBLK_IO_OP_FLUSH && (off > t->size || len > t->size - off))
		return -EINVAL;
	switch (op) {
	case UBLK_IO_OP_READ:
	case UBLK_IO_OP_WRITE:
	case UBLK_IO_OP_FLUSH:
	case UBLK_IO_OP_DISCARD:
	case UBLK_IO_OP_WRITE_ZEROES:
		break;
	default:
		return -EOPNOTSUPP;
	}
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return -EBUSY;   /* the caller broke its promise */
	switch (op) {
	case UBLK_IO_OP_READ:
		io_uring_prep_read(sqe, t->fd, buf, (unsigned)len, off);
		break;
	case UBLK_IO_OP_WRITE:
		io_uring_prep_write(sqe, t->fd, buf, (unsigned)len, off);
		if (iod->op_flags & UBLK_IO_F_FUA)   /* flags are in op_flags */
			sqe->rw_flags = RWF_DSYNC;
		break;
	case UBLK_IO_OP_FLUSH:
		io_uring_prep_fsync(sqe, t->fd, IORING_FSYNC_DATASYNC);
		break;
	default:
		/* As the kernel's loop driver: a hole reads as zeroes, so
		 * WRITE_ZEROES punches one unless told not to unmap. */
		mode = FALLOC_FL_KEEP_SIZE |
		       (op == UBLK_IO_OP_WRITE_ZEROES &&
			(iod->op_flags & UBLK_IO_F_NOUNMAP) ?
			FALLOC_FL_ZERO_RANGE : FALLOC_FL_PUNCH_HOLE);
		io_uring_prep_fallocate(sqe, t->fd, mode, off, len);
		break;
	}
	io_uring_sqe_set_data64(sqe, user_data);
	return 0;
}
