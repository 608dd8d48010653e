/*
 * pread_loop.c - the baseline of bench/randread_bench.c: a system call
 * per read.  On page-cached data each pread costs one kernel entry and
 * exit plus the copy; that entry and exit is what a batch of SQEs shares.
 */
#define _GNU_SOURCE
#include "naive.h"

#include <errno.h>
#include <unistd.h>

void naive_pread_batch(int fd, struct ubatch_req *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned done = 0;
		ssize_t r = 0;

		while (done < v[i].len) {
			r = pread(fd, (char *)v[i].buf + done, v[i].len - done,
				  v[i].off + (off_t)done);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			done += (unsigned)r;
		}
		v[i].res = r < 0 ? -errno : (int)done;
	}
}
