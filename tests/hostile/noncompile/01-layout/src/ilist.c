#include "ilist.h"

void ilist_init(struct ilist_node *head)
{
	head->next = head->prev = head	/* missing semicolon */
}
