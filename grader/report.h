/*
 * grader/report.h - the four ways to tell the result.
 */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

/* verbose: also show passing tests and bench notes. */
void report_text(FILE *f, const struct grade_run *g, bool color, bool verbose);
void report_json(FILE *f, const struct grade_run *g);
void report_gradescope(FILE *f, const struct grade_run *g);
void report_junit(FILE *f, const struct grade_run *g);

/* Shared by the reporters. */
void json_string(FILE *f, const char *s);
char *test_detail(const struct test_result *t); /* reason + message + notes + output */

#endif
