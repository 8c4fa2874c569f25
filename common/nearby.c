/* nearby.c - borough centroids and the distance between them (see
 * nearby.h).  The centroids are approximate (to about 1 km), in degrees. */
#include "nearby.h"

#include <stddef.h>
#include <string.h>

static const struct centroid {
	const char *code;
	double      lat, lon;
} centroids[] = {
	{ "barking-and-dagenham", 51.545, 0.129 },
	{ "barnet", 51.625, -0.152 },
	{ "bexley", 51.455, 0.150 },
	{ "brent", 51.559, -0.268 },
	{ "bromley", 51.375, 0.036 },
	{ "camden", 51.545, -0.163 },
	{ "city-of-london", 51.515, -0.092 },
	{ "croydon", 51.372, -0.099 },
	{ "ealing", 51.513, -0.309 },
	{ "enfield", 51.652, -0.081 },
	{ "greenwich", 51.476, 0.060 },
	{ "hackney", 51.545, -0.055 },
	{ "hammersmith-and-fulham", 51.492, -0.224 },
	{ "haringey", 51.588, -0.106 },
	{ "harrow", 51.588, -0.335 },
	{ "havering", 51.577, 0.212 },
	{ "hillingdon", 51.533, -0.452 },
	{ "hounslow", 51.468, -0.361 },
	{ "islington", 51.547, -0.109 },
	{ "kensington-and-chelsea", 51.499, -0.194 },
	{ "kingston-upon-thames", 51.386, -0.284 },
	{ "lambeth", 51.460, -0.116 },
	{ "lewisham", 51.445, -0.020 },
	{ "merton", 51.410, -0.188 },
	{ "newham", 51.525, 0.035 },
	{ "redbridge", 51.576, 0.070 },
	{ "richmond-upon-thames", 51.447, -0.326 },
	{ "southwark", 51.473, -0.080 },
	{ "sutton", 51.361, -0.194 },
	{ "tower-hamlets", 51.515, -0.035 },
	{ "waltham-forest", 51.590, -0.012 },
	{ "wandsworth", 51.457, -0.192 },
	{ "westminster", 51.512, -0.152 },
};

/* The centroid of borough `code`, or NULL. */
static const struct centroid *centroid_of(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < sizeof(centroids) / sizeof(centroids[0]); i++)
		if (strcmp(centroids[i].code, code) == 0)
			return &centroids[i];
	return NULL;
}

/* The integer square root of n (n >= 0): Newton's method, no libm. */
static long long isqrt(long long n)
{
	long long x = n, y;

	if (n < 2)
		return n;
	y = (x + 1) / 2;
	while (y < x) {
		x = y;
		y = (x + n / x) / 2;
	}
	return x;
}

long portal_area_distance_m(const char *a, const char *b)
{
	const struct centroid *x = centroid_of(a), *y = centroid_of(b);
	long long dx, dy;

	if (x == NULL || y == NULL)
		return -1;
	/* over London's 50 km a flat projection at 51.5 degrees north is
	 * within a few metres of the great circle */
	dx = (long long)((y->lon - x->lon) * 111320.0 * 0.6225);  /* cos(51.5 degrees) */
	dy = (long long)((y->lat - x->lat) * 110574.0);
	return (long)isqrt(dx * dx + dy * dy);
}
