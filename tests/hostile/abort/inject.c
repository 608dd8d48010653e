#include <stdlib.h>

void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	if (hostile_in_test("ilist_remove_unlinks"))
		abort();
	ilist_init_solution(head);
}
