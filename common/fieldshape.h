/* fieldshape.h - the rules behind validate.h's EMAIL and URL types (the
 * PHONE rule is phone.h's), for the fuzz and unit tests to hold a result to;
 * their checkers are declared in fieldcheck.h. */
#ifndef PORTAL_FIELDSHAPE_H
#define PORTAL_FIELDSHAPE_H

#include <stddef.h>

/* 1 when s[0..len) is an e-mail address: a local part of 1..64 characters
 * (letters, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - with single
 * dots between them), "@", and a domain of 2 or more labels (letters,
 * digits, hyphens inside) whose last is letters, or punycode "xn--..."; at
 * most 254 characters.  0 otherwise. */
int portal_email_ok(const char *s, size_t len);

/* What is wrong with a web address (portal_url_check). */
enum portal_url_fault {
	PORTAL_URL_OK,
	PORTAL_URL_SCHEME, /* not http:// or https:// (javascript:, data:, none) */
	PORTAL_URL_CHARS,  /* a space, " ' < > \ ^ ` { | }, a control or non-ASCII character, a bad %-escape */
	PORTAL_URL_HOST    /* no site name: empty, a user name (@), a bad label or port */
};

/* Check s[0..len) as an http:// or https:// web address (scheme in any
 * case): a host name of dot-separated labels of letters, digits and hyphens
 * with at least one dot, an optional :port, then an optional path, query or
 * fragment of printable ASCII.  Returns the first fault found. */
enum portal_url_fault portal_url_check(const char *s, size_t len);

#endif
