/* random.h - secrets: random tokens and comparing them.
 *
 * Session ids, CSRF tokens, sign-in form tokens and hold references are
 * random hex from the kernel (getrandom); a secret a client sends back is
 * compared in constant time.
 */
#ifndef PORTAL_RANDOM_H
#define PORTAL_RANDOM_H

#include <stddef.h>

/* Write 2*n lowercase hex characters of n random bytes (getrandom, n <= 64)
 * and a NUL into out (at least 2n+1 bytes).  Returns 0, or -1 (out then
 * holds an empty string when it has room) when the kernel gave too few
 * bytes or n is too large: the caller must not use out. */
int portal_random_hex(char *out, size_t n);

/* 1 when the non-empty strings `want` and `got` are equal; the time taken
 * depends on their lengths only.  0 when either is NULL or empty. */
int portal_secret_equal(const char *want, const char *got);

#endif
