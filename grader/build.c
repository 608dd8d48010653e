/*
 * grader/build.c - see build.h.
 *
 * Only the files lab.conf names as student files are taken from the
 * submission; every other file comes from the pristine lab, so shipping a
 * doctored test or header changes nothing.  The compiler runs through
 * run() like everything else: a source that makes gcc loop or explode
 * is a build failure, not a hung grader.
 */
#define _GNU_SOURCE
#include "build.h"
#include "run.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *strict_flags =
	"-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow "
	"-Wstrict-prototypes -Wmissing-prototypes "
	"-Ilab/include -Icommon/include -fmacro-prefix-map=lab/=";

static const char *harness[] = {"common/test.c", "common/bench.c",
				"common/cpu.c", "common/icount.c"};

/* Name the files of the submission that are not student files: they are
 * ignored, and the student should know it. */
static void list_extra(const struct lab *lab, const char *src, const char *rel,
		       struct buf *out)
{
	char *dir = xasprintf("%s%s%s", src, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *r = xasprintf("%s%s%s", rel, *rel ? "/" : "", e->d_name);
		char *full = xasprintf("%s/%s", src, r);
		if (is_dir(full))
			list_extra(lab, src, r, out);
		else if (!strlist_has(&lab->student, r))
			buf_printf(out, "ignored %s: not a student file of this "
				   "lab (tests and headers always come from "
				   "the pristine lab)\n", r);
		free(r);
		free(full);
	}
	if (d)
		closedir(d);
	free(dir);
}

int build_prepare(struct build *b, const struct lab *lab, const char *root,
		  const char *src_lab, const char *dir)
{
	char *to = xasprintf("%s/lab", dir), *common = xasprintf("%s/common", root),
	     *cto = xasprintf("%s/common", dir);
	int r = 0;

	memset(b, 0, sizeof *b);
	b->lab = lab;
	b->dir = xstrdup(dir);
	remove_tree(dir);
	if (mkdirs(dir) < 0 || copy_tree(lab->dir, to) < 0 ||
	    copy_tree(common, cto) < 0)
		r = -1;
	for (size_t i = 0; i < lab->student.n; i++) {
		const char *f = lab->student.v[i];
		char *from = xasprintf("%s/%s", src_lab, f);
		char *dst = xasprintf("%s/%s", to, f);
		remove_tree(dst); /* the pristine skeleton must not stand in */
		if (!file_exists(from) || copy_file(from, dst) < 0)
			strlist_add(&b->missing, f);
		free(from);
		free(dst);
	}
	if (strcmp(src_lab, lab->dir) != 0) {
		struct buf extra = {0};
		list_extra(lab, src_lab, "", &extra);
		b->notes = extra.len ? buf_take(&extra) : NULL;
	}
	free(to), free(common), free(cto);
	return r;
}

static char *object_path(const char *mode, const char *src)
{
	char *o = xasprintf("obj/%s/%s.o", mode, src);

	for (char *p = o + 4 + strlen(mode) + 1; *p; p++)
		if (*p == '/')
			*p = '_';
	return o;
}

/* Split flags into argv words.  A relative -I path in lab.conf is
 * relative to the lab directory, which the build sees as lab/. */
static char **words(const char *s, char **v, size_t *n, bool from_lab)
{
	char *copy = xstrdup(s ? s : ""), *save, *w;

	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		*PUSH(v, *n) = from_lab && !strncmp(w, "-I", 2) && w[2] && w[2] != '/'
				      ? xasprintf("-Ilab/%s", w + 2)
				      : xstrdup(w);
	free(copy);
	return v;
}

/* Run a build command in the build directory; NULL on success, else
 * the compiler's own words. */
static char *build_cmd(struct build *b, char **argv)
{
	struct run_result r;
	char *env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C",
		       "LC_ALL=C", NULL};
	struct run_spec s = {.argv = argv, .cwd = b->dir, .env = env,
			     .timeout = 120, .output_cap = 16384,
			     .limit_memory = true};
	char *log = NULL;

	if (run(&s, &r) < 0)
		return xstrdup("could not start the compiler");
	if (r.timed_out)
		log = xasprintf("the compiler ran for more than %.0f s and "
				"was stopped\n%s", s.timeout, r.output);
	else if (r.status != 0)
		log = xasprintf("%s", *r.output ? r.output : "the compiler failed\n");
	run_result_free(&r);
	return log;
}

