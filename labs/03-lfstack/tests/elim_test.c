/*
 * elim_test.c - task 6 (bonus): elimination backoff.
 *
 * The exchange tests build a collision without threads: a hook makes
 * the head change under a pending CAS (so the CAS fails), and a second
 * hook runs a pop while the push's offer waits in its slot.
 */
#include "elimstack.h"
#include "linearize.h"
#include "stress.h"
#include "wb/test.h"

TEST(elim_lifo_order)
{
	static struct lf_node n[100];
	static struct elimstack s;

	elim_init(&s);
	CHECK(elim_pop(&s) == NULL, "pop of a new stack: expected NULL");
	for (int i = 0; i < 100; i++)
		elim_push(&s, &n[i]);
	for (int i = 99; i >= 0; i--)
		CHECK(elim_pop(&s) == &n[i], "pop %d: expected node %d", 99 - i, i);
	CHECK(elim_pop(&s) == NULL, "pop of an emptied stack: expected NULL");
	CHECK_UINT("elim_count() with one thread (nothing ever collides)", 0,
		   elim_count(&s));
}

/* The script: step 0, in the push's first CAS: push X (the CAS fails).
 * Step 1, once the push has offered A: pop, whose first CAS is made to
 * fail by pushing Y, so that it must look at the slots. */
struct script {
	struct elimstack *s;
	struct lf_node *x, *y, *a;
	struct lf_node *popped;
	int step, offers;
	bool busy, pop_in_slot;
};

static void on_cas(void *arg)
{
	struct script *c = arg;

	if (c->busy)
		return;
	if (c->step == 0 || (c->step == 2 && c->pop_in_slot)) {
		c->busy = true;
		elim_push(c->s, c->step == 0 ? c->x : c->y);
		c->busy = false;
		c->step++;
	}
}

static void on_offer(void *arg)
{
	struct script *c = arg;

	if (c->busy)
		return;
	c->offers++;
	if (c->step == 1 && c->pop_in_slot) {
		c->step = 2;
		c->popped = elim_pop(c->s);
	}
}

static void run_script(struct elimstack *s, struct script *c)
{
	s->before_cas = (struct lf_hook){on_cas, c};
	s->offered = (struct lf_hook){on_offer, c};
	elim_push(s, c->a);
	s->before_cas.fn = s->offered.fn = NULL;
}

TEST(elim_push_meets_pop)
{
	static struct elimstack s;
	struct lf_node bottom, x, y, a;
	struct script c = {&s, &x, &y, &a, NULL, 0, 0, false, true};

	elim_init(&s);
	elim_push(&s, &bottom);
	run_script(&s, &c);
	CHECK(c.offers >= 1, "the push of A never fired `offered`: after its "
	      "CAS on the head failed (another push got in first), it should "
	      "have offered A in a slot");
	CHECK(c.popped == &a, "a pop whose CAS failed while A was on offer "
	      "returned %s: expected A, taken from the slot",
	      c.popped == &x ? "X (from the stack: did it retry the head "
	      "before looking at the slots?)" : c.popped == &y ? "Y" :
	      c.popped ? "another node" : "NULL");
	CHECK_UINT("elim_count() after that exchange", 1, elim_count(&s));
	CHECK(elim_pop(&s) == &y && elim_pop(&s) == &x &&
	      elim_pop(&s) == &bottom && elim_pop(&s) == NULL,
	      "after the exchange the stack should hold Y, X and the bottom "
	      "node, and not A (which went from the push to the pop directly)");
	for (int i = 0; i < ELIM_SLOTS; i++)
		CHECK(atomic_load(&s.slot[i].offer) == 0, "slot %d holds %#lx "
		      "after the exchange: the push must clear it once taken",
		      i, (unsigned long)atomic_load(&s.slot[i].offer));
}

TEST(elim_offer_withdrawn)
{
	static struct elimstack s;
	struct lf_node x, y, a;
	struct script c = {&s, &x, &y, &a, NULL, 0, 0, false, false};

	elim_init(&s);
	run_script(&s, &c);
	CHECK(c.offers >= 1, "the push of A never fired `offered` after its "
	      "CAS failed");
	CHECK(elim_pop(&s) == &a && elim_pop(&s) == &x && elim_pop(&s) == NULL,
	      "when no pop takes the offer, the push must withdraw it and "
	      "push A on the stack after all: expected A then X");
	CHECK_UINT("elim_count() with no exchange", 0, elim_count(&s));
	for (int i = 0; i < ELIM_SLOTS; i++)
		CHECK(atomic_load(&s.slot[i].offer) == 0, "slot %d still holds "
		      "%#lx after the push withdrew its offer", i,
		      (unsigned long)atomic_load(&s.slot[i].offer));
}

static void e_push(void *s, struct lf_node *n)
{
	elim_push(s, n);
}

static struct lf_node *e_pop(void *s)
{
	return elim_pop(s);
}

static const struct stack_ops elim_ops = {
	.name = "elimstack (nodes recycled)", .recycle = true,
	.push_node = e_push, .pop_node = e_pop};

TEST(elim_stress_exactly_once)
{
	static struct elimstack s;

	elim_init(&s);
	stress_run(&elim_ops, &s, 4, stress_scaled(500000), 606);
	wb_note("%lu push/pop pairs met in the elimination array",
		elim_count(&s));
}

TEST(elim_linearizable)
{
	static struct elimstack s;

	elim_init(&s);
	lin_run(&elim_ops, &s, 3, 6, 300, 19);
}
