/* embed.c - build-time tool: compile template and Lua files into C.
 *
 * usage: portal-embed OUT.c FILE.mustache...
 * Writes OUT.c defining portal_embedded_templates[] (name = the file's base
 * name without ".mustache") and portal_embedded_templates_count.  A later
 * file with the same name replaces an earlier one, so a module's template
 * overrides the shared one.
 *
 * usage: portal-embed --lua OUT.c MODULE PRELUDE/lib.lua... SCRIPT.lua...
 * Writes OUT.c defining, for each SCRIPT (base name NAME), the string
 * `const char MODULE_lua_NAME[]`: the preludes (the leading arguments whose
 * file is named lib.lua, in order: common/lua/lib.lua, then the module's
 * lua/lib.lua) followed by the script.  The preludes are joined into one
 * line that ends where the script's first line (its KEYS/ARGV comment,
 * which must start with "--") begins, so the line numbers Redis reports are
 * the .lua file's.  For that a prelude keeps its comments on lines of their
 * own.
 *
 * usage: portal-embed --lua-source PRELUDE/lib.lua... SCRIPT.lua
 * Prints that same text of one script (the Lua tests load exactly it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int embed_file(FILE *out, const char *path, const char *name, size_t namelen)
{
	FILE *in = fopen(path, "rb");
	int c;
	size_t n = 0, col = 0;

	if (in == NULL) {
		perror(path);
		return -1;
	}
	fprintf(out, "\t{ \"%.*s\", \"", (int)namelen, name);
	while ((c = fgetc(in)) != EOF) {
		fprintf(out, "\\x%02x", (unsigned)c);
		n++;
		if (++col == 32) {
			fputs("\"\n\t  \"", out);
			col = 0;
		}
	}
	fprintf(out, "\", %zu },\n", n);
	fclose(in);
	return 0;
}

/* Takes the prelude file `path`; returns its code joined into one line
 * (comment and blank lines dropped, a space between lines; malloc'd, the
 * caller frees), or NULL after saying why on stderr. */
static char *lua_prelude(const char *path)
{
	FILE *in = fopen(path, "rb");
	char line[4096], *out = NULL;
	size_t len = 0, lineno = 0;

	if (in == NULL) {
		perror(path);
		return NULL;
	}
	if ((out = calloc(1, 1)) == NULL)
		goto fail;
	while (fgets(line, sizeof(line), in) != NULL) {
		char *p = line, *end;
		size_t n;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p == '\0' || strncmp(p, "--", 2) == 0)
			continue;
		if (strstr(p, "--") != NULL || strstr(p, "[[") != NULL) {
			fprintf(stderr, "%s:%zu: the prelude keeps comments on lines of their own and has no long strings\n",
			        path, lineno);
			goto fail;
		}
		n = (size_t)(end - p);
		{
			char *grown = realloc(out, len + n + 2);
			if (grown == NULL)
				goto fail;
			out = grown;
		}
		memcpy(out + len, p, n);
		len += n;
		out[len++] = ' ';
		out[len] = '\0';
	}
	fclose(in);
	return out;
fail:
	fclose(in);
	free(out);
	return NULL;
}

/* Takes the script file `path`; writes the prelude then the script's bytes
 * to out, as C string text when `as_c`, raw otherwise.  Returns 0 or -1. */
static int lua_write(FILE *out, const char *prelude, const char *path, int as_c)
{
	FILE *in = fopen(path, "rb");
	const char *p;
	int c, first = 1;
	size_t col = 0;

	if (in == NULL) {
		perror(path);
		return -1;
	}
	for (p = prelude; ; p++) {
		if (*p != '\0')
			c = (unsigned char)*p;
		else if ((c = fgetc(in)) == EOF)
			break;
		if (*p == '\0' && first) {
			first = 0;
			if (c != '-') {
				fprintf(stderr, "%s: a script opens with its KEYS/ARGV comment (\"-- ...\")\n", path);
				fclose(in);
				return -1;
			}
		}
		if (!as_c)
			fputc(c, out);
		else {
			fprintf(out, "\\x%02x", (unsigned)c);
			if (++col == 32) {
				fputs("\"\n\t\"", out);
				col = 0;
			}
		}
		if (*p == '\0')
			p--;  /* stay at the prelude's end: read the script */
	}
	fclose(in);
	return 0;
}

