/*
 * reclaim_test.c - task 4: hazard pointers, and a stack that frees its
 * popped nodes through them.
 *
 * The tests free nodes through a free_fn of their own that records
 * every free, so that "freed while protected" is a plain check here and
 * not only an AddressSanitizer report.
 */
#include "hazard.h"
#include "hpstack.h"
#include "linearize.h"
#include "stress.h"
#include "wb/test.h"

#include <stdlib.h>
#include <string.h>

/* What the tests' free_fn saw. */
struct frees {
	atomic_long count;
	_Atomic(void *) last[64]; /* the latest frees: "was p freed?" */
	atomic_uint next;
};

static void record_free(void *p, void *arg)
{
	struct frees *f = arg;

	atomic_store(&f->last[atomic_fetch_add(&f->next, 1) % 64], p);
	atomic_fetch_add(&f->count, 1);
	free(p);
}

static bool was_freed(struct frees *f, const void *p)
{
	unsigned n = atomic_load(&f->next);

	for (unsigned i = 0; i < n && i < 64; i++)
		if (atomic_load(&f->last[i]) == p)
			return true;
	return false;
}

static struct hp_record *enter(struct hp_domain *d)
{
	struct hp_record *r = hp_enter(d);

	CHECK(r != NULL, "hp_enter: expected a record, got NULL");
	return r;
}

TEST(hp_retire_frees_unprotected)
{
	static struct hp_domain d;
	static struct frees f;
	struct hp_record *r;

	hp_domain_init(&d, 1, record_free, &f);
	r = enter(&d);
	hp_retire(r, malloc(16));
	CHECK_INT("frees after retiring an unprotected node with threshold 1",
		  1, atomic_load(&f.count));
	CHECK_UINT("hp_retired_count() after that", 0, hp_retired_count(r));
	hp_leave(r);
	hp_domain_destroy(&d);
}

TEST(hp_protected_node_survives_scan)
{
	static struct hp_domain d;
	static struct frees f;
	struct hp_record *reader, *remover;
	_Atomic(void *) src;
	void *p = malloc(16), *got;

	hp_domain_init(&d, 1, record_free, &f);
	reader = enter(&d);
	remover = enter(&d);
	CHECK(reader != remover, "two hp_enter() calls returned the same record");
	atomic_init(&src, p);
	got = hp_protect(reader, 1, &src);
	CHECK(got == p, "hp_protect: expected the pointer *src holds");
	atomic_store(&src, NULL); /* unlinked */
	hp_retire(remover, p);
	CHECK(!was_freed(&f, p), "a node protected in another thread's slot 1 "
	      "was freed when retired: a scan must free only nodes that no "
	      "slot of any record in use holds");
	CHECK_UINT("hp_retired_count() while protected", 1,
		   hp_retired_count(remover));
	hp_clear(reader, 1);
	hp_scan(remover);
	CHECK(was_freed(&f, p), "after the slot was cleared, a scan did not "
	      "free the retired node");
	CHECK_UINT("hp_retired_count() after that scan", 0,
		   hp_retired_count(remover));
	hp_leave(reader);
	hp_leave(remover);
	hp_domain_destroy(&d);
}

TEST(hp_records_claimed_once)
{
	static struct hp_domain d;
	struct hp_record *r[HP_MAX_THREADS];

	hp_domain_init(&d, 8, NULL, NULL);
	for (int i = 0; i < HP_MAX_THREADS; i++) {
		r[i] = enter(&d);
		for (int j = 0; j < i; j++)
			CHECK(r[i] != r[j], "hp_enter #%d returned the record "
			      "of #%d, still in use", i, j);
	}
	CHECK(hp_enter(&d) == NULL, "hp_enter with all %d records in use: "
	      "expected NULL", HP_MAX_THREADS);
	hp_leave(r[5]);
	CHECK(hp_enter(&d) == r[5], "hp_enter after one hp_leave: expected "
	      "the record given back");
	hp_domain_destroy(&d);
}

