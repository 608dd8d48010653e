/*
 * grader/run.h - running an untrusted program and living to tell.
 *
 * The child gets its own process group (and, where bubblewrap works, its
 * own PID, network, IPC and mount namespaces with a read-only view of the
 * system), rlimits on CPU time, file size, open files and address space,
 * a cgroup capping its processes when we are root, and a wall-clock
 * deadline after which everything it started is killed.  Its output is
 * captured up to a cap and the rest drained, so flooding can neither fill
 * memory nor block it; the result records come on a separate pipe.
 */
#ifndef GRADER_RUN_H
#define GRADER_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct run_spec {
	char *const *argv;
	const char *cwd;	  /* writable directory the child runs in */
	const char *const *ro;	  /* extra paths visible read-only (sandbox) */
	char *const *env;	  /* full environment, NULL-terminated */
	double timeout;		  /* wall-clock seconds */
	size_t output_cap;	  /* bytes of output kept */
	bool limit_memory;	  /* RLIMIT_AS; off for sanitizer builds */
	bool want_records;	  /* open the result channel (WB_RESULT_FD) */
	const char *token;	  /* records must carry it */
};

struct run_result {
	int status;		/* from waitpid */
	bool timed_out;
	bool hit_pid_limit;	/* the cgroup refused a fork */
	double seconds;
	long max_rss_kb;	/* peak resident memory of the test process */
	char *output;		/* cleaned text (see clean_text) */
	size_t output_total;	/* bytes the child wrote in all */
	char *records;		/* raw result channel */
	size_t records_len;
};

/* Decide once how runs are isolated; returns a one-line description
 * such as "bubblewrap, cgroup pids limit" or "reduced: ...". */
const char *run_setup(bool allow_sandbox);
bool run_sandboxed(void);
/* The address-space limit of runs with limit_memory, in MiB. */
#define RUN_MEMORY_MB 2048

int run(const struct run_spec *spec, struct run_result *res);
void run_result_free(struct run_result *res);

#endif
