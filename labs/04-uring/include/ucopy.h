/*
 * ucopy.h - task 3: a file copy and a batch reader on io_uring (liburing).
 *
 * The copy keeps up to queue_depth blocks in flight.  Each block has a
 * buffer of its own and goes read -> write -> (buffer free) -> the next
 * block's read.  A read that comes back short is continued for the rest
 * of its block; a write that comes back short likewise; -EAGAIN is
 * submitted again; any other negative cqe->res ends the copy with that
 * error.  Every byte is written at the offset it was read from, so the
 * order in which completions arrive does not matter.
 *
 *   block:   0     1     2     3     4     5  ...
 *   state:  [W]   [R]   [R]   [W]   [R]   [ ] ...    queue_depth = 5
 *            write done -> buffer 0 reads block 5
 *
 * Submit with io_uring_submit() or io_uring_submit_and_wait() (or
 * io_uring_submit_and_wait_timeout / _and_get_events): the tests watch
 * those calls to inject short reads, -EAGAIN and slow writes.
 */
#ifndef UCOPY_H
#define UCOPY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UCOPY_MAX_QD 256		   /* queue_depth is 1..UCOPY_MAX_QD */
#define UCOPY_MAX_BLOCK ((size_t)4 << 20) /* block_size is 1..UCOPY_MAX_BLOCK */

/* flags: register the buffers (io_uring_register_buffers) and both files
 * (io_uring_register_files), then use READ_FIXED / WRITE_FIXED with
 * IOSQE_FIXED_FILE: the kernel then skips pinning the buffer pages and
 * looking up the file on every operation. */
#define UCOPY_REGISTER 1u

struct ucopy_opts {
	unsigned queue_depth; /* blocks in flight at most */
	size_t block_size;    /* bytes per read; any size in range */
	unsigned flags;	      /* 0 or UCOPY_REGISTER */
};

struct ucopy_stats {
	uint64_t bytes;	   /* bytes copied */
	uint64_t reads;	   /* read SQEs submitted, retries included */
	uint64_t writes;   /* write SQEs submitted, retries included */
	uint64_t requeued; /* SQEs submitted again: after a short read or
			    * write (for the rest) or -EAGAIN */
};

/*
 * Copy the regular file open on in (from offset 0 to its size when the
 * call starts) to the file open on out (at the same offsets), then make
 * out exactly that long.  File offsets are not used.  st may be NULL.
 *
 * Returns 0, or a negative errno:
 *   -EINVAL   o is NULL, queue_depth or block_size out of range, unknown
 *             flags, or in is not a regular file (-EISDIR: a directory)
 *   -EIO      in ended early (a read returned 0 before its size)
 *   any cqe->res < 0 other than -EAGAIN: a read or write error such as
 *             -EBADF, -EFBIG (file size limit), -ENOSPC (disk full)
 *   io_uring_queue_init()'s error when the ring cannot be made
 * The ring is torn down on every path: no descriptor or mapping is left.
 */
int ucopy_fd(int in, int out, const struct ucopy_opts *o,
	     struct ucopy_stats *st);

/*
 * Copy the file src to the path dst, all or nothing: the bytes go into a
 * new file in dst's directory that is renamed over dst only when the
 * whole copy succeeded, with src's permission bits.  On failure nothing
 * is left behind: no new file, and a dst that existed is unchanged.
 * Errors: those of ucopy_fd(), and of open(), negated (-ENOENT, -EACCES,
 * -EISDIR for a directory src or dst, ...).
 */
int ucopy_path(const char *src, const char *dst, const struct ucopy_opts *o,
	       struct ucopy_stats *st);

/*
 * Batched reads: many small reads at scattered offsets, queue_depth of
 * them in flight, far fewer system calls than reads.  The ring is made
 * once by ubatch_open() and serves every ubatch_read().
 */
struct ubatch; /* yours */

struct ubatch_req {
	off_t off;    /* where to read */
	void *buf;    /* where to put it */
	unsigned len; /* how much */
	int res;      /* out: bytes read (len, or less only at end of file),
		       * or a negative errno */
};

/* A reader of fd with queue_depth (1..UCOPY_MAX_QD) reads in flight;
 * NULL with errno set (EINVAL for a bad depth). */
struct ubatch *ubatch_open(int fd, unsigned queue_depth);

/*
 * Perform all n reads, at most queue_depth in flight at once, and fill
 * each one's res.  Short reads are continued, -EAGAIN retried.  Returns
 * 0 when every request has its res, or a negative errno when the ring
 * itself failed.
 */
int ubatch_read(struct ubatch *b, struct ubatch_req *v, size_t n);

/* Tear the ring down and free b; NULL is a no-op. */
void ubatch_close(struct ubatch *b);

#endif
