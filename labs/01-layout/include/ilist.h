/*
 * ilist.h - an intrusive, circular, doubly linked list (task 5).
 *
 * "Intrusive" means the list does not allocate nodes that point at your
 * objects: your object carries the links itself, as a struct ilist_node
 * member, and the list strings those members together.
 *
 *	struct task {
 *		int id;
 *		struct ilist_node run;   <- on the run queue
 *		struct ilist_node all;   <- on the list of every task
 *		char name[16];
 *	};
 *
 * One object can sit on as many lists as it has nodes, inserting and
 * removing never allocate, and removal is O(1) given just the node.  The
 * price: the list hands you a struct ilist_node *, and you must get back
 * to the struct task around it.  That is ilist_entry() below, the
 * container_of of the Linux kernel:
 *
 *	struct task *t = ilist_entry(node, struct task, run);
 *
 * A list is a head node that is not inside any object.  The list is a
 * ring through the head; an empty list is a head that points at itself:
 *
 *	empty:   head <-> head           three items:
 *	                                 head <-> a <-> b <-> c <-> (head)
 *
 * No NULL pointers inside a ring, so insertion and removal need no
 * special case for the first or last element.
 */
#ifndef ILIST_H
#define ILIST_H

#include <stdbool.h>
#include <stddef.h>

struct ilist_node {
	struct ilist_node *next;
	struct ilist_node *prev;
};

/* Make head an empty list (next and prev point at head itself).  Also
 * used on a free-standing node, which then counts as "on no list". */
void ilist_init(struct ilist_node *head);

/* True when the list at head has no element.  Used on a node that was
 * removed (see ilist_remove), it tells that the node is on no list. */
bool ilist_empty(const struct ilist_node *head);

/* Link n in right after pos (pos may be a head: then n becomes first).
 * n must not be on any list through this node. */
void ilist_insert_after(struct ilist_node *pos, struct ilist_node *n);

/* Link n in right before pos (pos may be a head: then n becomes last). */
void ilist_insert_before(struct ilist_node *pos, struct ilist_node *n);

/* Unlink n from the list it is on, joining its neighbours to each other,
 * and leave n pointing at itself (as after ilist_init), so that removing
 * it again is harmless and ilist_empty(n) is true.  O(1): no search. */
void ilist_remove(struct ilist_node *n);

/* Unlink and return the first element of the list at head, or NULL when
 * the list is empty.  The returned node is left as after ilist_remove. */
struct ilist_node *ilist_pop_front(struct ilist_node *head);

/* The first element of the list at head, or NULL when it is empty. */
struct ilist_node *ilist_first(struct ilist_node *head);

/* The element after n on the list at head, or NULL when n is the last:
 * the head itself is never returned.  n must be on that list. */
struct ilist_node *ilist_next(struct ilist_node *head, struct ilist_node *n);

/*
 * The container_of step.  n points at a member that lies `offset` bytes
 * into some object; return the address of that object.  NULL in gives
 * NULL out, so ilist_entry(ilist_pop_front(h), ...) is NULL on an empty
 * list.
 *
 *	object  ->  +--------------+  <- the pointer to return
 *	            | int id       |
 *	            | ...          |  } offset = offsetof(type, member)
 *	n       ->  | ilist_node   |
 *	            | ...          |
 *	            +--------------+
 */
void *ilist_container(struct ilist_node *n, size_t offset);

/*
 * ilist_entry(n, type, member): the `type` object whose field `member`
 * is the node n.  The unevaluated comparison inside sizeof makes the
 * compiler reject a member that is not a struct ilist_node (comparing
 * pointers to different types is an error under -Werror), which is the
 * type check the kernel's container_of does with typeof.
 */
#define ilist_entry(n, type, member)                                      \
	((void)sizeof((n) == &((type *)0)->member),                      \
	 (type *)ilist_container((n), offsetof(type, member)))

/*
 * Walk the list at head; pos is a struct ilist_node *.  The body must not
 * remove pos: ilist_remove() makes pos point at itself, and the step to
 * ilist_next() would then never leave it.
 */
#define ilist_for_each(pos, head)                                         \
	for ((pos) = ilist_first(head); (pos) != NULL;                    \
	     (pos) = ilist_next((head), (pos)))

/*
 * The safe walk: tmp holds the next element before the body runs, so the
 * body may remove pos (and only pos) from the list, or move it elsewhere.
 */
#define ilist_for_each_safe(pos, tmp, head)                               \
	for ((pos) = ilist_first(head),                                   \
	    (tmp) = (pos) ? ilist_next((head), (pos)) : NULL;             \
	     (pos) != NULL;                                               \
	     (pos) = (tmp), (tmp) = (pos) ? ilist_next((head), (pos)) : NULL)

#endif
