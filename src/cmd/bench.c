/* bench.c — `rtviz bench` (placeholder until its issue lands). */
#include "cmd.h"

int cmd_bench(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("bench", EXIT_RUNTIME, "not implemented yet");
}
