/*
 * common/test.c - the test harness behind wb/test.h.
 *
 * The grader runs "BINARY --run NAME" with WB_RESULT_FD naming a pipe it
 * reads and WB_TOKEN a random word.  Every record we write carries that
 * word, so text printed by student code, on any descriptor, cannot pass
 * for ours.  Records are "<type> <token> <length>\n<payload>":
 *
 *   start  the test began (its absence means a constructor ended the run)
 *   note   a line for the report
 *   metric "name value", compared with lab.conf thresholds
 *   fail   why the test failed; the process exits right after
 *   todo   the test reached a skeleton function
 *   skip   the machine cannot run this test, and why
 *   pass   the body returned: the only way to pass
 */
#define _GNU_SOURCE
#include "wb/test.h"
#include "wb/todo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct wb_test *tests;
static int result_fd = -1;
static char token[64] = "-";
static const char *current = "?";

const char *wb_current_test(void)
{
	return current;
}

void wb_register(struct wb_test *t)
{
	/* Keep file order: constructors run top to bottom. */
	struct wb_test **p = &tests;
	while (*p)
		p = &(*p)->next;
	t->next = NULL;
	*p = t;
}

/* Read and hide the channel before main, so code that runs later cannot
 * find the token in the environment. */
__attribute__((constructor(101))) static void wb_take_channel(void)
{
	const char *fd = getenv("WB_RESULT_FD"), *tok = getenv("WB_TOKEN");

	if (fd && tok && strlen(tok) < sizeof token) {
		result_fd = atoi(fd);
		strcpy(token, tok);
	}
	unsetenv("WB_RESULT_FD");
	unsetenv("WB_TOKEN");
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void record(const char *type, const char *payload, size_t len)
{
	char head[128];
	int n;

	if (result_fd < 0) {
		/* By hand: human-readable on stderr. */
		if (strcmp(type, "start") && strcmp(type, "pass"))
			fprintf(stderr, "  [%s] %.*s\n", type, (int)len, payload);
		return;
	}
	n = snprintf(head, sizeof head, "%s %s %zu\n", type, token, len);
	write_all(result_fd, head, (size_t)n);
	write_all(result_fd, payload, len);
}

static void vrecord(const char *type, const char *fmt, va_list ap)
{
	char buf[8192];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	record(type, buf, (size_t)n);
}

_Noreturn static void end(int status)
{
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

void wb_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[8192];
	va_list ap;
	int n = snprintf(msg, sizeof msg, "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	record("fail", msg, strlen(msg));
	end(1);
}

void wb_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord("skip", fmt, ap);
	va_end(ap);
	end(0);
}

void wb_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord("note", fmt, ap);
	va_end(ap);
}

void wb_metric(const char *name, double value)
{
	char buf[256];
	int n = snprintf(buf, sizeof buf, "%s %.17g", name, value);

	record("metric", buf, (size_t)n);
}

void wb_todo(const char *func, const char *file)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf,
			 "not implemented: %s() in %s still calls TODO()",
			 func, file);

	record("todo", buf, (size_t)n);
	end(1);
}

void wb_check_int(const char *f, int l, const char *what, intmax_t want,
		  intmax_t got)
{
	if (want != got)
		wb_fail(f, l, "%s: expected %jd, got %jd", what, want, got);
}

void wb_check_uint(const char *f, int l, const char *what, uintmax_t want,
		   uintmax_t got)
{
	if (want != got)
		wb_fail(f, l, "%s: expected %ju (0x%jx), got %ju (0x%jx)", what,
			want, want, got, got);
}

void wb_check_ptr(const char *f, int l, const char *what, const void *want,
		  const void *got)
{
	if (want != got)
		wb_fail(f, l, "%s: expected pointer %p, got %p", what, want,
			got);
}

/* Quote s for a message: C escapes for control bytes, at most 200. */
static void quote(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	if (!s) {
		snprintf(out, cap, "NULL");
		return;
	}
	out[o++] = '"';
	for (; *s && o + 8 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (o > 200) {
			o += (size_t)snprintf(out + o, cap - o, "...");
			break;
		}
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, cap - o, "\\%c", c);
		else if (c == '\n')
			o += (size_t)snprintf(out + o, cap - o, "\\n");
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	snprintf(out + o, cap - o, "\"");
}

