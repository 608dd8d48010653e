/*
 * ilist.c - task 5: container_of and an intrusive list.  Yours to write.
 *
 * Read include/ilist.h first.  Every list is a ring through its head; an
 * empty list is a head pointing at itself.  Delete each TODO() as you
 * implement it.
 */
#include "ilist.h"
#include "wb/todo.h"

void ilist_init(struct ilist_node *head)
{
	(void)head;
	TODO();
}

bool ilist_empty(const struct ilist_node *head)
{
	(void)head;
	TODO();
}

void ilist_insert_after(struct ilist_node *pos, struct ilist_node *n)
{
	(void)pos;
	(void)n;
	TODO();
}

void ilist_insert_before(struct ilist_node *pos, struct ilist_node *n)
{
	(void)pos;
	(void)n;
	TODO();
}

void ilist_remove(struct ilist_node *n)
{
	(void)n;
	TODO();
}

struct ilist_node *ilist_pop_front(struct ilist_node *head)
{
	(void)head;
	TODO();
}

struct ilist_node *ilist_first(struct ilist_node *head)
{
	(void)head;
	TODO();
}

struct ilist_node *ilist_next(struct ilist_node *head, struct ilist_node *n)
{
	(void)head;
	(void)n;
	TODO();
}

void *ilist_container(struct ilist_node *n, size_t offset)
{
	(void)n;
	(void)offset;
	TODO();
}
