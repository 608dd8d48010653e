/*
 * ucopy.c - task 3: a file copy and a batch reader on io_uring, with
 * liburing.  Yours to write.
 *
 * Read include/ucopy.h first.  In brief: a slot per block in flight,
 * each with its own buffer; read -> write -> next block; submit
 * everything queued and reap everything completed in one call per pass;
 * short reads and writes continued, -EAGAIN resubmitted, errors kept.
 * Delete each TODO() as you implement it.
 */
#include "ucopy.h"
#include "wb/todo.h"

/* Your design: what a batch reader holds.  This placeholder only lets
 * the skeleton compile. */
struct ubatch {
	unsigned queue_depth;
};

int ucopy_fd(int in, int out, const struct ucopy_opts *o,
	     struct ucopy_stats *st)
{
	(void)in;
	(void)out;
	(void)o;
	(void)st;
	TODO();
}

int ucopy_path(const char *src, const char *dst, const struct ucopy_opts *o,
	       struct ucopy_stats *st)
{
	(void)src;
	(void)dst;
	(void)o;
	(void)st;
	TODO();
}

struct ubatch *ubatch_open(int fd, unsigned queue_depth)
{
	(void)fd;
	(void)queue_depth;
	TODO();
}

int ubatch_read(struct ubatch *b, struct ubatch_req *v, size_t n)
{
	(void)b;
	(void)v;
	(void)n;
	TODO();
}

void ubatch_close(struct ubatch *b)
{
	(void)b;
	TODO();
}
