/*
 * icount.c - see wb/icount.h.
 *
 * The child is the same test binary run by hand ("--run NAME", which the
 * harness runs in-process and reports on stdout), with WB_ICOUNT_CHILD
 * set.  It dumps callgrind's counters twice, with client requests: after
 * the baseline's calls and after the candidate's.  Callgrind zeroes its
 * counters at each dump, so each dump file's "summary:" line is the
 * instructions of one side alone.
 */
#define _GNU_SOURCE
#include "wb/icount.h"
#include "wb/test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

static void count_in_child(const struct wb_icount *b, long calls)
{
	/* One call each first: lazy symbol binding and first touches of
	 * memory are not what is being compared. */
	b->baseline(b->arg);
	b->candidate(b->arg);
	CALLGRIND_ZERO_STATS;
	for (long i = 0; i < calls; i++)
		b->baseline(b->arg);
	CALLGRIND_DUMP_STATS_AT("baseline");
	for (long i = 0; i < calls; i++)
		b->candidate(b->arg);
	CALLGRIND_DUMP_STATS_AT("candidate");
	_exit(0);
}

/* The "summary: N" line of one callgrind dump file; -1 if none. */
static double read_summary(const char *path)
{
	char line[256];
	double n = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "summary:", 8) || !strncmp(line, "totals:", 7))
			n = strtod(strchr(line, ':') + 1, NULL);
	fclose(f);
	return n;
}

static int spawn_valgrind(const char *out, const char *log)
{
	char self[4096];
	char *argv[] = {"valgrind", "--tool=callgrind", "--quiet",
			(char *)out, self, "--run",
			(char *)wb_current_test(), NULL};
	int status;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	pid_t pid;

	/* The path itself, not /proc/self/exe: under valgrind that names
	 * valgrind's own tool binary. */
	if (n <= 0 || n == sizeof self - 1)
		return -1;
	self[n] = '\0';
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setenv("WB_ICOUNT_CHILD", "1", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void wb_icount_run(const struct wb_icount *b, struct wb_icount_result *r)
{
	long calls = b->calls > 0 ? b->calls : 1000;
	char out[64], log[64], dump[80];
	double base, cand;
	int rc;

	if (getenv("WB_ICOUNT_CHILD") && RUNNING_ON_VALGRIND)
		count_in_child(b, calls);
	snprintf(out, sizeof out, "--callgrind-out-file=icount.%d",
		 (int)getpid());
	snprintf(log, sizeof log, "icount.%d.log", (int)getpid());
	rc = spawn_valgrind(out, log);
	CHECK(rc == 0, "counting instructions: `valgrind --tool=callgrind` "
	      "ended with status %d%s (its output is in %s)", rc,
	      rc == 127 ? ", valgrind is not installed (make deps)" : "", log);
	snprintf(dump, sizeof dump, "icount.%d.1", (int)getpid());
	base = read_summary(dump);
	snprintf(dump, sizeof dump, "icount.%d.2", (int)getpid());
	cand = read_summary(dump);
	CHECK(base > 0 && cand > 0, "counting instructions: callgrind wrote "
	      "no usable counts (baseline %.0f, candidate %.0f)", base, cand);
	r->base_per_call = base / (double)calls;
	r->cand_per_call = cand / (double)calls;
	r->ratio = base / cand;
	wb_note("instructions per call (callgrind, %ld calls each): %s %.1f, "
		"%s %.1f; ratio %.2f", calls, b->baseline_name,
		r->base_per_call, b->candidate_name, r->cand_per_call, r->ratio);
}
