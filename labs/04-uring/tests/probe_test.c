/*
 * probe_test.c - task 5: feature probing.
 *
 * The truth comes from the kernel itself, asked with raw system calls
 * (io_uring_setup and IORING_REGISTER_PROBE), so these tests pass on a
 * kernel with io_uring and on one without: they never fail because of
 * the machine, only because the report disagrees with it.  A seccomp
 * filter then plays the container that blocks io_uring (sysfilter.h).
 */
#define _GNU_SOURCE
#include "probe.h"
#include "sysfilter.h"
#include "testutil.h"
#include "wb/test.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What the kernel says: -errno of io_uring_setup, or 0 with the probe. */
static int kernel_truth(unsigned *features, struct io_uring_probe *p,
			size_t nops)
{
	struct io_uring_params params;
	long fd, ret;

	memset(&params, 0, sizeof params);
	fd = syscall(SYS_io_uring_setup, 2, &params);
	if (fd < 0)
		return -errno;
	*features = params.features;
	memset(p, 0, sizeof *p + nops * sizeof p->ops[0]);
	ret = syscall(SYS_io_uring_register, (int)fd, IORING_REGISTER_PROBE, p,
		      (unsigned)nops);
	close((int)fd);
	return ret < 0 ? -errno : 0;
}

static struct up_report *probe(void)
{
	static struct up_report r;
	int ret;

	memset(&r, 0xa5, sizeof r);
	ret = up_probe(&r);
	CHECK(ret == 0, "up_probe() returned %d: expected 0 whether or not "
	      "io_uring is available (a refusal is an answer)", ret);
	return &r;
}

TEST(probe_matches_kernel)
{
	struct io_uring_probe *p = calloc(1, sizeof *p + 256 * sizeof p->ops[0]);
	unsigned features = 0;
	int truth;
	struct up_report *r;

	CHECK(p != NULL, "test setup: out of memory");
	truth = kernel_truth(&features, p, 256);
	r = probe();
	if (truth < 0) {
		CHECK(r->available == 0, "io_uring_setup fails here with %s, "
		      "but the report says available", strerror(-truth));
		CHECK_INT("error in the report (io_uring_setup's errno)", -truth,
			  r->error);
		free(p);
		return;
	}
	CHECK(r->available == 1, "io_uring works here, but the report says "
	      "unavailable (error %d)", r->error);
	CHECK_UINT("features (io_uring_params.features)", features, r->features);
	CHECK_UINT("last_op (IORING_REGISTER_PROBE)", p->last_op, r->last_op);
	for (unsigned i = 0; i < p->ops_len; i++) {
		unsigned op = p->ops[i].op;
		int want = (p->ops[i].flags & IO_URING_OP_SUPPORTED) != 0;

		CHECK(r->supported[op] == want && up_supports(r, op) == want,
		      "opcode %u (%s): the kernel says %s, the report says "
		      "supported[] = %d, up_supports() = %d", op,
		      up_op_name(op) ? up_op_name(op) : "?",
		      want ? "supported" : "not supported", r->supported[op],
		      up_supports(r, op));
	}
	CHECK(!up_supports(r, r->last_op + 1), "up_supports(last_op + 1) "
	      "must be 0");
	free(p);
}

static void blocked(int err)
{
	struct up_report *r;
	int ret;
	char buf[512];
	FILE *f;

	ret = sf_block(SYS_io_uring_setup, err);
	CHECK(ret == 0, "test setup: seccomp filter: %s", strerror(-ret));
	r = probe();
	CHECK(r->available == 0, "io_uring_setup fails with %s (a seccomp "
	      "filter, as in a container), but the report says available",
	      strerror(err));
	CHECK(r->error == err, "io_uring_setup fails with errno %d (%s); the "
	      "report's error is %d", err, strerror(err), r->error);
	CHECK(memchr(r->why, '\0', sizeof r->why) && strlen(r->why) >= 10,
	      "the report's why must be a line of explanation (at least 10 "
	      "characters), got \"%.*s\"", (int)sizeof r->why, r->why);
	CHECK(!up_supports(r, IORING_OP_NOP), "up_supports(NOP) with io_uring "
	      "unavailable must be 0");
	f = fmemopen(buf, sizeof buf, "w");
	up_print(r, f);
	fclose(f);
	{
		char want[400];

		snprintf(want, sizeof want, "io_uring: unavailable: %s (errno %d): "
			 "%s\n", strerror(err), err, r->why);
		CHECK_STR("up_print() of an unavailable io_uring", want, buf);
	}
}

