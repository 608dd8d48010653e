/*
 * ublk_target.h - task 3: the loop target, a block device backed by a
 * file, served with asynchronous I/O on the queue's own io_uring.
 *
 * For each request the queue loop calls ublk_target_prep() once.  It
 * queues exactly one SQE on ring (the caller guarantees a free one),
 * with user_data as given, and returns 0; the caller submits it with
 * everything else and commits the CQE's res as the request's result.
 * Or it queues nothing and returns -errno, which the caller commits at
 * once.  Never block here (no pread, no fsync): that stalls every other
 * request of the queue.
 *
 *   UBLK_IO_OP_READ          read  nr_sectors << 9 bytes at
 *                            start_sector << 9 of the file into buf
 *                            (op = ublksrv_get_op(iod))
 *   UBLK_IO_OP_WRITE         write them from buf; if iod->op_flags has
 *                            UBLK_IO_F_FUA (the UBLK_IO_F_* constants
 *                            are bits of op_flags itself, not of
 *                            ublksrv_get_flags()), with RWF_DSYNC (the data is on
 *                            stable storage when the CQE arrives)
 *   UBLK_IO_OP_FLUSH         fdatasync the file (IORING_FSYNC_DATASYNC)
 *   UBLK_IO_OP_DISCARD       punch a hole: fallocate with
 *                            FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
 *   UBLK_IO_OP_WRITE_ZEROES  as the kernel's loop driver: a hole reads
 *                            as zeroes, so FALLOC_FL_PUNCH_HOLE |
 *                            FALLOC_FL_KEEP_SIZE; but with
 *                            UBLK_IO_F_NOUNMAP (keep the blocks),
 *                            FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE
 *   any other op             -EOPNOTSUPP, nothing queued
 *
 * A request past the end of the file (start + length > size) is
 * -EINVAL, nothing queued.  Results go back unchanged: bytes for READ
 * and WRITE (a short count is fine: the driver re-sends the rest), 0 for
 * the others, -errno on failure.
 */
#ifndef UBLK_TARGET_H
#define UBLK_TARGET_H

#include <liburing.h>
#include <stdint.h>

#include "uapi/ublk_cmd.h"

struct ublk_target {
	int fd;            /* the backing file, open O_RDWR */
	uint64_t size;     /* its size in bytes = the device's */
};

int ublk_target_prep(struct ublk_target *t, struct io_uring *ring,
		     const struct ublksrv_io_desc *iod, void *buf,
		     uint64_t user_data);

#endif
