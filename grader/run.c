/*
 * grader/run.c - see run.h.  The order of defences, outermost first:
 *
 *   deadline   the parent polls with a wall-clock limit and, when it
 *              passes, kills the process group, the cgroup and (through
 *              bubblewrap's PID namespace) every process the test made;
 *   bubblewrap read-only root, private /tmp, no network, new session;
 *   cgroup     pids.max, so a fork bomb meets a wall, not the machine;
 *   rlimits    CPU seconds, file size, open files, address space.
 */
#define _GNU_SOURCE
#include "run.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define RESULT_FD 3	      /* where the child finds the result channel */
#define PIDS_MAX 256	      /* threads count too: keep room for labs */
#define RECORDS_CAP (1 << 20) /* a test has no reason to say more */

static bool use_bwrap;
static char *cgroup_base; /* our own cgroup directory, or NULL */
static unsigned run_serial;

static int spawn_wait(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool bwrap_works(void)
{
	char *argv[] = {"bwrap", "--ro-bind", "/", "/", "--dev", "/dev",
			"--proc", "/proc", "--tmpfs", "/tmp", "--unshare-all",
			"--die-with-parent", "--new-session", "true", NULL};

	return spawn_wait(argv) == 0;
}

static bool write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

/* A cgroup of our own with the pids controller: v1 layout first (a pids
 * hierarchy), then v2 (unified, controller enabled in the parent). */
static char *make_cgroup(void)
{
	const char *roots[] = {"/sys/fs/cgroup/pids", "/sys/fs/cgroup"};

	if (geteuid() != 0)
		return NULL;
	for (size_t i = 0; i < 2; i++) {
		char *dir = xasprintf("%s/workbook-grader-%d", roots[i], getpid());
		char *max = xasprintf("%s/pids.max", dir);
		if (i == 1) {
			char *ctl = xasprintf("%s/cgroup.subtree_control", roots[i]);
			write_text(ctl, "+pids");
			free(ctl);
		}
		if (mkdir(dir, 0755) == 0 && file_exists(max)) {
			free(max);
			return dir;
		}
		rmdir(dir);
		free(max);
		free(dir);
	}
	return NULL;
}

static void drop_cgroup(void)
{
	if (cgroup_base)
		rmdir(cgroup_base);
}

const char *run_setup(bool allow_sandbox)
{
	static char what[256];

	use_bwrap = allow_sandbox && bwrap_works();
	cgroup_base = make_cgroup();
	if (cgroup_base)
		atexit(drop_cgroup);
	snprintf(what, sizeof what, "%s; %s",
		 use_bwrap ? "bubblewrap (read-only system, private /tmp, "
			     "no network, own PID namespace)"
			   : "REDUCED: bubblewrap unavailable, so no "
			     "filesystem or network isolation",
		 cgroup_base ? "cgroup process limit"
			     : "process limit by RLIMIT_NPROC only");
	return what;
}

bool run_sandboxed(void)
{
	return use_bwrap;
}

/* Kill every process left in a run's cgroup, then remove it. */
static bool cgroup_hit_limit(const char *dir)
{
	char *events = xasprintf("%s/pids.events", dir), *text, *at;
	bool hit = false;

	if ((text = read_file(events, NULL))) {
		at = strstr(text, "max ");
		hit = at && atol(at + 4) > 0;
		free(text);
	}
	free(events);
	return hit;
}

/* Kill every process left in a run's cgroup, then remove it. */
static void cgroup_clear(const char *dir, bool *hit_limit)
{
	char *procs = xasprintf("%s/cgroup.procs", dir), *text;

	*hit_limit = *hit_limit || cgroup_hit_limit(dir);
	for (int tries = 0; tries < 200; tries++) {
		bool any = false;
		if (!(text = read_file(procs, NULL)))
			break;
		for (char *p = text; *p;) {
			char *end;
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			kill((pid_t)pid, SIGKILL);
			any = true;
			p = end + (*end != '\0');
		}
		free(text);
		if (!any || rmdir(dir) == 0)
			break;
		usleep(5000);
	}
	rmdir(dir);
	free(procs);
}

static void set_limit(int what, rlim_t soft, rlim_t hard)
{
	struct rlimit r = {soft, hard};

	setrlimit(what, &r);
}

static char **sandbox_argv(const struct run_spec *s)
{
	char **v = NULL;
	size_t n = 0;
	const char *fixed[] = {"bwrap", "--ro-bind", "/", "/", "--dev", "/dev",
			       "--proc", "/proc", "--tmpfs", "/tmp"};

	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		*PUSH(v, n) = (char *)fixed[i];
	/* --tmpfs /tmp hides anything under /tmp, such as a CI clone:
	 * mount the read-only paths and the work directory back on top. */
	for (const char *const *p = s->ro; p && *p; p++) {
		*PUSH(v, n) = "--ro-bind";
		*PUSH(v, n) = (char *)*p;
		*PUSH(v, n) = (char *)*p;
	}
	const char *tail[] = {"--bind", s->cwd, s->cwd, "--chdir", s->cwd,
			      "--unshare-all", "--die-with-parent",
			      "--new-session", "--"};
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
		*PUSH(v, n) = (char *)tail[i];
	for (char *const *a = s->argv; *a; a++)
		*PUSH(v, n) = *a;
	*PUSH(v, n) = NULL;
	return v;
}

static char **child_env(const struct run_spec *s)
{
	char **v = NULL;
	size_t n = 0;

	for (char *const *e = s->env; e && *e; e++)
		*PUSH(v, n) = *e;
	if (s->want_records) {
		*PUSH(v, n) = xasprintf("WB_RESULT_FD=%d", RESULT_FD);
		*PUSH(v, n) = xasprintf("WB_TOKEN=%s", s->token);
	}
	*PUSH(v, n) = NULL;
	return v;
}

_Noreturn static void child(const struct run_spec *s, const char *cg,
			    int out_w, int rec_w)
{
	char **argv = use_bwrap ? sandbox_argv(s) : (char **)s->argv;
	char **env = child_env(s);
	rlim_t cpu = (rlim_t)s->timeout + 2;
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (cg) {
		char *procs = xasprintf("%s/cgroup.procs", cg), pid[32];
		snprintf(pid, sizeof pid, "%d", getpid());
		write_text(procs, pid);
	} else {
		set_limit(RLIMIT_NPROC, 4096, 4096);
	}
	set_limit(RLIMIT_CPU, cpu, cpu + 1);
	set_limit(RLIMIT_FSIZE, 256 << 20, 256 << 20);
	set_limit(RLIMIT_CORE, 0, 0);
	set_limit(RLIMIT_NOFILE, 1024, 1024);
	if (s->limit_memory)
		set_limit(RLIMIT_AS, (rlim_t)RUN_MEMORY_MB << 20, (rlim_t)RUN_MEMORY_MB << 20);
	dup2(null, 0);
	dup2(out_w, 1);
	dup2(out_w, 2);
	if (rec_w >= 0)
		dup2(rec_w, RESULT_FD);
	syscall(SYS_close_range, rec_w >= 0 ? RESULT_FD + 1 : 3, ~0U, 0);
	if (chdir(s->cwd) < 0)
		_exit(126);
	execvpe(argv[0], argv, env);
	dprintf(2, "grader: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Read what is there; keep up to cap bytes, count the rest. */
static bool drain(int fd, struct buf *b, size_t cap, size_t *total)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof chunk);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (total)
		*total += (size_t)n;
	if (b->len < cap)
		buf_add(b, chunk, (size_t)n < cap - b->len ? (size_t)n : cap - b->len);
	return true;
}

static void kill_all(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

static bool wait_child(pid_t pid, struct run_result *res, int flags)
{
	return waitpid(pid, &res->status, flags) == pid;
}

static long peak_rss_kb(long pid)
{
	char *path = xasprintf("/proc/%ld/status", pid), *text, *at;
	long kb = 0;

	if ((text = read_file(path, NULL))) {
		if ((at = strstr(text, "VmHWM:")))
			kb = atol(at + 6);
		free(text);
	}
	free(path);
	return kb;
}

/* Sample the peak resident memory of the run's processes.  The child's
 * own rusage cannot tell it: under bubblewrap the child is bwrap, and
 * the test is its grandchild.  A sample every 100 ms misses little of a
 * high-water mark that only grows. */
static void sample_memory(const char *cg, pid_t pid, struct run_result *res)
{
	char *procs = cg ? xasprintf("%s/cgroup.procs", cg) : NULL;
	char *text = procs ? read_file(procs, NULL) : NULL;
	long kb;

	if (!text) {
		kb = peak_rss_kb(pid);
		if (kb > res->max_rss_kb)
			res->max_rss_kb = kb;
	}
	for (char *p = text; p && *p;) {
		char *end;
		long id = strtol(p, &end, 10);
		if (end == p)
			break;
		if ((kb = peak_rss_kb(id)) > res->max_rss_kb)
			res->max_rss_kb = kb;
		p = end + (*end != '\0');
	}
	free(text);
	free(procs);
}

/* A run being watched by the parent. */
struct watch {
	const struct run_spec *s;
	struct run_result *res;
	pid_t pid;
	int pidfd, out, rec;
	bool out_open, rec_open, exited;
	char *cg;
	struct buf ob, rb;
	double deadline;
};

/* A fresh cgroup for one run, capped at PIDS_MAX processes. */
static char *new_run_cgroup(void)
{
	char *cg, *max, n[16];

	if (!cgroup_base)
		return NULL;
	cg = xasprintf("%s/run%u", cgroup_base, ++run_serial);
	max = xasprintf("%s/pids.max", cg);
	snprintf(n, sizeof n, "%d", PIDS_MAX);
	if (mkdir(cg, 0755) < 0 || !write_text(max, n))
		free(cg), cg = NULL;
	free(max);
	return cg;
}

/* One turn of the watch: wait for output or the child's end at most
 * 100 ms (to look for a fork bomb and sample memory that often), then
 * act.  False when the run is over. */
static bool watch_step(struct watch *w)
{
	struct pollfd p[3] = {{w->out_open ? w->out : -1, POLLIN, 0},
			      {w->rec_open ? w->rec : -1, POLLIN, 0},
			      {w->exited ? -1 : w->pidfd, POLLIN, 0}};
	double left = w->deadline - now_seconds();
	int wait_ms = w->pidfd >= 0 ? (int)(left * 1000) + 1 : 20;

	if (w->exited && !w->out_open && !w->rec_open)
		return false;
	if (left <= 0) {
		w->res->timed_out = !w->exited;
		return false;
	}
	if (poll(p, 3, wait_ms > 100 ? 100 : wait_ms) < 0 && errno != EINTR)
		return false;
	if (!w->exited) {
		sample_memory(w->cg, w->pid, w->res);
		if (w->cg && cgroup_hit_limit(w->cg)) {
			w->res->hit_pid_limit = true;
			kill_all(w->pid);
		}
	}
	if (p[0].revents)
		w->out_open = drain(w->out, &w->ob, w->s->output_cap, &w->res->output_total);
	if (p[1].revents)
		w->rec_open = drain(w->rec, &w->rb, RECORDS_CAP, NULL);
	if (!w->exited && wait_child(w->pid, w->res, WNOHANG)) {
		w->exited = true;
		/* The test is over: whatever it left behind goes, and the
		 * pipes it held close with it.  A second to drain them. */
		kill(-w->pid, SIGKILL);
		if (w->cg)
			cgroup_clear(w->cg, &w->res->hit_pid_limit);
		w->deadline = now_seconds() + 1.0;
	}
	return true;
}

/* Kill what is left, reap, and hand over what was read. */
static void watch_end(struct watch *w)
{
	if (!w->exited) {
		kill_all(w->pid);
		wait_child(w->pid, w->res, 0);
	}
	if (w->cg) {
		cgroup_clear(w->cg, &w->res->hit_pid_limit);
		free(w->cg);
	}
	if (w->pidfd >= 0)
		close(w->pidfd);
	close(w->out);
	if (w->rec >= 0)
		close(w->rec);
	w->res->output = clean_text(w->ob.p ? w->ob.p : "", w->ob.len);
	free(w->ob.p);
	w->res->records_len = w->rb.len;
	w->res->records = buf_take(&w->rb);
}

int run(const struct run_spec *s, struct run_result *res)
{
	int out[2], rec[2] = {-1, -1};
	double start = now_seconds();
	struct watch w = {.s = s, .res = res, .out_open = true,
			  .rec_open = s->want_records,
			  .deadline = start + s->timeout};

	memset(res, 0, sizeof *res);
	if (pipe2(out, O_CLOEXEC) < 0 ||
	    (s->want_records && pipe2(rec, O_CLOEXEC) < 0))
		return -1;
	w.cg = new_run_cgroup();
	fflush(NULL);
	w.pid = fork();
	if (w.pid == 0)
		child(s, w.cg, out[1], rec[1]);
	close(out[1]);
	if (rec[1] >= 0)
		close(rec[1]);
	w.out = out[0];
	w.rec = rec[0];
	if (w.pid < 0) {
		close(w.out);
		if (w.rec >= 0)
			close(w.rec);
		free(w.cg);
		return -1;
	}
	setpgid(w.pid, w.pid); /* also here: no race with a kill below */
	w.pidfd = (int)syscall(SYS_pidfd_open, w.pid, 0);
	while (watch_step(&w))
		;
	watch_end(&w);
	res->seconds = now_seconds() - start;
	return 0;
}

void run_result_free(struct run_result *res)
{
	free(res->output);
	free(res->records);
	memset(res, 0, sizeof *res);
}
