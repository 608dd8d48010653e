void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	if (hostile_in_test("ilist_insert_order"))
		*(volatile int *)0 = 1;
	ilist_init_solution(head);
}
