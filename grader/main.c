/*
 * grader/main.c - the workbook's grader: options, which labs, which
 * student files, which report.  See `grader --help` and docs/design.md.
 */
#define _GNU_SOURCE
#include "grade.h"
#include "report.h"
#include "run.h"
#include "util.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: grader [options]\n"
	"Grades the workbook's labs: builds the student files over pristine\n"
	"copies of each lab, runs every test in its own sandboxed process,\n"
	"then the sanitizer passes and the benchmarks, and reports scores.\n"
	"\n"
	"  -l, --lab LAB       grade only LAB: a number (01), a name (layout)\n"
	"                      or a directory name (01-layout); repeatable\n"
	"  -s, --src DIR       take student files from DIR, laid out like labs/\n"
	"                      (DIR/01-layout/src/...); default: labs/ itself\n"
	"      --solutions     grade the reference solutions (solutions/)\n"
	"  -f, --format FMT    text (default), json, gradescope or junit\n"
	"  -o, --out FILE      write the report to FILE (the table still shows)\n"
	"  -r, --root DIR      the workbook's top directory (default: .)\n"
	"      --build-dir DIR where builds go (default: ROOT/build/grade)\n"
	"      --no-sandbox    do not use bubblewrap even where it works\n"
	"      --no-bench      skip the benchmarks (faster; they score nothing)\n"
	"  -t, --task ID       grade only task ID (repeatable, or 1,3): its tests,\n"
	"                      their sanitizer reruns, and the benches that\n"
	"                      need nothing else; the totals count only those\n"
	"  -v, --verbose       show passing tests, bench figures and progress\n"
	"      --color WHEN    auto (default), always or never; NO_COLOR is honoured\n"
	"  -h, --help          this text\n"
	"\n"
	"The last line is always \"N passed, N failed\" (tests over all labs);\n"
	"it goes to stderr when the report itself goes to stdout (json,\n"
	"gradescope or junit without --out), so the report stays parseable.\n";

struct opts {
	struct strlist labs, tasks;
	const char *src, *format, *out, *root, *build_dir, *color;
	bool solutions, no_sandbox, verbose, no_bench;
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{"lab", 1, 0, 'l'},	      {"src", 1, 0, 's'},
		{"solutions", 0, 0, 'S'},     {"format", 1, 0, 'f'},
		{"out", 1, 0, 'o'},	      {"root", 1, 0, 'r'},
		{"build-dir", 1, 0, 'B'},     {"no-sandbox", 0, 0, 'N'},
		{"verbose", 0, 0, 'v'},	      {"color", 1, 0, 'C'},
		{"no-bench", 0, 0, 'b'},      {"help", 0, 0, 'h'},
		{"task", 1, 0, 't'},	      {0, 0, 0, 0}};
	int c;

	o->format = "text";
	o->root = ".";
	o->color = "auto";
	while ((c = getopt_long(argc, argv, "l:s:f:o:r:t:vh", longs, NULL)) != -1) {
		switch (c) {
		case 'l':
		case 't': {
			char *copy = xstrdup(optarg), *save, *w;
			for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save))
				strlist_add(c == 'l' ? &o->labs : &o->tasks, w);
			free(copy);
			break;
		}
		case 's': o->src = optarg; break;
		case 'S': o->solutions = true; break;
		case 'f': o->format = optarg; break;
		case 'o': o->out = optarg; break;
		case 'r': o->root = optarg; break;
		case 'B': o->build_dir = optarg; break;
		case 'N': o->no_sandbox = true; break;
		case 'b': o->no_bench = true; break;
		case 'v': o->verbose = true; break;
		case 'C': o->color = optarg; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); exit(2);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, "gradescope") && strcmp(o->format, "junit"))
		die("unknown format '%s': use text, json, gradescope or junit", o->format);
	if (o->src && o->solutions)
		die("--src and --solutions exclude each other");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lab directories: labs/NN-name holding a lab.conf, in order. */
static struct strlist find_labs(const char *root)
{
	struct strlist l = {0};
	char *dir = xasprintf("%s/labs", root);
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		die("no labs/ directory under %s (use --root)", root);
	while ((e = readdir(d))) {
		char *conf = xasprintf("%s/%s/lab.conf", dir, e->d_name);
		if (e->d_name[0] != '.' && file_exists(conf))
			strlist_add(&l, e->d_name);
		free(conf);
	}
	closedir(d);
	free(dir);
	qsort(l.v, l.n, sizeof *l.v, cmp_str);
	return l;
}

static bool lab_matches(const char *dir, const char *want)
{
	const char *dash = strchr(dir, '-');
	size_t numlen = dash ? (size_t)(dash - dir) : strlen(dir);

	if (!strcmp(dir, want))
		return true;
	if (dash && !strcmp(dash + 1, want))
		return true;
	/* "1" and "01" both name lab 01 */
	char *end;
	long a = strtol(dir, &end, 10), b = strtol(want, NULL, 10);
	return (size_t)(end - dir) == numlen && *want && strspn(want, "0123456789") == strlen(want) && a == b;
}

