/*
 * target.c - task 3: the loop target.  Yours to write.
 *
 * Read include/ublk_target.h first: one SQE per request on the queue's
 * ring (read, write with RWF_DSYNC for FUA, fsync with
 * IORING_FSYNC_DATASYNC, fallocate), or a -errno and nothing queued.
 * Never block.  Delete the TODO() when done.
 */
#include "ublk_target.h"
#include "wb/todo.h"

int ublk_target_prep(struct ublk_target *t, struct io_uring *ring,
		     const struct ublksrv_io_desc *iod, void *buf,
		     uint64_t user_data)
{
	(void)t;
	(void)ring;
	(void)iod;
	(void)buf;
	(void)user_data;
	TODO();
}
