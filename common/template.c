/* template.c - logic-less templates with mustache syntax (see template.h).
 *
 * A template is parsed once, at add time, into a flat array of nodes.  A
 * section node is followed by its children and records the index just past
 * its last child, so the tree needs no pointers and is freed with one call.
 * Rendering walks that array with an explicit, bounded context stack held in
 * a per-call struct: nothing in a parsed set is written after the last add,
 * so many threads may render from one set at once.
 *
 * Standalone lines follow the mustache specification: a section, inverted
 * section, close, comment or partial tag that is alone on its line (only
 * spaces or tabs beside it) is removed together with that whitespace and the
 * line's newline.  A standalone partial's indentation is prepended to every
 * line of the partial's own text; the parser marks each node that starts a
 * source line ("bol") so the renderer knows where that indentation goes.
 */
#include "template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TPL_MAX_NESTING  32   /* open sections in one template (parse time) */
#define TPL_MAX_PARTIALS 16   /* partials inside partials (render time) */
/* One root context plus one per open section in each template on the
 * partial chain (the top template and up to TPL_MAX_PARTIALS partials). */
#define TPL_MAX_CONTEXT  (1 + TPL_MAX_NESTING * (TPL_MAX_PARTIALS + 1))
/* Node visits per render.  Partials that include themselves several times
 * could otherwise ask for 16^n visits while writing nothing, so the work,
 * like the output, has a hard limit. */
#define TPL_MAX_STEPS    (1ul << 24)

enum tpl_kind {
	TPL_TEXT,      /* literal text */
	TPL_ESCAPED,   /* {{name}} */
	TPL_RAW,       /* {{{name}}} and {{& name}} */
	TPL_SECTION,   /* {{#name}} ... {{/name}} */
	TPL_INVERTED,  /* {{^name}} ... {{/name}} */
	TPL_PARTIAL    /* {{> name}} */
};

struct tpl_node {
	enum tpl_kind  kind;
	int            bol;        /* starts a source line: indent goes before it */
	int            standalone; /* partial: alone on its line */
	const char    *s;          /* text, or the name; points into tpl->src */
	size_t         len;
	const char    *indent;     /* standalone partial: its line's whitespace */
	size_t         indentlen;
	size_t         end;        /* section, inverted: index past last child */
};

struct tpl {
	char            *name;
	char            *src;      /* owned copy of the source; nodes point in */
	size_t           srclen;
	struct tpl_node *nodes;
	size_t           nnodes;
	size_t           nalloc;
};

struct portal_templates {
	struct tpl **v;
	size_t       n;
	size_t       alloc;
};

/* Parse state for one template; lives on the stack of portal_templates_add. */
struct tpl_parser {
	struct tpl *t;
	size_t      open[TPL_MAX_NESTING]; /* node index of each open section */
	size_t      nopen;
	char       *err;
	size_t      errlen;
};

/* Render state for one call; lives on the stack of portal_templates_render. */
struct tpl_render {
	const portal_templates *set;
	portal_buf             *out;
	const json_t           *ctx[TPL_MAX_CONTEXT];
	size_t                  nctx;
	unsigned long           steps;
};

/* A chain of partial indentations, innermost last; lives on the C stack. */
struct tpl_indent {
	const char              *s;
	size_t                   len;
	const struct tpl_indent *up;
};

/* Free template `t` (NULL is fine) and everything it owns. */
static void tpl_free(struct tpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t);
}

/* Return the 1-based line number of byte offset `pos` in `src`. */
static size_t tpl_line(const char *src, size_t pos)
{
	size_t i, line = 1;

	for (i = 0; i < pos; i++)
		if (src[i] == '\n')
			line++;
	return line;
}

/* Write a parse error "line N: ..." into the parser's err buffer (if any).
 * Always returns -1 so callers can `return tpl_error(...)`. */
