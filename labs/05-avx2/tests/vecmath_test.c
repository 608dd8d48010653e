/*
 * vecmath_test.c - task 2: vec_sum, vec_add, vec_dot from src/vecmath.S.
 *
 * Arrays sit between NaNs (a kernel that reads one element too many
 * gets NaN) or against an unmapped page (it gets SIGSEGV).  Offsets
 * 0, 8, 16 and 24 bytes from a 32-byte boundary cover every alignment a
 * double array can have.  Sums and dot products are compared with the
 * scalar loops within the tolerance of kit.h; vec_add bit for bit.
 */
#include "kit.h"
#include "scalar.h"
#include "vecmath.h"
#include "wb/rand.h"
#include "wb/test.h"

#include <math.h>
#include <string.h>

enum { MAXN = 257, PAD = 8 };

static double call_sum(const double *x, size_t n, struct cc_frame *f)
{
	cc_prepare(f, (const void *)vec_sum, 1);
	f->arg[0] = (uintptr_t)x;
	f->arg[1] = n;
	cc_call(f);
	return f->xmm0;
}

static void call_add(double *d, const double *a, const double *b, size_t n,
		     struct cc_frame *f)
{
	cc_prepare(f, (const void *)vec_add, 1);
	f->arg[0] = (uintptr_t)d;
	f->arg[1] = (uintptr_t)a;
	f->arg[2] = (uintptr_t)b;
	f->arg[3] = n;
	cc_call(f);
}

static double call_dot(const double *a, const double *b, size_t n,
		       struct cc_frame *f)
{
	cc_prepare(f, (const void *)vec_dot, 1);
	f->arg[0] = (uintptr_t)a;
	f->arg[1] = (uintptr_t)b;
	f->arg[2] = n;
	cc_call(f);
	return f->xmm0;
}

/* Values in (-1, 1) with now and then a larger one. */
static double rnd(struct wb_rand *r)
{
	double v = (double)(wb_rand_u64(r) >> 11) / 9007199254740992.0 * 2 - 1;

	return wb_rand_below(r, 16) == 0 ? v * 1000 : v;
}

static void fill_rnd(struct wb_rand *r, double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = rnd(r);
}

static void fill_nan(double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = NAN;
}

static double abs_sum(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += fabs(x[i]);
	return s;
}

static double abs_dot(const double *a, const double *b, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += fabs(a[i] * b[i]);
	return s;
}

static void check_sum(const char *what, const double *x, size_t n, size_t off,
		      double got)
{
	double want = scalar_sum(x, n), tol = sum_tolerance(n, abs_sum(x, n));

	if (!doubles_agree(want, got, tol))
		wb_fail(__FILE__, __LINE__, "%s: n = %zu, start %zu bytes past a "
			"32-byte boundary: got %.17g, want %.17g (tolerance %.3g)%s",
			what, n, off, got, want, tol,
			isnan(got) ? ": NaN, from outside the array?" : "");
}

static void check_dot(const char *what, const double *a, const double *b,
		      size_t n, size_t off, double got)
{
	double want = scalar_dot(a, b, n), tol = sum_tolerance(n, abs_dot(a, b, n));

	if (!doubles_agree(want, got, tol))
		wb_fail(__FILE__, __LINE__, "%s: n = %zu, start %zu bytes past a "
			"32-byte boundary: got %.17g, want %.17g (tolerance %.3g)%s",
			what, n, off, got, want, tol,
			isnan(got) ? ": NaN, from outside the arrays?" : "");
}

static void check_add(const char *what, const double *a, const double *b,
		      const double *got, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++) {
		double want = a[i] + b[i];
		if (!doubles_agree(want, got[i], 0))
			wb_fail(__FILE__, __LINE__, "%s: n = %zu, offset %zu: "
				"dst[%zu] = %.17g, want %.17g", what, n, off, i,
				got[i], want);
	}
}

/* ---- vec_sum ---- */

TEST(sum_lengths)
{
	struct wb_rand r;
	struct cc_frame f;
	double *buf = kit_alloc((MAXN + 2 * PAD) * sizeof(double));

	wb_rand_seed(&r, 51);
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n <= MAXN; n++) {
			double *x = buf + PAD + off;
			fill_nan(buf, MAXN + 2 * PAD);
			fill_rnd(&r, x, n);
			check_sum("vec_sum", x, n, off * 8, call_sum(x, n, &f));
		}
}

