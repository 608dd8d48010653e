/*
 * switch_test.c - task 1: ctx_switch, ctx_make, stack_alloc.
 */
#include "ctx.h"

#include "wb/test.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* tests/regs.S */
void regs_roundtrip(struct ctx *from, struct ctx *to, uint64_t seed,
		    uint64_t out[6]);
void entry_probe(void *arg);
extern uintptr_t entry_rsp;
extern void (*entry_probe_next)(void *);

static struct ctx main_ctx, co_ctx;
static struct stack co_stack;

static void co_start(void (*fn)(void *), void *arg)
{
	CHECK(stack_alloc(&co_stack, 64 * 1024) == 0,
	      "stack_alloc(64 KB) failed: %s", strerror(errno));
	ctx_make(&co_ctx, stack_top(&co_stack), fn, arg);
}

/* ---- ping-pong ---- */

enum { ROUNDS = 1000 };
static int trace[2 * ROUNDS + 2], ntrace;

static void pong(void *arg)
{
	CHECK_PTR("the argument ctx_make passed to fn", &ntrace, arg);
	for (;;) {
		trace[ntrace++] = 2; /* odd slots are the coroutine's */
		ctx_switch(&co_ctx, &main_ctx);
	}
}

TEST(switch_ping_pong)
{
	co_start(pong, &ntrace);
	for (int i = 0; i < ROUNDS; i++) {
		trace[ntrace++] = 1;
		ctx_switch(&main_ctx, &co_ctx);
	}
	CHECK_INT("entries in the trace after 1000 round trips", 2 * ROUNDS,
		  ntrace);
	for (int i = 0; i < 2 * ROUNDS; i++)
		CHECK(trace[i] == 1 + i % 2, "trace[%d] = %d: main (1) and the "
		      "coroutine (2) must take turns, main first", i, trace[i]);
	stack_free(&co_stack);
}

/* ---- callee-saved registers ---- */

#define SEED_MAIN 0x1111111100000000ULL
#define SEED_CO 0x2222222200000000ULL
static uint64_t out_co[6];
static const char *const reg_names[6] = {"rbx", "rbp", "r12", "r13", "r14",
					 "r15"};

static void check_regs(const char *who, uint64_t seed, const uint64_t *out)
{
	for (int i = 0; i < 6; i++)
		CHECK(out[i] == seed + 1 + (uint64_t)i, "%s: %s held %#llx before "
		      "its ctx_switch and %#llx when the switch came back "
		      "(callee-saved: the switch must save and restore it)",
		      who, reg_names[i], (unsigned long long)(seed + 1 + i),
		      (unsigned long long)out[i]);
}

static void regs_co(void *arg)
{
	(void)arg;
	/* Holds other values in the six registers while main is away. */
	regs_roundtrip(&co_ctx, &main_ctx, SEED_CO, out_co);
	ctx_switch(&co_ctx, &main_ctx);
	abort();
}

TEST(switch_callee_saved)
{
	uint64_t out_main[6];

	co_start(regs_co, NULL);
	regs_roundtrip(&main_ctx, &co_ctx, SEED_MAIN, out_main);
	check_regs("main", SEED_MAIN, out_main);
	ctx_switch(&main_ctx, &co_ctx); /* the coroutine's roundtrip returns */
	check_regs("the coroutine", SEED_CO, out_co);
	stack_free(&co_stack);
}

/* ---- floating-point control words ---- */

/* MXCSR without its sticky exception flags (bits 0-5): 1.0/3.0 sets
 * the precision flag, and that is not what these tests are about. */
static unsigned get_mxcsr(void)
{
	unsigned v;
	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v & ~0x3fu;
}

