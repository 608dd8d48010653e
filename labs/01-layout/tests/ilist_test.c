/*
 * ilist_test.c - task 5: container_of and the intrusive list.
 *
 * Only the two ilist_entry tests go through your ilist_container(); the
 * others find their objects with a container_of of their own, so that a
 * bug in one place is reported once, where it is.
 */
#include "ilist.h"
#include "wb/test.h"

#include <stdio.h>
#include <string.h>

/* A node neither first nor last in its object. */
struct item {
	char tag;
	int value;
	struct ilist_node link;
	double weight;
};

/* The test's own container_of, independent of yours. */
#define ITEM(n) ((struct item *)(void *)((char *)(n) - offsetof(struct item, link)))

static int item_value(struct ilist_node *n)
{
	return ITEM(n)->value;
}

/* Format up to 16 values as "[1 2 3]". */
static const char *fmt_values(char *out, size_t cap, const int *v, size_t n)
{
	size_t o = 0;

	o += (size_t)snprintf(out, cap, "[");
	for (size_t i = 0; i < n && i < 16 && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? " %d" : "%d", v[i]);
	if (n > 16 && o < cap)
		o += (size_t)snprintf(out + o, cap - o, " ...");
	if (o < cap)
		snprintf(out + o, cap - o, "]");
	return out;
}

/*
 * Check that the ring at head holds exactly want[0..n) in order, walking
 * forward by next and backward by prev, and that every link agrees with
 * its partner (x->next->prev == x).  Walks are bounded, so a broken ring
 * fails instead of hanging.
 */
static void check_ring(const char *file, int line, const char *what,
		       struct ilist_node *head, const int *want, size_t n,
		       int (*value)(struct ilist_node *))
{
	int got[64];
	char w[256], g[256];
	struct ilist_node *p = head;
	size_t k = 0;

	fmt_values(w, sizeof w, want, n);
	for (;;) {
		if (p->next->prev != p)
			wb_fail(file, line,
				"%s: expected %s; after element %zu the links "
				"disagree: x->next->prev != x (a neighbour "
				"still points at a removed node?)",
				what, w, k);
		p = p->next;
		if (p == head)
			break;
		if (k == 64 || k > n)
			wb_fail(file, line,
				"%s: expected %s, got more than %zu elements "
				"walking forward (a removed node still "
				"linked, or a cycle that misses the head)",
				what, w, n);
		got[k++] = value(p);
	}
	if (k != n || memcmp(got, want, n * sizeof *want) != 0)
		wb_fail(file, line, "%s: walking forward, expected %s, got %s",
			what, w, fmt_values(g, sizeof g, got, k));
	k = 0;
	for (p = head->prev; p != head; p = p->prev) {
		if (k == n)
			wb_fail(file, line,
				"%s: expected %s, got more than %zu elements "
				"walking backward by prev",
				what, w, n);
		got[n - 1 - k++] = value(p);
	}
	if (k != n || memcmp(got, want, n * sizeof *want) != 0)
		wb_fail(file, line,
			"%s: walking backward by prev, expected %s (reversed), "
			"got %zu elements that do not match",
			what, w, k);
}

#define CHECK_RING(what, head, value, ...)                              \
	do {                                                            \
		static const int want_[] = {__VA_ARGS__};               \
		check_ring(__FILE__, __LINE__, what, head, want_,        \
			   sizeof want_ / sizeof want_[0], value);      \
	} while (0)

static void check_ring_empty(const char *file, int line, const char *what,
			     struct ilist_node *head)
{
	if (head->next != head || head->prev != head)
		wb_fail(file, line,
			"%s: expected an empty list (head->next == head->prev "
			"== head), got next %s, prev %s",
			what, head->next == head ? "head" : "another node",
			head->prev == head ? "head" : "another node");
	if (!ilist_empty(head))
		wb_fail(file, line, "%s: expected ilist_empty() true, got false",
			what);
}

#define CHECK_EMPTY(what, head) check_ring_empty(__FILE__, __LINE__, what, head)

