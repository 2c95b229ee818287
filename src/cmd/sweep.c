/* sweep.c — `rtviz sweep` (placeholder until its issue lands). */
#include "cmd.h"

int cmd_sweep(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("sweep", EXIT_RUNTIME, "not implemented yet");
}
