/*
 * tools/tambuli.c — the organizer's command-line tool.
 *
 * Everything lives in the command table (tools/cmd.c); main only sets up
 * the process.
 */
#include <signal.h>

#include "cmd.h"

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	return cmd_run(argc, argv);
}
