/* phone.h - the one rule for a phone number a person types (issue 12:
 * one rule, not one per module). */
#ifndef PORTAL_PHONE_H
#define PORTAL_PHONE_H

/* 1 when `s` may be a phone number: 6..30 characters of digits, spaces and
 * + ( ) - with at least 6 digits ("020 7946 0000", "+44 (0)7700-900123");
 * 0 otherwise, and for NULL. */
int portal_phone_ok(const char *s);

#endif
