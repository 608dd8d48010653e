/*
 * grader/result.h - what grading produced, for the reporters.
 */
#ifndef GRADER_RESULT_H
#define GRADER_RESULT_H

#include "lab.h"

enum verdict { V_PASS, V_FAIL, V_SKIP };

struct test_result {
	char *name;
	enum verdict verdict;
	char *reason;  /* one line: "passed", "not implemented", ... */
	char *message; /* detail: assertion text, compiler or sanitizer output */
	char *notes;   /* wb_note() lines, bench figures */
	char *output;  /* what the program printed (cleaned, capped) */
	double metric; /* bench: the metric's value */
	int has_metric;
	double seconds;
	double score, max;
};

struct part_result {
	const struct part *part;
	struct test_result *tests;
	size_t ntests;
	double score, max;
	char *status; /* a line shown beside the score, or NULL */
};

struct lab_result {
	struct lab *lab;
	char *name;	     /* lab directory name, even if lab is NULL */
	struct part_result *parts;
	size_t nparts;
	double score, max;   /* score includes bonus points, max does not */
	double bonus_max;    /* what the bonus parts could add */
	int passed, failed, skipped;
	char *next;	     /* what to do next, when not full marks */
	char *notes;	     /* e.g. files ignored */
	char *error;	     /* the lab could not be graded at all */
	double seconds;
};

struct grade_run {
	struct lab_result *labs;
	size_t nlabs;
	int passed, failed, skipped;
	double score, max;
	const char *isolation;
	double seconds;
};

/* Fill a test result from a finished run; see verdict.c. */
struct run_result;
void verdict_from_run(struct test_result *t, const struct run_result *r,
		      const char *token, double timeout, const char *metric);

#endif