/* For container_of results: how far off a wrong pointer is says a lot. */
static void check_obj(const char *file, int line, const char *what,
		      const void *want, const void *got)
{
	if (want == got)
		return;
	if (want == NULL || got == NULL)
		wb_fail(file, line, "%s: expected %p, got %p", what, want, got);
	wb_fail(file, line,
		"%s: expected the object at %p, got %p, %+td bytes %s it",
		what, want, got, (const char *)got - (const char *)want,
		got > want ? "after" : "before");
}

#define CHECK_OBJ(what, want, got)                                      \
	check_obj(__FILE__, __LINE__, what, want, got)

/* Structs that put the node at different offsets. */
struct node_first {
	struct ilist_node n;
	int v;
};

struct node_far {
	char blob[1000];
	struct ilist_node n;
	int v;
};

struct node_last {
	short s;
	long long big[3];
	struct ilist_node n;
};

TEST(ilist_entry_offsets)
{
	struct item it = {.tag = 't', .value = 5};
	struct node_first f = {.v = 1};
	static struct node_far far = {.v = 2};
	struct node_last last = {.s = 3};
	struct item *ip;

	CHECK_OBJ("ilist_container(&it.link, offsetof(struct item, link))",
		  &it, ilist_container(&it.link, offsetof(struct item, link)));
	CHECK_OBJ("ilist_container(n, 0) (member first)", &f,
		  ilist_container(&f.n, 0));
	CHECK_OBJ("ilist_entry(&it.link, struct item, link)", &it,
		  ilist_entry(&it.link, struct item, link));
	CHECK_OBJ("ilist_entry(&f.n, struct node_first, n) (offset 0)", &f,
		  ilist_entry(&f.n, struct node_first, n));
	CHECK_OBJ("ilist_entry(&far.n, struct node_far, n) (offset 1000)",
		  &far, ilist_entry(&far.n, struct node_far, n));
	CHECK_OBJ("ilist_entry(&last.n, struct node_last, n) (node last)",
		  &last, ilist_entry(&last.n, struct node_last, n));
	CHECK_OBJ("ilist_container(NULL, 8)", NULL, ilist_container(NULL, 8));
	CHECK_OBJ("ilist_entry(NULL, struct item, link)", NULL,
		  ilist_entry((struct ilist_node *)NULL, struct item, link));

	/* The usual use: from a node on a list back to its object. */
	{
		struct ilist_node head;

		ilist_init(&head);
		ilist_insert_before(&head, &it.link);
		ip = ilist_entry(ilist_first(&head), struct item, link);
		CHECK_OBJ("ilist_entry(ilist_first(&head), struct item, link)",
			  &it, ip);
		CHECK_INT("value of the item found by ilist_entry", 5, ip->value);
		ip = ilist_entry(ilist_pop_front(&head), struct item, link);
		CHECK_OBJ("ilist_entry(ilist_pop_front(&head), ...)", &it, ip);
		CHECK_OBJ("ilist_entry(ilist_pop_front(empty), ...)", NULL,
			  ilist_entry(ilist_pop_front(&head), struct item, link));
	}
}

TEST(ilist_insert_order)
{
	struct item it[6];
	struct ilist_node head, *p;
	int n;

	for (int i = 0; i < 6; i++)
		it[i] = (struct item){.tag = 'i', .value = i};
	ilist_init(&head);
	CHECK_EMPTY("a list after ilist_init", &head);
	CHECK_PTR("ilist_first() of an empty list", NULL, ilist_first(&head));

	ilist_insert_before(&head, &it[1].link); /* push back */
	CHECK(!ilist_empty(&head), "ilist_empty() after one insert: expected "
	      "false, got true");
	CHECK_RING("after pushing 1 at the back", &head, item_value, 1);
	ilist_insert_before(&head, &it[2].link);
	ilist_insert_before(&head, &it[4].link);
	CHECK_RING("after pushing 1, 2, 4 at the back", &head, item_value, 1,
		   2, 4);
	ilist_insert_after(&head, &it[0].link); /* push front */
	CHECK_RING("after pushing 0 at the front", &head, item_value, 0, 1, 2,
		   4);
	ilist_insert_after(&it[2].link, &it[3].link);
	CHECK_RING("after inserting 3 after 2", &head, item_value, 0, 1, 2, 3,
		   4);
	ilist_insert_before(&it[0].link, &it[5].link);
	CHECK_RING("after inserting 5 before 0", &head, item_value, 5, 0, 1, 2,
		   3, 4);

	CHECK_PTR("ilist_first()", &it[5].link, ilist_first(&head));
	CHECK_PTR("ilist_next() of the first", &it[0].link,
		  ilist_next(&head, &it[5].link));
	CHECK_PTR("ilist_next() of the last (never the head)", NULL,
		  ilist_next(&head, &it[4].link));
	n = 0;
	ilist_for_each(p, &head) {
		CHECK(n < 6, "ilist_for_each: expected 6 steps, got more");
		CHECK_INT("value seen by ilist_for_each", n == 0 ? 5 : n - 1,
			  item_value(p));
		n++;
	}
	CHECK_INT("steps of ilist_for_each", 6, n);
}

