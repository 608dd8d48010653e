/*
 * probe.c - task 5: what does the running kernel's io_uring support?
 */
#define _GNU_SOURCE
#include "probe.h"

#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>

/* Opcode names in the order of enum io_uring_op in <linux/io_uring.h>
 * (Debian 12's, kernel 6.1): the index is the opcode. */
static const char *const op_names[] = {
	"NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED",
	"POLL_ADD", "POLL_REMOVE", "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG",
	"TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL", "LINK_TIMEOUT",
	"CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX",
	"READ", "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2",
	"EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE",
	"SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
	"MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR",
	"SOCKET", "URING_CMD", "SEND_ZC", "SENDMSG_ZC",
};

_Static_assert(sizeof op_names / sizeof op_names[0] == IORING_OP_LAST,
	       "one name per opcode of <linux/io_uring.h>");

const char *up_op_name(unsigned op)
{
	return op < sizeof op_names / sizeof op_names[0] ? op_names[op] : NULL;
}

/* -1 when the sysctl does not exist (kernels before 6.6). */
static int read_sysctl(void)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* What a refusal means, as precisely as we can tell from here. */
static void explain(struct up_report *r)
{
	const char *why;

	switch (r->error) {
	case ENOSYS:
		why = "the kernel has no io_uring (built without "
		      "CONFIG_IO_URING), or a seccomp filter hides it";
		break;
	case EPERM:
		why = r->sysctl == 2 ? "disabled by the sysctl "
				       "kernel.io_uring_disabled = 2"
		      : r->sysctl == 1 ? "kernel.io_uring_disabled = 1 allows "
				       "it only to the group in "
				       "kernel.io_uring_group"
				     : "refused by a seccomp filter or an LSM "
				       "(container runtimes often block it)";
		break;
	case ENOMEM:
		why = "not enough locked memory for the rings (RLIMIT_MEMLOCK)";
		break;
	case EMFILE:
	case ENFILE:
		why = "no descriptor left for the ring";
		break;
	default:
		why = "io_uring_setup() failed";
	}
	snprintf(r->why, sizeof r->why, "%s", why);
}

int up_probe(struct up_report *r)
{
	struct io_uring_params p;
	struct io_uring_probe *probe;
	struct io_uring ring;
	int ret;

	if (!r)
		return -EINVAL;
	memset(r, 0, sizeof *r);
	r->sysctl = read_sysctl();
	memset(&p, 0, sizeof p);
	ret = io_uring_queue_init_params(2, &ring, &p);
	if (ret < 0) {
		r->error = -ret;
		explain(r);
		return 0;
	}
	r->available = 1;
	r->features = p.features;
	probe = io_uring_get_probe_ring(&ring);
	if (probe) {
		r->last_op = probe->last_op;
		for (unsigned i = 0; i < probe->ops_len && i < UP_MAX_OPS; i++)
			if (probe->ops[i].flags & IO_URING_OP_SUPPORTED)
				r->supported[probe->ops[i].op] = 1;
		io_uring_free_probe(probe);
	}
	io_uring_queue_exit(&ring);
	return 0;
}

int up_supports(const struct up_report *r, unsigned op)
{
	return r->available && op <= r->last_op && op < UP_MAX_OPS &&
	       r->supported[op];
}

void up_print(const struct up_report *r, FILE *f)
{
	if (!r->available) {
		fprintf(f, "io_uring: unavailable: %s (errno %d): %s\n",
			strerror(r->error), r->error, r->why);
		return;
	}
	fprintf(f, "io_uring: available, features 0x%x, last op %u\n",
		r->features, r->last_op);
	for (unsigned op = 0; op <= r->last_op && op < UP_MAX_OPS; op++) {
		const char *name = up_op_name(op);
		char buf[16];

		if (!name) {
			snprintf(buf, sizeof buf, "op %u", op);
			name = buf;
		}
		fprintf(f, "%-16s %s\n", name, r->supported[op] ? "yes" : "no");
	}
}
