/*
 * grader/report_json.c - the full result as JSON, for scripts.
 */
#include "grade.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f); /* clean_text made it valid UTF-8 */
	}
	fputc('"', f);
}

char *test_detail(const struct test_result *t)
{
	struct buf b = {0};

	buf_printf(&b, "%s\n", t->reason ? t->reason : "");
	if (t->message)
		buf_printf(&b, "%s%s", t->message,
			   t->message[strlen(t->message) - 1] == '\n' ? "" : "\n");
	if (t->notes)
		buf_printf(&b, "%s", t->notes);
	if (t->verdict == V_FAIL && t->output && *t->output) {
		char *tail = tail_text(t->output, 20, 4000);
		buf_printf(&b, "--- output (last lines) ---\n%s\n", tail);
		free(tail);
	}
	return buf_take(&b);
}

static const char *verdict_name(enum verdict v)
{
	return v == V_PASS ? "pass" : v == V_SKIP ? "skip" : "fail";
}

static void json_test(FILE *f, const struct test_result *t)
{
	fputs("{\"name\": ", f);
	json_string(f, t->name);
	fprintf(f, ", \"verdict\": \"%s\", \"score\": %.10g, \"max_score\": %.10g, "
		   "\"seconds\": %.3f, \"reason\": ",
		verdict_name(t->verdict), t->score, t->max, t->seconds);
	json_string(f, t->reason);
	fputs(", \"message\": ", f);
	json_string(f, t->message);
	fputs(", \"notes\": ", f);
	json_string(f, t->notes);
	if (t->has_metric)
		fprintf(f, ", \"metric\": %.6g", t->metric);
	fputs(", \"output\": ", f);
	json_string(f, t->output);
	fputc('}', f);
}

static void json_part(FILE *f, const struct part_result *pr)
{
	fprintf(f, "{\"kind\": \"%s\", \"id\": ", kind_name(pr->part->kind));
	json_string(f, pr->part->id);
	fputs(", \"title\": ", f);
	json_string(f, pr->part->title);
	fprintf(f, ", \"bonus\": %s, \"score\": %.10g, \"max_score\": %.10g, "
		"\"tests\": [", pr->part->bonus ? "true" : "false", pr->score, pr->max);
	for (size_t i = 0; i < pr->ntests; i++) {
		fputs(i ? ",\n        " : "\n        ", f);
		json_test(f, &pr->tests[i]);
	}
	fputs("]}", f);
}

void report_json(FILE *f, const struct grade_run *g)
{
	fprintf(f, "{\"score\": %.10g, \"max_score\": %.10g, \"passed\": %d, "
		   "\"failed\": %d, \"skipped\": %d, \"seconds\": %.2f, "
		   "\"isolation\": ",
		g->score, g->max, g->passed, g->failed, g->skipped, g->seconds);
	json_string(f, g->isolation);
	fputs(", \"labs\": [", f);
	for (size_t i = 0; i < g->nlabs; i++) {
		const struct lab_result *l = &g->labs[i];
		fputs(i ? ",\n  {" : "\n  {", f);
		fputs("\"lab\": ", f);
		json_string(f, l->name);
		fputs(", \"title\": ", f);
		json_string(f, l->lab ? l->lab->title : NULL);
		fprintf(f, ", \"score\": %.10g, \"max_score\": %.10g, "
			   "\"bonus_max\": %.10g, \"passed\": %d, \"failed\": %d, "
			   "\"skipped\": %d, \"seconds\": %.2f, \"error\": ",
			l->score, l->max, l->bonus_max, l->passed, l->failed,
			l->skipped, l->seconds);
		json_string(f, l->error);
		fputs(", \"notes\": ", f);
		json_string(f, l->notes);
		fputs(", \"next\": ", f);
		json_string(f, l->next);
		fputs(", \"parts\": [", f);
		for (size_t j = 0; j < l->nparts; j++) {
			fputs(j ? ",\n    " : "\n    ", f);
			json_part(f, &l->parts[j]);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
}