TEST(probe_blocked_eperm)
{
	blocked(EPERM);
}

TEST(probe_blocked_enosys)
{
	blocked(ENOSYS);
}

TEST(probe_op_names)
{
	static const struct {
		unsigned op;
		const char *name;
	} known[] = {
		{IORING_OP_NOP, "NOP"}, {IORING_OP_READV, "READV"},
		{IORING_OP_WRITEV, "WRITEV"}, {IORING_OP_FSYNC, "FSYNC"},
		{IORING_OP_READ_FIXED, "READ_FIXED"},
		{IORING_OP_TIMEOUT, "TIMEOUT"}, {IORING_OP_ACCEPT, "ACCEPT"},
		{IORING_OP_OPENAT, "OPENAT"}, {IORING_OP_STATX, "STATX"},
		{IORING_OP_READ, "READ"}, {IORING_OP_WRITE, "WRITE"},
		{IORING_OP_SPLICE, "SPLICE"}, {IORING_OP_SOCKET, "SOCKET"},
		{IORING_OP_SENDMSG_ZC, "SENDMSG_ZC"},
	};

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		const char *got = up_op_name(known[i].op);
		char what[64];

		snprintf(what, sizeof what, "up_op_name(%u)", known[i].op);
		CHECK_STR(what, known[i].name, got ? got : "(NULL)");
	}
	for (unsigned op = 0; op < IORING_OP_LAST; op++)
		CHECK(up_op_name(op) != NULL, "up_op_name(%u) is NULL: every "
		      "opcode below IORING_OP_LAST has a name", op);
	CHECK(up_op_name(IORING_OP_LAST) == NULL && up_op_name(1000) == NULL,
	      "up_op_name() of IORING_OP_LAST and of 1000 must be NULL");
}

TEST(probe_print_available)
{
	struct up_report r;
	char *text = NULL, want[128];
	size_t len = 0;
	FILE *f;

	/* A made-up report: the format, whatever this kernel has. */
	memset(&r, 0, sizeof r);
	r.available = 1;
	r.features = 0x1234;
	r.last_op = IORING_OP_LAST + 1;
	r.supported[IORING_OP_NOP] = 1;
	r.supported[IORING_OP_READ] = 1;
	r.supported[IORING_OP_LAST + 1] = 1;
	f = open_memstream(&text, &len);
	up_print(&r, f);
	fclose(f);
	snprintf(want, sizeof want, "io_uring: available, features 0x1234, "
		 "last op %u\n", IORING_OP_LAST + 1);
	CHECK(strncmp(text, want, strlen(want)) == 0, "up_print(): first line "
	      "\"%.60s\", expected \"%s\"", text, want);
	CHECK(strstr(text, "\nNOP              yes\n") &&
	      strstr(text, "\nREADV            no\n") &&
	      strstr(text, "\nREAD             yes\n"),
	      "up_print(): expected lines \"%%-16s yes|no\" per opcode, such "
	      "as \"NOP              yes\"; got:\n%.400s", text);
	snprintf(want, sizeof want, "\nop %u%*s yes\n", IORING_OP_LAST + 1,
		 IORING_OP_LAST + 1 >= 100 ? 10 : 11, "");
	CHECK(strstr(text, want) != NULL, "up_print(): an opcode without a "
	      "name is printed as \"op N\", padded to 16: expected \"%s\"",
	      want + 1);
	free(text);
}

TEST(probe_no_leak)
{
	int before = tu_fd_count();

	for (int i = 0; i < 50; i++)
		probe();
	CHECK_INT("open descriptors after 50 up_probe() calls", before,
		  tu_fd_count());
	CHECK_INT("up_probe(NULL)", -EINVAL, up_probe(NULL));
}
