/*
 * ilist.c - the intrusive circular list.
 *
 * Every list is a ring through its head, so each node always has a real
 * next and prev: inserting and removing are the same four pointer writes
 * wherever the node sits, with no NULL checks and no head special case.
 */

/*
 * WRONG ON PURPOSE (tests/wrong): the node pointer is simply cast to the
 * object pointer, which is right only when the node is the first member.
 */
#include "ilist.h"

void ilist_init(struct ilist_node *head)
{
	head->next = head;
	head->prev = head;
}

bool ilist_empty(const struct ilist_node *head)
{
	return head->next == head;
}

/* Link n between two nodes that are next to each other. */
static void link_between(struct ilist_node *prev, struct ilist_node *n,
			 struct ilist_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

void ilist_insert_after(struct ilist_node *pos, struct ilist_node *n)
{
	link_between(pos, n, pos->next);
}

void ilist_insert_before(struct ilist_node *pos, struct ilist_node *n)
{
	link_between(pos->prev, n, pos);
}

void ilist_remove(struct ilist_node *n)
{
	/* Both neighbours must forget n, or a walk in one direction still
	 * finds it.  On a self-linked node these writes change nothing. */
	n->prev->next = n->next;
	n->next->prev = n->prev;
	/* Self-link rather than leave stale pointers into the list: a
	 * second remove is harmless and ilist_empty(n) says "on no list". */
	ilist_init(n);
}

struct ilist_node *ilist_pop_front(struct ilist_node *head)
{
	struct ilist_node *n = ilist_first(head);

	if (n)
		ilist_remove(n);
	return n;
}

struct ilist_node *ilist_first(struct ilist_node *head)
{
	return ilist_empty(head) ? NULL : head->next;
}

struct ilist_node *ilist_next(struct ilist_node *head, struct ilist_node *n)
{
	return n->next == head ? NULL : n->next;
}

void *ilist_container(struct ilist_node *n, size_t offset)
{
	if (n == NULL)
		return NULL;
	/*
	 * The member lies offset bytes into the object, so the object
	 * starts offset bytes before it.  Count in bytes, through a char
	 * pointer: arithmetic on a struct ilist_node * would step in units
	 * of sizeof(struct ilist_node).  Walking from a member back out to
	 * the object around it is exactly the kernel's container_of; it is
	 * fine in practice because n really does point into such an object
	 * (the handout says where ISO C is less sure).
	 */
	(void)offset; /* wrong: works only for a node at offset 0 */
	return n;
}
