/*
 * parse_bench.c - zero-copy parsing against a copying baseline.
 *
 * Both sides sum the integer fields of the same CSV-like buffer (about
 * 12,000 fields on 2,000 lines, blanks around some fields).  The
 * baseline, naive/copy_parse.c, copies every field into a malloc'd string
 * for strtoll(); the candidate walks the buffer with your view_split,
 * view_trim and view_parse_i64 and copies nothing.  wb/bench.h times them
 * alternately in one process and reports the median of the per-round
 * ratios baseline time / candidate time as "speedup".
 */
#include "copy_parse.h"
#include "view.h"
#include "wb/bench.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <stdlib.h>

enum { LINES = 2000, FIELDS = 6 };

struct input {
	char *buf;
	size_t len;
	uint64_t want;	   /* the sum, computed while generating */
	uint64_t got_base; /* last results, kept so no work is dead */
	uint64_t got_cand;
};

/* Append the decimal digits of x (no sign) at p; return the new end. */
static char *put_u64(char *p, uint64_t x)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/*
 * Fields hold integers of 1 to 18 digits, a third of them negative, some
 * with a blank or two around them: the mix of short and long numbers of
 * real logs and tables.  The seed is fixed, so every run sees the same
 * bytes.
 */
static void make_input(struct input *in)
{
	struct wb_rand r;
	char *p;

	wb_rand_seed(&r, 0x5eed01);
	in->buf = malloc((size_t)LINES * FIELDS * 32);
	if (in->buf == NULL)
		wb_fail(__FILE__, __LINE__, "bench setup: out of memory");
	p = in->buf;
	in->want = 0;
	for (int l = 0; l < LINES; l++) {
		for (int f = 0; f < FIELDS; f++) {
			int digits = 1 + (int)wb_rand_below(&r, 18);
			uint64_t mag = wb_rand_u64(&r), lim = 1;
			bool neg = wb_rand_below(&r, 3) == 0;

			for (int d = 0; d < digits; d++)
				lim *= 10;
			mag %= lim;
			if (f > 0)
				*p++ = ',';
			if (wb_rand_below(&r, 4) == 0)
				*p++ = ' ';
			if (neg)
				*p++ = '-';
			p = put_u64(p, mag);
			if (wb_rand_below(&r, 4) == 0)
				*p++ = ' ';
			in->want += neg ? 0 - mag : mag;
		}
		*p++ = '\n';
	}
	in->len = (size_t)(p - in->buf);
}

/* The candidate: the same sum through views. */
static uint64_t view_sum(const char *buf, size_t len)
{
	struct view_split lines, fields;
	struct view line, field;
	uint64_t sum = 0;
	int64_t x;

	view_split_init(&lines, view_make(buf, len), '\n');
	while (view_split_next(&lines, &line)) {
		view_split_init(&fields, line, ',');
		while (view_split_next(&fields, &field))
			if (view_parse_i64(view_trim(field), &x) == VIEW_OK)
				sum += (uint64_t)x;
	}
	return sum;
}

static void run_baseline(void *arg)
{
	struct input *in = arg;

	in->got_base = copy_parse_sum(in->buf, in->len);
	WB_KEEP(in->got_base);
}

static void run_candidate(void *arg)
{
	struct input *in = arg;

	in->got_cand = view_sum(in->buf, in->len);
	WB_KEEP(in->got_cand);
}

/*
 * The threshold is in lab.conf ([bench parse] min), with the figures it
 * was calibrated from.
 */
TEST(parse_speedup)
{
	static struct input in;
	struct wb_bench b = {
		.baseline_name = "copy_parse_sum (strndup + strtoll)",
		.baseline = run_baseline,
		.candidate_name = "view_split + view_trim + view_parse_i64",
		.candidate = run_candidate,
		.arg = &in,
		.rounds = 31,
		.warmup = 3,
		.round_ms = 20,
		.pin_cpu = -1,
	};
	struct wb_bench_result r;

	make_input(&in);
	/* Correct first: a fast wrong answer earns nothing. */
	run_baseline(&in);
	run_candidate(&in);
	CHECK(in.got_base == in.want, "bench setup: the baseline summed %lld, "
	      "expected %lld", (long long)in.got_base, (long long)in.want);
	CHECK(in.got_cand == in.want,
	      "your views summed the %d fields of the bench input to %lld, "
	      "expected %lld", LINES * FIELDS, (long long)in.got_cand,
	      (long long)in.want);
	wb_bench_run(&b, &r);
	wb_bench_report("speedup", &r);
	free(in.buf);
}