TEST(ilist_remove_unlinks)
{
	struct item it[5];
	struct ilist_node head;

	ilist_init(&head);
	for (int i = 0; i < 5; i++) {
		it[i] = (struct item){.value = i};
		ilist_insert_before(&head, &it[i].link);
	}
	ilist_remove(&it[2].link);
	CHECK_RING("after removing the middle element 2", &head, item_value,
		   0, 1, 3, 4);
	CHECK(it[2].link.next == &it[2].link && it[2].link.prev == &it[2].link,
	      "a removed node: expected it to point at itself, got next %p "
	      "prev %p (node at %p)",
	      (void *)it[2].link.next, (void *)it[2].link.prev,
	      (void *)&it[2].link);
	CHECK(ilist_empty(&it[2].link), "ilist_empty() on a removed node: "
	      "expected true, got false");

	ilist_remove(&it[0].link);
	CHECK_RING("after removing the first element 0", &head, item_value, 1,
		   3, 4);
	ilist_remove(&it[4].link);
	CHECK_RING("after removing the last element 4", &head, item_value, 1,
		   3);
	/* Removing a removed node again changes nothing. */
	ilist_remove(&it[2].link);
	ilist_remove(&it[4].link);
	CHECK_RING("after removing 2 and 4 a second time", &head, item_value,
		   1, 3);
	ilist_remove(&it[1].link);
	ilist_remove(&it[3].link);
	CHECK_EMPTY("after removing every element", &head);

	/* A removed node can go on a list again. */
	ilist_insert_after(&head, &it[2].link);
	CHECK_RING("after putting 2 back", &head, item_value, 2);
}

TEST(ilist_pop_front_order)
{
	struct item it[4];
	struct ilist_node head, *n;

	ilist_init(&head);
	CHECK_PTR("ilist_pop_front() of an empty list", NULL,
		  ilist_pop_front(&head));
	CHECK_EMPTY("an empty list after ilist_pop_front()", &head);
	for (int i = 0; i < 4; i++) {
		it[i] = (struct item){.value = 10 + i};
		ilist_insert_before(&head, &it[i].link);
	}
	for (int i = 0; i < 4; i++) {
		char what[64];

		snprintf(what, sizeof what, "pop %d of 4 (first in, first out)",
			 i + 1);
		n = ilist_pop_front(&head);
		CHECK(n == &it[i].link, "%s: expected the node of value %d, "
		      "got %s", what, 10 + i, n == NULL ? "NULL" :
		      n == &head ? "the head" : "another node");
		CHECK(n->next == n && n->prev == n,
		      "%s: expected the popped node to point at itself, got "
		      "next %p prev %p", what, (void *)n->next, (void *)n->prev);
	}
	CHECK_EMPTY("the list after popping every element", &head);
	CHECK_PTR("ilist_pop_front() after the last", NULL,
		  ilist_pop_front(&head));
}

/* One object, two lists: a node per list. */
struct task {
	struct ilist_node run; /* offset 0 */
	int id;
	int prio;
	struct ilist_node all; /* somewhere in the middle */
	char name[16];
};

