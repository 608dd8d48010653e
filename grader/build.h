/*
 * grader/build.h - building a lab's binaries from pristine lab files and
 * the student's files, in a fresh directory.
 */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include "lab.h"

struct build {
	const struct lab *lab;
	char *dir;	 /* build/grade/<lab>: everything lives under it */
	char *notes;	 /* e.g. "ignored tests/x.c: not a student file" */
	struct strlist missing; /* student files the submission lacks */
	/* compile cache: source+mode -> object, or failure log */
	struct strlist done;
	struct strlist logs; /* parallel to done; "" when it compiled */
};

/* Wipe dir, copy the pristine lab and common/ into it, lay the student's
 * files over the lab.  src_lab is the student's folder for this lab. */
int build_prepare(struct build *b, const struct lab *lab, const char *root,
		  const char *src_lab, const char *dir);

/* Compile and link one binary.  mode names the flavour ("normal",
 * "asan"); its extra flags come from the sanitizer part (or NULL).
 * Returns the binary's path, or NULL with *log set to the reason. */
char *build_binary(struct build *b, const char *name, const char *mode,
		   const char *cflags, const char *ldflags,
		   const struct strlist *sources, char **log);

void build_free(struct build *b);

#endif
