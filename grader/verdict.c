/*
 * grader/verdict.c - turning what a test process did into a verdict.
 *
 * Only the result channel counts, and only records carrying this run's
 * token.  A "pass" record is necessary but not sufficient: the process
 * must then also exit with status 0, because LeakSanitizer and friends
 * speak at exit, after the test body returned.  Everything else is a
 * failure whose reason names what happened, in the student's terms.
 */
#define _GNU_SOURCE
#include "result.h"
#include "run.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct records {
	bool started, passed;
	char *fail, *todo, *skip; /* payloads of the terminal records */
	struct buf notes;
	double metric;
	bool has_metric;
};

static void on_record(struct records *rs, const char *type, const char *p,
		      const char *metric)
{
	if (!strcmp(type, "start"))
		rs->started = true;
	else if (!strcmp(type, "pass"))
		rs->passed = true;
	else if (!strcmp(type, "fail") && !rs->fail)
		rs->fail = xstrdup(p);
	else if (!strcmp(type, "todo") && !rs->todo)
		rs->todo = xstrdup(p);
	else if (!strcmp(type, "skip") && !rs->skip)
		rs->skip = xstrdup(p);
	else if (!strcmp(type, "note"))
		buf_printf(&rs->notes, "%s\n", p);
	else if (!strcmp(type, "metric") && metric) {
		size_t k = strlen(metric);
		if (!strncmp(p, metric, k) && p[k] == ' ') {
			rs->metric = strtod(p + k + 1, NULL);
			rs->has_metric = true;
		}
	}
}

/* Records are "<type> <token> <len>\n<payload>"; anything malformed or
 * with another token ends parsing: the channel is not to be trusted
 * after it. */
static void parse_records(struct records *rs, const char *p, size_t n,
			  const char *token, const char *metric)
{
	const char *end = p + n;

	while (p < end) {
		char type[16], tok[64];
		size_t len;
		int used;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || nl - p > 100)
			return;
		char *head = xasprintf("%.*s", (int)(nl - p), p);
		int ok = sscanf(head, "%15s %63s %zu%n", type, tok, &len, &used) == 3;
		free(head);
		if (!ok || strcmp(tok, token) || len > (size_t)(end - nl - 1))
			return;
		char *payload = clean_text(nl + 1, len);
		on_record(rs, type, payload, metric);
		free(payload);
		p = nl + 1 + len;
		/* Nothing after the verdict counts: student atexit handlers and
		 * destructors run after "pass", and could report a metric. */
		if (!strcmp(type, "pass") || !strcmp(type, "fail") ||
		    !strcmp(type, "todo") || !strcmp(type, "skip"))
			return;
	}
}

static const char *sanitizer_said(const char *out)
{
	if (strstr(out, "rss limit exhausted"))
		return "ran out of memory: more than 4 GiB resident "
		       "(allocating without bound, or a leak in a loop?)";
	if (strstr(out, "ERROR: LeakSanitizer"))
		return "LeakSanitizer: memory leaked";
	if (strstr(out, "ERROR: AddressSanitizer"))
		return "AddressSanitizer found a memory error";
	if (strstr(out, "runtime error:"))
		return "UndefinedBehaviorSanitizer found undefined behaviour";
	if (strstr(out, "WARNING: ThreadSanitizer"))
		return "ThreadSanitizer found a data race";
	if (strstr(out, "ERROR: ThreadSanitizer"))
		return "ThreadSanitizer reported an error";
	return NULL;
}

/* The sanitizer's key lines: the first report line and the SUMMARY. */
static char *sanitizer_excerpt(const char *out)
{
	struct buf b = {0};
	const char *keys[] = {"ERROR: ", "runtime error:", "WARNING: ThreadSanitizer",
			      "    #0 ", "    #1 ", "    #2 ", "SUMMARY: "};

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *at = strstr(out, keys[i]);
		if (!at)
			continue;
		while (at > out && at[-1] != '\n')
			at--;
		const char *nl = strchr(at, '\n');
		int len = nl ? (int)(nl - at) : (int)strlen(at);
		buf_printf(&b, "%.*s\n", len > 300 ? 300 : len, at);
	}
	return buf_take(&b);
}

