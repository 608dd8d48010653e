/*
 * grader/report_gradescope.c - Gradescope's results.json: a top-level
 * score and output, and one entry per test with name, score, max_score,
 * status and output (the autograder specification's field names).
 */
#include "grade.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void gs_test(FILE *f, const struct lab_result *l, const struct part_result *pr,
		    const struct test_result *t, bool first)
{
	char *name = xasprintf("%s / %s %s / %s", l->name, kind_name(pr->part->kind),
			       pr->part->id, t->name);
	char *out = test_detail(t);

	fputs(first ? "\n  {" : ",\n  {", f);
	fputs("\"name\": ", f);
	json_string(f, name);
	fprintf(f, ", \"score\": %.10g, \"max_score\": %.10g, \"status\": \"%s\", "
		   "\"visibility\": \"visible\", \"output\": ",
		t->score, pr->part->bonus ? 0 : t->max, /* extra credit */
		t->verdict == V_PASS ? "passed" : "failed");
	json_string(f, out);
	fputc('}', f);
	free(name);
	free(out);
}

void report_gradescope(FILE *f, const struct grade_run *g)
{
	struct buf out = {0};
	bool first = true;

	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *l = &g->labs[i];
		buf_printf(&out, "%s: %.1f / %.1f\n", l->name, l->score, l->max);
		if (l->error)
			buf_printf(&out, "  error: %s\n", l->error);
		if (l->notes)
			buf_printf(&out, "%s", l->notes);
	}
	buf_printf(&out, "%d passed, %d failed\nisolation: %s\n", g->passed,
		   g->failed, g->isolation);
	fprintf(f, "{\"score\": %.10g, \"max_score\": %.10g, \"execution_time\": %.0f, "
		   "\"output\": ", g->score, g->max, g->seconds);
	json_string(f, out.p);
	fputs(", \"tests\": [", f);
	for (size_t i = 0; i < g->nlabs; i++)
		for (size_t j = 0; j < g->labs[i].nparts; j++) {
			const struct part_result *pr = &g->labs[i].parts[j];
			for (size_t k = 0; k < pr->ntests; k++) {
				if (pr->tests[k].verdict == V_SKIP)
					continue;
				gs_test(f, &g->labs[i], pr, &pr->tests[k], first);
				first = false;
			}
		}
	fputs("]}\n", f);
	free(out.p);
}
