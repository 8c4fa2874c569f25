/* directory_sources.h - the directory module's pure sources (no ctx, no
 * Redis), compiled into a test that calls them directly: the fuzz targets
 * fuzz_directory_*.c and tests/unit/test_directory_model.c.  One list, so
 * a file split off modules/directory/ is added here once. */
#include "../../modules/directory/codes.c"
#include "../../modules/directory/uuid.c"
#include "../../modules/directory/hours.c"
#include "../../modules/directory/index.c"
#include "../../modules/directory/fields.c"
#include "../../modules/directory/format.c"
