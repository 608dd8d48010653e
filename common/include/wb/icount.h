/*
 * wb/icount.h - compare two functions by the instructions they execute,
 * counted by valgrind's callgrind.
 *
 * Time is the truth about speed, but on a shared machine it is noisy, and
 * on some CPUs it hides the point a lab makes: a lock-free push executes
 * far fewer instructions than a mutex-protected one, yet may take as
 * long on a CPU where a load followed by a locked CAS on the same cache
 * line stalls.  An instruction count is exact and the same on every run,
 * so where a task's point is "do less work", it is the fairer thing to
 * grade (the handout then says what the count does not see).
 *
 * wb_icount_run() re-runs the current test in a child process under
 * `valgrind --tool=callgrind`.  In that child the call does the counting
 * and ends the process; in the calling process it returns the counts.
 * So everything a test does before the call runs twice (once natively,
 * once under valgrind, about 50 times slower): keep that setup small.
 */
#ifndef WB_ICOUNT_H
#define WB_ICOUNT_H

#include "wb/bench.h"

struct wb_icount {
	const char *baseline_name;
	wb_bench_fn baseline;
	const char *candidate_name;
	wb_bench_fn candidate;
	void *arg;
	long calls; /* calls of each side counted; 0 means 1000 */
};

struct wb_icount_result {
	double base_per_call; /* instructions per call */
	double cand_per_call;
	double ratio;         /* base_per_call / cand_per_call */
};

/* Count; on failure (no valgrind, the child crashed) end the test with
 * a failure that says why.  Writes a note with the figures. */
void wb_icount_run(const struct wb_icount *b, struct wb_icount_result *r);

#endif
