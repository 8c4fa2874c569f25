/* validate.c - declared fields, validated before a handler uses them
 * (see validate.h): the driver.
 *
 * Each declared field is looked up in the input, checked against its type
 * (fieldtext.c, fieldshape.c, fieldtime.c), then against the module's own
 * check when it has one, and converted; a wrong field gets one message that
 * names it and says what to enter.
 *
 * NOTE on empty values: a present but empty STRING, PHONE, EMAIL or URL is
 * kept as "" and an empty list as [] (so an edit form can clear them); an
 * empty INT, BOOL from JSON null, ENUM, TIME, DATE or LONDON_TIME cannot be
 * converted and is left out like an absent field.  A required field that is
 * absent or empty is an error in every case, and a TICKED field is always
 * required.
 */
#include "validate.h"

#include "fieldcheck.h"

#include <string.h>

#define MESSAGE_CAP 4096 /* bytes in one error message */
#define CHECK_MESSAGE_MAX 400 /* bytes a module's check may write */

/* Write the message for a required field that is absent or empty. */
static void put_missing(portal_buf *msg, const portal_field *f)
{
	const char *label = portal_field_label(f);

	switch (f->type) {
	case PORTAL_FIELD_INT:
	case PORTAL_FIELD_TIME:
	case PORTAL_FIELD_DATE:
	case PORTAL_FIELD_PHONE:
	case PORTAL_FIELD_EMAIL:
	case PORTAL_FIELD_URL:
		portal_buf_puts(msg, "Enter ");
		portal_put_a_label(msg, label);
		break;
	case PORTAL_FIELD_LONDON_TIME:
		portal_buf_puts(msg, "Enter the date and time ");
		portal_put_label(msg, label, 1);
		break;
	case PORTAL_FIELD_ENUM:
		portal_buf_puts(msg, "Choose ");
		portal_put_a_label(msg, label);
		break;
	case PORTAL_FIELD_ENUM_LIST:
		portal_buf_puts(msg, "Choose at least one for ");
		portal_put_label(msg, label, 1);
		break;
	case PORTAL_FIELD_BOOL:
		portal_buf_puts(msg, "Choose yes or no for ");
		portal_put_label(msg, label, 1);
		break;
	case PORTAL_FIELD_TICKED:
		portal_buf_puts(msg, "Tick the box to confirm ");
		portal_put_label(msg, label, 1);
		break;
	default:
		portal_buf_puts(msg, "Enter ");
		portal_put_label(msg, label, 1);
		break;
	}
}

/* Check one present value v of f (the whole input for LONDON_TIME, which
 * reads parts of its own).  See enum portal_check. */
static enum portal_check check_type(const portal_field *f, const json_t *v, const json_t *input,
                                    json_t **result, portal_buf *msg)
{
	switch (f->type) {
	case PORTAL_FIELD_STRING:      return portal_check_string(f, v, result, msg);
	case PORTAL_FIELD_INT:         return portal_check_int(f, v, result, msg);
	case PORTAL_FIELD_BOOL:        return portal_check_bool(f, v, result, msg);
	case PORTAL_FIELD_ENUM:        return portal_check_enum(f, v, result, msg);
	case PORTAL_FIELD_ENUM_LIST:   return portal_check_enum_list(f, v, result, msg);
	case PORTAL_FIELD_STRING_LIST: return portal_check_string_list(f, v, result, msg);
	case PORTAL_FIELD_TIME:        return portal_check_time(f, v, result, msg);
	case PORTAL_FIELD_DATE:        return portal_check_date(f, v, result, msg);
	case PORTAL_FIELD_PHONE:       return portal_check_phone(f, v, result, msg);
	case PORTAL_FIELD_EMAIL:       return portal_check_email(f, v, result, msg);
	case PORTAL_FIELD_URL:         return portal_check_url(f, v, result, msg);
	case PORTAL_FIELD_LONDON_TIME: return portal_check_london_time(f, input, result, msg);
	case PORTAL_FIELD_TICKED:      return portal_check_ticked(f, v, result, msg);
	}
	portal_buf_puts(msg, "This field cannot be checked: tell the portal's maintainers");
	return PORTAL_CHECK_BAD;
}