TEST(sum_large)
{
	struct wb_rand r;
	struct cc_frame f;
	size_t n = 1000003;
	double *x = kit_alloc((n + 3) * sizeof(double));

	wb_rand_seed(&r, 52);
	fill_rnd(&r, x, n + 3);
	for (size_t off = 0; off < 4; off++)
		check_sum("vec_sum, large", x + off, n - off, off * 8,
			  call_sum(x + off, n - off, &f));
}

TEST(sum_guard_page)
{
	struct wb_rand r;
	struct cc_frame f;
	struct guard g;

	wb_rand_seed(&r, 53);
	guard_alloc(&g, 1);
	guard_fill(&g, 0xff); /* NaN */
	for (size_t n = 0; n <= MAXN; n++) {
		double *x = (double *)guard_end(&g, n * sizeof(double));
		fill_rnd(&r, x, n);
		check_sum("vec_sum, ending at an unmapped page", x, n,
			  (uintptr_t)x % 32, call_sum(x, n, &f));
		fill_nan(x, n);
	}
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n <= MAXN; n++) {
			double *x = (double *)guard_start(&g, off * 8);
			fill_rnd(&r, x, n);
			check_sum("vec_sum, starting after an unmapped page", x, n,
				  off * 8, call_sum(x, n, &f));
			fill_nan(x, n);
		}
	guard_free(&g);
}

TEST(sum_nan_negzero)
{
	struct cc_frame f;
	double x[100];
	static const size_t ns[] = {1, 3, 4, 5, 8, 31, 32, 33, 100};

	for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
		size_t n = ns[k];
		for (size_t i = 0; i < n; i++)
			x[i] = -0.0;
		double got = call_sum(x, n, &f);
		CHECK(got == 0 && !signbit(got), "vec_sum of %zu negative zeros: "
		      "got %g, want +0 (the sum starts from +0.0, like the "
		      "scalar loop)", n, got);
		for (size_t at = 0; at < n; at++) {
			for (size_t i = 0; i < n; i++)
				x[i] = 1.5;
			x[at] = NAN;
			got = call_sum(x, n, &f);
			CHECK(isnan(got), "vec_sum of %zu values with a NaN at [%zu]: "
			      "got %g, want NaN", n, at, got);
		}
		for (size_t i = 0; i < n; i++)
			x[i] = i % 2 ? -INFINITY : INFINITY;
		got = call_sum(x, n, &f);
		CHECK(n > 1 ? isnan(got) : got == INFINITY, "vec_sum of %zu "
		      "alternating infinities: got %g", n, got);
	}
	double e[3] = {0.0, -0.0, 0.0};
	double got = call_sum(e, 0, &f);
	CHECK(got == 0 && !signbit(got), "vec_sum of nothing: got %g, want +0",
	      got);
	CHECK(call_sum(e, 3, &f) == 0, "vec_sum of zeros is not 0");
}

TEST(sum_vzeroupper)
{
	struct cc_frame f;
	double x[70] = {0};

	call_sum(x, 70, &f);
	check_vzeroupper("vec_sum", &f);
	call_sum(x, 3, &f);
	check_vzeroupper("vec_sum (n = 3)", &f);
}

TEST(sum_callee_saved)
{
	struct cc_frame f;
	double x[70] = {0};

	call_sum(x, 70, &f);
	check_callee_saved("vec_sum", &f);
}

/* ---- vec_add ---- */

