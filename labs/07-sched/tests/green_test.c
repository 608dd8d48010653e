/*
 * green_test.c - task 2: green threads on one OS thread.
 */
#include "ctx.h"
#include "green.h"

#include "wb/test.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A trace of who ran, in order. */
static int trace[1024], ntrace;

static void note(int who)
{
	CHECK(ntrace < 1024, "test bug: trace full");
	trace[ntrace++] = who;
}

static void check_trace(const char *what, const int *want, int n)
{
	char got[256] = "", exp[256] = "";
	size_t g = 0, e = 0;

	for (int i = 0; i < ntrace && g < 200; i++)
		g += (size_t)snprintf(got + g, sizeof got - g, "%d ", trace[i]);
	for (int i = 0; i < n && e < 200; i++)
		e += (size_t)snprintf(exp + e, sizeof exp - e, "%d ", want[i]);
	CHECK(ntrace == n && memcmp(trace, want, sizeof *want * (size_t)n) == 0,
	      "%s: ran in the order [ %s], want [ %s] (FIFO run queue; "
	      "0 is main)", what, got, exp);
}

static void once(void *arg)
{
	note((int)(intptr_t)arg);
}

TEST(green_spawn_join_once)
{
	long live0 = stack_live();
	struct green *t = green_spawn(once, (void *)(intptr_t)7);

	CHECK(t != NULL, "green_spawn returned NULL");
	CHECK_INT("runs of the new thread before anyone yields (spawn must "
		  "not switch to it)", 0, ntrace);
	CHECK_INT("stack_live() with one thread spawned (stacks come from "
		  "stack_alloc)", live0 + 1, stack_live());
	CHECK_INT("green_count() with one thread spawned", 1, green_count());
	green_join(t);
	CHECK_INT("runs of the thread after green_join", 1, ntrace);
	CHECK_INT("its argument", 7, trace[0]);
	CHECK_INT("green_count() after the join", 0, green_count());
	CHECK_INT("stack_live() after the join", live0, stack_live());
}

static void loop3(void *arg)
{
	for (int i = 0; i < 3; i++) {
		note((int)(intptr_t)arg);
		green_yield();
	}
}

TEST(green_fifo_order)
{
	struct green *t[3];

	for (int i = 0; i < 3; i++)
		t[i] = green_spawn(loop3, (void *)(intptr_t)(i + 1));
	note(0);
	green_yield(); /* 1 2 3 run, then main again */
	note(0);
	green_yield();
	note(0);
	for (int i = 0; i < 3; i++)
		green_join(t[i]);
	static const int want[] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};
	check_trace("three threads noting their id and yielding, main "
		    "yielding twice", want, 12);
}

static void spawner(void *arg)
{
	(void)arg;
	note(1);
	struct green *c = green_spawn(once, (void *)(intptr_t)3);
	green_yield(); /* 2 (spawned by main earlier), then 3, then us */
	note(1);
	green_join(c);
}

TEST(green_spawn_goes_to_the_back)
{
	struct green *a = green_spawn(spawner, NULL);
	struct green *b = green_spawn(once, (void *)(intptr_t)2);

	green_join(a);
	green_join(b);
	static const int want[] = {1, 2, 3, 1};
	check_trace("a thread spawning another from inside", want, 4);
}

static volatile int keep_going = 1;

static void __attribute__((noinline)) deep_exit(int n)
{
	if (n > 0)
		deep_exit(n - 1);
	else if (keep_going)
		green_exit();
	note(99);
}

static void exits_midway(void *arg)
{
	(void)arg;
	note(1);
	deep_exit(5);
	note(98);
}

TEST(green_exit_ends_the_thread)
{
	struct green *t = green_spawn(exits_midway, NULL);

	green_join(t);
	static const int want[] = {1};
	check_trace("a thread calling green_exit five calls deep", want, 1);
}

static struct green *joinee;

static void slow(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++) {
		note(2);
		green_yield();
	}
}

static void joiner(void *arg)
{
	(void)arg;
	note(1);
	green_join(joinee);
	note(1);
}

