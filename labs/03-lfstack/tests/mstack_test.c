/*
 * mstack_test.c - task 1: the stack behind a mutex, and its blocking pop.
 */
#include "linearize.h"
#include "mstack.h"
#include "stress.h"
#include "wb/test.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void init(struct mstack *s)
{
	int err = mstack_init(s);

	CHECK(err == 0, "mstack_init: expected 0, got %d", err);
}

TEST(mstack_lifo_order)
{
	static struct lf_node n[100];
	struct mstack s;

	init(&s);
	CHECK(mstack_pop(&s) == NULL, "pop of a new stack: expected NULL");
	CHECK_UINT("mstack_size() of a new stack", 0, mstack_size(&s));
	for (int i = 0; i < 100; i++) {
		mstack_push(&s, &n[i]);
		CHECK_UINT("mstack_size() after a push", (unsigned)i + 1,
			   mstack_size(&s));
	}
	for (int i = 99; i >= 0; i--) {
		struct lf_node *got = mstack_pop(&s);

		CHECK(got == &n[i], "pop %d: expected node %d (the last pushed "
		      "of those left), got %s node %ld", 99 - i, i,
		      got ? "" : "NULL, not a", got ? (long)(got - n) : -1L);
	}
	CHECK(mstack_pop(&s) == NULL, "pop of an emptied stack: expected NULL");
	CHECK_UINT("mstack_size() of an emptied stack", 0, mstack_size(&s));
	mstack_destroy(&s);
}

TEST(mstack_pop_wait_times_out)
{
	struct mstack s;
	long long t0, waited;

	init(&s);
	t0 = now_ns();
	CHECK(mstack_pop_wait(&s, 0) == NULL, "pop_wait(0) on an empty stack: "
	      "expected NULL at once");
	CHECK(now_ns() - t0 < 100000000, "pop_wait(0) took %lld ms: a zero "
	      "timeout must not wait", (now_ns() - t0) / 1000000);
	t0 = now_ns();
	CHECK(mstack_pop_wait(&s, 80000000) == NULL, "pop_wait(80 ms) on an "
	      "empty stack nobody pushes to: expected NULL");
	waited = now_ns() - t0;
	CHECK(waited >= 80000000, "pop_wait(80 ms) returned after %.1f ms: a "
	      "timeout must never end early (was the deadline computed on "
	      "another clock than the condition variable's?)", waited / 1e6);
	CHECK(waited < 2000000000, "pop_wait(80 ms) returned after %.1f ms",
	      waited / 1e6);
	mstack_destroy(&s);
}

struct late_push {
	struct mstack *s;
	struct lf_node *n;
	int count;
	long long delay_ns;
};

static void *push_later(void *arg)
{
	struct late_push *p = arg;

	for (int i = 0; i < p->count; i++) {
		struct timespec d = {0, p->delay_ns};

		nanosleep(&d, NULL);
		mstack_push(p->s, &p->n[i]);
	}
	return NULL;
}

TEST(mstack_pop_wait_wakes_on_push)
{
	struct lf_node n;
	struct mstack s;
	struct late_push p = {&s, &n, 1, 50000000};
	pthread_t t;
	long long t0;
	struct lf_node *got;

	init(&s);
	t0 = now_ns();
	CHECK(pthread_create(&t, NULL, push_later, &p) == 0, "pthread_create");
	got = mstack_pop_wait(&s, 10000000000LL);
	pthread_join(t, NULL);
	CHECK(got == &n, "pop_wait(10 s) while another thread pushes after "
	      "50 ms: expected the pushed node, got %p", (void *)got);
	CHECK(now_ns() - t0 < 5000000000LL, "pop_wait took %.1f s to notice a "
	      "push made after 50 ms: the push must wake a waiter",
	      (now_ns() - t0) / 1e9);
	mstack_destroy(&s);
}

struct waiter {
	struct mstack *s;
	struct lf_node *got;
};

static void *wait_one(void *arg)
{
	struct waiter *w = arg;

	w->got = mstack_pop_wait(w->s, 10000000000LL);
	return NULL;
}

TEST(mstack_every_waiter_gets_one)
{
	struct lf_node n[4];
	struct mstack s;
	struct waiter w[4];
	struct late_push p = {&s, n, 4, 20000000};
	pthread_t t[4], pusher;

	init(&s);
	for (int i = 0; i < 4; i++) {
		w[i].s = &s;
		CHECK(pthread_create(&t[i], NULL, wait_one, &w[i]) == 0, "create");
	}
	CHECK(pthread_create(&pusher, NULL, push_later, &p) == 0, "create");
	pthread_join(pusher, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++) {
		CHECK(w[i].got != NULL, "waiter %d of 4 got NULL although 4 "
		      "nodes were pushed within its 10 s timeout: a push must "
		      "wake a waiter, and a woken waiter that finds the stack "
		      "empty must wait again", i);
		for (int j = 0; j < i; j++)
			CHECK(w[j].got != w[i].got, "waiters %d and %d both got "
			      "node %ld", j, i, (long)(w[i].got - n));
	}
	mstack_destroy(&s);
}

static void m_push(void *s, struct lf_node *n)
{
	mstack_push(s, n);
}

static struct lf_node *m_pop(void *s)
{
	return mstack_pop(s);
}

static const struct stack_ops mstack_ops = {
	.name = "mstack", .recycle = true,
	.push_node = m_push, .pop_node = m_pop};

TEST(mstack_stress_exactly_once)
{
	struct mstack s;

	init(&s);
	stress_run(&mstack_ops, &s, 4, stress_scaled(200000), 101);
	CHECK_UINT("mstack_size() after the drain", 0, mstack_size(&s));
	mstack_destroy(&s);
}

TEST(mstack_linearizable)
{
	struct mstack s;

	init(&s);
	lin_run(&mstack_ops, &s, 3, 6, 300, 7);
	mstack_destroy(&s);
}