TEST(add_lengths)
{
	struct wb_rand r;
	struct cc_frame f;
	size_t len = MAXN + 2 * PAD;
	double *a = kit_alloc(len * sizeof(double)), *b = kit_alloc(len * sizeof(double)),
	       *d = kit_alloc(len * sizeof(double));

	wb_rand_seed(&r, 54);
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n <= MAXN; n++) {
			/* three different alignments at once */
			double *x = a + PAD + off, *y = b + PAD + (off + 1) % 4,
			       *z = d + PAD + (off + 3) % 4;
			fill_nan(a, len), fill_nan(b, len), fill_nan(d, len);
			fill_rnd(&r, x, n), fill_rnd(&r, y, n);
			call_add(z, x, y, n, &f);
			check_add("vec_add", x, y, z, n, off * 8);
			/* nothing written around dst */
			for (size_t i = 0; i < len; i++)
				if (d + i < z || d + i >= z + n)
					CHECK(isnan(d[i]), "vec_add with n = %zu wrote "
					      "outside dst, at dst[%td]", n,
					      (d + i) - z);
		}
}

TEST(add_large)
{
	struct wb_rand r;
	struct cc_frame f;
	size_t n = 300007;
	double *a = kit_alloc(n * sizeof(double)), *b = kit_alloc(n * sizeof(double)),
	       *d = kit_alloc(n * sizeof(double));

	wb_rand_seed(&r, 55);
	fill_rnd(&r, a, n);
	fill_rnd(&r, b, n);
	call_add(d, a, b, n, &f);
	check_add("vec_add, large", a, b, d, n, 0);
	call_add(d + 1, a + 3, b + 2, n - 3, &f);
	check_add("vec_add, large, misaligned", a + 3, b + 2, d + 1, n - 3, 8);
}

TEST(add_in_place)
{
	struct wb_rand r;
	struct cc_frame f;
	double a[MAXN], b[MAXN], orig[MAXN];

	wb_rand_seed(&r, 56);
	for (size_t n = 0; n <= MAXN; n += 7) {
		fill_rnd(&r, a, n), fill_rnd(&r, b, n);
		memcpy(orig, a, sizeof a);
		call_add(a, a, b, n, &f);
		check_add("vec_add with dst == a", orig, b, a, n, 0);
		memcpy(orig, b, sizeof b);
		call_add(b, b, b, n, &f);
		check_add("vec_add with dst == a == b", orig, orig, b, n, 0);
	}
}

TEST(add_guard_page)
{
	struct wb_rand r;
	struct cc_frame f;
	struct guard ga, gb, gd;

	wb_rand_seed(&r, 57);
	guard_alloc(&ga, 1), guard_alloc(&gb, 1), guard_alloc(&gd, 1);
	for (size_t n = 0; n <= MAXN; n++) {
		size_t bytes = n * sizeof(double);
		double *x = (double *)guard_end(&ga, bytes),
		       *y = (double *)guard_end(&gb, bytes),
		       *z = (double *)guard_end(&gd, bytes);
		fill_rnd(&r, x, n), fill_rnd(&r, y, n);
		call_add(z, x, y, n, &f);
		check_add("vec_add, arrays ending at an unmapped page", x, y, z, n,
			  (uintptr_t)x % 32);
	}
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n <= MAXN; n += 5) {
			double *x = (double *)guard_start(&ga, off * 8),
			       *y = (double *)guard_start(&gb, off * 8),
			       *z = (double *)guard_start(&gd, off * 8);
			fill_rnd(&r, x, n), fill_rnd(&r, y, n);
			call_add(z, x, y, n, &f);
			check_add("vec_add, arrays starting after an unmapped page",
				  x, y, z, n, off * 8);
		}
	guard_free(&ga), guard_free(&gb), guard_free(&gd);
}

TEST(add_nan_negzero)
{
	struct cc_frame f;
	double a[37], b[37], d[37];

	for (int i = 0; i < 37; i++) {
		static const double v[] = {-0.0, 0.0, NAN, -INFINITY, INFINITY, 1.0};
		a[i] = v[i % 6];
		b[i] = v[(i / 6) % 6];
	}
	call_add(d, a, b, 37, &f);
	check_add("vec_add of zeros of both signs, NaNs, infinities", a, b, d, 37, 0);
}

TEST(add_vzeroupper)
{
	struct cc_frame f;
	double a[70] = {0}, d[70];

	call_add(d, a, a, 70, &f);
	check_vzeroupper("vec_add", &f);
}

TEST(add_callee_saved)
{
	struct cc_frame f;
	double a[70] = {0}, d[70];

	call_add(d, a, a, 70, &f);
	check_callee_saved("vec_add", &f);
}

