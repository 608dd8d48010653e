/*
 * sysfilter.c - see sysfilter.h.
 */
#define _GNU_SOURCE
#include "sysfilter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define IP_OFF offsetof(struct seccomp_data, instruction_pointer)

static int install(struct sock_filter *f, unsigned short n)
{
	struct sock_fprog prog = {n, f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return -errno;
	return 0;
}

int sf_block(long nr, int err)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & 0xffff)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return install(f, sizeof f / sizeof f[0]);
}

#if defined(__x86_64__)
static volatile unsigned long enters;

/* The one io_uring_enter the filter lets through: the address after its
 * syscall instruction (what seccomp reports as the instruction pointer)
 * is the label sf_enter_ret.  noinline, noclone: one copy, one label. */
extern const char sf_enter_ret[];

__attribute__((noinline, noclone)) static long
enter_here(long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall\n\t"
			 ".globl sf_enter_ret\n\t"
			 ".hidden sf_enter_ret\n"
			 "sf_enter_ret:"
			 : "=a"(ret)
			 : "0"((long)SYS_io_uring_enter), "D"(a0), "S"(a1),
			   "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;

	(void)sig;
	if (si->si_syscall != SYS_io_uring_enter) {
		g[REG_RAX] = -ENOSYS;
		return;
	}
	__atomic_fetch_add(&enters, 1, __ATOMIC_RELAXED);
	g[REG_RAX] = enter_here(g[REG_RDI], g[REG_RSI], g[REG_RDX],
				g[REG_R10], g[REG_R8], g[REG_R9]);
}

int sf_count_enters(void)
{
	uintptr_t ip = (uintptr_t)sf_enter_ret;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_enter, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ip, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_OFF + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(ip >> 32), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0)
		return -errno;
	enters = 0;
	return install(f, sizeof f / sizeof f[0]);
}

unsigned long sf_enters(void)
{
	return __atomic_load_n(&enters, __ATOMIC_RELAXED);
}
#else
int sf_count_enters(void)
{
	return -ENOSYS;
}

unsigned long sf_enters(void)
{
	return 0;
}
#endif
