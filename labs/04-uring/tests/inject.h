/*
 * inject.h - the tests' hand between liburing and the kernel.
 *
 * The lab links with -Wl,--wrap=io_uring_submit (and its siblings), so a
 * call to io_uring_submit() in your code lands in __wrap_io_uring_submit
 * here first.  It looks at the SQEs you queued before they go to the
 * kernel, counts them, and in the mode a test chose, changes a few:
 *
 *   INJ_SHORT_READ   every k-th read asks for half its length: the kernel
 *                    returns a real short read, cqe->res < what you asked
 *   INJ_SHORT_WRITE  the same for writes
 *   INJ_EAGAIN       every k-th read goes to an empty pipe with
 *                    RWF_NOWAIT: its CQE says -EAGAIN and nothing was read
 *   INJ_SLOW_WRITES  every write waits 5 ms behind a linked timeout before
 *                    it starts: a buffer reused before the write's CQE is
 *                    overwritten while the write is still in flight
 *
 * Your SQEs' user_data, buffers and order are never changed, and the
 * timeouts post no CQE, so correct code sees only what a kernel could
 * have done anyway.
 */
#ifndef INJECT_H
#define INJECT_H

enum inj_mode { INJ_NONE, INJ_SHORT_READ, INJ_SHORT_WRITE, INJ_EAGAIN,
		INJ_SLOW_WRITES };

struct inj_counts {
	unsigned long submits;	  /* wrapped submit calls */
	unsigned long reads;	  /* READ, READ_FIXED, READV SQEs seen */
	unsigned long writes;	  /* WRITE, WRITE_FIXED, WRITEV SQEs seen */
	unsigned long fixed_bufs; /* of those, READ_FIXED / WRITE_FIXED */
	unsigned long fixed_files; /* of those, with IOSQE_FIXED_FILE */
	unsigned long injected;	  /* SQEs changed */
	unsigned long async;	  /* reads and writes with IOSQE_ASYNC */
	unsigned long sqpoll;	  /* submits on a ring with IORING_SETUP_SQPOLL */
};

/* Choose the mode, every k-th eligible SQE (k >= 1); resets the counts. */
void inj_set(enum inj_mode mode, unsigned every);

struct inj_counts inj_get(void);

/* Does this kernel support what INJ_SLOW_WRITES needs (a timeout that
 * counts -ETIME as success and posts no CQE)?  Checked on a ring of our
 * own. */
int inj_can_delay(void);

#endif
