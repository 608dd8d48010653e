/*
 * trace_bench.c - the trace-driven driver: replays recorded allocation
 * patterns against the size-class allocator (through trace_alloc.h) and
 * against glibc's malloc, and scores the allocator on space and time.
 *
 * For each trace of the list below (traces/NAME.trace):
 *   1. One checked replay on a fresh allocator: every block must be
 *      non-NULL, 16-aligned and disjoint from every live block; each is
 *      filled with a pattern of its own when allocated and checked just
 *      before it is freed.  It measures the peak of live payload bytes
 *      and the peak footprint (trace_footprint() after every call):
 *          U = peak live payload / peak footprint   (at most 1)
 *   2. Timed replays, the allocator's against glibc's, alternating in
 *      rounds (wb/bench.h, the thread's CPU clock).  A timed replay only
 *      writes the first and last byte of each block, as a program that
 *      uses its memory would.  T is the median ratio of glibc's time to
 *      the allocator's: the allocator's ops/s over glibc's.
 *   3. P = W * U + (1 - W) * min(T / T_CAP, 1).
 * The metric `index` is the mean of P over the traces, in [0, 1].
 * T is capped at glibc's speed (T_CAP = 1), so an allocator that is fast
 * because it wastes memory cannot make up for it with speed.
 */
#define _GNU_SOURCE
#include "trace_alloc.h"
#include "wb/bench.h"
#include "wb/test.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 0.6
#define T_CAP 1.0

static const char *const traces[] = {
	"server", "longlived", "bintree", "mixed", "classworst",
};

/* Where the traces are: under the grader the test runs in
 * build/run/<part>/ next to build/lab/; by hand, from the lab or the
 * repository's top directory. */
static const char *const dirs[] = {
	"../../lab/traces", "traces", "labs/02-pools/traces", "../traces",
};

struct op {
	uint32_t id;
	uint32_t size; /* 0 for a free */
};

struct trace {
	const char *name;
	struct op *ops;
	size_t nops, nblocks;
	void **ptr;	/* by id, during a replay */
	uint32_t *size; /* by id */
};

static FILE *open_trace(const char *name, char *path, size_t cap)
{
	const char *env = getenv("WB_TRACE_DIR");

	if (env) {
		snprintf(path, cap, "%s/%s.trace", env, name);
		return fopen(path, "r");
	}
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, cap, "%s/%s.trace", dirs[i], name);
		FILE *f = fopen(path, "r");
		if (f)
			return f;
	}
	return NULL;
}

static void load(struct trace *t, const char *name)
{
	char path[512], line[128];
	FILE *f = open_trace(name, path, sizeof path);
	size_t cap = 1024, lineno = 0;

	CHECK(f != NULL, "trace %s: cannot open %s.trace in any of ../../lab/"
	      "traces, traces, labs/02-pools/traces, ../traces (or "
	      "$WB_TRACE_DIR)", name, name);
	memset(t, 0, sizeof *t);
	t->name = name;
	t->ops = malloc(cap * sizeof t->ops[0]);
	CHECK(t->ops != NULL, "out of memory");
	while (fgets(line, sizeof line, f)) {
		unsigned long id, size;
		char kind;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (t->nops == cap) {
			cap *= 2;
			t->ops = realloc(t->ops, cap * sizeof t->ops[0]);
			CHECK(t->ops != NULL, "out of memory");
		}
		struct op *o = &t->ops[t->nops++];
		if (sscanf(line, "%c %lu %lu", &kind, &id, &size) == 3 &&
		    kind == 'a') {
			CHECK(id == t->nblocks && size >= 1 && size < (1ul << 31),
			      "%s:%zu: bad allocation line: %s", path, lineno, line);
			o->id = (uint32_t)id;
			o->size = (uint32_t)size;
			t->nblocks++;
		} else if (sscanf(line, "%c %lu", &kind, &id) == 2 && kind == 'f') {
			CHECK(id < t->nblocks, "%s:%zu: free of unknown block: %s",
			      path, lineno, line);
			o->id = (uint32_t)id;
			o->size = 0;
		} else {
			CHECK(0, "%s:%zu: cannot parse: %s", path, lineno, line);
		}
	}
	fclose(f);
	t->ptr = calloc(t->nblocks ? t->nblocks : 1, sizeof t->ptr[0]);
	t->size = calloc(t->nblocks ? t->nblocks : 1, sizeof t->size[0]);
	CHECK(t->ptr && t->size, "out of memory");
	for (size_t i = 0; i < t->nops; i++)
		if (t->ops[i].size)
			t->size[t->ops[i].id] = t->ops[i].size;
}

static void unload(struct trace *t)
{
	free(t->ops);
	free(t->ptr);
	free(t->size);
}

/* ---- the checked replay ---- */

struct span {
	uintptr_t lo, hi; /* [lo, hi) */
	uint32_t id;
};