struct swap_scene {
	_Atomic(void *) *src;
	void *replacement;
	int calls;
};

static void swap_before_publish(void *arg)
{
	struct swap_scene *c = arg;

	if (c->calls++ == 0)
		atomic_store(c->src, c->replacement);
}

TEST(hp_protect_validates)
{
	static struct hp_domain d;
	struct hp_record *r;
	_Atomic(void *) src;
	int a, b;
	struct swap_scene c = {&src, &b, 0};
	void *got;

	hp_domain_init(&d, 8, NULL, NULL);
	r = enter(&d);
	atomic_init(&src, &a);
	/* *src changes between hp_protect's load and its publication: the
	 * loaded pointer may already be freed, so it must not be returned. */
	d.before_publish = (struct lf_hook){swap_before_publish, &c};
	got = hp_protect(r, 0, &src);
	d.before_publish.fn = NULL;
	CHECK(c.calls >= 1, "before_publish never fired: hp_protect must call "
	      "lf_hook_fire(&domain->before_publish) between its load of *src "
	      "and the store that publishes it");
	CHECK(got == &b, "*src changed from %p to %p after hp_protect loaded "
	      "it and before it was published; hp_protect returned %p, "
	      "expected %p: after publishing, load *src again and start over "
	      "if it changed", (void *)&a, (void *)&b, got, (void *)&b);
	CHECK(atomic_load(&r->slot[0]) == &b, "slot 0 holds %p, expected the "
	      "pointer returned (%p)", atomic_load(&r->slot[0]), (void *)&b);
	hp_leave(r);
	hp_domain_destroy(&d);
}

TEST(hp_retired_list_bounded)
{
	static struct hp_domain d;
	static struct frees f;
	struct hp_record *r, *holder;
	_Atomic(void *) src;
	void *kept[HP_SLOTS];
	long retired = 0;

	hp_domain_init(&d, 8, record_free, &f);
	r = enter(&d);
	holder = enter(&d);
	for (int i = 0; i < HP_SLOTS; i++) {
		kept[i] = malloc(16);
		atomic_store(&src, kept[i]);
		hp_protect(holder, i, &src);
		hp_retire(r, kept[i]);
		retired++;
	}
	for (int i = 0; i < 10000; i++) {
		hp_retire(r, malloc(16));
		retired++;
		CHECK(hp_retired_count(r) < 8, "after %ld retires with threshold "
		      "8, %zu nodes wait on the list: a scan at the threshold "
		      "should leave only the %d protected ones", retired,
		      hp_retired_count(r), HP_SLOTS);
	}
	for (int i = 0; i < HP_SLOTS; i++)
		CHECK(!was_freed(&f, kept[i]), "node %d, protected all along, "
		      "was freed", i);
	hp_leave(holder);
	hp_leave(r);
	hp_domain_destroy(&d);
	CHECK_INT("frees in all, once the domain is destroyed", retired,
		  atomic_load(&f.count));
}

TEST(hpstack_lifo_order)
{
	static struct hp_domain d;
	static struct frees f;
	struct hpstack s;
	struct hp_record *r;
	uintptr_t v = 0;

	hp_domain_init(&d, 4, record_free, &f);
	hpstack_init(&s, &d);
	r = enter(&d);
	CHECK(!hpstack_pop(&s, r, &v), "pop of a new stack: expected false");
	for (uintptr_t i = 1; i <= 100; i++)
		CHECK_INT("hpstack_push", 0, hpstack_push(&s, i));
	for (uintptr_t i = 100; i >= 51; i--) {
		CHECK(hpstack_pop(&s, r, &v), "pop %lu: expected a value",
		      (unsigned long)(100 - i));
		CHECK_UINT("popped value", i, v);
		for (int k = 0; k < HP_SLOTS; k++)
			CHECK(atomic_load(&r->slot[k]) == NULL, "slot %d still "
			      "holds %p after hpstack_pop returned: clear it, or "
			      "the node can never be freed", k,
			      atomic_load(&r->slot[k]));
	}
	hp_leave(r);
	hpstack_destroy(&s);
	hp_domain_destroy(&d);
	CHECK_INT("nodes freed after destroying stack and domain", 100,
		  atomic_load(&f.count));
}

