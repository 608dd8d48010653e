/*
 * linearize_selftest.c - the linearizability checker, checked.
 *
 * Not graded: the project's own tests (make test) run it, so that a
 * checker that accepts everything cannot hide behind passing students.
 */
#include "linearize.h"
#include "wb/test.h"

#define PUSH(t, v, i, r) {t, true, true, v, i, r}
#define POP(t, v, i, r)  {t, false, true, v, i, r}
#define EMPTY(t, i, r)   {t, false, false, 0, i, r}

static void expect(const struct lin_op *h, int n, bool want, const char *what)
{
	char why[2048];
	bool got = lin_check(h, n, why, sizeof why);

	CHECK(got == want, "%s: lin_check said %s", what,
	      got ? "linearizable" : why);
}

TEST(sequential_runs)
{
	const struct lin_op ok[] = {PUSH(0, 1, 0, 1), PUSH(0, 2, 2, 3),
				    POP(0, 2, 4, 5), POP(0, 1, 6, 7),
				    EMPTY(0, 8, 9)};
	const struct lin_op fifo[] = {PUSH(0, 1, 0, 1), PUSH(0, 2, 2, 3),
				      POP(0, 1, 4, 5)};
	const struct lin_op lost[] = {PUSH(0, 1, 0, 1), EMPTY(0, 2, 3)};
	const struct lin_op twice[] = {PUSH(0, 1, 0, 1), POP(0, 1, 2, 3),
				       POP(1, 1, 4, 5)};

	expect(ok, 5, true, "push 1, push 2, pop 2, pop 1, pop empty");
	expect(fifo, 3, false, "push 1, push 2, pop 1 (FIFO order)");
	expect(lost, 2, false, "push 1, then pop sees empty");
	expect(twice, 3, false, "one push popped twice");
}

TEST(overlap_allows_either_order)
{
	/* push 1 and push 2 overlap, so either may be first; the pops
	 * after both must agree with one of the two orders. */
	const struct lin_op a[] = {PUSH(0, 1, 0, 3), PUSH(1, 2, 1, 2),
				   POP(0, 1, 4, 5), POP(1, 2, 6, 7)};
	const struct lin_op b[] = {PUSH(0, 1, 0, 3), PUSH(1, 2, 1, 2),
				   POP(0, 2, 4, 5), POP(1, 1, 6, 7)};
	/* A pop that overlaps a push may take its value. */
	const struct lin_op c[] = {PUSH(0, 1, 0, 5), POP(1, 1, 1, 2)};
	/* ...but not a value pushed after the pop returned. */
	const struct lin_op d[] = {POP(1, 1, 0, 1), PUSH(0, 1, 2, 3)};

	expect(a, 4, true, "overlapping pushes, popped 1 then 2");
	expect(b, 4, true, "overlapping pushes, popped 2 then 1");
	expect(c, 2, true, "pop overlapping the push of its value");
	expect(d, 2, false, "pop of a value pushed only later");
}

TEST(real_time_order_kept)
{
	/* T1's push of 2 ended before T0's push of 3 began, and both ended
	 * before the pops: 3 is on top of 2, so popping 2 first is wrong
	 * even though another thread did it. */
	const struct lin_op h[] = {PUSH(1, 2, 0, 1), PUSH(0, 3, 2, 3),
				   POP(1, 2, 4, 5), POP(0, 3, 6, 7)};

	expect(h, 4, false, "pop order against real-time push order");
}

TEST(long_history_is_fast)
{
	/* 48 operations, all overlapping: the memo must keep this quick. */
	struct lin_op h[LIN_MAX_OPS];

	for (int i = 0; i < 24; i++) {
		h[i] = (struct lin_op)PUSH(i % 4, (uintptr_t)i + 1, 0, 1000);
		h[24 + i] = (struct lin_op)POP(i % 4, (uintptr_t)i + 1, 1, 1000);
	}
	expect(h, LIN_MAX_OPS, true, "24 pushes and 24 pops, all concurrent");
}
