/*
 * common/bench.c - the interleaved comparison behind wb/bench.h.
 *
 * Why this shape: on a shared two-core machine a single timing can be
 * off by 2x.  Timing both sides in the same process, in alternation,
 * exposes them to the same noise; the median of per-round ratios ignores
 * the rounds where a neighbour stole the CPU; the interquartile range
 * says how much to trust the median.
 */
#define _GNU_SOURCE
#include "wb/bench.h"
#include "wb/test.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(bench_clock, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double time_calls(wb_bench_fn fn, void *arg, long calls)
{
	double t0 = now_ns();

	for (long i = 0; i < calls; i++)
		fn(arg);
	return now_ns() - t0;
}

/* How many calls of the slower side fill target_ns. */
static long calibrate(const struct wb_bench *b, double target_ns)
{
	long calls = 1;

	for (;;) {
		double tb = time_calls(b->baseline, b->arg, calls);
		double tc = time_calls(b->candidate, b->arg, calls);
		double t = tb > tc ? tb : tc;

		if (t >= target_ns / 4 || calls > (1L << 40))
			return t > 0 ? (long)(calls * target_ns / t) + 1 : calls;
		calls *= 4;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile of sorted v[0..n) by linear interpolation. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

int wb_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof set, &set) ? -1 : 0;
}

void wb_bench_run(const struct wb_bench *b, struct wb_bench_result *r)
{
	int rounds = b->rounds > 0 ? b->rounds : 15;
	int warmup = b->warmup > 0 ? b->warmup : 2;
	double target = (b->round_ms > 0 ? b->round_ms : 10) * 1e6;
	double *ratio = calloc((size_t)rounds, sizeof *ratio);
	double *tb = calloc((size_t)rounds, sizeof *tb);
	double *tc = calloc((size_t)rounds, sizeof *tc);
	long calls;

	if (!ratio || !tb || !tc)
		wb_fail(__FILE__, __LINE__, "bench: out of memory");
	bench_clock = b->cpu_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
	if (b->pin_cpu >= 0 && wb_pin_cpu(b->pin_cpu) != 0)
		wb_note("bench: could not pin to CPU %d; running unpinned",
			b->pin_cpu);
	calls = calibrate(b, target);
	for (int i = -warmup; i < rounds; i++) {
		double x, y;

		/* ABBA: alternate which side goes first. */
		if (i & 1) {
			y = time_calls(b->candidate, b->arg, calls);
			x = time_calls(b->baseline, b->arg, calls);
		} else {
			x = time_calls(b->baseline, b->arg, calls);
			y = time_calls(b->candidate, b->arg, calls);
		}
		if (i < 0)
			continue;
		tb[i] = x / (double)calls;
		tc[i] = y / (double)calls;
		ratio[i] = y > 0 ? x / y : 0;
	}
	qsort(ratio, (size_t)rounds, sizeof *ratio, cmp_double);
	qsort(tb, (size_t)rounds, sizeof *tb, cmp_double);
	qsort(tc, (size_t)rounds, sizeof *tc, cmp_double);
	r->median = quantile(ratio, rounds, 0.5);
	r->p25 = quantile(ratio, rounds, 0.25);
	r->p75 = quantile(ratio, rounds, 0.75);
	r->min = ratio[0];
	r->max = ratio[rounds - 1];
	r->base_ns_per_op = quantile(tb, rounds, 0.5);
	r->cand_ns_per_op = quantile(tc, rounds, 0.5);
	r->calls_per_round = calls;
	r->rounds = rounds;
	wb_note("%s: %.1f ns/call; %s: %.1f ns/call (%d rounds of %ld calls)",
		b->baseline_name, r->base_ns_per_op, b->candidate_name,
		r->cand_ns_per_op, rounds, calls);
	free(ratio);
	free(tb);
	free(tc);
}

void wb_bench_report(const char *name, const struct wb_bench_result *r)
{
	wb_note("%s = %.2f (median of %d rounds; middle half %.2f..%.2f, "
		"range %.2f..%.2f)",
		name, r->median, r->rounds, r->p25, r->p75, r->min, r->max);
	wb_metric(name, r->median);
}