static char *signal_reason(int sig)
{
	const char *why = "";

	if (sig == SIGSEGV || sig == SIGBUS)
		why = ": a bad memory access (null or wild pointer, read past "
		      "the end of a mapping, or stack overflow)";
	else if (sig == SIGABRT)
		why = ": abort() was called (a failed assert()?)";
	else if (sig == SIGXCPU)
		why = ": used up its CPU time limit";
	else if (sig == SIGXFSZ)
		why = ": wrote a file larger than the limit";
	else if (sig == SIGFPE)
		why = ": arithmetic error (division by zero?)";
	return xasprintf("crashed with SIG%s%s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", why);
}

/* Exit status as the test itself saw it: bubblewrap reports a child
 * killed by signal N as exit status 128+N. */
static void decode_status(int status, int *code, int *sig)
{
	*code = -1;
	*sig = 0;
	if (WIFSIGNALED(status))
		*sig = WTERMSIG(status);
	else if (WIFEXITED(status))
		*code = WEXITSTATUS(status);
	if (run_sandboxed() && *code > 128 && *code < 128 + 65)
		*sig = *code - 128, *code = -1;
}

static void classify_failure(struct test_result *t, const struct run_result *r,
			     const struct records *rs, double timeout)
{
	const char *san = sanitizer_said(r->output);
	int code, sig;

	decode_status(r->status, &code, &sig);
	if (r->max_rss_kb > RUN_MEMORY_MB * 1024L * 85 / 100) {
		t->reason = xasprintf("ran out of memory: it used %ld MiB, near "
				      "the limit of %d MiB (allocating without "
				      "bound, or a leak in a loop?)",
				      r->max_rss_kb / 1024, RUN_MEMORY_MB);
	} else if (r->hit_pid_limit) {
		t->reason = xstrdup("forked without bound: the test hit the "
				    "limit on processes, so fork() failed");
	} else if (r->timed_out) {
		t->reason = xasprintf("timed out after %.0f s and was killed "
				      "(an endless loop, a deadlock, or a wait "
				      "for input that never comes?)", timeout);
	} else if (san) {
		t->reason = xstrdup(san);
		t->message = sanitizer_excerpt(r->output);
	} else if (rs->todo) {
		t->reason = xstrdup("not implemented");
		t->message = xstrdup(rs->todo);
	} else if (rs->fail) {
		t->reason = xstrdup("check failed");
		t->message = xstrdup(rs->fail);
	} else if (sig) {
		t->reason = signal_reason(sig);
	} else if (!rs->started) {
		t->reason = xasprintf("the process ended (exit status %d) before "
				      "the test started: code in a constructor "
				      "called exit() or similar", code);
	} else if (rs->passed) {
		t->reason = xasprintf("the test body finished, but the process "
				      "then exited with status %d", code);
	} else {
		t->reason = xasprintf("the process exited with status %d in the "
				      "middle of the test: something called "
				      "exit() or _exit(), which never counts "
				      "as passing", code);
	}
}

void verdict_from_run(struct test_result *t, const struct run_result *r,
		      const char *token, double timeout, const char *metric)
{
	struct records rs = {0};
	int code, sig;

	parse_records(&rs, r->records, r->records_len, token, metric);
	decode_status(r->status, &code, &sig);
	t->seconds = r->seconds;
	t->output = xstrdup(r->output);
	t->notes = rs.notes.len ? buf_take(&rs.notes) : NULL;
	t->metric = rs.metric;
	t->has_metric = rs.has_metric;
	if (r->output_total > strlen(r->output) + 64)
		t->notes = xasprintf("%sprinted %zu bytes; only the first %zu "
				     "are kept\n", t->notes ? t->notes : "",
				     r->output_total, strlen(r->output));
	if (rs.skip && !r->timed_out && code == 0) {
		/* Student code can call wb_skip() as well as any test can, so
		 * a skip from inside the process is never believed: what a lab
		 * needs is declared in lab.conf (requires) and checked by the
		 * grader before the test runs. */
		t->verdict = V_FAIL;
		t->reason = xasprintf("the test skipped itself (%s) on a machine "
				      "that has what lab.conf requires; skips "
				      "from inside a test never count", rs.skip);
	} else if (rs.passed && !rs.fail && !rs.todo && !r->timed_out && code == 0) {
		t->verdict = V_PASS;
		t->reason = xstrdup("passed");
	} else {
		t->verdict = V_FAIL;
		classify_failure(t, r, &rs, timeout);
	}
	free(rs.fail), free(rs.todo), free(rs.skip), free(rs.notes.p);
}
