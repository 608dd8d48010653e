/*
 * hpstack.c - task 4: a Treiber stack that frees popped nodes through
 * hazard pointers.  Yours to write.
 *
 * Read include/hpstack.h first.  Delete each TODO() as you implement it.
 */
#include "hpstack.h"
#include "wb/todo.h"

void hpstack_init(struct hpstack *s, struct hp_domain *d)
{
	(void)s;
	(void)d;
	TODO();
}

void hpstack_destroy(struct hpstack *s)
{
	(void)s;
	TODO();
}

int hpstack_push(struct hpstack *s, uintptr_t value)
{
	(void)s;
	(void)value;
	TODO();
}

bool hpstack_pop(struct hpstack *s, struct hp_record *r, uintptr_t *value)
{
	(void)s;
	(void)r;
	(void)value;
	TODO();
}
