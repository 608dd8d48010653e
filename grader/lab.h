/*
 * grader/lab.h - a lab as the grader sees it: what lab.conf says, and
 * nothing else.  See docs/lab-format.md for the file format.
 */
#ifndef GRADER_LAB_H
#define GRADER_LAB_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
};

enum part_kind { PART_TASK, PART_SANITIZER, PART_BENCH };

/* One graded line of a lab: a task, a sanitizer pass or a benchmark. */
struct part {
	enum part_kind kind;
	char *id;	       /* "1", "asan", "parse" */
	char *title;
	double points;
	struct strlist files;  /* student files (tasks) or lab files (benches) */
	struct strlist support; /* lab files linked in (tasks) */
	struct strlist tests;  /* test files (tasks) */
	struct strlist tasks;  /* sanitizer: tasks to rerun; bench: prerequisites */
	struct strlist requires; /* what the machine must offer, or skip */
	char *cflags, *ldflags; /* sanitizer build flags */
	char *env;	       /* extra environment for runs, "K=V K=V" */
	char *test;	       /* bench: the TEST to run */
	char *metric;	       /* bench: the metric it reports */
	double min, max;       /* bench: thresholds (max 0 = none) */
	double zero, full;     /* bench, scored linearly when full != zero:
				* no points at zero, all points at full */
	double timeout;	       /* seconds per test run */
	bool bonus;	       /* extra credit: adds to the score, not the maximum */
};

struct lab {
	char *dir;   /* path of the pristine lab directory */
	char *name;  /* "01-layout" */
	char *title;
	char *cflags, *ldflags;
	double timeout;
	struct part *parts;
	size_t nparts;
	struct strlist student; /* every student file, in task order */
};

/* Parse dir/lab.conf; on error returns NULL with *err set. */
struct lab *lab_load(const char *dir, char **err);
void lab_free(struct lab *lab);

/* Grade only the tasks named in ids: drop the other tasks, the benches
 * that need them, and the sanitizer passes left with nothing to rerun.
 * NULL, or an error message (malloc'd) for an id that is no task. */
char *lab_select_tasks(struct lab *lab, const struct strlist *ids);
struct part *lab_task(struct lab *lab, const char *id);

/* Names of the tests in a test file: lines starting with TEST(name). */
struct strlist scan_tests(const char *path);

void strlist_add(struct strlist *l, const char *s);
int strlist_has(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