/* Check field f of input (NULL: empty): its type, then its own check. */
static enum portal_check check_field(const portal_field *f, const json_t *input, json_t **result,
                                     portal_buf *msg)
{
	const json_t *v = input ? json_object_get(input, f->name) : NULL;
	char own[CHECK_MESSAGE_MAX];
	enum portal_check rc;

	if (f->type == PORTAL_FIELD_LONDON_TIME && input != NULL)
		rc = check_type(f, v, input, result, msg);
	else if (v == NULL || json_is_null(v))
		rc = PORTAL_CHECK_EMPTY;
	else
		rc = check_type(f, v, input, result, msg);
	if (rc != PORTAL_CHECK_OK || f->check == NULL)
		return rc;
	own[0] = '\0';
	if (f->check(*result, own, sizeof(own)) == 0)
		return PORTAL_CHECK_OK;
	json_decref(*result);
	*result = NULL;
	if (own[0] == '\0') {
		portal_buf_puts(msg, "Check ");
		portal_put_label(msg, portal_field_label(f), 1);
	} else
		portal_buf_puts(msg, own);
	return PORTAL_CHECK_BAD;
}

/*
 * Validate `input` against `table` (see validate.h).  Takes input (not
 * modified; NULL or a non-object counts as empty) and the table.  *valid is
 * a new object of the fields that are right; *errors NULL, or a new object
 * field name -> message.  A field with a NULL name is ignored.
 */
int portal_validate(const json_t *input, portal_fields table, json_t **valid, json_t **errors)
{
	json_t *ok = NULL, *bad = NULL, *result, *text;
	portal_buf msg;
	enum portal_check rc;
	size_t i;

	portal_buf_init(&msg, MESSAGE_CAP);
	if (valid != NULL)
		*valid = NULL;
	if (errors != NULL)
		*errors = NULL;
	if (valid == NULL || errors == NULL || (table.fields == NULL && table.n > 0))
		goto fail;
	if ((ok = json_object()) == NULL || (bad = json_object()) == NULL)
		goto fail;
	if (input != NULL && !json_is_object(input))
		input = NULL;

	for (i = 0; i < table.n; i++) {
		const portal_field *f = &table.fields[i];

		if (f->name == NULL || json_object_get(bad, f->name) != NULL)
			continue;
		result = NULL;
		portal_buf_reset(&msg);
		if ((rc = check_field(f, input, &result, &msg)) == PORTAL_CHECK_NOMEM)
			goto fail;
		if (rc == PORTAL_CHECK_EMPTY) {
			if (!f->required && f->type != PORTAL_FIELD_TICKED)
				continue;
			put_missing(&msg, f);
			rc = PORTAL_CHECK_BAD;
		}
		if (rc == PORTAL_CHECK_BAD) {
			if (msg.data == NULL || (text = json_string(msg.data)) == NULL ||
			    json_object_set_new(bad, f->name, text) < 0)
				goto fail;
			continue;
		}
		if (json_object_set_new(ok, f->name, result) < 0)
			goto fail;
	}
	portal_buf_free(&msg);
	*valid = ok;
	if (json_object_size(bad) > 0) {
		*errors = bad;
		return -1;
	}
	json_decref(bad);
	return 0;
fail:
	portal_buf_free(&msg);
	json_decref(ok);
	json_decref(bad);
	return -1;
}

int portal_field_error(json_t **errors, const char *field, const char *message)
{
	if (*errors == NULL && (*errors = json_object()) == NULL)
		return -1;
	if (json_object_get(*errors, field) != NULL)
		return 0;
	return json_object_set_new(*errors, field, json_string(message));
}

const char *portal_choice_label(const char *const *choices, const char *const *labels, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && choices[i] != NULL; i++)
		if (strcmp(code, choices[i]) == 0)
			return labels[i];
	return code ? code : "";
}
