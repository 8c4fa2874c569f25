/* paging.c - a paged list's page and its GOV.UK pagination (paging.h). */
#include "paging.h"

#include <stdio.h>

#include "jsonget.h"

const char *const portal_page_keep[] = { "per_page", NULL };

portal_page portal_page_of(const json_t *q)
{
	portal_page p = { 1, PORTAL_PER_PAGE };
	long long v;

	if ((v = portal_json_num(q, "page")) >= 1 && v <= PORTAL_PAGE_MAX)
		p.page = v;
	if ((v = portal_json_num(q, "per_page")) >= 1 && v <= PORTAL_PER_PAGE_MAX)
		p.per_page = v;
	return p;
}

long long portal_page_offset(portal_page p)
{
	return (p.page - 1) * p.per_page;
}

void portal_page_href(portal_buf *out, const char *path, const json_t *q, const char *const *keep, long long page)
{
	size_t i;

	portal_buf_reset(out);
	portal_buf_printf(out, "%s?page=%lld", path, page);
	for (i = 0; keep != NULL && keep[i] != NULL; i++) {
		const json_t *v = json_object_get(q, keep[i]);
		char num[24];
		const char *text = json_string_value(v);

		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			text = num;
		} else if (json_is_true(v))
			text = "1";
		if (text == NULL || text[0] == '\0')
			continue;
		portal_buf_printf(out, "&%s=", keep[i]);
		portal_url_encode(out, text);
	}
}

json_t *portal_pagination(const char *path, const json_t *q, const char *const *keep, portal_page pg,
                          long long total)
{
	long long pages = (total + pg.per_page - 1) / pg.per_page, p, page = pg.page;
	int gap = 0;
	json_t *nav, *items;
	portal_buf href;

	if (pages <= 1)
		return NULL;
	nav = json_object();
	items = json_array();
	portal_buf_init(&href, 2048);
	for (p = 1; p <= pages; p++) {
		if (p != 1 && p != pages && (p < page - 1 || p > page + 1)) {
			if (!gap)
				json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
			gap = 1;
			continue;
		}
		portal_page_href(&href, path, q, keep, p);
		json_array_append_new(items, json_pack("{s:I, s:s, s:b}", "number", (json_int_t)p, "href", href.data,
		                      "current", p == page));
		gap = 0;
	}
	if (page > 1 && page <= pages) {
		portal_page_href(&href, path, q, keep, page - 1);
		json_object_set_new(nav, "prev_href", json_string(href.data));
	}
	if (page < pages) {
		portal_page_href(&href, path, q, keep, page + 1);
		json_object_set_new(nav, "next_href", json_string(href.data));
	}
	json_object_set_new(nav, "items", items);
	portal_buf_free(&href);
	return nav;
}

json_t *portal_page_answer(json_t *data, const portal_page_list *list, const json_t *q, portal_page p,
                           long long total, size_t shown)
{
	json_t *nav;

	json_object_set_new(data, "total", json_integer(total));
	json_object_set_new(data, "page", json_integer(p.page));
	json_object_set_new(data, "per_page", json_integer(p.per_page));
	if (list == NULL)
		return data;
	json_object_set_new(data, "pages_of", json_string(list->pages_of));
	if ((nav = portal_pagination(list->path, q, list->keep, p, total)) != NULL)
		json_object_set_new(data, "pagination", nav);
	if (p.page > 1 && shown == 0) {
		portal_buf first;

		portal_buf_init(&first, 2048);
		portal_page_href(&first, list->path, q, list->keep, 1);
		json_object_set_new(data, "beyond", json_boolean(total > 0));
		json_object_set_new(data, "first_href", json_string(first.data));
		portal_buf_free(&first);
	}
	return data;
}