/* 1 when `path` names a prelude: a file called lib.lua. */
static int lua_is_prelude(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, "lib.lua") == 0;
}

/* The preludes argv[first..] (those named lib.lua) joined, in order, into
 * one line (malloc'd; the caller frees); *next is the first argument after
 * them.  NULL after saying why on stderr. */
static char *lua_preludes(int argc, char **argv, int first, int *next)
{
	char *all = calloc(1, 1), *one, *grown;
	size_t len = 0, n;
	int i;

	for (i = first; all != NULL && i < argc && lua_is_prelude(argv[i]); i++) {
		if ((one = lua_prelude(argv[i])) == NULL) {
			free(all);
			return NULL;
		}
		n = strlen(one);
		if ((grown = realloc(all, len + n + 1)) == NULL) {
			free(one);
			free(all);
			return NULL;
		}
		all = grown;
		memcpy(all + len, one, n + 1);
		len += n;
		free(one);
	}
	if (all != NULL && i == first) {
		fprintf(stderr, "portal-embed: no prelude (a file named lib.lua) before the scripts\n");
		free(all);
		return NULL;
	}
	*next = i;
	return all;
}

/* --lua and --lua-source (see the top of the file).  Returns the exit code. */
static int lua_main(int argc, char **argv)
{
	FILE *out;
	char *prelude;
	int i, first, source = strcmp(argv[1], "--lua-source") == 0;

	if ((source && argc < 4) || (!source && argc < 5)) {
		fprintf(stderr, "usage: portal-embed --lua OUT.c MODULE PRELUDE/lib.lua... SCRIPT.lua...\n"
		                "       portal-embed --lua-source PRELUDE/lib.lua... SCRIPT.lua\n");
		return 2;
	}
	if ((prelude = lua_preludes(argc, argv, source ? 2 : 4, &first)) == NULL)
		return 1;
	if (source) {
		i = first == argc - 1 ? lua_write(stdout, prelude, argv[first], 0) : -1;
		if (first != argc - 1)
			fprintf(stderr, "portal-embed --lua-source: give the preludes, then one script\n");
		free(prelude);
		return i < 0 ? 1 : 0;
	}
	if (first == argc) {
		fprintf(stderr, "portal-embed --lua: no script after the preludes\n");
		free(prelude);
		return 2;
	}
	if ((out = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		free(prelude);
		return 1;
	}
	fputs("/* generated by portal-embed --lua: do not edit */\n", out);
	for (i = first; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		size_t len;

		base = base ? base + 1 : argv[i];
		len = strcspn(base, ".");
		fprintf(out, "extern const char %s_lua_%.*s[];\nconst char %s_lua_%.*s[] =\n\t\"",
		        argv[3], (int)len, base, argv[3], (int)len, base);
		if (lua_write(out, prelude, argv[i], 1) < 0) {
			fclose(out);
			remove(argv[2]);
			free(prelude);
			return 1;
		}
		fputs("\";\n", out);
	}
	free(prelude);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	FILE *out;
	int i, j, count = 0;

	if (argc >= 2 && strncmp(argv[1], "--lua", 5) == 0)
		return lua_main(argc, argv);

	if (argc < 2) {
		fprintf(stderr, "usage: portal-embed OUT.c FILE.mustache...\n");
		return 2;
	}
	if ((out = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fputs("/* generated by portal-embed: do not edit */\n"
	      "#include \"template.h\"\n"
	      "const portal_template_source portal_embedded_templates[] = {\n", out);
	for (i = 2; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		const char *dot;
		size_t len;
		int replaced = 0;

		base = base ? base + 1 : argv[i];
		dot = strstr(base, ".mustache");
		len = dot ? (size_t)(dot - base) : strlen(base);
		/* a later file of the same base name wins */
		for (j = i + 1; j < argc; j++) {
			const char *b2 = strrchr(argv[j], '/');
			b2 = b2 ? b2 + 1 : argv[j];
			if (strncmp(b2, base, len) == 0 && strcmp(b2 + len, base + len) == 0)
				replaced = 1;
		}
		if (replaced)
			continue;
		if (embed_file(out, argv[i], base, len) < 0) {
			fclose(out);
			remove(argv[1]);
			return 1;
		}
		count++;
	}
	fprintf(out, "};\nconst size_t portal_embedded_templates_count = %d;\n", count);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