static size_t find(const struct span *s, size_t n, uintptr_t lo)
{
	size_t a = 0, b = n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (s[m].lo < lo)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static uint8_t pattern(uint32_t id, size_t i)
{
	return (uint8_t)((id * 2654435761u >> 13) + i * 7 + 1);
}

struct space {
	size_t peak_live, peak_footprint;
};

static void checked_replay(struct trace *t, struct space *sp)
{
	struct span *live = malloc((t->nblocks + 1) * sizeof *live);
	size_t nlive = 0, bytes = 0;

	CHECK(live != NULL, "out of memory");
	CHECK(trace_begin() == 0, "trace %s: the allocator could not be "
	      "created", t->name);
	sp->peak_live = sp->peak_footprint = 0;
	for (size_t k = 0; k < t->nops; k++) {
		const struct op *o = &t->ops[k];
		uint32_t id = o->id;

		if (o->size) {
			unsigned char *p = trace_alloc(o->size);
			uintptr_t lo = (uintptr_t)p, hi = lo + o->size;

			CHECK(p != NULL, "trace %s, op %zu: allocating %u bytes: "
			      "expected a block, got NULL", t->name, k, o->size);
			CHECK(lo % 16 == 0, "trace %s, op %zu: block of %u bytes "
			      "at %p: expected 16-byte alignment", t->name, k,
			      o->size, (void *)p);
			size_t at = find(live, nlive, lo);
			CHECK(at == nlive || hi <= live[at].lo,
			      "trace %s, op %zu: block %u [%p, +%u) overlaps live "
			      "block %u [%p, +%zu)", t->name, k, id, (void *)p,
			      o->size, live[at].id, (void *)live[at].lo,
			      (size_t)(live[at].hi - live[at].lo));
			CHECK(at == 0 || live[at - 1].hi <= lo,
			      "trace %s, op %zu: block %u [%p, +%u) overlaps live "
			      "block %u [%p, +%zu)", t->name, k, id, (void *)p,
			      o->size, live[at - 1].id, (void *)live[at - 1].lo,
			      (size_t)(live[at - 1].hi - live[at - 1].lo));
			memmove(&live[at + 1], &live[at], (nlive - at) * sizeof *live);
			live[at] = (struct span){lo, hi, id};
			nlive++;
			for (size_t i = 0; i < o->size; i++)
				p[i] = pattern(id, i);
			t->ptr[id] = p;
			bytes += o->size;
			if (bytes > sp->peak_live)
				sp->peak_live = bytes;
		} else {
			unsigned char *p = t->ptr[id];
			size_t n = t->size[id];

			for (size_t i = 0; i < n; i++)
				CHECK(p[i] == pattern(id, i),
				      "trace %s, op %zu: block %u (%p, %zu bytes) "
				      "byte %zu changed while it was live: "
				      "expected 0x%02x, got 0x%02x (overlap with "
				      "another block?)", t->name, k, id, (void *)p,
				      n, i, pattern(id, i), p[i]);
			size_t at = find(live, nlive, (uintptr_t)p);
			memmove(&live[at], &live[at + 1],
				(nlive - at - 1) * sizeof *live);
			nlive--;
			trace_free(p, n);
			t->ptr[id] = NULL;
			bytes -= n;
		}
		size_t fp = trace_footprint();
		if (fp > sp->peak_footprint)
			sp->peak_footprint = fp;
	}
	trace_end();
	free(live);
}

/* ---- the timed replays ---- */

static void replay_student(void *arg)
{
	struct trace *t = arg;

	for (size_t k = 0; k < t->nops; k++) {
		const struct op *o = &t->ops[k];

		if (o->size) {
			unsigned char *p = trace_alloc(o->size);
			p[0] = 1;
			p[o->size - 1] = 2;
			t->ptr[o->id] = p;
		} else {
			trace_free(t->ptr[o->id], t->size[o->id]);
		}
	}
}

static void replay_glibc(void *arg)
{
	struct trace *t = arg;

	for (size_t k = 0; k < t->nops; k++) {
		const struct op *o = &t->ops[k];

		if (o->size) {
			unsigned char *p = malloc(o->size);
			p[0] = 1;
			p[o->size - 1] = 2;
			t->ptr[o->id] = p;
		} else {
			free(t->ptr[o->id]);
		}
	}
}

TEST(trace_index)
{
	enum { N = sizeof traces / sizeof traces[0] };
	double sum = 0;

	wb_note("%-11s %7s %10s %10s %6s %6s %6s", "trace", "ops",
		"live KiB", "foot KiB", "U", "T", "P");
	for (size_t i = 0; i < N; i++) {
		struct trace t;
		struct space sp;
		struct wb_bench_result r;

		load(&t, traces[i]);
		checked_replay(&t, &sp);
		double u = sp.peak_footprint
				   ? (double)sp.peak_live / (double)sp.peak_footprint
				   : 0.0;
		if (u > 1.0)
			u = 1.0;

		/* One allocator for all timed rounds, as glibc keeps its heap. */
		CHECK(trace_begin() == 0, "the allocator could not be created");
		struct wb_bench b = {
			.baseline_name = "glibc", .baseline = replay_glibc,
			.candidate_name = "yours", .candidate = replay_student,
			.arg = &t, .rounds = 11, .warmup = 2, .round_ms = 8,
			.pin_cpu = -1, .cpu_time = 1,
		};
		wb_bench_run(&b, &r);
		trace_end();
		double tput = r.median;
		double tp = tput / T_CAP < 1.0 ? tput / T_CAP : 1.0;
		double p = W * u + (1 - W) * tp;

		wb_note("%-11s %7zu %10.1f %10.1f %6.3f %6.3f %6.3f", t.name,
			t.nops, sp.peak_live / 1024.0, sp.peak_footprint / 1024.0,
			u, tput, p);
		sum += p;
		unload(&t);
	}
	double index = sum / N;
	wb_note("index = mean of P = %.3f (P = %.1f U + %.1f min(T / %.1f, 1))",
		index, W, 1 - W, T_CAP);
	wb_metric("index", index);
}