static void set_mxcsr(unsigned v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static unsigned get_fpucw(void)
{
	unsigned short v;
	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

static void set_fpucw(unsigned v)
{
	unsigned short w = (unsigned short)v;
	__asm__ volatile("fldcw %0" : : "m"(w));
}

/* Rounding control: MXCSR bits 13-14, x87 CW bits 10-11; 1 = down, 2 =
 * up, 3 = toward zero. */
#define MX_RC(rc) (0x1f80u | (rc) << 13)
#define CW_RC(rc) (0x037fu | (rc) << 10)

static volatile double one = 1.0, three = 3.0;
static unsigned co_mx[3], co_cw[3];
static double co_third;

static void fp_co(void *arg)
{
	(void)arg;
	co_mx[0] = get_mxcsr();
	co_cw[0] = get_fpucw();
	set_mxcsr(MX_RC(1u));
	set_fpucw(CW_RC(3u));
	ctx_switch(&co_ctx, &main_ctx);
	co_mx[1] = get_mxcsr();
	co_cw[1] = get_fpucw();
	co_third = one / three;
	ctx_switch(&co_ctx, &main_ctx);
	abort();
}

TEST(switch_fp_control_words)
{
	set_mxcsr(MX_RC(2u));
	set_fpucw(CW_RC(2u));
	co_start(fp_co, NULL);
	ctx_switch(&main_ctx, &co_ctx);
	unsigned mx = get_mxcsr(), cw = get_fpucw();
	double third = one / three;
	ctx_switch(&main_ctx, &co_ctx);
	unsigned mx2 = get_mxcsr(), cw2 = get_fpucw();
	set_mxcsr(0x1f80);
	set_fpucw(0x037f);

	CHECK(co_mx[0] == 0x1f80 && co_cw[0] == 0x037f, "a new context must "
	      "start with MXCSR 0x1f80 and x87 CW 0x037f, whatever its "
	      "creator's (main had rounding up): it started with MXCSR %#x, "
	      "CW %#x", co_mx[0], co_cw[0]);
	CHECK(mx == MX_RC(2u), "main set MXCSR %#x (round up), the coroutine "
	      "then set %#x (round down); back in main it is %#x", MX_RC(2u),
	      MX_RC(1u), mx);
	CHECK(cw == CW_RC(2u), "main set the x87 CW to %#x (round up), the "
	      "coroutine then set %#x (toward zero); back in main it is %#x",
	      CW_RC(2u), CW_RC(3u), cw);
	CHECK(co_mx[1] == MX_RC(1u), "the coroutine set MXCSR %#x, main "
	      "runs with %#x in between; back in the coroutine it is %#x",
	      MX_RC(1u), MX_RC(2u), co_mx[1]);
	CHECK(co_cw[1] == CW_RC(3u), "the coroutine set the x87 CW to %#x, "
	      "main runs with %#x in between; back in the coroutine it is "
	      "%#x", CW_RC(3u), CW_RC(2u), co_cw[1]);
	CHECK(third > co_third, "1.0/3.0 rounded up in main (%a) must be "
	      "above 1.0/3.0 rounded down in the coroutine (%a)", third,
	      co_third);
	CHECK(mx2 == MX_RC(2u) && cw2 == CW_RC(2u), "second return to main: "
	      "MXCSR %#x, CW %#x, want %#x, %#x", mx2, cw2, MX_RC(2u),
	      CW_RC(2u));
	stack_free(&co_stack);
}

/* ---- alignment at entry ---- */

static int probe_ran;
static char probe_text[64];

static void entry_probe_body(void *arg)
{
	probe_ran++;
	/* Variadic printf with a double: glibc saves xmm registers with
	 * movaps, which faults on a misaligned stack.  Only tried when the
	 * stack is right, so that a wrong one is reported, not a crash. */
	if (entry_rsp % 16 == 8)
		snprintf(probe_text, sizeof probe_text, "%.3f",
			 *(double *)arg);
	ctx_switch(&co_ctx, &main_ctx);
	abort();
}

TEST(switch_entry_alignment)
{
	double x = 2.5;

	entry_probe_next = entry_probe_body;
	CHECK(stack_alloc(&co_stack, 64 * 1024) == 0, "stack_alloc failed");
	for (int off = 0; off < 4; off++) {
		void *top = (char *)stack_top(&co_stack) - 16 * off;
		entry_rsp = 1;
		probe_ran = 0;
		probe_text[0] = 0;
		ctx_make(&co_ctx, top, entry_probe, &x);
		ctx_switch(&main_ctx, &co_ctx);
		CHECK_INT("runs of the entry function", 1, probe_ran);
		CHECK(entry_rsp % 16 == 8, "stack_top %p: rsp at the entry "
		      "function's first instruction is %#lx; after a call it "
		      "must be 8 mod 16 (rsp a multiple of 16 at the call)",
		      top, (unsigned long)entry_rsp);
		CHECK(entry_rsp < (uintptr_t)top && entry_rsp >= (uintptr_t)top
		      - 256, "rsp at entry %#lx is not just below stack_top %p",
		      (unsigned long)entry_rsp, top);
		CHECK_STR("snprintf(\"%.3f\", 2.5) in the new context", "2.500",
			  probe_text);
	}
	stack_free(&co_stack);
}

/* ---- stacks ---- */

/* The permissions /proc/self/maps gives for the mapping holding addr,
 * e.g. "rw-p", or "" if none does. */
static void perms_at(const void *addr, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	uintptr_t a = (uintptr_t)addr;

	out[0] = 0;
	CHECK(f != NULL, "cannot open /proc/self/maps");
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char p[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && a >= lo &&
		    a < hi) {
			memcpy(out, p, 5);
			break;
		}
	}
	fclose(f);
}

static int mapped(const void *addr)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));
	return !(msync(p, (size_t)page, MS_ASYNC) != 0 && errno == ENOMEM);
}