static int tpl_error(struct tpl_parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int tpl_error(struct tpl_parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err == NULL || p->errlen == 0)
		return -1;
	n = snprintf(p->err, p->errlen, "line %zu: ", tpl_line(p->t->src, pos));
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Find the two- or three-byte sequence `seq` (length `n`) in src[from, len).
 * Returns its offset, or `len` when it is not there. */
static size_t tpl_find(const char *src, size_t from, size_t len,
                       const char *seq, size_t n)
{
	const char *hit;

	while (from < len && len - from >= n) {
		hit = memchr(src + from, seq[0], len - from - n + 1);
		if (hit == NULL)
			break;
		from = (size_t)(hit - src);
		if (memcmp(hit, seq, n) == 0)
			return from;
		from++;
	}
	return len;
}

/* Return 1 for the whitespace allowed inside a tag around its name. */
static int tpl_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Check a tag name.  A variable or section name (`partial` 0) is "." or
 * parts of letters, digits, '_' and '-' joined by single dots; a partial
 * name may also hold '.' and '/' anywhere.  Returns 1 when acceptable. */
static int tpl_valid_name(const char *s, size_t len, int partial)
{
	size_t i;
	unsigned char c;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')
			continue;
		if (partial && c == '/')
			continue;
		return 0;
	}
	if (partial || (len == 1 && s[0] == '.'))
		return 1;
	if (s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 1; i < len; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

/* Decide whether the tag at src[ts, te) stands alone on its line.  When it
 * does, set *linestart to the first byte of the line's leading whitespace and
 * *next to the byte after the line's newline (or the end) and return 1. */
static int tpl_standalone(const char *src, size_t len, size_t ts, size_t te,
                          size_t *linestart, size_t *next)
{
	size_t b = ts, e = te;

	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t'))
		b--;
	if (b > 0 && src[b - 1] != '\n')
		return 0;
	while (e < len && (src[e] == ' ' || src[e] == '\t'))
		e++;
	if (e < len) {
		if (src[e] == '\n')
			e++;
		else if (src[e] == '\r' && e + 1 < len && src[e + 1] == '\n')
			e += 2;
		else
			return 0;
	}
	*linestart = b;
	*next = e;
	return 1;
}

/* Append a node of `kind` starting at source offset `at` to the template and
 * store its index in *idx.  Returns 0, or -1 (with err set) when out of
 * memory.  The index stays valid; pointers into t->nodes do not survive a
 * later call. */
static int tpl_push(struct tpl_parser *p, enum tpl_kind kind, size_t at,
                    const char *s, size_t len, size_t *idx)
{
	struct tpl *t = p->t;
	struct tpl_node *n;
	size_t na;

	if (t->nnodes == t->nalloc) {
		na = t->nalloc ? t->nalloc * 2 : 32;
		if (na > (size_t)-1 / 2 / sizeof(*n))
			return tpl_error(p, at, "template too large");
		if ((n = realloc(t->nodes, na * sizeof(*n))) == NULL)
			return tpl_error(p, at, "out of memory");
		t->nodes = n;
		t->nalloc = na;
	}
	n = &t->nodes[t->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->bol = at == 0 || t->src[at - 1] == '\n';
	n->s = s;
	n->len = len;
	*idx = t->nnodes++;
	return 0;
}

/* Add the literal text src[from, to) as a node, if it is not empty.
 * Returns 0, or -1 with err set. */
static int tpl_push_text(struct tpl_parser *p, size_t from, size_t to)
{
	size_t idx;

	if (to <= from)
		return 0;
	return tpl_push(p, TPL_TEXT, from, p->t->src + from, to - from, &idx);
}

/* One tag of the source: src[ts, te), its sigil ('\0' for a plain
 * interpolation) and its name (trimmed). */
struct tpl_tag {
	size_t      ts, te;
	char        sigil;
	const char *name;
	size_t      namelen;
};

/* Read the tag that starts at src[ts] ("{{").  Returns 0, or -1 with err
 * set when it is never closed. */
static int tpl_read_tag(struct tpl_parser *p, size_t ts, struct tpl_tag *tag)
{
	const char *src = p->t->src;
	size_t len = p->t->srclen, in, inend;

	tag->ts = ts;
	if (ts + 2 < len && src[ts + 2] == '{') {
		in = ts + 3;
		if ((inend = tpl_find(src, in, len, "}}}", 3)) == len)
			return tpl_error(p, ts, "unclosed tag: \"{{{\" without \"}}}\"");
		tag->te = inend + 3;
		tag->sigil = '{';
	} else {
		in = ts + 2;
		if ((inend = tpl_find(src, in, len, "}}", 2)) == len)
			return tpl_error(p, ts, "unclosed tag: \"{{\" without \"}}\"");
		tag->te = inend + 2;
		while (in < inend && tpl_is_space(src[in]))
			in++;
		tag->sigil = in < inend ? src[in] : '\0';
		if (tag->sigil != '\0' && strchr("#^/!>&=<$", tag->sigil) != NULL)
			in++;
		else
			tag->sigil = '\0';
	}
	while (in < inend && tpl_is_space(src[in]))
		in++;
	while (inend > in && tpl_is_space(src[inend - 1]))
		inend--;
	tag->name = src + in;
	tag->namelen = inend - in;
	return 0;
}

/* Refuse what the engine does not do, and a bad name.  0, or -1 with err. */
static int tpl_check_tag(struct tpl_parser *p, const struct tpl_tag *tag)
{
	switch (tag->sigil) {
	case '=':
		return tpl_error(p, tag->ts, "set-delimiter tags are not supported");
	case '<':
	case '$':
		return tpl_error(p, tag->ts, "\"{{%c\" tags (template inheritance) are not supported", tag->sigil);
	case '!':
		return 0;
	case '>':
		if (!tpl_valid_name(tag->name, tag->namelen, 1))
			return tpl_error(p, tag->ts, "bad partial name in \"{{>\" tag: use letters, digits, '_', "
			    "'-', '.' or '/'");
		return 0;
	default:
		if (!tpl_valid_name(tag->name, tag->namelen, 0))
			return tpl_error(p, tag->ts, "bad name in tag: use letters, digits, '_' or '-', parts "
			    "joined by '.'");
		return 0;
	}
}

/* "{{/name}}": close the innermost open section, which must be `name`. */
static int tpl_close_section(struct tpl_parser *p, const struct tpl_tag *tag)
{
	struct tpl *t = p->t;
	const struct tpl_node *o;
	int n = (int)(tag->namelen > 64 ? 64 : tag->namelen);
	size_t open;

	if (p->nopen == 0)
		return tpl_error(p, tag->ts, "\"{{/%.*s}}\" closes no open section", n, tag->name);
	open = p->open[p->nopen - 1];
	o = &t->nodes[open];
	if (o->len != tag->namelen || memcmp(o->s, tag->name, tag->namelen) != 0)
		return tpl_error(p, tag->ts, "\"{{/%.*s}}\" does not match \"{{%c%.*s}}\" opened on line %zu",
		    n, tag->name, o->kind == TPL_SECTION ? '#' : '^', (int)(o->len > 64 ? 64 : o->len), o->s,
		    tpl_line(t->src, (size_t)(o->s - t->src)));
	t->nodes[open].end = t->nnodes;
	p->nopen--;
	return 0;
}

/* Add the node of a tag; `standalone` when it stands alone on its line
 * (which starts at src[linestart]).  0, or -1 with err set. */
static int tpl_add_tag(struct tpl_parser *p, const struct tpl_tag *tag, int standalone, size_t linestart)
{
	struct tpl *t = p->t;
	size_t idx = 0;
	int rc = 0;

	switch (tag->sigil) {
	case '\0':
		return tpl_push(p, TPL_ESCAPED, tag->ts, tag->name, tag->namelen, &idx);
	case '{':
	case '&':
		return tpl_push(p, TPL_RAW, tag->ts, tag->name, tag->namelen, &idx);
	case '#':
	case '^':
		if (p->nopen == TPL_MAX_NESTING)
			return tpl_error(p, tag->ts, "sections nested deeper than %d", TPL_MAX_NESTING);
		rc = tpl_push(p, tag->sigil == '#' ? TPL_SECTION : TPL_INVERTED, tag->ts, tag->name, tag->namelen, &idx);
		if (rc == 0) {
			p->open[p->nopen++] = idx;
			/* Its line, indent included, is gone. */
			t->nodes[idx].bol &= !standalone;
		}
		return rc;
	case '/':
		return tpl_close_section(p, tag);
	case '>':
		rc = tpl_push(p, TPL_PARTIAL, tag->ts, tag->name, tag->namelen, &idx);
		if (rc == 0 && standalone) {
			/* The line's whitespace becomes the partial's
			 * indentation instead of output of its own. */
			t->nodes[idx].bol = 0;
			t->nodes[idx].standalone = 1;
			t->nodes[idx].indent = t->src + linestart;
			t->nodes[idx].indentlen = tag->ts - linestart;
		}
		return rc;
	default: /* '!': a comment leaves nothing behind */
		return 0;
	}
}

/* Parse p->t->src into p->t->nodes.  Returns 0, or -1 with err set. */
static int tpl_parse(struct tpl_parser *p)
{
	struct tpl *t = p->t;
	const char *src = t->src;
	size_t len = t->srclen, pos = 0, ts, linestart = 0, next, textend, open;
	struct tpl_tag tag = { 0, 0, 0, NULL, 0 };
	int standalone;

	while (pos < len) {
		if ((ts = tpl_find(src, pos, len, "{{", 2)) == len)
			break;
		if (tpl_read_tag(p, ts, &tag) < 0 || tpl_check_tag(p, &tag) < 0)
			return -1;
		/* Interpolations never stand alone; everything else may. */
		textend = ts;
		next = tag.te;
		standalone = tag.sigil != '\0' && tag.sigil != '{' && tag.sigil != '&' &&
		             tpl_standalone(src, len, ts, tag.te, &linestart, &next);
		if (standalone)
			textend = linestart;
		if (tpl_push_text(p, pos, textend) < 0 || tpl_add_tag(p, &tag, standalone, linestart) < 0)
			return -1;
		pos = next;
	}
	if (tpl_push_text(p, pos, len) < 0)
		return -1;
	if (p->nopen > 0) {
		open = p->open[p->nopen - 1];
		return tpl_error(p, (size_t)(t->nodes[open].s - src),
		    "section \"%.*s\" is never closed",
		    (int)(t->nodes[open].len > 64 ? 64 : t->nodes[open].len),
		    t->nodes[open].s);
	}
	return 0;
}

/* Return the template called name[0, len) in `set`, or NULL. */
static const struct tpl *tpl_lookup(const portal_templates *set,
                                    const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strlen(set->v[i]->name) == len &&
		    memcmp(set->v[i]->name, name, len) == 0)
			return set->v[i];
	return NULL;
}

/* A new, empty set; NULL when out of memory.  Free with
 * portal_templates_free. */
portal_templates *portal_templates_new(void)
{
	return calloc(1, sizeof(portal_templates));
}

/* Parse text[0, len) and add it as `name` (copied), replacing a template of
 * that name.  The set keeps its own copy of the text.  Returns 0, or -1 with
 * a "line N: ..." message in err (when err is not NULL). */
int portal_templates_add(portal_templates *set, const char *name,
                         const char *text, size_t len, char *err, size_t errlen)
{
	struct tpl_parser p;
	struct tpl *t = NULL;
	struct tpl **v;
	size_t i, na;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (set == NULL || name == NULL || (text == NULL && len > 0)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "no set, name or text given");
		goto fail;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->name = strdup(name)) == NULL ||
	    (t->src = malloc(len + 1)) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (len > 0)
		memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->srclen = len;
	p.t = t;
	if (tpl_parse(&p) < 0)
		goto fail;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->v[i]->name, name) == 0) {
			tpl_free(set->v[i]);
			set->v[i] = t;
			return 0;
		}
	}
	if (set->n == set->alloc) {
		na = set->alloc ? set->alloc * 2 : 16;
		if (na > (size_t)-1 / sizeof(*v) ||
		    (v = realloc(set->v, na * sizeof(*v))) == NULL) {
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "out of memory");
			goto fail;
		}
		set->v = v;
		set->alloc = na;
	}
	set->v[set->n++] = t;
	return 0;
