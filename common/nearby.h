/* nearby.h - how far apart London's boroughs are, for "nearest first".
 *
 * Each borough (the area codes of reference.h's portal_london_areas) has
 * an approximate centroid; the distance between two boroughs is the
 * straight line between their centroids.  Good enough to order safehouses
 * by how near they are to a preferred area; never an address.
 */
#ifndef PORTAL_NEARBY_H
#define PORTAL_NEARBY_H

/* Metres between the centroids of boroughs `a` and `b` (area codes such as
 * "camden"); 0 for the same borough; -1 when either is not a London
 * borough (NULL, "", "outside-london", unknown). */
long portal_area_distance_m(const char *a, const char *b);

#endif