/* ---- vec_dot ---- */

TEST(dot_lengths)
{
	struct wb_rand r;
	struct cc_frame f;
	size_t len = MAXN + 2 * PAD;
	double *a = kit_alloc(len * sizeof(double)), *b = kit_alloc(len * sizeof(double));

	wb_rand_seed(&r, 58);
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n <= MAXN; n++) {
			double *x = a + PAD + off, *y = b + PAD + (off + 2) % 4;
			fill_nan(a, len), fill_nan(b, len);
			fill_rnd(&r, x, n), fill_rnd(&r, y, n);
			check_dot("vec_dot", x, y, n, off * 8, call_dot(x, y, n, &f));
		}
}

TEST(dot_large)
{
	struct wb_rand r;
	struct cc_frame f;
	size_t n = 500009;
	double *a = kit_alloc(n * sizeof(double)), *b = kit_alloc(n * sizeof(double));

	wb_rand_seed(&r, 59);
	fill_rnd(&r, a, n), fill_rnd(&r, b, n);
	check_dot("vec_dot, large", a, b, n, 0, call_dot(a, b, n, &f));
	check_dot("vec_dot, large, misaligned", a + 1, b + 3, n - 3, 8,
		  call_dot(a + 1, b + 3, n - 3, &f));
}

TEST(dot_guard_page)
{
	struct wb_rand r;
	struct cc_frame f;
	struct guard ga, gb;

	wb_rand_seed(&r, 60);
	guard_alloc(&ga, 1), guard_alloc(&gb, 1);
	guard_fill(&ga, 0xff), guard_fill(&gb, 0xff);
	for (size_t n = 0; n <= MAXN; n++) {
		size_t bytes = n * sizeof(double);
		double *x = (double *)guard_end(&ga, bytes),
		       *y = (double *)guard_end(&gb, bytes);
		fill_rnd(&r, x, n), fill_rnd(&r, y, n);
		check_dot("vec_dot, arrays ending at an unmapped page", x, y, n,
			  (uintptr_t)x % 32, call_dot(x, y, n, &f));
		fill_nan(x, n), fill_nan(y, n);
	}
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n <= MAXN; n += 3) {
			double *x = (double *)guard_start(&ga, off * 8),
			       *y = (double *)guard_start(&gb, off * 8);
			fill_rnd(&r, x, n), fill_rnd(&r, y, n);
			check_dot("vec_dot, arrays starting after an unmapped page",
				  x, y, n, off * 8, call_dot(x, y, n, &f));
			fill_nan(x, n), fill_nan(y, n);
		}
	guard_free(&ga), guard_free(&gb);
}

TEST(dot_nan_negzero)
{
	struct cc_frame f;
	double a[41], b[41];

	for (int i = 0; i < 41; i++)
		a[i] = -0.0, b[i] = 1.0;
	double got = call_dot(a, b, 41, &f);
	CHECK(got == 0 && !signbit(got), "vec_dot of negative zeros by ones: got "
	      "%g, want +0 (the sum starts from +0.0)", got);
	got = call_dot(a, b, 0, &f);
	CHECK(got == 0 && !signbit(got), "vec_dot of nothing: got %g, want +0", got);
	for (size_t at = 0; at < 41; at++) {
		for (int i = 0; i < 41; i++)
			a[i] = 0.25, b[i] = 2.0;
		b[at] = NAN;
		got = call_dot(a, b, 41, &f);
		CHECK(isnan(got), "vec_dot with a NaN at b[%zu]: got %g", at, got);
		b[at] = INFINITY;
		a[at] = 0.0;
		got = call_dot(a, b, 41, &f);
		CHECK(isnan(got), "vec_dot with 0 * infinity at [%zu]: got %g, want "
		      "NaN", at, got);
	}
}

TEST(dot_vzeroupper)
{
	struct cc_frame f;
	double a[70] = {0};

	call_dot(a, a, 70, &f);
	check_vzeroupper("vec_dot", &f);
}

TEST(dot_callee_saved)
{
	struct cc_frame f;
	double a[70] = {0};

	call_dot(a, a, 70, &f);
	check_callee_saved("vec_dot", &f);
}
