#include <stdlib.h>
#include <string.h>

void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	if (hostile_in_test("ilist_insert_order"))
		for (;;) {
			char *p = malloc(64 << 20);
			memset(p, 1, 64 << 20); /* NULL when refused: crash */
		}
	ilist_init_solution(head);
}