TEST(stack_alloc_layout)
{
	long page = sysconf(_SC_PAGESIZE), live0 = stack_live();
	struct stack s, t;
	char perm[5];

	CHECK(stack_alloc(&s, 10000) == 0, "stack_alloc(10000) failed: %s",
	      strerror(errno));
	CHECK_INT("stack_live() after one stack_alloc", live0 + 1,
		  stack_live());
	CHECK_UINT("size of stack_alloc(10000): whole pages", 3 * page,
		   s.size);
	CHECK((uintptr_t)s.base % (uintptr_t)page == 0, "base %p is not "
	      "page-aligned", s.base);
	CHECK((uintptr_t)stack_top(&s) % 16 == 0, "stack top not aligned");
	memset(s.base, 0x5a, s.size); /* the whole usable range is writable */
	perms_at(s.base, perm);
	CHECK(strncmp(perm, "rw", 2) == 0, "the usable stack at %p is mapped "
	      "\"%s\" in /proc/self/maps, want rw", s.base, perm);
	perms_at((char *)s.base - 1, perm);
	CHECK_STR("permissions of the page just below base (the guard page)",
		  "---p", perm);
	CHECK(stack_alloc(&t, 1) == 0, "stack_alloc(1) failed");
	CHECK_UINT("size of stack_alloc(1)", page, t.size);
	CHECK_INT("stack_live() with two stacks", live0 + 2, stack_live());
	void *b = s.base, *g = (char *)s.base - 1;
	stack_free(&s);
	CHECK(!mapped(b) && !mapped(g), "after stack_free the stack (%p) or "
	      "its guard page is still mapped", b);
	CHECK_INT("stack_live() after one stack_free", live0 + 1,
		  stack_live());
	stack_free(&t);
	CHECK_INT("stack_live() after both are freed", live0, stack_live());
}

/* ---- overflow into the guard page, in a child ---- */

struct fault_report {
	uintptr_t addr, guard_lo, guard_hi;
	long depth;
};
static struct fault_report *rep;
static volatile long depth, sink;
static volatile int stop; /* never set: keeps the recursion "finite" */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	uintptr_t a = (uintptr_t)si->si_addr;
	rep->addr = a;
	rep->depth = depth;
	_exit(a >= rep->guard_lo && a < rep->guard_hi ? 42 : 43);
}

static long __attribute__((noinline)) dive(long n)
{
	volatile char buf[512];

	depth = n;
	if (stop)
		return 0;
	buf[0] = (char)n;
	buf[511] = (char)n;
	return dive(n + 1) + buf[0] + buf[511];
}

static void overflow_co(void *arg)
{
	(void)arg;
	sink = dive(0);
	_exit(44);
}

static void overflow_child(void)
{
	static char alt[64 * 1024];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGSEGV, &sa, NULL) != 0)
		_exit(45);
	alarm(10);
	ctx_switch(&main_ctx, &co_ctx);
	_exit(47);
}

TEST(stack_overflow_hits_guard)
{
	long page = sysconf(_SC_PAGESIZE);
	int st;

	rep = mmap(NULL, sizeof *rep, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(rep != MAP_FAILED, "test setup: mmap failed");
	/* Everything but the switch itself in this process, where a
	 * failure (or a TODO) ends the test in the usual way. */
	CHECK(stack_alloc(&co_stack, 64 * 1024) == 0, "stack_alloc failed");
	rep->guard_lo = (uintptr_t)co_stack.base - (uintptr_t)page;
	rep->guard_hi = (uintptr_t)co_stack.base;
	ctx_make(&co_ctx, stack_top(&co_stack), overflow_co, NULL);
	pid_t pid = fork();
	CHECK(pid >= 0, "test setup: fork failed");
	if (pid == 0)
		overflow_child();
	CHECK(waitpid(pid, &st, 0) == pid, "test setup: waitpid failed");
	stack_free(&co_stack);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 42) {
		wb_note("the overflow faulted at %#lx, in the guard page, after "
			"%ld frames of 512+ bytes", (unsigned long)rep->addr,
			rep->depth);
		return;
	}
	CHECK(!WIFSIGNALED(st), "the child running the overflowing coroutine "
	      "died of signal %d (%s) instead of faulting in the guard page "
	      "(SIGSEGV, caught by the child)", WTERMSIG(st),
	      strsignal(WTERMSIG(st)));
	int code = WEXITSTATUS(st);
	CHECK(code != 43, "the overflow faulted at %#lx, outside the guard "
	      "page [%#lx, %#lx) just below the stack's base: no guard page "
	      "where it belongs, and the recursion wrote over whatever lay "
	      "below", (unsigned long)rep->addr, (unsigned long)rep->guard_lo,
	      (unsigned long)rep->guard_hi);
	CHECK(code != 45, "test setup: sigaltstack/sigaction failed");
	CHECK(0, "the child exited with status %d: the overflow was not "
	      "caught by a guard page (44: the recursion returned, 47: the "
	      "switch came back, 1: the test ended in the child, e.g. "
	      "ctx_switch not implemented)", code);
}