fail:
	tpl_free(t);
	return -1;
}

/* Return 1 when `set` holds a template called `name`, else 0. */
int portal_templates_has(const portal_templates *set, const char *name)
{
	if (set == NULL || name == NULL)
		return 0;
	return tpl_lookup(set, name, strlen(name)) != NULL;
}

/* Resolve name[0, len) against the context stack: "." is the top; otherwise
 * the first dotted part is looked up from the top of the stack down and the
 * remaining parts only within what it found.  Returns a borrowed value or
 * NULL when missing. */
static const json_t *tpl_resolve(const struct tpl_render *r, const char *name,
                                 size_t len)
{
	const json_t *v = NULL;
	const char *dot, *end = name + len;
	size_t i, part;

	if (len == 1 && name[0] == '.')
		return r->nctx ? r->ctx[r->nctx - 1] : NULL;
	dot = memchr(name, '.', len);
	part = dot ? (size_t)(dot - name) : len;
	for (i = r->nctx; i > 0; i--) {
		if (json_is_object(r->ctx[i - 1]) &&
		    (v = json_object_getn(r->ctx[i - 1], name, part)) != NULL)
			break;
	}
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		part = dot ? (size_t)(dot - name) : (size_t)(end - name);
		v = json_is_object(v) ? json_object_getn(v, name, part) : NULL;
	}
	return v;
}