/* The compiler names files as the build directory sees them
 * ("lab/src/wire.c"); the student knows them as "src/wire.c". */
static void strip_lab_prefix(char *log)
{
	char *w = log;

	for (char *r = log; *r;) {
		if ((r == log || r[-1] == '\n') && !strncmp(r, "lab/", 4))
			r += 4;
		*w++ = *r++;
	}
	*w = '\0';
}

static char *compile(struct build *b, const char *mode, const char *cflags,
		     const char *src)
{
	char *key = xasprintf("%s:%s", mode, src), *obj, *log;
	char **argv = NULL;
	size_t n = 0;

	for (size_t i = 0; i < b->done.n; i++)
		if (!strcmp(b->done.v[i], key)) {
			free(key);
			return *b->logs.v[i] ? xstrdup(b->logs.v[i]) : NULL;
		}
	obj = object_path(mode, src);
	char *objdir = xasprintf("%s/obj/%s", b->dir, mode);
	mkdirs(objdir);
	free(objdir);
	*PUSH(argv, n) = xstrdup("gcc");
	argv = words(strict_flags, argv, &n, false);
	argv = words(b->lab->cflags, argv, &n, true);
	argv = words(cflags, argv, &n, true);
	*PUSH(argv, n) = xstrdup("-c");
	*PUSH(argv, n) = strncmp(src, "common/", 7) ? xasprintf("lab/%s", src)
						    : xstrdup(src);
	*PUSH(argv, n) = xstrdup("-o");
	*PUSH(argv, n) = obj;
	*PUSH(argv, n) = NULL;
	log = build_cmd(b, argv);
	if (log)
		strip_lab_prefix(log);
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
	strlist_add(&b->done, key);
	strlist_add(&b->logs, log ? log : "");
	free(key);
	return log;
}

static char *link_binary(struct build *b, const char *mode, const char *ldflags,
			 const struct strlist *sources, const char *out)
{
	char **argv = NULL;
	size_t n = 0;
	char *log;

	*PUSH(argv, n) = xstrdup("gcc");
	for (size_t i = 0; i < sizeof harness / sizeof *harness; i++)
		*PUSH(argv, n) = object_path(mode, harness[i]);
	for (size_t i = 0; i < sources->n; i++)
		*PUSH(argv, n) = object_path(mode, sources->v[i]);
	*PUSH(argv, n) = xstrdup("-o");
	*PUSH(argv, n) = xstrdup(out);
	argv = words(b->lab->ldflags, argv, &n, true);
	argv = words(ldflags, argv, &n, true);
	*PUSH(argv, n) = xstrdup("-lm");
	*PUSH(argv, n) = xstrdup("-pthread");
	*PUSH(argv, n) = NULL;
	log = build_cmd(b, argv);
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
	return log;
}

char *build_binary(struct build *b, const char *name, const char *mode,
		   const char *cflags, const char *ldflags,
		   const struct strlist *sources, char **log)
{
	struct buf errs = {0};

	*log = NULL;
	for (size_t i = 0; i < sources->n; i++)
		if (strlist_has(&b->missing, sources->v[i]))
			buf_printf(&errs, "missing student file %s\n", sources->v[i]);
	if (errs.len)
		return *log = buf_take(&errs), NULL;
	for (size_t i = 0; i < sizeof harness / sizeof *harness; i++)
		if ((*log = compile(b, mode, cflags, harness[i])))
			return NULL;
	for (size_t i = 0; i < sources->n; i++) {
		char *e = compile(b, mode, cflags, sources->v[i]);
		if (e) {
			buf_printf(&errs, "%s%s does not compile:\n%s",
				   errs.len ? "\n" : "", sources->v[i], e);
			free(e);
		}
	}
	if (errs.len)
		return *log = buf_take(&errs), NULL;
	char *bindir = xasprintf("%s/bin/%s", b->dir, mode);
	char *out = xasprintf("bin/%s/%s", mode, name);
	mkdirs(bindir);
	free(bindir);
	if ((*log = link_binary(b, mode, ldflags, sources, out))) {
		char *e = xasprintf("linking failed (a function missing, or "
				    "defined twice?):\n%s", *log);
		free(*log);
		*log = e;
		free(out);
		return NULL;
	}
	char *full = xasprintf("%s/%s", b->dir, out);
	free(out);
	return full;
}

void build_free(struct build *b)
{
	free(b->dir);
	free(b->notes);
	strlist_free(&b->missing);
	strlist_free(&b->done);
	strlist_free(&b->logs);
}
