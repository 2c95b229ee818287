/* main.c — the command line: find the subcommand, run it, return its code.
 * Everything else lives in src/cmd/ (headless commands) and src/ui/.
 *
 * Stream discipline, for every command: fds 0-2 closed at start are opened
 * on /dev/null (so no file opened later becomes stdout or stderr and gets
 * messages written into it); SIGPIPE is ignored (a closed pipe is an EPIPE
 * error the commands handle, not sudden death before a save); at exit
 * stdout is flushed and closed, and a write error there (a full disk,
 * /dev/full, an I/O error) is one line on stderr and exit status 1. A reader
 * that went away (`rtviz ... | head -1`) is not an error. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blas.h"
#include "cmd/cmd.h"
#include "cmd/opts.h"
#include "common.h"
#include "pool.h"

const Command COMMANDS[] = {
    {"train", cmd_train,
     "train --dataset NAME [--arch rt|mlp] [--epochs N] [--save FILE] [--csv FILE]"},
    {"eval", cmd_eval, "eval --model FILE --dataset NAME [--tau X] [--json]"},
    {"sweep", cmd_sweep, "sweep --model FILE --dataset NAME --index I   θ by θ for one image"},
    {"classify", cmd_classify,
     "classify --model FILE IMAGE... [--json]   PNG/JPEG/BMP/GIF/PGM → prediction"},
    {"gallery", cmd_gallery,
     "gallery --model FILE --dataset NAME --out F.png   the paper's Figure 3"},
    {"report", cmd_report,
     "report --dataset NAME --out DIR [--epochs N] [--seeds K]   Figures 2 and 3; --merge DIR..."},
    {"snapshot", cmd_snapshot,
     "snapshot --model FILE --dataset NAME --index I --out F.png   the projector view as PNG"},
    {"export", cmd_export, "export --model FILE --out F.safetensors"},
    {"bench", cmd_bench, "bench [--json] [--quick]   speed figures"},
    {"datasets", cmd_datasets, "datasets                   what is installed, how to get the rest"},
};
const int NCOMMANDS = (int)(sizeof COMMANDS / sizeof COMMANDS[0]);

static void usage(FILE *f) {
    fprintf(f,
            "rtviz %s — train and watch RayTracing networks (arXiv 2502.14788)\n\n"
            "usage: rtviz [options]        the interactive UI: train live, watch blocks fire\n",
            RTVIZ_VERSION);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(f, "       rtviz %s\n", COMMANDS[i].synopsis);
    fprintf(f, "\nOptions of the interactive UI:\n");
    opts_usage(f, OPTS_UI);
    fprintf(f, "\n`rtviz COMMAND --help` lists a command's options and their defaults.\n"
               "Exit status: 0 success, 1 runtime error, 2 bad usage.\n");
}

/* Open /dev/null on whichever of fds 0-2 is closed. */
static void fill_std_fds(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n < 0) _exit(EXIT_RUNTIME); /* no /dev/null: nothing safe is left to do */
        if (n != fd) {                  /* cannot happen: open returns the lowest free fd */
            dup2(n, fd);
            close(n);
        }
    }
}

/* 1 when stdout is a pipe or socket whose reader has gone. */
static int stdout_reader_gone(void) {
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return 0;
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* Flush and close stdout; a write error becomes exit status 1 (unless the
 * command already failed) with one line naming the command. */
static int finish_stdout(const char *cmd, int rc) {
    errno = 0;
    int bad = fflush(stdout) != 0;
    int err = bad ? errno : 0;
    if (ferror(stdout)) {
        bad = 1;
        if (!err) err = cmd_stdout_errno; /* the error a command saw earlier, if it noted it */
    }
    int gone = bad && stdout_reader_gone();
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (!bad || err == EPIPE || gone) return rc;
    fprintf(stderr, "rtviz%s%s: stdout: %s\n", cmd ? " " : "", cmd ? cmd : "",
            err ? rt_strerror(err) : "write error");
    return rc ? rc : EXIT_RUNTIME;
}

/* OpenBLAS settled for a generic core on a CPU that can run a better one
 * (blas.h): set OPENBLAS_CORETYPE and start again, once (it is set then).
 * Should the exec fail, rtviz runs on with the kernels it has: slower, not wrong. */
static void upgrade_blas_core(char **argv) {
    const char *core = blas_core_upgrade();
    if (!core || setenv("OPENBLAS_CORETYPE", core, 1) != 0) return;
    execv("/proc/self/exe", argv);
    unsetenv("OPENBLAS_CORETYPE");
}

int main(int argc, char **argv) {
    upgrade_blas_core(argv);
    fill_std_fds();
    signal(SIGPIPE, SIG_IGN);
    if (argc >= 2 && argv[1][0] != '-') {
        for (int i = 0; i < NCOMMANDS; i++)
            if (!strcmp(argv[1], COMMANDS[i].name)) {
                int rc = COMMANDS[i].run(argc - 2, argv + 2);
                pool_done(); /* join the engine's workers (a clean exit under valgrind) */
                return finish_stdout(COMMANDS[i].name, rc);
            }
        char shown[512];
        fprintf(stderr, "rtviz: unknown command '%s' (see rtviz --help)\n",
                rt_escape(shown, sizeof shown, argv[1]));
        return EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return finish_stdout(NULL, 0);
        }
        if (!strcmp(argv[i], "--version")) {
            printf("rtviz %s\n", RTVIZ_VERSION);
            return finish_stdout(NULL, 0);
        }
    }
    int rc = cmd_ui(argc - 1, argv + 1);
    pool_done();
    return finish_stdout(NULL, rc);
}
