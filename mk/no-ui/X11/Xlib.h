/* mk/no-ui: first on the include path of src/engine/ only (Makefile, ENGINE_CFLAGS). */
#error "<X11/Xlib.h> is a UI header: src/engine/ must not include it (docs/DESIGN.md §2.1)"
