/* fuzz_token.c - libFuzzer target: a session token (cookie or bearer) through
 * portal_token_verify, which hands it to libjwt and then checks the
 * algorithm and every claim itself.
 *
 * The key is fixed and secret to the fuzzer; beyond "no crash, no leak" the
 * target aborts if any input is accepted, since forging an HS256 signature
 * is not something a fuzzer can do: an acceptance means a check is missing.
 */
#include "config.h"
#include "session.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

/* libportal's dispatch (linked in through session.c) wants the compiled-in
 * templates; this target renders none. */
const portal_template_source portal_embedded_templates[1] = { { "none", "", 0 } };
const size_t portal_embedded_templates_count = 0;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char key[48] = "fuzz-key-0123456789abcdef0123456789abcdef012345";
	portal_config cfg;
	char *token, sid[65];

	memset(&cfg, 0, sizeof(cfg));
	cfg.jwt_key = key;
	cfg.jwt_key_len = sizeof(key);
	cfg.jwt_issuer = "london-anti-slavery-portal";
	if ((token = malloc(size + 1)) == NULL)
		return 0;
	memcpy(token, data, size);
	token[size] = '\0';
	if (portal_token_verify(&cfg, token, PORTAL_TOKEN_COOKIE, sid) == 0 ||
	    portal_token_verify(&cfg, token, PORTAL_TOKEN_BEARER, sid) == 0)
		abort();
	free(token);
	return 0;
}
