void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	if (hostile_in_test("ilist_insert_order"))
		for (volatile int spin = 1; spin;)
			;
	ilist_init_solution(head);
}
