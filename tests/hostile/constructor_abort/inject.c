#include <stdlib.h>

__attribute__((constructor)) static void leave_early(void)
{
	abort();
}

void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	ilist_init_solution(head);
}
