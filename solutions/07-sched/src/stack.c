/*
 * stack.c - task 1: stacks from mmap with a guard page (reference).
 */
#include "ctx.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

static atomic_long live;

int stack_alloc(struct stack *s, size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (size == 0 || size > SIZE_MAX / 2) {
		errno = EINVAL;
		return -1;
	}
	size = (size + page - 1) & ~(page - 1);
	/* One mapping, the guard page at its bottom: the stack grows down
	 * into it.  MAP_NORESERVE: pages are only committed when touched. */
	char *m = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
		       -1, 0);
	if (m == MAP_FAILED)
		return -1;
	if (mprotect(m, page, PROT_NONE) != 0) {
		int e = errno;
		munmap(m, size + page);
		errno = e;
		return -1;
	}
#ifdef __SANITIZE_ADDRESS__
	/* The address may be an old stack's, whose dead frames ASan still
	 * marks as poisoned (a thread that ended never returned from them). */
	ASAN_UNPOISON_MEMORY_REGION(m + page, size);
#endif
	s->map = m;
	s->map_len = size + page;
	s->base = m + page;
	s->size = size;
	atomic_fetch_add(&live, 1);
	return 0;
}

void stack_free(struct stack *s)
{
	if (!s->map)
		return;
	munmap(s->map, s->map_len);
	atomic_fetch_sub(&live, 1);
	s->map = s->base = NULL;
	s->map_len = s->size = 0;
}

long stack_live(void)
{
	return atomic_load(&live);
}