/* A pop of A is about to read A->next; meanwhile another thread pops A
 * (and, threshold 1, scans at once).  A must survive until the first pop
 * lets go of it. */
struct uaf_scene {
	struct hpstack *s;
	struct hp_record *other;
	struct frees *f;
	void *a;
	uintptr_t other_got;
	int calls;
};

static void pop_from_under(void *arg)
{
	struct uaf_scene *c = arg;

	if (c->calls++)
		return;
	c->a = atomic_load(&c->s->top);
	CHECK(hpstack_pop(c->s, c->other, &c->other_got), "nested pop: "
	      "expected a value");
	CHECK(!was_freed(c->f, c->a), "node %p was freed while another pop had "
	      "it protected and was about to read its next: popped nodes must "
	      "go to hp_retire(), which frees only unprotected ones", c->a);
}

TEST(hpstack_no_free_under_reader)
{
	static struct hp_domain d;
	static struct frees f;
	struct hpstack s;
	struct hp_record *r, *other;
	struct uaf_scene c = {&s, NULL, &f, NULL, 0, 0};
	uintptr_t v = 0;

	hp_domain_init(&d, 1, record_free, &f);
	hpstack_init(&s, &d);
	r = enter(&d);
	other = c.other = enter(&d);
	for (uintptr_t i = 1; i <= 3; i++)
		hpstack_push(&s, i);
	s.after_protect = (struct lf_hook){pop_from_under, &c};
	CHECK(hpstack_pop(&s, r, &v), "pop: expected a value");
	s.after_protect.fn = NULL;
	CHECK(c.calls >= 1, "after_protect never fired: hpstack_pop must call "
	      "lf_hook_fire(&s->after_protect) after hp_protect() returns the "
	      "top and before it reads the node's next");
	CHECK(c.other_got == 3 && v == 2, "the nested pop got %lu and the "
	      "interrupted one %lu: expected 3, then 2",
	      (unsigned long)c.other_got, (unsigned long)v);
	hp_scan(other);
	CHECK(was_freed(&f, c.a), "once no pop held it, a scan of the record "
	      "that retired the node should have freed it");
	hp_leave(r);
	hp_leave(other);
	hpstack_destroy(&s);
	hp_domain_destroy(&d);
	CHECK_INT("frees in all", 3, atomic_load(&f.count));
}

/* Between hp_protect's load of top (A) and its publication, another
 * thread pops A, and its scan finds no hazard and frees A.  The pop must
 * not go on to use A. */
struct early_scene {
	struct hpstack *s;
	struct hp_record *other;
	struct frees *f;
	void *a;
	int calls;
	bool used_freed;
};

static void pop_before_publish(void *arg)
{
	struct early_scene *c = arg;
	uintptr_t v;

	if (c->calls++)
		return;
	c->s->hp->before_publish.fn = NULL;
	c->a = atomic_load(&c->s->top);
	CHECK(hpstack_pop(c->s, c->other, &v), "nested pop: expected a value");
	c->s->hp->before_publish.fn = pop_before_publish;
}

static void check_not_freed(void *arg)
{
	struct early_scene *c = arg;

	for (int i = 0; i < HP_MAX_THREADS; i++)
		for (int k = 0; k < HP_SLOTS; k++)
			if (c->a && atomic_load(&c->s->hp->rec[i].slot[k]) == c->a &&
			    was_freed(c->f, c->a))
				c->used_freed = true;
}

