/*
 * switch_bench.c - ctx_switch against swapcontext, a round trip each
 * (main -> coroutine -> main: two switches), interleaved in this process
 * on the thread's CPU clock.
 *
 * glibc's swapcontext saves and restores the signal mask with an
 * rt_sigprocmask system call on every switch, and saves more registers
 * than the ABI asks for; a switch that keeps what the ABI says callee-
 * saved, plus the two control words, needs no system call at all.
 */
#include "ctx.h"

#include "wb/bench.h"
#include "wb/test.h"

#include <stdlib.h>
#include <ucontext.h>

static ucontext_t uc_main, uc_co;
static struct ctx c_main, c_co;
static struct stack s_uc, s_ctx;
static long bounces;

static void uc_loop(void)
{
	for (;;) {
		bounces++;
		swapcontext(&uc_co, &uc_main);
	}
}

static void ctx_loop(void *arg)
{
	(void)arg;
	for (;;) {
		bounces++;
		ctx_switch(&c_co, &c_main);
	}
}

static void with_swapcontext(void *arg)
{
	(void)arg;
	swapcontext(&uc_main, &uc_co);
}

static void with_ctx_switch(void *arg)
{
	(void)arg;
	ctx_switch(&c_main, &c_co);
}

/* The threshold is in lab.conf ([bench switch] min). */
TEST(switch_speedup)
{
	CHECK(stack_alloc(&s_uc, 64 * 1024) == 0, "stack_alloc failed");
	CHECK(stack_alloc(&s_ctx, 64 * 1024) == 0, "stack_alloc failed");
	CHECK(getcontext(&uc_co) == 0, "getcontext failed");
	uc_co.uc_stack.ss_sp = s_uc.base;
	uc_co.uc_stack.ss_size = s_uc.size;
	uc_co.uc_link = NULL;
	makecontext(&uc_co, uc_loop, 0);
	ctx_make(&c_co, stack_top(&s_ctx), ctx_loop, NULL);

	struct wb_bench bench = {
		.baseline_name = "swapcontext round trip (2 switches)",
		.baseline = with_swapcontext,
		.candidate_name = "ctx_switch round trip (2 switches)",
		.candidate = with_ctx_switch,
		.rounds = 21,
		.warmup = 3,
		.round_ms = 10,
		.pin_cpu = -1,
		.cpu_time = 1,
	};
	struct wb_bench_result r;

	wb_bench_run(&bench, &r);
	CHECK(bounces > 0, "the coroutines never ran");
	wb_note("per switch: swapcontext %.1f ns, ctx_switch %.1f ns",
		r.base_ns_per_op / 2, r.cand_ns_per_op / 2);
	wb_bench_report("speedup", &r);
}