void wb_check_str(const char *f, int l, const char *what, const char *want,
		  const char *got)
{
	char a[512], b[512];

	if (want == got || (want && got && strcmp(want, got) == 0))
		return;
	quote(a, sizeof a, want);
	quote(b, sizeof b, got);
	wb_fail(f, l, "%s:\n  expected %s\n  got      %s", what, a, b);
}

size_t wb_hexdump(char *out, size_t cap, const void *p, size_t len,
		  size_t mark)
{
	const unsigned char *b = p;
	size_t o = 0, start = 0, stop = len;

	/* Show at most 4 lines around the mark. */
	if (mark < len && len > 64) {
		start = mark >= 16 ? (mark / 16 - 1) * 16 : 0;
		stop = start + 64 < len ? start + 64 : len;
	} else if (len > 64) {
		stop = 64;
	}
	for (size_t i = start; i < stop && o + 100 < cap; i += 16) {
		o += (size_t)snprintf(out + o, cap - o, "    %04zx:", i);
		for (size_t j = i; j < i + 16 && j < stop; j++)
			o += (size_t)snprintf(out + o, cap - o,
					      j == mark ? "[%02x]" : " %02x ",
					      b[j]);
		out[o++] = '\n';
	}
	if (o < cap)
		out[o] = '\0';
	return o;
}

void wb_check_mem(const char *f, int l, const char *what, const void *want,
		  const void *got, size_t len)
{
	const unsigned char *a = want, *b = got;
	char x[1024], y[1024];
	size_t i = 0;

	if (!got)
		wb_fail(f, l, "%s: expected %zu bytes, got a NULL pointer",
			what, len);
	while (i < len && a[i] == b[i])
		i++;
	if (i == len)
		return;
	wb_hexdump(x, sizeof x, want, len, i);
	wb_hexdump(y, sizeof y, got, len, i);
	wb_fail(f, l,
		"%s: first difference at byte %zu of %zu "
		"(expected 0x%02x, got 0x%02x)\n  expected:\n%s  got:\n%s",
		what, i, len, a[i], b[i], x, y);
}

void wb_check_near(const char *f, int l, const char *what, double want,
		   double got, double tol)
{
	if (isnan(want) && isnan(got))
		return;
	if (!(fabs(want - got) <= tol))
		wb_fail(f, l, "%s: expected %.17g (within %g), got %.17g",
			what, want, tol, got);
}

static struct wb_test *find(const char *name)
{
	for (struct wb_test *t = tests; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static int run_one(struct wb_test *t)
{
	current = t->name;
	record("start", t->name, strlen(t->name));
	t->fn();
	record("pass", t->name, strlen(t->name));
	/* exit, not _exit: LeakSanitizer checks at exit, and a leak must
	 * fail the test (the grader wants exit status 0 after "pass"). */
	fflush(stdout);
	exit(0);
}

/* By hand: each test in a child, so one crash does not hide the rest. */
static int run_all(const char *argv0)
{
	int failed = 0, n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct wb_test *t = tests; t; t = t->next, n++) {
		int status;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0)
			run_one(t);
		if (pid < 0 || waitpid(pid, &status, 0) < 0) {
			perror(argv0);
			return 2;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok    %s\n", t->name);
		} else {
			failed++;
			if (WIFSIGNALED(status))
				printf("FAIL  %s (killed by signal %d: %s)\n",
				       t->name, WTERMSIG(status),
				       strsignal(WTERMSIG(status)));
			else
				printf("FAIL  %s\n", t->name);
		}
	}
	printf("%d passed, %d failed\n", n - failed, failed);
	return failed != 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (struct wb_test *t = tests; t; t = t->next)
			printf("%s\n", t->name);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--run") == 0) {
		struct wb_test *t = find(argv[2]);
		if (!t) {
			fprintf(stderr, "%s: no test named %s\n", argv[0],
				argv[2]);
			return 2;
		}
		return run_one(t);
	}
	if (argc == 1)
		return run_all(argv[0]);
	fprintf(stderr, "usage: %s [--list | --run NAME]\n", argv[0]);
	return 2;
}
