/*
 * grader/lab.c - reading lab.conf.
 *
 * The format is deliberately tiny (key = value, [sections]) so that a lab
 * author can read it at a glance and the grader needs no library.
 */
#define _GNU_SOURCE
#include "lab.h"
#include "machine.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strlist_add(struct strlist *l, const char *s)
{
	*PUSH(l->v, l->n) = xstrdup(s);
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void split_words(struct strlist *l, const char *s)
{
	char *copy = xstrdup(s), *save, *w;

	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		strlist_add(l, w);
	free(copy);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

struct strlist scan_tests(const char *path)
{
	struct strlist l = {0};
	char *text = read_file(path, NULL), *line, *save;

	if (!text)
		return l;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		if (sscanf(line, "TEST(%127[A-Za-z0-9_])", name) == 1)
			strlist_add(&l, name);
	}
	free(text);
	return l;
}

static int set_part_key(struct part *p, const char *k, const char *v)
{
	if (!strcmp(k, "title"))
		p->title = xstrdup(v);
	else if (!strcmp(k, "points"))
		p->points = atof(v);
	else if (!strcmp(k, "files"))
		split_words(&p->files, v);
	else if (!strcmp(k, "support"))
		split_words(&p->support, v);
	else if (!strcmp(k, "tests"))
		split_words(&p->tests, v);
	else if (!strcmp(k, "tasks"))
		split_words(&p->tasks, v);
	else if (!strcmp(k, "requires"))
		split_words(&p->requires, v);
	else if (!strcmp(k, "cflags"))
		p->cflags = xstrdup(v);
	else if (!strcmp(k, "ldflags"))
		p->ldflags = xstrdup(v);
	else if (!strcmp(k, "env"))
		p->env = xstrdup(v);
	else if (!strcmp(k, "test"))
		p->test = xstrdup(v);
	else if (!strcmp(k, "metric"))
		p->metric = xstrdup(v);
	else if (!strcmp(k, "min"))
		p->min = atof(v);
	else if (!strcmp(k, "max"))
		p->max = atof(v);
	else if (!strcmp(k, "zero"))
		p->zero = atof(v);
	else if (!strcmp(k, "full"))
		p->full = atof(v);
	else if (!strcmp(k, "timeout"))
		p->timeout = atof(v);
	else if (!strcmp(k, "bonus"))
		p->bonus = !strcmp(v, "yes") || !strcmp(v, "1");
	else
		return -1;
	return 0;
}

static int set_lab_key(struct lab *lab, const char *k, const char *v)
{
	if (!strcmp(k, "title"))
		lab->title = xstrdup(v);
	else if (!strcmp(k, "cflags"))
		lab->cflags = xstrdup(v);
	else if (!strcmp(k, "ldflags"))
		lab->ldflags = xstrdup(v);
	else if (!strcmp(k, "timeout"))
		lab->timeout = atof(v);
	else
		return -1;
	return 0;
}

static int start_section(struct lab *lab, const char *head, char **err)
{
	char kind[32], id[64];
	struct part *p;

	if (sscanf(head, "[%31s %63[^] ]]", kind, id) != 2)
		return *err = xasprintf("bad section header %s", head), -1;
	p = PUSH(lab->parts, lab->nparts);
	memset(p, 0, sizeof *p);
	if (!strcmp(kind, "task"))
		p->kind = PART_TASK;
	else if (!strcmp(kind, "sanitizer"))
		p->kind = PART_SANITIZER;
	else if (!strcmp(kind, "bench"))
		p->kind = PART_BENCH;
	else
		return *err = xasprintf("unknown section kind '%s'", kind), -1;
	p->id = xstrdup(id);
	return 0;
}

/* Checks that need the whole file: defaults and cross-references. */
static int finish(struct lab *lab, char **err)
{
	if (!lab->title)
		lab->title = xstrdup(lab->name);
	if (!lab->timeout)
		lab->timeout = 10;
	for (size_t i = 0; i < lab->nparts; i++) {
		struct part *p = &lab->parts[i];
		if (!p->title)
			p->title = xasprintf("%s", p->id);
		if (p->bonus) {
			char *t = xasprintf("%s (bonus)", p->title);
			free(p->title);
			p->title = t;
		}
		if (!p->timeout)
			p->timeout = p->kind == PART_BENCH ? 60 : lab->timeout;
		if (p->kind == PART_TASK) {
			if (!p->tests.n)
				return *err = xasprintf("task %s has no tests", p->id), -1;
			for (size_t j = 0; j < p->files.n; j++)
				if (!strlist_has(&lab->student, p->files.v[j]))
					strlist_add(&lab->student, p->files.v[j]);
		}
		/* Objects are shared by every binary of a mode, so flags
		 * can differ by lab and by sanitizer, not by task or bench. */
		if (p->kind != PART_SANITIZER && (p->cflags || p->ldflags))
			return *err = xasprintf("%s %s: cflags and ldflags belong to "
						"the lab or to a sanitizer",
						p->kind == PART_TASK ? "task" : "bench",
						p->id), -1;
		if ((*err = machine_check_names(&p->requires)))
			return -1;
		if (p->kind == PART_BENCH && (!p->test || !p->metric))
			return *err = xasprintf("bench %s needs test and metric", p->id), -1;
		for (size_t j = 0; j < p->tasks.n; j++)
			if (!lab_task(lab, p->tasks.v[j]))
				return *err = xasprintf("%s names unknown task %s",
							p->id, p->tasks.v[j]), -1;
	}
	return 0;
}

struct lab *lab_load(const char *dir, char **err)
{
	char *path = xasprintf("%s/lab.conf", dir), *text, *line, *save;
	struct lab *lab;
	int lineno = 0;
	const char *slash = strrchr(dir, '/');

	*err = NULL;
	if (!(text = read_file(path, NULL))) {
		*err = xasprintf("cannot read %s", path);
		free(path);
		return NULL;
	}
	lab = calloc(1, sizeof *lab);
	lab->dir = xstrdup(dir);
	lab->name = xstrdup(slash ? slash + 1 : dir);
	for (line = strtok_r(text, "\n", &save); line && !*err;
	     line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#'), *eq, *s;
		lineno++;
		if (hash)
			*hash = '\0';
		s = trim(line);
		if (!*s)
			continue;
		if (*s == '[') {
			start_section(lab, s, err);
			continue;
		}
		if (!(eq = strchr(s, '='))) {
			*err = xasprintf("%s: '%s' is not key = value", path, s);
			break;
		}
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		int bad = lab->nparts ? set_part_key(&lab->parts[lab->nparts - 1], k, v)
				      : set_lab_key(lab, k, v);
		if (bad)
			*err = xasprintf("%s: unknown key '%s'", path, k);
	}
	free(text);
	if (!*err)
		finish(lab, err);
	if (*err) {
		char *e = xasprintf("%s: %s", path, *err);
		free(*err);
		*err = e;
		lab_free(lab);
		lab = NULL;
	}
	free(path);
	return lab;
}

struct part *lab_task(struct lab *lab, const char *id)
{
	for (size_t i = 0; i < lab->nparts; i++)
		if (lab->parts[i].kind == PART_TASK &&
		    !strcmp(lab->parts[i].id, id))
			return &lab->parts[i];
	return NULL;
}

static void part_free(struct part *p)
{
	free(p->id), free(p->title), free(p->cflags), free(p->ldflags);
	free(p->env), free(p->test), free(p->metric);
	strlist_free(&p->files), strlist_free(&p->support);
	strlist_free(&p->tests), strlist_free(&p->tasks);
	strlist_free(&p->requires);
}

/* Does part p survive when only the tasks in ids are graded?  A
 * sanitizer keeps the named tasks it reruns; a bench needs all of its
 * prerequisites. */
static bool keep_part(struct lab *lab, struct part *p, const struct strlist *ids)
{
	struct strlist kept = {0};
	bool any = false;

	if (p->kind == PART_TASK)
		return strlist_has(ids, p->id);
	if (p->kind == PART_BENCH) {
		for (size_t i = 0; i < p->tasks.n; i++)
			if (!strlist_has(ids, p->tasks.v[i]))
				return false;
		return true;
	}
	if (!p->tasks.n) {
		for (size_t i = 0; i < ids->n; i++)
			any |= !lab_task(lab, ids->v[i])->bonus;
		return any;
	}
	for (size_t i = 0; i < p->tasks.n; i++)
		if (strlist_has(ids, p->tasks.v[i]))
			strlist_add(&kept, p->tasks.v[i]);
	strlist_free(&p->tasks);
	p->tasks = kept;
	return kept.n > 0;
}

char *lab_select_tasks(struct lab *lab, const struct strlist *ids)
{
	size_t n = 0;

	for (size_t i = 0; i < ids->n; i++)
		if (!lab_task(lab, ids->v[i]))
			return xasprintf("%s has no task %s", lab->name, ids->v[i]);
	for (size_t i = 0; i < lab->nparts; i++) {
		if (keep_part(lab, &lab->parts[i], ids))
			lab->parts[n++] = lab->parts[i];
		else
			part_free(&lab->parts[i]);
	}
	lab->nparts = n;
	return NULL;
}

void lab_free(struct lab *lab)
{
	if (!lab)
		return;
	for (size_t i = 0; i < lab->nparts; i++)
		part_free(&lab->parts[i]);
	free(lab->parts);
	strlist_free(&lab->student);
	free(lab->dir), free(lab->name), free(lab->title);
	free(lab->cflags), free(lab->ldflags);
	free(lab);
}
