/* units.c - the police units a case can go to (issue 17): the Met's Basic
 * Command Units with the London areas each covers, the Central Specialist
 * Crime modern slavery team, the City of London Police and the British
 * Transport Police (the railways: any borough, so no borough routes to it).
 * Codes are lower-case slugs; the areas are common/reference.h's slugs.
 */
#include "cases.h"

#include <pthread.h>
#include <string.h>

static const char *const central_west[] = { "westminster", "kensington-and-chelsea", "hammersmith-and-fulham", NULL };
static const char *const central_north[] = { "camden", "islington", NULL };
static const char *const central_east[] = { "hackney", "tower-hamlets", NULL };
static const char *const central_south[] = { "lambeth", "southwark", NULL };
static const char *const north[] = { "enfield", "haringey", NULL };
static const char *const north_east[] = { "newham", "waltham-forest", NULL };
static const char *const east[] = { "barking-and-dagenham", "havering", "redbridge", NULL };
static const char *const south_east[] = { "bexley", "greenwich", "lewisham", NULL };
static const char *const south[] = { "bromley", "croydon", "sutton", NULL };
static const char *const south_west[] = { "kingston-upon-thames", "merton", "richmond-upon-thames", "wandsworth", NULL };
static const char *const west[] = { "ealing", "hillingdon", "hounslow", NULL };
static const char *const north_west[] = { "barnet", "brent", "harrow", NULL };
static const char *const city[] = { "city-of-london", NULL };
static const char *const none[] = { NULL };

const cases_unit cases_units[] = {
	{ "central-west", "Central West BCU", "Westminster, Kensington and Chelsea, Hammersmith and Fulham", central_west },
	{ "central-north", "Central North BCU", "Camden, Islington", central_north },
	{ "central-east", "Central East BCU", "Hackney, Tower Hamlets", central_east },
	{ "central-south", "Central South BCU", "Lambeth, Southwark", central_south },
	{ "north", "North Area BCU", "Enfield, Haringey", north },
	{ "north-east", "North East BCU", "Newham, Waltham Forest", north_east },
	{ "east", "East Area BCU", "Barking and Dagenham, Havering, Redbridge", east },
	{ "south-east", "South East BCU", "Bexley, Greenwich, Lewisham", south_east },
	{ "south", "South Area BCU", "Bromley, Croydon, Sutton", south },
	{ "south-west", "South West BCU", "Kingston upon Thames, Merton, Richmond upon Thames, Wandsworth", south_west },
	{ "west", "West Area BCU", "Ealing, Hillingdon, Hounslow", west },
	{ "north-west", "North West BCU", "Barnet, Brent, Harrow", north_west },
	{ CASES_CENTRAL_UNIT, "Central Specialist Crime: modern slavery team", "all of London", none },
	{ "city-of-london-police", "City of London Police", "the City of London", city },
	{ "british-transport-police", "British Transport Police", "the railways, in any borough", none },
	{ NULL, NULL, NULL, NULL },
};

const cases_unit *cases_unit_find(const char *code)
{
	size_t i;

	for (i = 0; code && cases_units[i].code; i++)
		if (strcmp(cases_units[i].code, code) == 0)
			return &cases_units[i];
	return NULL;
}

const char *cases_unit_for_borough(const char *borough)
{
	size_t i, j;

	for (i = 0; borough && borough[0] && cases_units[i].code; i++)
		for (j = 0; cases_units[i].boroughs[j]; j++)
			if (strcmp(cases_units[i].boroughs[j], borough) == 0)
				return cases_units[i].code;
	return CASES_CENTRAL_UNIT;
}

/* "dont_know" and every unit's code, NULL-terminated: fixed, so built once
 * by the compiler from the table's length. */
static const char *unit_choices[CASES_COUNT(cases_units) + 1];
static pthread_once_t unit_choices_once = PTHREAD_ONCE_INIT;

static void unit_choices_build(void)
{
	size_t i;

	unit_choices[0] = "dont_know";
	for (i = 0; cases_units[i].code; i++)
		unit_choices[i + 1] = cases_units[i].code;
	unit_choices[i + 1] = NULL;
}

const char *const *cases_unit_choices(void)
{
	pthread_once(&unit_choices_once, unit_choices_build);
	return unit_choices;
}
