/*
 * kit.c - see kit.h.
 */
#define _GNU_SOURCE
#include "kit.h"

#include "wb/test.h"

#include <cpuid.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void cc_prepare(struct cc_frame *f, const void *fn, int avx)
{
	memset(f, 0, sizeof *f);
	f->fn = fn;
	f->avx = avx;
}

static const char *reg_names[] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};

void check_callee_saved(const char *what, const struct cc_frame *f)
{
	if (!f->bad)
		return;
	for (int i = 0; i < 6; i++)
		if (f->bad >> i & 1)
			wb_fail(__FILE__, __LINE__,
				"%s changed callee-saved register %s (and did not "
				"restore it): the caller's value is gone", what,
				reg_names[i]);
}

/* Can this CPU tell us whether the upper YMM halves are in use?  Needs
 * XGETBV with ecx = 1 (cpuid 0xd.1 eax bit 2), and XINUSE must really
 * follow vzeroupper here: shown with cc_dirty_upper. */
static int xinuse_works(void)
{
	static int known = -1;
	unsigned a, b, c, d;

	if (known >= 0)
		return known;
	known = 0;
	if (__get_cpuid_max(0, 0) < 0xd)
		return known;
	__cpuid_count(0xd, 1, a, b, c, d);
	(void)b, (void)c, (void)d;
	if (!(a & 4))
		return known;
	struct cc_frame f;
	cc_prepare(&f, (const void *)cc_dirty_upper, 1);
	cc_call(&f);
	uint64_t dirty = f.xinuse;
	cc_prepare(&f, (const void *)cc_vzeroupper, 1);
	cc_call(&f);
	known = (dirty & 4) && !(f.xinuse & 4);
	return known;
}

void check_vzeroupper(const char *what, const struct cc_frame *f)
{
	if (!xinuse_works()) {
		wb_note("this CPU cannot report whether the upper YMM halves are "
			"in use (XGETBV ecx=1): vzeroupper not checked");
		return;
	}
	if (f->xinuse & 4)
		wb_fail(__FILE__, __LINE__,
			"%s returned with the upper halves of the YMM registers "
			"in use (XINUSE bit 2 set after the call): it needs a "
			"vzeroupper before ret, or SSE code after it pays the "
			"AVX-SSE transition penalty", what);
}

void guard_alloc(struct guard *g, size_t pages)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, (pages + 2) * pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(m != MAP_FAILED, "mmap of %zu pages failed", pages + 2);
	CHECK(mprotect(m, pg, PROT_NONE) == 0, "mprotect (lower guard) failed");
	CHECK(mprotect(m + (pages + 1) * pg, pg, PROT_NONE) == 0,
	      "mprotect (upper guard) failed");
	g->lo = m + pg;
	g->len = pages * pg;
}

void guard_free(struct guard *g)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	munmap(g->lo - pg, g->len + 2 * pg);
}

void guard_fill(struct guard *g, unsigned char byte)
{
	memset(g->lo, byte, g->len);
}

/* Kept here, reachable, until the test process ends: the tests need
 * not free what they allocate, and LeakSanitizer does not count it. */
static void *kept[16];

void *kit_alloc(size_t bytes)
{
	void *p = NULL;
	size_t i = 0;

	while (i < sizeof kept / sizeof *kept && kept[i])
		i++;
	CHECK(i < sizeof kept / sizeof *kept, "kit_alloc: too many buffers");
	CHECK(posix_memalign(&p, 64, bytes ? bytes : 1) == 0,
	      "out of memory (%zu bytes)", bytes);
	return kept[i] = p;
}

double sum_tolerance(size_t n, double abs_sum)
{
	double t = 2.0 * (double)n * DBL_EPSILON * abs_sum;

	return t > DBL_MIN ? t : DBL_MIN;
}

bool doubles_agree(double want, double got, double tol)
{
	if (isnan(want) || isnan(got))
		return isnan(want) && isnan(got);
	if (tol == 0)
		return memcmp(&want, &got, sizeof want) == 0;
	if (isinf(want) || isinf(got))
		return want == got;
	return fabs(want - got) <= tol;
}
