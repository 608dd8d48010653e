/*
 * scalar.c - the scalar loops of scalar.h, one element at a time.
 */
#include "scalar.h"

double scalar_sum(const double *x, size_t n)
{
	double s = 0.0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s;
}

void scalar_add(double *dst, const double *a, const double *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = a[i] + b[i];
}

double scalar_dot(const double *a, const double *b, size_t n)
{
	double s = 0.0;

	for (size_t i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

void *scalar_find(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

size_t scalar_count(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += p[i] == (unsigned char)c;
	return k;
}
