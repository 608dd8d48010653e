/*
 * wb/bench.h - same-process, interleaved performance comparison.
 *
 * A machine shared with other work is noisy, so an absolute time means
 * little.  We time a baseline and a candidate in the same process,
 * alternating them round after round (ABBA order, so a slow drift of the
 * clock or of the machine hits both alike), and report the median of the
 * per-round ratios baseline_time / candidate_time with its spread.  A
 * ratio of 3 means the candidate is three times as fast.
 *
 * Each function does one unit of work per call; the harness calibrates
 * how many calls make a round long enough to time well.
 */
#ifndef WB_BENCH_H
#define WB_BENCH_H

typedef void (*wb_bench_fn)(void *arg);

struct wb_bench {
	const char *baseline_name;
	wb_bench_fn baseline;
	const char *candidate_name;
	wb_bench_fn candidate;
	void *arg;
	int rounds;	 /* measured rounds; 0 means 15 */
	int warmup;	 /* rounds thrown away first; 0 means 2 */
	double round_ms; /* target time of one side in a round; 0 means 10 */
	int pin_cpu;	 /* CPU to pin the calling thread to, -1 for none */
	int cpu_time;	 /* time with the calling thread's CPU clock, not
			  * the wall clock: see below */
};

/*
 * cpu_time: on a shared machine the timed thread may be preempted in the
 * middle of a round, and the wall clock counts the time it sat waiting.
 * Its CPU clock (CLOCK_THREAD_CPUTIME_ID) does not, while it still counts
 * cycles stalled on memory or on a cache line another core holds.  Use it
 * when the work is all on the calling thread and the question is what
 * that work costs, not how long the machine took.
 */

struct wb_bench_result {
	double median;	       /* median of baseline/candidate ratios */
	double p25, p75;       /* spread: interquartile range of ratios */
	double min, max;
	double base_ns_per_op; /* medians of the per-call times */
	double cand_ns_per_op;
	long calls_per_round;
	int rounds;
};

/* Run the comparison; writes notes with the figures to the report. */
void wb_bench_run(const struct wb_bench *b, struct wb_bench_result *r);

/* Report r.median as the metric `name` (what lab.conf thresholds use),
 * with a note giving the spread. */
void wb_bench_report(const char *name, const struct wb_bench_result *r);

/* Pin the calling thread to one CPU; 0 on success, -1 if not allowed. */
int wb_pin_cpu(int cpu);

/* Keep the compiler from deleting work whose result is unused. */
#define WB_KEEP(x) __asm__ volatile("" : : "g"(x) : "memory")

#endif
