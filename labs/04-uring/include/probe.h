/*
 * probe.h - task 5: what does the running kernel's io_uring support?
 *
 * io_uring is not always there.  Kernels can be built without it; since
 * 6.6 the sysctl kernel.io_uring_disabled turns it off (2) or limits it
 * to one group (1); Docker's and most container runtimes' default seccomp
 * profiles block its three system calls; Android and ChromeOS allow it
 * only to some processes.  A program that uses io_uring must find out,
 * say clearly what it found, and fall back (to pread, say) instead of
 * failing.  And where it is there, which operations exist depends on
 * the kernel's version: IORING_REGISTER_PROBE tells, per opcode.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdio.h>

#define UP_MAX_OPS 256

struct up_report {
	int available;	/* 1 when io_uring_setup() works in this process */
	int error;	/* when not: the errno it failed with (> 0) */
	char why[160];	/* when not: one line saying what that means here */
	int sysctl;	/* /proc/sys/kernel/io_uring_disabled: 0, 1 or 2;
			 * -1 when the file does not exist (before 6.6) */
	unsigned features;  /* when available: io_uring_params.features */
	unsigned last_op;   /* when available: the probe's last_op */
	unsigned char supported[UP_MAX_OPS]; /* [op] = 1 when the kernel
					      * flags it IO_URING_OP_SUPPORTED */
};

/*
 * Fill *r: is io_uring available, and if so its features and supported
 * opcodes (set up a small ring, register a probe, tear it all down).
 * Returns 0 whenever it found out, available or not; -EINVAL for r ==
 * NULL.  A refused io_uring is an answer, not an error.
 */
int up_probe(struct up_report *r);

/* Is opcode op supported?  0 for an unavailable io_uring or an opcode
 * past last_op. */
int up_supports(const struct up_report *r, unsigned op);

/* The name of opcode op without its IORING_OP_ prefix ("NOP", "READV",
 * "READ", "WRITE", ...), for every opcode of <linux/io_uring.h> below
 * IORING_OP_LAST; NULL for any other number. */
const char *up_op_name(unsigned op);

/*
 * Print the report, exactly:
 *   available:   "io_uring: available, features 0x%x, last op %u\n"
 *                then for each op 0..last_op: "%-16s %s\n" with the name
 *                (or "op N" for one without a name) and "yes" or "no"
 *   unavailable: "io_uring: unavailable: %s (errno %d): %s\n" with
 *                strerror(error), error and why
 */
void up_print(const struct up_report *r, FILE *f);

#endif