/* Return 1 when `v` makes a section render: not missing, null, false, "" or
 * the empty list. */
static int tpl_truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

/* Write the partial indentation chain `in`, outermost first.  Returns 0 or
 * -1 when the output overflowed. */
static int tpl_put_indent(struct tpl_render *r, const struct tpl_indent *in)
{
	if (in == NULL)
		return 0;
	if (tpl_put_indent(r, in->up) < 0)
		return -1;
	return portal_buf_append(r->out, in->s, in->len);
}

/* Write text node `n`, putting the indentation `in` after each newline that
 * has more of this node after it (a later node starting a line carries its
 * own bol mark).  Returns 0 or -1 on overflow. */
static int tpl_put_text(struct tpl_render *r, const struct tpl_node *n,
                        const struct tpl_indent *in)
{
	size_t i, start = 0;

	if (in != NULL) {
		for (i = 0; i + 1 < n->len; i++) {
			if (n->s[i] != '\n')
				continue;
			if (portal_buf_append(r->out, n->s + start,
			    i + 1 - start) < 0 || tpl_put_indent(r, in) < 0)
				return -1;
			start = i + 1;
		}
	}
	return portal_buf_append(r->out, n->s + start, n->len - start);
}

/* Write the value `v` (NULL: missing) for an interpolation, HTML-escaped
 * when `escape`.  Strings as they are, integers and reals as numbers, true
 * and false as words; null, missing, objects and arrays write nothing.
 * Returns 0 or -1 on overflow. */
