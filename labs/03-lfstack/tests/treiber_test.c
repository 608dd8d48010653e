/*
 * treiber_test.c - task 2: the Treiber stack.
 *
 * Nodes here are never pushed twice (the stress gives every push a fresh
 * node): that is the condition under which a plain Treiber stack is
 * correct.  treiber_aba_scenario shows what happens when it is not met.
 */
#include "linearize.h"
#include "stress.h"
#include "treiber.h"
#include "wb/test.h"

TEST(treiber_lifo_order)
{
	static struct lf_node n[100];
	struct treiber s;

	treiber_init(&s);
	CHECK(treiber_pop(&s) == NULL, "pop of a new stack: expected NULL");
	for (int i = 0; i < 100; i++)
		treiber_push(&s, &n[i]);
	for (int i = 99; i >= 0; i--) {
		struct lf_node *got = treiber_pop(&s);

		CHECK(got == &n[i], "pop %d: expected node %d, got %s%ld",
		      99 - i, i, got ? "node " : "NULL ",
		      got ? (long)(got - n) : 0L);
	}
	CHECK(treiber_pop(&s) == NULL, "pop of an emptied stack: expected NULL");
}

/* State for hook tests: the stack, nodes, and what to do inside. */
struct scene {
	struct treiber *s;
	struct lf_node *n;
	int calls;
	struct lf_node *top_seen;
	void (*inside)(struct scene *);
};

static void on_hook(void *arg)
{
	struct scene *c = arg;

	c->calls++;
	c->top_seen = atomic_load(&c->s->top);
	if (c->calls == 1 && c->inside) {
		c->s->before_cas.fn = NULL; /* the nested operations: no hook */
		c->inside(c);
		c->s->before_cas.fn = on_hook;
	}
}

TEST(treiber_hook_before_cas)
{
	struct lf_node n[3];
	struct treiber s;
	struct scene c = {&s, n, 0, NULL, NULL};
	struct lf_node *got;

	treiber_init(&s);
	for (int i = 0; i < 3; i++)
		treiber_push(&s, &n[i]);
	s.before_cas = (struct lf_hook){on_hook, &c};
	got = treiber_pop(&s);
	CHECK(got == &n[2], "pop: expected the top node");
	CHECK_INT("before_cas calls during one uncontended pop", 1, c.calls);
	CHECK(c.top_seen == &n[2], "inside before_cas, top was %p, expected "
	      "the node being popped (%p): the hook must fire before the CAS "
	      "that unlinks it", (void *)c.top_seen, (void *)&n[2]);
}

static void push_one(struct scene *c)
{
	treiber_push(c->s, &c->n[3]);
}

TEST(treiber_pop_retries_after_push)
{
	struct lf_node n[4];
	struct treiber s;
	struct scene c = {&s, n, 0, NULL, push_one};
	struct lf_node *got;

	treiber_init(&s);
	for (int i = 0; i < 3; i++)
		treiber_push(&s, &n[i]);
	/* While a pop of node 2 is about to CAS, node 3 is pushed: the CAS
	 * must fail and the pop start again on the new top. */
	s.before_cas = (struct lf_hook){on_hook, &c};
	got = treiber_pop(&s);
	s.before_cas.fn = NULL;
	CHECK(got == &n[3], "a pop interrupted by a push of node 3 returned "
	      "%s%ld: expected node 3, the top when its CAS succeeded (the "
	      "CAS must compare against the top it read, fail, and retry)",
	      got ? "node " : "NULL ", got ? (long)(got - n) : 0L);
	CHECK_INT("before_cas calls (one per attempt)", 2, c.calls);
	for (int i = 2; i >= 0; i--)
		CHECK(treiber_pop(&s) == &n[i], "after it, expected node %d", i);
	CHECK(treiber_pop(&s) == NULL, "then an empty stack");
}

/* Inside a pop of A (A -> B -> C): pop A, pop B, push A again. */
static void aba(struct scene *c)
{
	CHECK(treiber_pop(c->s) == &c->n[2], "nested pop: expected A");
	CHECK(treiber_pop(c->s) == &c->n[1], "nested pop: expected B");
	treiber_push(c->s, &c->n[2]);
}

TEST(treiber_aba_scenario)
{
	struct lf_node n[3]; /* C = n[0], B = n[1], A = n[2] */
	struct treiber s;
	struct scene c = {&s, n, 0, NULL, aba};
	struct lf_node *got, *after;

	treiber_init(&s);
	for (int i = 0; i < 3; i++)
		treiber_push(&s, &n[i]);
	s.before_cas = (struct lf_hook){on_hook, &c};
	got = treiber_pop(&s);
	s.before_cas.fn = NULL;
	after = treiber_pop(&s);
	/* This is the bug task 3 fixes, shown on purpose: the pending pop
	 * read A and A->next == B, and its CAS(top: A -> B) succeeds because
	 * A is on top again, installing B, which is no longer on the stack. */
	CHECK(got == &n[2] && after == &n[1],
	      "the ABA sequence (inside a pop of A, after it read A->next == "
	      "B: pop A, pop B, push A) should have fooled a plain CAS into "
	      "making B the top again, but pop returned %p and the next pop "
	      "%p (A=%p B=%p C=%p): does your pop read top->next before the "
	      "before_cas hook, and CAS on the pointer alone?",
	      (void *)got, (void *)after, (void *)&n[2], (void *)&n[1],
	      (void *)&n[0]);
	wb_note("ABA shown: after pop A, pop B, push A inside a pending pop "
		"of A, the pending CAS installed B, a node no longer on the stack");
}

static void t_push(void *s, struct lf_node *n)
{
	treiber_push(s, n);
}

static struct lf_node *t_pop(void *s)
{
	return treiber_pop(s);
}

static const struct stack_ops treiber_ops = {
	.name = "treiber", .recycle = false,
	.push_node = t_push, .pop_node = t_pop};

TEST(treiber_stress_exactly_once)
{
	struct treiber s;

	treiber_init(&s);
	stress_run(&treiber_ops, &s, 4, stress_scaled(500000), 202);
}

TEST(treiber_linearizable)
{
	struct treiber s;

	treiber_init(&s);
	lin_run(&treiber_ops, &s, 3, 6, 300, 11);
}
