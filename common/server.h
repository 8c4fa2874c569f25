/* server.h - the module process: a master, its workers, their threads.
 *
 * portal_main() is a module's whole main(): it reads the configuration and
 * flags, parses the compiled-in templates, opens the unix socket (0660) or
 * takes the one inherited on fd 0, and forks `workers` worker processes of
 * `threads` threads each, every thread looping on FCGX_Accept_r.  The master
 * re-forks a worker that dies, waiting longer (up to 5 s) when workers die
 * quickly one after another.  SIGTERM or SIGINT: the master passes it on;
 * each worker stops accepting, lets requests in flight finish (at most
 * PORTAL_DRAIN_SECONDS) and exits 0; the master removes its socket and exits 0.
 *
 * Flags: --socket PATH, --workers N, --threads T, --check (load the
 * configuration and templates, then exit 0).
 */
#ifndef PORTAL_SERVER_H
#define PORTAL_SERVER_H

#include "app.h"

/* Run the module.  Returns the process exit status. */
int portal_main(const portal_app *app, int argc, char **argv);

#endif
