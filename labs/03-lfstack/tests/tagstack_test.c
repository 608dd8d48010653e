/*
 * tagstack_test.c - task 3: the ABA problem, fixed with a tagged head.
 *
 * Here nodes are pushed again and again (the stress recycles every
 * popped node), which is exactly what a plain Treiber stack cannot take.
 */
#include "linearize.h"
#include "stress.h"
#include "tagstack.h"
#include "wb/test.h"

static struct lf_node *head_ptr(struct tagstack *s)
{
	return __atomic_load_n(&s->head.ptr, __ATOMIC_ACQUIRE);
}

static uintptr_t head_gen(struct tagstack *s)
{
	return __atomic_load_n(&s->head.gen, __ATOMIC_ACQUIRE);
}

TEST(tagstack_lifo_and_reuse)
{
	static struct lf_node n[64];
	struct tagstack s;

	tagstack_init(&s);
	CHECK(tagstack_pop(&s) == NULL, "pop of a new stack: expected NULL");
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 64; i++)
			tagstack_push(&s, &n[i]);
		for (int i = 63; i >= 0; i--) {
			struct lf_node *got = tagstack_pop(&s);

			CHECK(got == &n[i], "round %d, pop %d: expected node %d, "
			      "got %s%ld", round, 63 - i, i,
			      got ? "node " : "NULL ", got ? (long)(got - n) : 0L);
		}
		CHECK(tagstack_pop(&s) == NULL, "round %d: pop of an emptied "
		      "stack: expected NULL", round);
	}
}

TEST(tagstack_generation_moves)
{
	struct lf_node a;
	struct tagstack s;
	uintptr_t g0, g1, g2;

	tagstack_init(&s);
	g0 = head_gen(&s);
	tagstack_push(&s, &a);
	g1 = head_gen(&s);
	CHECK(tagstack_pop(&s) == &a, "pop: expected the node just pushed");
	g2 = head_gen(&s);
	CHECK(head_ptr(&s) == NULL, "head.ptr after push and pop: expected NULL");
	CHECK(g1 != g0 && g2 != g1, "head.gen was %lu, then %lu after a push, "
	      "then %lu after a pop: every successful CAS on the head must "
	      "install a new generation (gen + 1), or a stalled pop cannot "
	      "tell that the head changed and changed back",
	      (unsigned long)g0, (unsigned long)g1, (unsigned long)g2);
}

struct scene {
	struct tagstack *s;
	struct lf_node *n;
	int calls;
};

/* Inside the first attempt of a pop of A (A -> B -> C), after it has
 * read A->next == B: pop A, pop B, push A.  Now A -> C is the stack. */
static void aba_hook(void *arg)
{
	struct scene *c = arg;

	if (c->calls++)
		return;
	c->s->before_cas.fn = NULL;
	CHECK(tagstack_pop(c->s) == &c->n[2], "nested pop: expected A");
	CHECK(tagstack_pop(c->s) == &c->n[1], "nested pop: expected B");
	tagstack_push(c->s, &c->n[2]);
	c->s->before_cas.fn = aba_hook;
}

TEST(tagstack_aba_prevented)
{
	struct lf_node n[3]; /* C = n[0], B = n[1], A = n[2] */
	struct tagstack s;
	struct scene c = {&s, n, 0};
	struct lf_node *got, *next, *last;

	tagstack_init(&s);
	for (int i = 0; i < 3; i++)
		tagstack_push(&s, &n[i]);
	s.before_cas = (struct lf_hook){aba_hook, &c};
	got = tagstack_pop(&s);
	s.before_cas.fn = NULL;
	CHECK(c.calls >= 1, "before_cas never fired: tagstack_pop must call "
	      "lf_hook_fire(&s->before_cas) after reading head.ptr->next, "
	      "before its CAS");
	next = tagstack_pop(&s);
	last = tagstack_pop(&s);
	CHECK(got == &n[2] && next == &n[0] && last == NULL,
	      "ABA: a pop of A stalled after reading A->next == B while "
	      "another thread popped A, popped B and pushed A again (the "
	      "stack is then A -> C).  Expected the stalled pop to return A "
	      "and leave C, then empty; got %s, then %s, then %s.  The "
	      "stalled CAS must fail because the generation moved, even "
	      "though the pointer is A again.",
	      got == &n[2] ? "A" : got == &n[1] ? "B" : got == &n[0] ? "C" : "?",
	      next == &n[2] ? "A" : next == &n[1] ? "B (popped already!)" :
	      next == &n[0] ? "C" : next ? "?" : "NULL",
	      last == &n[0] ? "C" : last == &n[1] ? "B" : last ? "?" : "NULL");
	CHECK_INT("before_cas calls (the stalled attempt and its retry)", 2,
		  c.calls);
}

static void g_push(void *s, struct lf_node *n)
{
	tagstack_push(s, n);
}

static struct lf_node *g_pop(void *s)
{
	return tagstack_pop(s);
}

static const struct stack_ops tagstack_ops = {
	.name = "tagstack (nodes recycled)", .recycle = true,
	.push_node = g_push, .pop_node = g_pop};

TEST(tagstack_stress_recycled)
{
	static struct tagstack s;

	tagstack_init(&s);
	stress_run(&tagstack_ops, &s, 4, stress_scaled(500000), 303);
}

TEST(tagstack_linearizable)
{
	static struct tagstack s;

	tagstack_init(&s);
	lin_run(&tagstack_ops, &s, 3, 6, 300, 13);
}
