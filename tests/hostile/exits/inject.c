#include <stdlib.h>
#include <unistd.h>

void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	if (hostile_in_test("ilist_insert_order"))
		exit(0);
	if (hostile_in_test("ilist_pop_front_order"))
		_exit(0);
	ilist_init_solution(head);
}