static int tpl_put_value(struct tpl_render *r, const json_t *v, int escape)
{
	char num[64];
	int n;

	if (json_is_string(v))
		return escape ?
		    portal_buf_put_html(r->out, json_string_value(v),
		        json_string_length(v)) :
		    portal_buf_append(r->out, json_string_value(v),
		        json_string_length(v));
	if (json_is_integer(v))
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else if (json_is_real(v))
		n = snprintf(num, sizeof(num), "%.15g", json_real_value(v));
	else if (json_is_true(v))
		n = snprintf(num, sizeof(num), "true");
	else if (json_is_false(v))
		n = snprintf(num, sizeof(num), "false");
	else
		return 0;
	if (n < 0 || (size_t)n >= sizeof(num))
		return -1;
	return portal_buf_append(r->out, num, (size_t)n);
}

static int tpl_render_nodes(struct tpl_render *, const struct tpl *, size_t,
                            size_t, const struct tpl_indent *, int);

/* Render the children of section node t->nodes[i] with `v` pushed on the
 * context stack.  Returns 0 or -1 (overflow, or a bound passed). */
static int tpl_render_pushed(struct tpl_render *r, const struct tpl *t,
                             size_t i, const json_t *v,
                             const struct tpl_indent *in, int depth)
{
	int rc;

	if (r->nctx == TPL_MAX_CONTEXT)
		return -1;
	r->ctx[r->nctx++] = v;
	rc = tpl_render_nodes(r, t, i + 1, t->nodes[i].end, in, depth);
	r->nctx--;
	return rc;
}