static int task_id_by_run(struct ilist_node *n)
{
	return ((struct task *)(void *)((char *)n - offsetof(struct task, run)))->id;
}

static int task_id_by_all(struct ilist_node *n)
{
	return ((struct task *)(void *)((char *)n - offsetof(struct task, all)))->id;
}

TEST(ilist_two_lists)
{
	struct task t[5];
	struct ilist_node run, all, *p;
	int k;

	ilist_init(&run);
	ilist_init(&all);
	for (int i = 0; i < 5; i++) {
		t[i] = (struct task){.id = i, .prio = 5 - i};
		snprintf(t[i].name, sizeof t[i].name, "task%d", i);
		ilist_insert_before(&all, &t[i].all);
		/* The run queue in the opposite order, odd ids only. */
		if (i % 2)
			ilist_insert_after(&run, &t[i].run);
	}
	CHECK_RING("the 'all' list", &all, task_id_by_all, 0, 1, 2, 3, 4);
	CHECK_RING("the 'run' list", &run, task_id_by_run, 3, 1);

	/* Walk each list and get back to the task through the member that
	 * list uses: the same object, reached from two nodes. */
	k = 0;
	ilist_for_each(p, &all) {
		struct task *got = ilist_entry(p, struct task, all);
		CHECK(k < 5, "walking 'all': expected 5 tasks, got more");
		CHECK_OBJ("ilist_entry(node, struct task, all) while walking "
			  "'all'", &t[k], got);
		CHECK_STR("name of that task", t[k].name, got->name);
		k++;
	}
	k = 0;
	ilist_for_each(p, &run) {
		struct task *got = ilist_entry(p, struct task, run);
		CHECK(k < 2, "walking 'run': expected 2 tasks, got more");
		CHECK_OBJ("ilist_entry(node, struct task, run) while walking "
			  "'run'", &t[k == 0 ? 3 : 1], got);
		k++;
	}

	/* Leaving one list does not touch the other. */
	ilist_remove(&t[3].run);
	CHECK_RING("'run' after task 3 left it", &run, task_id_by_run, 1);
	CHECK_RING("'all' after task 3 left 'run'", &all, task_id_by_all, 0, 1,
		   2, 3, 4);
	ilist_remove(&t[1].all);
	CHECK_RING("'all' after task 1 left it", &all, task_id_by_all, 0, 2, 3,
		   4);
	CHECK_RING("'run' after task 1 left 'all'", &run, task_id_by_run, 1);
}

TEST(ilist_remove_while_iterating)
{
	struct item it[8];
	struct ilist_node head, odd, *p, *tmp;
	int steps = 0;

	ilist_init(&head);
	ilist_init(&odd);
	for (int i = 0; i < 8; i++) {
		it[i] = (struct item){.value = i};
		ilist_insert_before(&head, &it[i].link);
	}
	/* Remove some, move others to another list, in one safe walk. */
	ilist_for_each_safe(p, tmp, &head) {
		int v = item_value(p);

		CHECK(steps++ < 8, "ilist_for_each_safe: expected 8 steps, got "
		      "more");
		if (v % 2) {
			ilist_remove(p);
			ilist_insert_before(&odd, p);
		} else if (v % 4 == 0) {
			ilist_remove(p);
		}
	}
	CHECK_INT("steps of ilist_for_each_safe while removing", 8, steps);
	CHECK_RING("the list after removing the multiples of 4 and moving "
		   "the odd values away", &head, item_value, 2, 6);
	CHECK_RING("the list the odd values moved to", &odd, item_value, 1, 3,
		   5, 7);

	/* Remove everything, one at a time. */
	steps = 0;
	ilist_for_each_safe(p, tmp, &odd) {
		CHECK(steps++ < 4, "ilist_for_each_safe: expected 4 steps, got "
		      "more");
		ilist_remove(p);
	}
	CHECK_INT("steps of ilist_for_each_safe removing all", 4, steps);
	CHECK_EMPTY("the list after removing every element while walking",
		    &odd);
	CHECK_RING("the first list, untouched by that", &head, item_value, 2,
		   6);
}
