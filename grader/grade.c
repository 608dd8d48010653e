/*
 * grader/grade.c - see grade.h.
 *
 * The order matters and is the one a student needs: correctness first,
 * then the same tests again under the sanitizers, then performance, and
 * performance only for tasks that are already correct: a fast wrong
 * answer is worth nothing.
 */
#define _GNU_SOURCE
#include "grade.h"
#include "build.h"
#include "machine.h"
#include "run.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* Options every sanitizer run gets.  Exit codes stay non-zero, leaks are
 * errors, and a runaway allocation is refused rather than taking the
 * machine (RLIMIT_AS cannot be used with ASan's huge shadow mapping). */
static char *sanitizer_env[] = {
	"ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:"
	"allocator_may_return_null=1:malloc_limit_mb=2048:"
	"hard_rss_limit_mb=4096:print_summary=1",
	"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
	"TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1",
	NULL};

static void new_token(char *out)
{
	unsigned char r[12];

	if (getrandom(r, sizeof r, 0) != sizeof r)
		die("getrandom failed");
	for (size_t i = 0; i < sizeof r; i++)
		sprintf(out + 2 * i, "%02x", r[i]);
}

static char **run_env(const char *home, const struct part *p, bool sanitizer)
{
	char **v = NULL;
	size_t n = 0;

	*PUSH(v, n) = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	*PUSH(v, n) = xasprintf("HOME=%s", home);
	*PUSH(v, n) = xstrdup("LANG=C.UTF-8");
	*PUSH(v, n) = xstrdup("TMPDIR=/tmp");
	for (char **e = sanitizer_env; sanitizer && *e; e++)
		*PUSH(v, n) = xstrdup(*e);
	if (p && p->env) {
		char *copy = xstrdup(p->env), *save, *w;
		for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
			*PUSH(v, n) = xstrdup(w);
		free(copy);
	}
	*PUSH(v, n) = NULL;
	return v;
}

static void free_vec(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* Run one test of a built binary in its own scratch directory. */
static void run_test(struct test_result *t, struct build *b, const char *bin,
		     const char *mode, const struct part *env_part,
		     bool sanitizer, double timeout, const char *metric)
{
	char token[32], *cwd = xasprintf("%s/run/%s-%s", b->dir, mode, t->name);
	char *argv[] = {(char *)bin, "--run", t->name, NULL};
	const char *ro[] = {b->dir, NULL};
	char **env = run_env(cwd, env_part, sanitizer);
	struct run_result r;

	new_token(token);
	remove_tree(cwd);
	mkdirs(cwd);
	struct run_spec s = {.argv = argv, .cwd = cwd, .ro = ro, .env = env,
			     .timeout = timeout, .output_cap = 64 * 1024,
			     .limit_memory = !sanitizer, .want_records = true,
			     .token = token};
	if (run(&s, &r) < 0) {
		t->verdict = V_FAIL;
		t->reason = xstrdup("the grader could not start the test");
	} else {
		verdict_from_run(t, &r, token, timeout, metric);
		run_result_free(&r);
	}
	free_vec(env);
	free(cwd);
}

static struct test_result *add_test(struct part_result *pr, const char *name)
{
	struct test_result *t = PUSH(pr->tests, pr->ntests);

	memset(t, 0, sizeof *t);
	t->name = xstrdup(name);
	return t;
}

/* The first line of a build log says what failed; the rest is the
 * compiler's text, shown once per part. */
static void not_built(struct test_result *t, const char *log, bool first)
{
	const char *nl = strchr(log, '\n');
	int len = nl ? (int)(nl - log) : (int)strlen(log);

	t->verdict = V_FAIL;
	t->reason = xasprintf("not built: %.*s", len && log[len - 1] == ':' ? len - 1 : len, log);
	t->message = first && nl && nl[1] ? xstrdup(nl + 1) : NULL;
}

static void task_sources(const struct part *task, struct strlist *out)
{
	for (size_t i = 0; i < task->tests.n; i++)
		strlist_add(out, task->tests.v[i]);
	for (size_t i = 0; i < task->files.n; i++)
		strlist_add(out, task->files.v[i]);
	for (size_t i = 0; i < task->support.n; i++)
		strlist_add(out, task->support.v[i]);
}

/* Build a task in one mode and run each of its tests; the tests are
 * named by the test files, so their number never depends on the build. */
static void run_task(struct part_result *pr, struct build *b, const struct part *task,
		     const char *mode, const struct part *san)
{
	struct strlist src = {0}, names = {0};
	char *log, *bin, *binname = xasprintf("task%s", task->id);
	double timeout = san ? san->timeout : task->timeout;

	char *lacks = machine_lacks(&task->requires);
	if (!lacks && san)
		lacks = machine_lacks(&san->requires);
	task_sources(task, &src);
	bin = lacks ? NULL
		    : build_binary(b, binname, mode, san ? san->cflags : NULL,
				   san ? san->ldflags : NULL, &src, &log);
	for (size_t i = 0; i < task->tests.n; i++) {
		char *path = xasprintf("%s/lab/%s", b->dir, task->tests.v[i]);
		struct strlist more = scan_tests(path);
		for (size_t j = 0; j < more.n; j++)
			strlist_add(&names, more.v[j]);
		strlist_free(&more);
		free(path);
	}
	for (size_t i = 0; i < names.n; i++) {
		struct test_result *t = add_test(pr, names.v[i]);
		if (lacks) {
			t->verdict = V_SKIP;
			t->reason = xasprintf("skipped: %s", lacks);
		} else if (!bin)
			not_built(t, log, i == 0);
		else
			run_test(t, b, bin, mode, san ? san : task, san != NULL,
				 timeout, NULL);
	}
	free(bin), free(log), free(binname), free(lacks);
	strlist_free(&src), strlist_free(&names);
}

/* Split points over the tests that ran (skips leave the maximum). */
static void share_points(struct part_result *pr, double points)
{
	size_t counted = 0, passed = 0;

	for (size_t i = 0; i < pr->ntests; i++) {
		counted += pr->tests[i].verdict != V_SKIP;
		passed += pr->tests[i].verdict == V_PASS;
	}
	pr->max = counted ? points : 0;
	pr->score = counted ? points * (double)passed / (double)counted : 0;
	for (size_t i = 0; i < pr->ntests; i++) {
		struct test_result *t = &pr->tests[i];
		t->max = t->verdict == V_SKIP ? 0 : points / (double)counted;
		t->score = t->verdict == V_PASS ? t->max : 0;
	}
}

const char *kind_name(enum part_kind k)
{
	return k == PART_TASK ? "task" : k == PART_SANITIZER ? "sanitizer" : "bench";
}

static bool task_passed(struct lab_result *res, const char *id)
{
	for (size_t i = 0; i < res->nparts; i++) {
		struct part_result *pr = &res->parts[i];
		if (pr->part && pr->part->kind == PART_TASK && !strcmp(pr->part->id, id))
			return pr->max > 0 && pr->score >= pr->max - 1e-9;
	}
	return false;
}

/* A sanitizer pass reruns each task's tests.  Its points are shared by
 * task, all or nothing: undefined behaviour in one function spoils the
 * whole task's share, however many of its tests happen to survive. */
static void run_sanitizer(struct part_result *pr, struct build *b, struct lab *lab,
			  const struct part *san)
{
	size_t ntasks = 0, *first = NULL, *last = NULL, nb = 0;

	for (size_t i = 0; i < lab->nparts; i++) {
		const struct part *task = &lab->parts[i];
		/* A bonus task is rerun only when named: left out, it must
		 * not cost a student sanitizer points. */
		if (task->kind != PART_TASK ||
		    (san->tasks.n ? !strlist_has(&san->tasks, task->id)
				  : task->bonus))
			continue;
		*PUSH(first, ntasks) = pr->ntests;
		run_task(pr, b, task, san->id, san);
		*PUSH(last, nb) = pr->ntests;
	}
	/* A task the machine cannot run leaves the maximum with its share. */
	size_t counted = 0;
	for (size_t k = 0; k < ntasks; k++)
		counted += first[k] == last[k] || pr->tests[first[k]].verdict != V_SKIP;
	pr->max = counted ? san->points * (double)counted / (double)ntasks : 0;
	for (size_t k = 0; k < ntasks; k++) {
		size_t n = last[k] - first[k], bad = 0;
		if (n && pr->tests[first[k]].verdict == V_SKIP)
			continue;
		for (size_t i = first[k]; i < last[k]; i++)
			bad += pr->tests[i].verdict != V_PASS;
		for (size_t i = first[k]; i < last[k]; i++) {
			struct test_result *t = &pr->tests[i];
			t->max = san->points / (double)ntasks / (double)n;
			t->score = bad ? 0 : t->max;
		}
		pr->score += bad ? 0 : san->points / (double)ntasks;
	}
	free(first);
	free(last);
}

/* The share of a bench's points its metric earns: all or nothing
 * against min/max, or linear from `zero` to `full` (CS:APP's malloc lab
 * scores its performance index this way). */
static double bench_share(const struct part *bench, double m)
{
	if (bench->full != bench->zero) {
		double x = (m - bench->zero) / (bench->full - bench->zero);
		return x < 0 ? 0 : x > 1 ? 1 : x;
	}
	return m >= bench->min && (bench->max <= 0 || m <= bench->max);
}

static void bench_verdict(struct test_result *t, const struct part *bench)
{
	if (t->verdict != V_PASS)
		return;
	if (!t->has_metric) {
		t->verdict = V_FAIL;
		t->reason = xasprintf("the benchmark reported no '%s' figure",
				      bench->metric);
		return;
	}
	double share = bench_share(bench, t->metric);
	free(t->reason);
	t->score = share * bench->points;
	if (share < 1)
		t->verdict = V_FAIL;
	if (bench->full != bench->zero)
		t->reason = xasprintf("%s = %.3f: %.1f of %.1f points (none at %.2f, "
				      "all from %.2f)", bench->metric, t->metric,
				      t->score, bench->points, bench->zero, bench->full);
	else if (bench->max > 0 && t->metric > bench->max)
		t->reason = xasprintf("%s = %.2f, needs <= %.2f", bench->metric,
				      t->metric, bench->max);
	else
		t->reason = xasprintf("%s = %.2f, needs >= %.2f", bench->metric,
				      t->metric, bench->min);
}

static void run_bench(struct part_result *pr, struct lab_result *res,
		      struct build *b, const struct part *bench, bool skip)
{
	struct test_result *t = add_test(pr, bench->test);
	struct strlist src = {0};
	char *log, *bin;

	char *lacks = machine_lacks(&bench->requires);
	if (skip || lacks) {
		t->verdict = V_SKIP;
		t->reason = lacks ? xasprintf("skipped: %s", lacks)
				  : xstrdup("skipped: benchmarks were not asked for (--no-bench)");
		free(lacks);
		return;
	}
	pr->max = bench->points;
	for (size_t i = 0; i < bench->tasks.n; i++) {
		if (task_passed(res, bench->tasks.v[i]))
			continue;
		t->verdict = V_FAIL;
		t->reason = xasprintf("not run: task %s must pass all its tests "
				      "first (speed counts only for correct "
				      "code)", bench->tasks.v[i]);
		return;
	}
	for (size_t i = 0; i < bench->files.n; i++)
		strlist_add(&src, bench->files.v[i]);
	for (size_t i = 0; i < bench->tasks.n; i++) {
		const struct part *task = lab_task(res->lab, bench->tasks.v[i]);
		for (size_t j = 0; j < task->files.n; j++)
			strlist_add(&src, task->files.v[j]);
		for (size_t j = 0; j < task->support.n; j++)
			if (!strlist_has(&src, task->support.v[j]))
				strlist_add(&src, task->support.v[j]);
	}
	char *name = xasprintf("bench-%s", bench->id);
	if (!(bin = build_binary(b, name, "normal", NULL, NULL, &src, &log)))
		not_built(t, log, true);
	else
		run_test(t, b, bin, "normal", bench, false, bench->timeout,
			 bench->metric);
	bench_verdict(t, bench);
	if (t->verdict == V_SKIP)
		pr->max = 0;
	if (!t->has_metric || t->verdict == V_SKIP)
		t->score = 0;
	pr->score = t->score;
	t->max = pr->max;
	free(bin), free(log), free(name);
	strlist_free(&src);
}

static void next_step(struct lab_result *res, const struct grade_opts *o)
{
	for (size_t i = 0; i < res->nparts; i++) {
		struct part_result *pr = &res->parts[i];
		const struct part *p = pr->part;
		if (p->kind != PART_TASK || p->bonus || pr->score >= pr->max - 1e-9)
			continue;
		res->next = xasprintf("edit %s/%s/%s (task %s: %s); read "
				      "labs/%s/README.md",
				      o->src_label, res->name, p->files.n ? p->files.v[0] : "",
				      p->id, p->title, res->name);
		return;
	}
	for (size_t i = 0; i < res->nparts; i++)
		if (!res->parts[i].part->bonus &&
		    res->parts[i].score < res->parts[i].max - 1e-9) {
			res->next = xasprintf("see the failures of '%s' above; "
					      "labs/%s/README.md explains how "
					      "it is measured",
					      res->parts[i].part->title, res->name);
			return;
		}
}

static void tally(struct lab_result *res)
{
	for (size_t i = 0; i < res->nparts; i++) {
		struct part_result *pr = &res->parts[i];
		res->score += pr->score;
		if (pr->part->bonus)
			res->bonus_max += pr->max;
		else
			res->max += pr->max;
		for (size_t j = 0; j < pr->ntests; j++) {
			enum verdict v = pr->tests[j].verdict;
			res->passed += v == V_PASS;
			res->failed += v == V_FAIL;
			res->skipped += v == V_SKIP;
		}
	}
	if (res->score > res->max + res->bonus_max) /* cannot happen */
		res->score = res->max + res->bonus_max;
}

void grade_lab(struct lab_result *res, const char *lab_dir, const char *src_lab,
	       const struct grade_opts *o)
{
	struct build b;
	char *err, *dir;
	double start = now_seconds();
	const char *slash = strrchr(lab_dir, '/');

	memset(res, 0, sizeof *res);
	res->name = xstrdup(slash ? slash + 1 : lab_dir);
	if (!(res->lab = lab_load(lab_dir, &err))) {
		res->error = err;
		return;
	}
	if (o->tasks && o->tasks->n && (err = lab_select_tasks(res->lab, o->tasks))) {
		res->error = err;
		return;
	}
	dir = xasprintf("%s/%s", o->build_dir, res->name);
	if (build_prepare(&b, res->lab, o->root, src_lab, dir) < 0)
		res->error = xasprintf("could not prepare %s", dir);
	res->notes = b.notes ? xstrdup(b.notes) : NULL;
	res->parts = calloc(res->lab->nparts, sizeof *res->parts);
	res->nparts = res->lab->nparts;
	/* Tasks first, whatever the file's order: benches need their verdicts. */
	for (int kind = PART_TASK; kind <= PART_BENCH && !res->error; kind++)
		for (size_t i = 0; i < res->lab->nparts; i++) {
			struct part_result *pr = &res->parts[i];
			const struct part *p = &res->lab->parts[i];
			if ((int)p->kind != kind)
				continue;
			pr->part = p;
			if (o->verbose)
				fprintf(stderr, "grader: %s: %s %s\n", res->name,
					kind_name(p->kind), p->id);
			if (p->kind == PART_TASK) {
				run_task(pr, &b, p, "normal", NULL);
				share_points(pr, p->points);
			} else if (p->kind == PART_SANITIZER) {
				run_sanitizer(pr, &b, res->lab, p);
			} else {
				run_bench(pr, res, &b, p, o->no_bench);
			}
		}
	if (res->error)
		res->nparts = 0;
	tally(res);
	next_step(res, o);
	build_free(&b);
	free(dir);
	res->seconds = now_seconds() - start;
}
