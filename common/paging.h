/* paging.h - a paged list: the page and per_page a query asks for (the
 * two fields every list's query table declares), and the data of the
 * GOV.UK pagination component under a list page (each module's template
 * renders it: links in words, no JavaScript).
 */
#ifndef PORTAL_PAGING_H
#define PORTAL_PAGING_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "field.h"

#define PORTAL_PER_PAGE      20    /* a list's page when none is asked */
#define PORTAL_PER_PAGE_MAX  100
#define PORTAL_PAGE_MAX      1000000

/* The two query fields of a paged list, for a module's field table;
 * `items` names what is listed ("Bookings" gives "Bookings per page"). */
#define PORTAL_PAGE_FIELDS(items) \
	{ .name = "page", .type = PORTAL_FIELD_INT, .min = 1, .max = PORTAL_PAGE_MAX, .label = "Page" }, \
	{ .name = "per_page", .type = PORTAL_FIELD_INT, .min = 1, .max = PORTAL_PER_PAGE_MAX, .label = items " per page" }

/* The page asked for: page from 1, per_page 1..PORTAL_PER_PAGE_MAX. */
typedef struct portal_page {
	long long page, per_page;
} portal_page;

/* The page of validated query `q` (its "page" and "per_page", checked by
 * PORTAL_PAGE_FIELDS; 1 and PORTAL_PER_PAGE when absent).  q may be NULL. */
portal_page portal_page_of(const json_t *q);

/* The index of the first item of page p (from 0). */
long long portal_page_offset(portal_page p);

/* The address of page `page` of the list at `path` into out (reset first):
 * path?page=N, then each of q's values named in `keep` (NULL-terminated;
 * strings and integers URL-encoded, true as 1; absent, empty or false ones
 * left out). */
void portal_page_href(portal_buf *out, const char *path, const json_t *q, const char *const *keep, long long page);

/* The GOV.UK pagination of page `p` of a list of `total` items at `path`
 * (its addresses as portal_page_href makes them): {prev_href, next_href,
 * items: [{number, href, current} or {ellipsis}]} (the first page, the
 * last, and the pages beside the current one).  New reference, or NULL
 * when one page holds the list. */
json_t *portal_pagination(const char *path, const json_t *q, const char *const *keep, portal_page p,
                          long long total);

/* Where a list's pages are: its path, the query values its addresses
 * keep (NULL-terminated), and what its pages list in words ("holds": the
 * pagination's "Pages of holds"). */
typedef struct portal_page_list {
	const char        *path;
	const char *const *keep;
	const char        *pages_of;
} portal_page_list;

/* The query values kept by a list that has no other query: per_page. */
extern const char *const portal_page_keep[];

/* Add "total", "page" and "per_page" to list answer `data`; on a page
 * (`list` not NULL) also "pages_of", its "pagination" when there is more
 * than one page, and, on a page past the last (after page 1, `shown`
 * items on it), "beyond" (when the list has items) and "first_href".
 * Returns data. */
json_t *portal_page_answer(json_t *data, const portal_page_list *list, const json_t *q, portal_page p,
                           long long total, size_t shown);

#endif