static struct strlist select_labs(const struct opts *o)
{
	struct strlist all = find_labs(o->root), chosen = {0};

	if (!o->labs.n)
		return all;
	for (size_t i = 0; i < o->labs.n; i++) {
		size_t found = 0;
		for (size_t j = 0; j < all.n; j++)
			if (lab_matches(all.v[j], o->labs.v[i]) && ++found)
				strlist_add(&chosen, all.v[j]);
		if (!found) {
			fprintf(stderr, "grader: no lab matches '%s'; the labs are:", o->labs.v[i]);
			for (size_t j = 0; j < all.n; j++)
				fprintf(stderr, " %s", all.v[j]);
			fputc('\n', stderr);
			exit(2);
		}
	}
	strlist_free(&all);
	return chosen;
}

static void write_report(FILE *f, const struct grade_run *g, const char *format,
			 bool color, bool verbose)
{
	if (!strcmp(format, "json"))
		report_json(f, g);
	else if (!strcmp(format, "gradescope"))
		report_gradescope(f, g);
	else if (!strcmp(format, "junit"))
		report_junit(f, g);
	else
		report_text(f, g, color, verbose);
}

/* The report file appears whole or not at all. */
static void save_report(const char *path, const struct grade_run *g, const char *format,
			bool verbose)
{
	char *tmp = xasprintf("%s.tmp.%d", path, getpid());
	FILE *f = fopen(tmp, "w");

	if (!f)
		die("cannot write %s", tmp);
	write_report(f, g, format, false, verbose);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		die("cannot write %s", path);
	free(tmp);
}

static const char *absolute(const char *path)
{
	char *real = realpath(path, NULL);

	if (!real)
		die("%s: no such directory", path);
	return real;
}

static bool want_color(const char *when)
{
	if (!strcmp(when, "always"))
		return true;
	if (!strcmp(when, "never") || getenv("NO_COLOR"))
		return false;
	return isatty(1);
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct grade_run g = {0};
	struct strlist labs;
	double start = now_seconds();

	parse_args(argc, argv, &o);
	const char *src_arg = o.src;
	/* The sandbox binds paths by name: make every path absolute. */
	o.root = absolute(o.root);
	if (o.src)
		o.src = absolute(o.src);
	labs = select_labs(&o);
	if (o.tasks.n && labs.n != 1)
		die("--task grades tasks of one lab: name it with --lab");
	char *build_dir = o.build_dir ? xstrdup(o.build_dir) : xasprintf("%s/build/grade", o.root);
	mkdirs(build_dir);
	build_dir = (char *)absolute(build_dir);
	const char *src_root = o.solutions ? "solutions" : o.src ? o.src : "labs";
	/* Name the student's folder as they gave it, not as realpath says. */
	const char *src_label = o.solutions ? "solutions" : o.src ? src_arg : "labs";
	struct grade_opts go = {.root = o.root, .build_dir = build_dir,
				.src_label = src_label, .verbose = o.verbose,
				.no_bench = o.no_bench, .tasks = &o.tasks};
	char *src_base = o.src ? xstrdup(o.src) : xasprintf("%s/%s", o.root, src_root);

	if (o.src && !is_dir(o.src))
		die("--src %s: no such directory", o.src);
	g.isolation = run_setup(!o.no_sandbox);
	g.labs = calloc(labs.n ? labs.n : 1, sizeof *g.labs);
	for (size_t i = 0; i < labs.n; i++) {
		char *lab_dir = xasprintf("%s/labs/%s", o.root, labs.v[i]);
		char *src_lab = xasprintf("%s/%s", src_base, labs.v[i]);
		struct lab_result *l = &g.labs[g.nlabs++];
		if (isatty(2) || o.verbose)
			fprintf(stderr, "grader: grading %s ...\n", labs.v[i]);
		grade_lab(l, lab_dir, !o.src && !o.solutions ? lab_dir : src_lab, &go);
		g.passed += l->passed, g.failed += l->failed, g.skipped += l->skipped;
		g.score += l->score, g.max += l->max;
		free(lab_dir);
		free(src_lab);
	}
	g.seconds = now_seconds() - start;
	if (o.out)
		save_report(o.out, &g, o.format, o.verbose);
	if (o.out || !strcmp(o.format, "text")) {
		report_text(stdout, &g, want_color(o.color), o.verbose);
		printf("%d passed, %d failed\n", g.passed, g.failed);
	} else {
		write_report(stdout, &g, o.format, false, o.verbose);
		fflush(stdout);
		fprintf(stderr, "%d passed, %d failed\n", g.passed, g.failed);
	}
	return 0;
}