TEST(hpstack_protect_then_validate)
{
	static struct hp_domain d;
	static struct frees f;
	struct hpstack s;
	struct hp_record *r, *other;
	struct early_scene c = {&s, NULL, &f, NULL, 0, false};
	uintptr_t v = 0;

	hp_domain_init(&d, 1, record_free, &f);
	hpstack_init(&s, &d);
	r = enter(&d);
	other = c.other = enter(&d);
	for (uintptr_t i = 1; i <= 3; i++)
		hpstack_push(&s, i);
	d.before_publish = (struct lf_hook){pop_before_publish, &c};
	s.after_protect = (struct lf_hook){check_not_freed, &c};
	CHECK(hpstack_pop(&s, r, &v), "pop: expected a value");
	d.before_publish.fn = NULL;
	s.after_protect.fn = NULL;
	CHECK(c.calls >= 1, "before_publish never fired (see hp_protect_validates)");
	CHECK(!c.used_freed, "hpstack_pop went on with node %p, which had "
	      "been popped and freed between hp_protect's load of top and "
	      "its publication: a hazard protects only what is still "
	      "reachable after it is published, so load top again and "
	      "compare", c.a);
	CHECK(c.calls >= 2 && v == 2, "the interrupted pop returned %lu after "
	      "%d attempts: expected 2 (3 was taken by the nested pop), after "
	      "a second attempt", (unsigned long)v, c.calls);
	hp_leave(r);
	hp_leave(other);
	hpstack_destroy(&s);
	hp_domain_destroy(&d);
}

static struct hp_domain stress_domain;
static struct frees stress_frees;

static void h_enter(void *stack, struct stress_thread *t)
{
	struct hpstack *s = stack;

	t->ctx = hp_enter(s->hp);
	CHECK(t->ctx != NULL, "hp_enter: no record for thread %d", t->id);
}

static void h_leave(void *stack, struct stress_thread *t)
{
	(void)stack;
	hp_leave(t->ctx);
}

static void h_push(void *stack, struct stress_thread *t, uintptr_t v)
{
	(void)t;
	CHECK(hpstack_push(stack, v) == 0, "hpstack_push: out of memory");
}

static bool h_pop(void *stack, struct stress_thread *t, uintptr_t *v)
{
	bool ok = hpstack_pop(stack, t->ctx, v);

	CHECK(hp_retired_count(t->ctx) <= HP_RETIRE_MAX, "thread %d has %zu "
	      "nodes retired: more than HP_RETIRE_MAX", t->id,
	      hp_retired_count(t->ctx));
	return ok;
}

static const struct stack_ops hpstack_ops = {
	.name = "hpstack (nodes freed)", .enter = h_enter, .leave = h_leave,
	.push = h_push, .pop = h_pop};

TEST(hpstack_stress_frees_safely)
{
	struct hpstack s;
	long pushed, during;

	hp_domain_init(&stress_domain, 8, record_free, &stress_frees);
	hpstack_init(&s, &stress_domain);
	pushed = stress_run(&hpstack_ops, &s, 4, stress_scaled(300000), 404);
	during = atomic_load(&stress_frees.count);
	hpstack_destroy(&s);
	hp_domain_destroy(&stress_domain);
	CHECK(atomic_load(&stress_frees.count) == pushed, "%ld nodes were "
	      "pushed (each one malloc'd) but %ld were freed through the "
	      "domain's free_fn, by scans and by destroy: every popped node "
	      "must be retired, and destroy must free what is left",
	      pushed, atomic_load(&stress_frees.count));
	CHECK(during > pushed / 2, "only %ld of %ld nodes were freed before "
	      "hpstack_destroy: scans must free retired nodes as they go",
	      during, pushed);
	wb_note("%ld of %ld nodes freed before hpstack_destroy (by scans, "
		"including those at hp_leave)", during, pushed);
}

TEST(hpstack_linearizable)
{
	struct hpstack s;

	hp_domain_init(&stress_domain, 4, record_free, &stress_frees);
	hpstack_init(&s, &stress_domain);
	lin_run(&hpstack_ops, &s, 3, 6, 300, 17);
	hpstack_destroy(&s);
	hp_domain_destroy(&stress_domain);
}
