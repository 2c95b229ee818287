/* mk/no-ui: first on the include path of src/engine/ only (Makefile, ENGINE_CFLAGS). */
#error "<SDL_ttf.h> is a UI header: src/engine/ must not include it (docs/DESIGN.md §2.1)"
