/*
 * grader/report_junit.c - JUnit XML, for CI dashboards.  XML 1.0 cannot
 * carry most control characters even escaped, so they are dropped (the
 * text was already made valid UTF-8 by clean_text).
 */
#include "grade.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>

static void xml_text(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (*p >= 0x20 || *p == '\n' || *p == '\t')
				fputc(*p, f);
		}
	}
}

static void junit_test(FILE *f, const struct lab_result *l, const struct part_result *pr,
		       const struct test_result *t)
{
	fputs("    <testcase classname=\"", f);
	xml_text(f, l->name);
	fprintf(f, ".%s-", kind_name(pr->part->kind));
	xml_text(f, pr->part->id);
	fputs("\" name=\"", f);
	xml_text(f, t->name);
	fprintf(f, "\" time=\"%.3f\">", t->seconds);
	if (t->verdict != V_PASS) {
		char *detail = test_detail(t);
		fputs(t->verdict == V_SKIP ? "<skipped message=\"" : "<failure message=\"", f);
		xml_text(f, t->reason);
		fputs("\">", f);
		xml_text(f, detail);
		fputs(t->verdict == V_SKIP ? "</skipped>" : "</failure>", f);
		free(detail);
	}
	fputs("</testcase>\n", f);
}

void report_junit(FILE *f, const struct grade_run *g)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuites tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.2f\">\n",
		g->passed + g->failed + g->skipped, g->failed, g->skipped, g->seconds);
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *l = &g->labs[i];
		fputs("  <testsuite name=\"", f);
		xml_text(f, l->name);
		fprintf(f, "\" tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.2f\">\n",
			l->passed + l->failed + l->skipped + (l->error != NULL),
			l->failed + (l->error != NULL), l->skipped, l->seconds);
		if (l->error) {
			fputs("    <testcase classname=\"grader\" name=\"lab\"><failure message=\"", f);
			xml_text(f, l->error);
			fputs("\"/></testcase>\n", f);
		}
		for (size_t j = 0; j < l->nparts; j++)
			for (size_t k = 0; k < l->parts[j].ntests; k++)
				junit_test(f, l, &l->parts[j], &l->parts[j].tests[k]);
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
}
