void wb_fail(const char *file, int line, const char *fmt, ...);
void wb_fail(const char *file, int line, const char *fmt, ...)
{
	(void)file, (void)line, (void)fmt;
}

void ilist_init(struct ilist_node *head);
void ilist_init(struct ilist_node *head)
{
	ilist_init_solution(head);
}