/* Render partial node `n` of a template at partial depth `depth`: unknown
 * partials and those past the depth bound write nothing.  Returns 0 or -1. */
static int tpl_render_partial(struct tpl_render *r, const struct tpl_node *n,
                              const struct tpl_indent *in, int depth)
{
	const struct tpl *p;
	struct tpl_indent mine;

	if (depth >= TPL_MAX_PARTIALS ||
	    (p = tpl_lookup(r->set, n->s, n->len)) == NULL)
		return 0;
	if (!n->standalone)
		return tpl_render_nodes(r, p, 0, p->nnodes, NULL, depth + 1);
	mine.s = n->indent;
	mine.len = n->indentlen;
	mine.up = in;
	return tpl_render_nodes(r, p, 0, p->nnodes, &mine, depth + 1);
}

/* Render nodes [from, to) of template `t`, with partial indentation `in`
 * (NULL: none) at partial depth `depth`.  Returns 0, or -1 when the output
 * overflowed or the work bound was passed. */
static int tpl_render_nodes(struct tpl_render *r, const struct tpl *t,
                            size_t from, size_t to,
                            const struct tpl_indent *in, int depth)
{
	const struct tpl_node *n;
	const json_t *v;
	size_t i = from, k;

	while (i < to) {
		n = &t->nodes[i];
		if (++r->steps > TPL_MAX_STEPS)
			return -1;
		if (n->bol && in != NULL && tpl_put_indent(r, in) < 0)
			return -1;
		switch (n->kind) {
		case TPL_TEXT:
			if (tpl_put_text(r, n, in) < 0)
				return -1;
			i++;
			break;
		case TPL_ESCAPED:
		case TPL_RAW:
			v = tpl_resolve(r, n->s, n->len);
			if (tpl_put_value(r, v, n->kind == TPL_ESCAPED) < 0)
				return -1;
			i++;
			break;
		case TPL_SECTION:
			v = tpl_resolve(r, n->s, n->len);
			if (!tpl_truthy(v)) {
				/* nothing */
			} else if (json_is_array(v)) {
				for (k = 0; k < json_array_size(v); k++)
					if (tpl_render_pushed(r, t, i,
					    json_array_get(v, k), in,
					    depth) < 0)
						return -1;
			} else if (tpl_render_pushed(r, t, i, v, in, depth) < 0)
				return -1;
			i = n->end;
			break;
		case TPL_INVERTED:
			v = tpl_resolve(r, n->s, n->len);
			if (!tpl_truthy(v) && tpl_render_nodes(r, t, i + 1,
			    n->end, in, depth) < 0)
				return -1;
			i = n->end;
			break;
		case TPL_PARTIAL:
			if (tpl_render_partial(r, n, in, depth) < 0)
				return -1;
			i++;
			break;
		}
	}
	return 0;
}

/* Render template `name` with `data` (borrowed; NULL renders as an empty
 * context) as the root context, appending to `out`.  Returns 0, or -1 when
 * the name is unknown, the output overflowed its cap, or the render passed
 * its work bound. */
int portal_templates_render(const portal_templates *set, const char *name,
                            const json_t *data, portal_buf *out)
{
	struct tpl_render r;
	const struct tpl *t;

	if (set == NULL || name == NULL || out == NULL ||
	    (t = tpl_lookup(set, name, strlen(name))) == NULL)
		return -1;
	r.set = set;
	r.out = out;
	r.nctx = 0;
	r.steps = 0;
	if (data != NULL)
		r.ctx[r.nctx++] = data;
	if (tpl_render_nodes(&r, t, 0, t->nnodes, NULL, 0) < 0 ||
	    out->overflow)
		return -1;
	return 0;
}

/* Free the set and every template in it (NULL is fine). */
void portal_templates_free(portal_templates *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tpl_free(set->v[i]);
	free(set->v);
	free(set);
}
