/*
 * grader/grade.h - grading one lab: build, correctness, sanitizers,
 * benchmarks, scores.
 */
#ifndef GRADER_GRADE_H
#define GRADER_GRADE_H

#include <stdbool.h>

#include "result.h"

struct grade_opts {
	const char *root;      /* the workbook's top directory */
	const char *build_dir; /* where builds go (build/grade) */
	const char *src_label; /* how to name the student's folder to them */
	bool verbose;
	bool no_bench;	       /* skip benchmarks (fast feedback, self-tests) */
	const struct strlist *tasks; /* grade only these tasks (NULL: all) */
};

/* Grade the lab in lab_dir with student files from src_lab. */
void grade_lab(struct lab_result *res, const char *lab_dir, const char *src_lab,
	       const struct grade_opts *o);

const char *kind_name(enum part_kind k);

#endif