TEST(green_join_waits_for_the_end)
{
	joinee = green_spawn(slow, NULL);
	struct green *j = green_spawn(joiner, NULL);

	green_join(j); /* j joins joinee; main waits for j */
	static const int want[] = {2, 1, 2, 2, 2, 2, 1};
	check_trace("a thread joining one that yields five times", want, 7);
	CHECK_INT("green_count() after both ended and were joined", 0,
		  green_count());
}

TEST(green_join_after_the_end)
{
	struct green *t = green_spawn(once, (void *)(intptr_t)1);

	green_yield(); /* t runs to its end */
	CHECK_INT("runs of the thread after main yielded once", 1, ntrace);
	green_join(t); /* must not wait: it is done */
	note(0);
	static const int want[] = {1, 0};
	check_trace("join of a thread already ended", want, 2);
}

static volatile uintptr_t local_addr;

static void remember_stack(void *arg)
{
	int local = 0;

	(void)arg;
	local_addr = (uintptr_t)&local;
	note(1);
}

static int mapped(uintptr_t addr)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = (void *)(addr & ~(uintptr_t)(page - 1));
	return !(msync(p, (size_t)page, MS_ASYNC) != 0 && errno == ENOMEM);
}

TEST(green_stack_freed_after_exit)
{
	long live0 = stack_live();
	struct green *t = green_spawn(remember_stack, NULL);

	CHECK_INT("stack_live() with the thread spawned", live0 + 1,
		  stack_live());
	green_yield(); /* it runs and ends; main runs again */
	CHECK_INT("runs of the thread", 1, ntrace);
	CHECK_INT("stack_live() once the thread has ended, before any join "
		  "(the next thread to run must unmap the stack)", live0,
		  stack_live());
	CHECK(!mapped(local_addr), "the ended thread's stack (a local of it "
	      "was at %#lx) is still mapped", (unsigned long)local_addr);
	green_join(t);
	CHECK_INT("stack_live() after the join", live0, stack_live());
}

enum { MANY = 5000 };
static unsigned char ran[MANY];

static void run_once(void *arg)
{
	intptr_t i = (intptr_t)arg;

	if (i % 3 == 0)
		green_yield();
	ran[i]++;
	if (i % 7 == 0)
		green_yield();
}

TEST(green_thousands_run_once)
{
	static struct green *t[MANY];
	long live0 = stack_live();

	for (intptr_t i = 0; i < MANY; i++) {
		t[i] = green_spawn(run_once, (void *)i);
		CHECK(t[i] != NULL, "green_spawn returned NULL for thread %ld "
		      "of %d", (long)i, MANY);
	}
	CHECK_INT("green_count() with all spawned", MANY, green_count());
	for (int i = MANY - 1; i >= 0; i--) /* the last first: a long wait */
		green_join(t[i]);
	for (int i = 0; i < MANY; i++)
		CHECK(ran[i] == 1, "thread %d ran its body %d times, want 1", i,
		      ran[i]);
	CHECK_INT("green_count() after all joined", 0, green_count());
	CHECK_INT("stack_live() after all joined", live0, stack_live());
	/* a second wave on the stacks' addresses freed */
	memset(ran, 0, sizeof ran);
	for (intptr_t i = 0; i < MANY; i++)
		t[i] = green_spawn(run_once, (void *)i);
	for (int i = 0; i < MANY; i++)
		green_join(t[i]);
	for (int i = 0; i < MANY; i++)
		CHECK(ran[i] == 1, "second wave: thread %d ran %d times", i,
		      ran[i]);
	CHECK_INT("stack_live() after the second wave", live0, stack_live());
}

static struct green *seen_self;

static void who_am_i(void *arg)
{
	(void)arg;
	seen_self = green_self();
}

TEST(green_self_names_the_caller)
{
	struct green *m = green_self();
	struct green *t = green_spawn(who_am_i, NULL);

	CHECK(m != NULL, "green_self() in main is NULL");
	green_yield();
	CHECK_PTR("green_self() inside the thread", t, seen_self);
	CHECK_PTR("green_self() in main, after switches", m, green_self());
	green_join(t);
}
