/* grader/machine.c - see machine.h. */
#define _GNU_SOURCE
#include "machine.h"
#include "util.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int cpus_allowed(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	return CPU_COUNT(&set);
}

/* Containers and hardened kernels often refuse io_uring_setup. */
static const char *io_uring_refused(void)
{
	struct io_uring_params p;
	long fd;

	memset(&p, 0, sizeof p);
	fd = syscall(__NR_io_uring_setup, 1, &p);
	if (fd >= 0) {
		close((int)fd);
		return NULL;
	}
	return strerror(errno);
}

static bool has_cpu_flag(const char *flag)
{
	char *info = read_file("/proc/cpuinfo", NULL), *line;
	bool found = false;

	if (!info)
		return false;
	if ((line = strstr(info, "\nflags"))) {
		char *end = strchr(line + 1, '\n'), *colon = strchr(line, ':');
		if (end)
			*end = '\0';
		for (char *w = colon ? strtok(colon + 1, " \t") : NULL; w && !found;
		     w = strtok(NULL, " \t"))
			found = !strcmp(w, flag);
	}
	free(info);
	return found;
}

char *machine_lacks(const struct strlist *req)
{
	for (size_t i = 0; i < req->n; i++) {
		const char *r = req->v[i];
		const char *why;
		if (!strncmp(r, "cpus:", 5)) {
			int want = atoi(r + 5), have = cpus_allowed();
			if (have < want)
				return xasprintf("needs %d CPUs; this process may use %d",
						 want, have);
		} else if (!strcmp(r, "io_uring")) {
			if ((why = io_uring_refused()))
				return xasprintf("needs io_uring, which this kernel "
						 "refuses (%s)", why);
		} else if (!has_cpu_flag(r)) {
			return xasprintf("needs the CPU feature %s, which this "
					 "machine lacks", r);
		}
	}
	return NULL;
}

char *machine_check_names(const struct strlist *req)
{
	static const char *flags[] = {"avx", "avx2", "fma", "bmi2", "cx16",
				      "sse4_2", "popcnt", NULL};

	for (size_t i = 0; i < req->n; i++) {
		const char *r = req->v[i];
		bool ok = (!strncmp(r, "cpus:", 5) && atoi(r + 5) > 0) ||
			  !strcmp(r, "io_uring");
		for (const char **f = flags; *f && !ok; f++)
			ok = !strcmp(r, *f);
		if (!ok)
			return xasprintf("unknown requirement '%s' (cpus:N, io_uring, "
					 "avx, avx2, fma, bmi2, cx16, sse4_2, popcnt)", r);
	}
	return NULL;
}
