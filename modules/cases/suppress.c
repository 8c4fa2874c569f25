/* suppress.c - small-number suppression for the anonymised trends (issue
 * 17): a count from 1 to 4 is never shown ("fewer than 5"), and where the
 * totals would let a hidden count be worked out, more is hidden
 * (complementary suppression).  Pure: no ctx, no Redis, no JSON.
 *
 * The table is seen as its cells with a total column (each row's total) and
 * a total row (each column's total, and the grand total in the corner).
 * Every row and every column of that extended table is a sum: its cells add
 * up to its total.  A sum with exactly one hidden member gives that member
 * away (the total less the others), so while some line has exactly one
 * hidden member, the next smallest shown cell of that line that is not 0 is
 * hidden too; when the line has no such cell, its total is hidden.  Hiding
 * only ever grows, so this ends.
 */
#include "cases.h"

#include <string.h>

/* Cell (r, c) of the extended table: r == rows is the total row, c == cols
 * the total column. */
static size_t at(const cases_grid *g, size_t r, size_t c)
{
	return r * (g->cols + 1) + c;
}

/* Line `i` of the extended table: a row (by_row) or a column; its members
 * are the cells and, last, its total.  Hides one more member when exactly
 * one is hidden.  Returns 1 when it hid something. */
static int line_fix(cases_grid *g, int by_row, size_t i)
{
	size_t n = by_row ? g->cols : g->rows, k, hidden = 0, best = (size_t)-1, idx;

	for (k = 0; k <= n; k++)
		hidden += g->hidden[by_row ? at(g, i, k) : at(g, k, i)];
	if (hidden != 1)
		return 0;
	for (k = 0; k < n; k++) {
		idx = by_row ? at(g, i, k) : at(g, k, i);
		if (!g->hidden[idx] && g->value[idx] > 0 && (best == (size_t)-1 || g->value[idx] < g->value[best]))
			best = idx;
	}
	if (best == (size_t)-1)
		best = by_row ? at(g, i, n) : at(g, n, i);
	if (g->hidden[best])
		return 0;  /* the total is the one hidden member and no cell is left: nothing more to hide */
	g->hidden[best] = 1;
	return 1;
}

int cases_grid_init(cases_grid *g, const long long *counts, size_t rows, size_t cols)
{
	size_t r, c, n = (rows + 1) * (cols + 1);

	if (rows == 0 || cols == 0 || rows > CASES_GRID_MAX || cols > CASES_GRID_MAX)
		return -1;
	memset(g, 0, sizeof(*g));
	g->rows = rows;
	g->cols = cols;
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++) {
			long long v = counts[r * cols + c] < 0 ? 0 : counts[r * cols + c];
			g->value[at(g, r, c)] = v;
			g->value[at(g, r, cols)] += v;
			g->value[at(g, rows, c)] += v;
			g->value[at(g, rows, cols)] += v;
		}
	for (r = 0; r < n; r++)
		g->hidden[r] = g->value[r] >= 1 && g->value[r] <= 4;
	return 0;
}

void cases_suppress(cases_grid *g)
{
	int changed = 1;
	size_t i;

	while (changed) {
		changed = 0;
		for (i = 0; i <= g->rows; i++)
			changed |= line_fix(g, 1, i);
		for (i = 0; i <= g->cols; i++)
			changed |= line_fix(g, 0, i);
	}
}
