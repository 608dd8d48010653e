/*
 * hazard.c - task 4: hazard pointers.  Yours to write.
 *
 * Read include/hazard.h first, then the handout's section on the
 * store-load ordering the publication and the scan need.  Delete each
 * TODO() as you implement it.
 */
#include "hazard.h"
#include "wb/todo.h"

void hp_domain_init(struct hp_domain *d, size_t threshold,
		    void (*free_fn)(void *p, void *arg), void *arg)
{
	(void)d;
	(void)threshold;
	(void)free_fn;
	(void)arg;
	TODO();
}

void hp_domain_destroy(struct hp_domain *d)
{
	(void)d;
	TODO();
}

struct hp_record *hp_enter(struct hp_domain *d)
{
	(void)d;
	TODO();
}

void hp_leave(struct hp_record *r)
{
	(void)r;
	TODO();
}

void *hp_protect(struct hp_record *r, int i, _Atomic(void *) *src)
{
	(void)r;
	(void)i;
	(void)src;
	TODO();
}

void hp_clear(struct hp_record *r, int i)
{
	(void)r;
	(void)i;
	TODO();
}

void hp_retire(struct hp_record *r, void *p)
{
	(void)r;
	(void)p;
	TODO();
}

void hp_scan(struct hp_record *r)
{
	(void)r;
	TODO();
}

size_t hp_retired_count(const struct hp_record *r)
{
	(void)r;
	TODO();
}
