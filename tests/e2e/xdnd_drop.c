/* xdnd_drop.c WINDOW PATH — drop the file PATH on X window WINDOW (hex or
 * decimal id) the way a file manager does (the XDND protocol, version 5:
 * enter, position, status, drop, the selection as text/uri-list,
 * finished). For tests/e2e/sdl_drop.sh: xdotool cannot drag between
 * applications. Exit 0 once the target said it finished, 1 otherwise
 * (with one line saying what did not happen). */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

static Display *dpy;
static Atom A(const char *n) { return XInternAtom(dpy, n, False); }

static void send_msg(Window to, Atom type, long l0, long l1, long l2, long l3, long l4) {
    XEvent ev;
    memset(&ev, 0, sizeof ev);
    ev.xclient.type = ClientMessage;
    ev.xclient.window = to;
    ev.xclient.message_type = type;
    ev.xclient.format = 32;
    ev.xclient.data.l[0] = l0;
    ev.xclient.data.l[1] = l1;
    ev.xclient.data.l[2] = l2;
    ev.xclient.data.l[3] = l3;
    ev.xclient.data.l[4] = l4;
    XSendEvent(dpy, to, False, NoEventMask, &ev);
    XFlush(dpy);
}

/* The next event, or 0 after `secs` without one. */
static int next_event(XEvent *ev, double secs) {
    int fd = ConnectionNumber(dpy);
    while (!XPending(dpy)) {
        fd_set s;
        FD_ZERO(&s);
        FD_SET(fd, &s);
        struct timeval tv = {(long)secs, (long)((secs - (long)secs) * 1e6)};
        if (select(fd + 1, &s, NULL, NULL, &tv) <= 0) return 0;
    }
    XNextEvent(dpy, ev);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: xdnd_drop WINDOW PATH\n");
        return 2;
    }
    dpy = XOpenDisplay(NULL);
    if (!dpy) {
        printf("xdnd_drop: cannot open the display\n");
        return 1;
    }
    Window target = (Window)strtoul(argv[1], NULL, 0), root = DefaultRootWindow(dpy);
    char uri[4200];
    snprintf(uri, sizeof uri, "file://%s\r\n", argv[2]);
    Window src = XCreateSimpleWindow(dpy, root, 0, 0, 1, 1, 0, 0, 0);
    Atom sel = A("XdndSelection"), uri_list = A("text/uri-list"), copy = A("XdndActionCopy");
    XSetSelectionOwner(dpy, sel, src, CurrentTime);
    XWindowAttributes wa;
    if (!XGetWindowAttributes(dpy, target, &wa)) {
        printf("xdnd_drop: no window %s\n", argv[1]);
        return 1;
    }
    int rx, ry;
    Window child;
    XTranslateCoordinates(dpy, target, root, wa.width / 2, wa.height / 2, &rx, &ry, &child);
    send_msg(target, A("XdndEnter"), (long)src, 5L << 24, (long)uri_list, 0, 0);
    send_msg(target, A("XdndPosition"), (long)src, 0, ((long)rx << 16) | ry, CurrentTime,
             (long)copy);
    int accepted = 0, dropped = 0;
    time_t t0 = time(NULL);
    XEvent ev;
    while (time(NULL) - t0 < 30) {
        if (!next_event(&ev, 1.0)) continue;
        if (ev.type == ClientMessage && ev.xclient.message_type == A("XdndStatus")) {
            accepted = ev.xclient.data.l[1] & 1;
            if (!accepted) {
                printf("xdnd_drop: the window refused the drop\n");
                return 1;
            }
            if (!dropped) send_msg(target, A("XdndDrop"), (long)src, 0, CurrentTime, 0, 0);
            dropped = 1;
        } else if (ev.type == SelectionRequest) {
            XSelectionRequestEvent *rq = &ev.xselectionrequest;
            XEvent re;
            memset(&re, 0, sizeof re);
            re.xselection.type = SelectionNotify;
            re.xselection.requestor = rq->requestor;
            re.xselection.selection = rq->selection;
            re.xselection.target = rq->target;
            re.xselection.time = rq->time;
            re.xselection.property = None;
            if (rq->target == uri_list) {
                XChangeProperty(dpy, rq->requestor, rq->property, uri_list, 8, PropModeReplace,
                                (unsigned char *)uri, (int)strlen(uri));
                re.xselection.property = rq->property;
            }
            XSendEvent(dpy, rq->requestor, False, NoEventMask, &re);
            XFlush(dpy);
        } else if (ev.type == ClientMessage && ev.xclient.message_type == A("XdndFinished")) {
            return 0;
        }
    }
    printf("xdnd_drop: %s\n", !accepted  ? "the window never answered the drag"
                              : !dropped ? "no drop sent"
                                         : "the window never said it finished");
    return 1;
}
