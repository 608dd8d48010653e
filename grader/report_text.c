/*
 * grader/report_text.c - the terminal table.
 *
 * One line per task, sanitizer pass and benchmark, with its score; under
 * each line, the tests that failed, why, and the message that teaches.
 * Student output is shown indented behind "| " so it can never be taken
 * for the grader's own lines.
 */
#include "grade.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct style {
	const char *ok, *bad, *dim, *bold, *off;
};

static void indent(FILE *f, const char *text, const char *prefix)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(f, "%s%.*s\n", prefix, len, p);
		p = nl ? nl + 1 : NULL;
	}
}

static void show_test(FILE *f, const struct test_result *t, const struct style *st,
		      bool verbose)
{
	if (t->verdict == V_PASS && !verbose)
		return;
	const char *mark = t->verdict == V_PASS ? "ok  " : t->verdict == V_SKIP ? "skip" : "FAIL";
	const char *col = t->verdict == V_FAIL ? st->bad : t->verdict == V_PASS ? st->ok : st->dim;
	fprintf(f, "      %s%s%s %s: %s\n", col, mark, st->off, t->name, t->reason);
	if (t->message)
		indent(f, t->message, "           ");
	if (t->notes && (verbose || t->verdict != V_PASS))
		indent(f, t->notes, "           note: ");
	if (t->verdict == V_FAIL && t->output && *t->output) {
		char *tail = tail_text(t->output, 12, 1500);
		fprintf(f, "           %soutput (last lines):%s\n", st->dim, st->off);
		indent(f, tail, "           | ");
		free(tail);
	}
}

static void show_part(FILE *f, const struct part_result *pr, const struct style *st,
		      bool verbose, int width)
{
	const struct part *p = pr->part;
	size_t passed = 0, ran = 0;
	char label[32];

	for (size_t i = 0; i < pr->ntests; i++) {
		passed += pr->tests[i].verdict == V_PASS;
		ran += pr->tests[i].verdict != V_SKIP;
	}
	snprintf(label, sizeof label, "%s %s", kind_name(p->kind), p->id);
	bool full = pr->score >= pr->max - 1e-9;
	fprintf(f, "  %-16s %-*.*s %3zu/%-3zu %s%5.1f / %-5.1f%s\n", label, width, width, p->title,
		passed, ran, pr->max == 0 ? st->dim : full ? st->ok : st->bad,
		pr->score, pr->max, st->off);
	if (p->kind == PART_BENCH && verbose == false && pr->ntests &&
	    pr->tests[0].verdict == V_PASS)
		fprintf(f, "      %s%s%s\n", st->dim, pr->tests[0].reason, st->off);
	size_t same = 0, todo = 0;
	for (size_t i = 0; i < pr->ntests; i++)
		todo += pr->tests[i].verdict == V_FAIL &&
			!strcmp(pr->tests[i].reason, "not implemented");
	/* An untouched task: one line, not one per test. */
	if (!verbose && todo == pr->ntests && todo > 0) {
		fprintf(f, "      %snot started: every test stops at a TODO() (first: %s)%s\n",
			st->dim, pr->tests[0].message ? pr->tests[0].message + 17 : "?", st->off);
		return;
	}
	for (size_t i = 0; i < pr->ntests; i++) {
		const struct test_result *t = &pr->tests[i];
		/* A sanitizer pass repeats the tests: failures that are not
		 * the sanitizer's own were shown once already. */
		if (p->kind == PART_SANITIZER && !verbose && t->verdict == V_FAIL &&
		    (!strncmp(t->reason, "not ", 4) || !strcmp(t->reason, "check failed"))) {
			same++;
			continue;
		}
		show_test(f, t, st, verbose);
	}
	if (same)
		fprintf(f, "      %s%zu test%s failing as above, without sanitizers "
			   "(not implemented, not built or a failed check)%s\n",
			st->dim, same, same == 1 ? "" : "s", st->off);
}

static void show_lab(FILE *f, const struct lab_result *l, const struct style *st,
		     bool verbose)
{
	fprintf(f, "%s%s: %s%s\n", st->bold, l->name,
		l->lab ? l->lab->title : "(cannot be graded)", st->off);
	if (l->error) {
		fprintf(f, "  %serror:%s %s\n", st->bad, st->off, l->error);
		return;
	}
	if (l->notes)
		indent(f, l->notes, "  note: ");
	int width = 20;
	for (size_t i = 0; i < l->nparts; i++) {
		int w = (int)strlen(l->parts[i].part->title);
		width = w > width ? (w < 60 ? w : 60) : width;
	}
	for (size_t i = 0; i < l->nparts; i++)
		show_part(f, &l->parts[i], st, verbose, width);
	fprintf(f, "  %-*s %s%5.1f / %-5.1f%s  (%.1f s)", width + 17 + 8, "total", st->bold,
		l->score, l->max, st->off, l->seconds);
	if (l->bonus_max > 0)
		fprintf(f, "  (the maximum leaves out %.1f bonus points)", l->bonus_max);
	fputc('\n', f);
	if (l->next)
		fprintf(f, "  next: %s\n", l->next);
	fputc('\n', f);
}

void report_text(FILE *f, const struct grade_run *g, bool color, bool verbose)
{
	static const struct style plain = {"", "", "", "", ""};
	static const struct style ansi = {"\033[32m", "\033[31m", "\033[2m",
					  "\033[1m", "\033[0m"};
	const struct style *st = color ? &ansi : &plain;

	for (size_t i = 0; i < g->nlabs; i++)
		show_lab(f, &g->labs[i], st, verbose);
	if (g->nlabs > 1) {
		fprintf(f, "%ssummary%s\n", st->bold, st->off);
		for (size_t i = 0; i < g->nlabs; i++)
			fprintf(f, "  %-24s %5.1f / %-5.1f\n", g->labs[i].name,
				g->labs[i].score, g->labs[i].max);
		fprintf(f, "  %-24s %5.1f / %-5.1f\n\n", "all labs", g->score, g->max);
	}
	fprintf(f, "%sisolation: %s%s\n", st->dim, g->isolation, st->off);
}
