/*
 * kit.h - what the lab's tests share (not a student file): the calling
 * trampoline of callcheck.S, guard-page buffers, and the checks built on
 * them.
 */
#ifndef KIT_H
#define KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keep in step with the offsets in callcheck.S. */
struct cc_frame {
	const void *fn;
	uint64_t arg[6];    /* rdi rsi rdx rcx r8 r9 */
	double x0;	    /* xmm0 */
	uint64_t stack[2];  /* 7th and 8th integer arguments */
	uint64_t avx;	    /* check the YMM upper state around the call */
	uint64_t rax;	    /* results */
	double xmm0;
	uint64_t bad;	    /* callee-saved registers that changed: bit 0
			     * rbx, 1 rbp, 2 r12, 3 r13, 4 r14, 5 r15 */
	uint64_t xinuse;    /* xgetbv(1) right after the call */
	uint64_t xinuse0;   /* and right before it */
};
_Static_assert(sizeof(struct cc_frame) == 128, "callcheck.S offsets");

void cc_call(struct cc_frame *f);
void cc_dirty_upper(void);
void cc_vzeroupper(void);
/* tests/probe.S, task 1 only: */
double cc_probe_cb(double x, void *ctx);
double cc_probe_body(double x, void *ctx); /* abi_test.c's */
extern uint64_t cc_misaligned;

/* Call fn(a...) through cc_call with the YMM check on; the frame is
 * left in *f for the checks below. */
void cc_prepare(struct cc_frame *f, const void *fn, int avx);

/* End the test if the last call changed a callee-saved register. */
void check_callee_saved(const char *what, const struct cc_frame *f);
/* End the test if the last call returned with dirty upper YMM halves.
 * Passes (with a note) where the CPU cannot tell (no XGETBV ecx=1, or
 * XINUSE not tracking YMM state): the grader decides what a machine
 * lacks, not a test, and this check cannot be made there. */
void check_vzeroupper(const char *what, const struct cc_frame *f);

/*
 * Guard-page buffers: a mapping of `pages` read-write pages with a
 * PROT_NONE page on each side.  guard_end(g, n) is the address n bytes
 * before the upper guard page, so a buffer of n bytes there ends exactly
 * where the unmapped memory begins; guard_start(g, off) is off bytes
 * after the start of the lower one's end.
 */
struct guard {
	unsigned char *lo;  /* first read-write byte */
	size_t len;	    /* read-write bytes */
};
void guard_alloc(struct guard *g, size_t pages);
void guard_free(struct guard *g);
void guard_fill(struct guard *g, unsigned char byte);
static inline unsigned char *guard_end(struct guard *g, size_t n)
{
	return g->lo + g->len - n;
}
static inline unsigned char *guard_start(struct guard *g, size_t off)
{
	return g->lo + off;
}

/* Aligned (64-byte) heap memory, ending the test if none is left; it
 * lasts as long as the test process (16 buffers at most). */
void *kit_alloc(size_t bytes);

/* The tolerance of a reordered sum (README.md, "Tolerance"):
 * 2 * n * DBL_EPSILON * sum of |terms|, and at least DBL_MIN. */
double sum_tolerance(size_t n, double abs_sum);
/* want and got agree: both NaN; or the same bits when tol is 0; or the
 * same infinity; or |want - got| <= tol. */
bool doubles_agree(double want, double got, double tol);

#endif
