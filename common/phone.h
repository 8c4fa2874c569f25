/* phone.h - the one rule for a phone number a person types (issue 12:
 * one rule, not one per module): a UK number. */
#ifndef PORTAL_PHONE_H
#define PORTAL_PHONE_H

/* 1 when `s` is a UK phone number as people write one: 6..30 characters of
 * digits, spaces, dots and ( ) - with a + only in front, being
 *  - a national number: 0 and 9 or 10 more digits ("020 7946 0000",
 *    "07700 900123", "0800 121 700"),
 *  - an international one: +44 or 0044, an optional (0), then 9 or 10
 *    digits not starting with 0 ("+44 (0)20 7946 0000", "+44 7700 900123"),
 *  - or a 116 helpline ("116 123");
 * 0 otherwise, and for NULL. */
int portal_phone_ok(const char *s);

#endif
