/* export.c — `rtviz export` (placeholder until its issue lands). */
#include "cmd.h"

int cmd_export(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("export", EXIT_RUNTIME, "not implemented yet");
}
