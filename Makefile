# rtviz — build, deps, run, test, bench, install, sanitizer and fuzz builds.
# `make run` and `make test` install what is missing themselves (scripts/deps.sh).

PREFIX  ?= /usr/local
CC      ?= cc
WERROR  := $(if $(filter true 1,$(CI)),-Werror,)
CFLAGS  ?= -O2 -g
# the flags every build needs, kept apart so `make CFLAGS=...` (sanitizers) only adds to them
override CFLAGS += -std=c11 -Wall -Wextra $(WERROR) -Werror=implicit-function-declaration -D_DEFAULT_SOURCE -DRTVIZ_PREFIX='"$(PREFIX)"'

# Each layer gets only the include paths and packages it needs (docs/DESIGN.md §2):
# src/engine/ sees itself and its packages, with mk/no-ui first on its path, so
# including a UI header there (<curses.h>, <SDL2/SDL.h>, <cairo.h>, ...) fails
# the build; `make check-layers` proves it.
ENGINE_PKGS := openblas zlib libcjson stb
CMD_PKGS    := $(ENGINE_PKGS) cairo
TUI_PKGS    := ncursesw
SDL_PKGS    := sdl2 SDL2_ttf cairo stb x11
PKGS        := $(sort $(ENGINE_PKGS) $(CMD_PKGS) $(TUI_PKGS) $(SDL_PKGS))
pkg_cflags   = $(shell pkg-config --cflags $(1) 2>/dev/null)
ENGINE_CFLAGS := -Imk/no-ui -Isrc/engine $(call pkg_cflags,$(ENGINE_PKGS))
CMD_CFLAGS    := -Isrc -Isrc/engine $(call pkg_cflags,$(CMD_PKGS))
UI_CFLAGS     := -Isrc -Isrc/engine -Isrc/ui
TUI_CFLAGS    := $(UI_CFLAGS) $(call pkg_cflags,$(TUI_PKGS))
SDL_CFLAGS    := $(UI_CFLAGS) $(call pkg_cflags,$(SDL_PKGS))
MAIN_CFLAGS   := -Isrc -Isrc/engine
# tests and fuzz harnesses reach across the layers
TEST_CFLAGS   := -Isrc -Isrc/engine -Isrc/ui $(call pkg_cflags,$(PKGS))
# the flags of a source file's layer: $(call layer_cflags,src/ui/tui/app.c)
layer_cflags = $(strip $(if $(filter src/engine/%,$1),$(ENGINE_CFLAGS),\
  $(if $(filter src/cmd/%,$1),$(CMD_CFLAGS),$(if $(filter src/ui/tui/%,$1),$(TUI_CFLAGS),\
  $(if $(filter src/ui/sdl/%,$1),$(SDL_CFLAGS),$(if $(filter src/ui/%,$1),$(UI_CFLAGS),\
  $(if $(filter src/main.c,$1),$(MAIN_CFLAGS),$(TEST_CFLAGS))))))))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  += $(PKG_LIBS) -lm -lpthread
BUILD   ?= build/release

ENGINE_SRC := $(wildcard src/engine/*.c)
UI_SRC     := $(wildcard src/ui/*.c src/ui/tui/*.c src/ui/sdl/*.c)
CMD_SRC    := $(wildcard src/cmd/*.c)
LIB_SRC    := $(ENGINE_SRC) $(UI_SRC) $(CMD_SRC)
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ   := $(BUILD)/src/main.o
TEST_SRC   := $(wildcard tests/engine/*.c tests/ui/*.c tests/cmd/*.c)
TEST_OBJ   := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN   := $(BUILD)/unit-tests

.PHONY: all deps pkgs-present deps-test run test test-unit test-e2e test-asan bench bench-compare bench-ui bench-soak bench-xsmm \
        reproduce install uninstall clean fuzz fuzz-smoke format check-format check-layers sample bench-sdl models

all: rtviz

deps:
	@scripts/deps.sh build

# Compiled without its packages' include paths, the engine would find the
# wrong headers (netlib's cblas.h, which lacks OpenBLAS's functions) and build
# a binary that crashes: stop first, naming what is missing.
pkgs-present:
	@pkg-config --exists $(PKGS) 2>/dev/null || { printf 'rtviz: missing build packages:'; \
	  for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || printf ' %s' $$p; done; \
	  printf ' (run "make deps", or "make test", which installs them)\n'; exit 1; } >&2

rtviz: $(BUILD)/rtviz
	@cp $< $@

$(BUILD)/rtviz: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c | pkgs-present
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(call layer_cflags,$<) -MMD -MP -c -o $@ $<

# Adam's loop: sqrtf without the errno path, so the compiler vectorises it;
# the MLP's bias+ReLU and ReLU-mask loops and the minibatch's uint8 -> float
# conversion (data_batch_float), all elementwise: the same bits. No loop
# distribution into memcpy / memset calls where the loops are short (the
# model's per-sample rows are a few floats) or the copy belongs in the loop
# (the undoable Adam keeps the old weights in the update's own pass).
$(BUILD)/src/engine/optim.o: override CFLAGS += -fno-math-errno -fvect-cost-model=cheap \
  -fno-tree-loop-distribute-patterns
$(BUILD)/src/engine/mlp.o $(BUILD)/src/engine/idx.o: override CFLAGS += -fvect-cost-model=cheap
$(BUILD)/src/engine/rtnet.o: override CFLAGS += -fno-tree-loop-distribute-patterns

# --- tests ---------------------------------------------------------------
$(TEST_BIN): $(LIB_OBJ) $(TEST_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory rtviz $(TEST_BIN)
	@$(MAKE) --no-print-directory check-format
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory fuzz-smoke
	@tests/run.sh $(TEST_BIN) ./rtviz

test-unit: $(TEST_BIN)
	$(TEST_BIN)

test-e2e: rtviz
	tests/run.sh - ./rtviz

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, whole suite
# (unit tests and tests/e2e, which run build/asan/rtviz). The flags go through
# the environment, not the command line, so the `CFLAGS +=` above still adds
# -std=c11 and the include paths. Any report aborts the process: zero reports
# is a pass.
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_ENV    := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
               LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp
test-asan:
	@scripts/deps.sh test
	@CFLAGS="$(ASAN_CFLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  $(MAKE) --no-print-directory BUILD=build/asan build/asan/rtviz build/asan/unit-tests
	$(ASAN_ENV) tests/run.sh build/asan/unit-tests build/asan/rtviz

# --- fuzzing (libFuzzer, clang) -------------------------------------------
# Every tests/fuzz/fuzz_NAME.c is a harness with its seed corpus in
# tests/fuzz/corpus/fuzz_NAME/ and optionally a dictionary tests/fuzz/fuzz_NAME.dict.
# The library (engine, commands, UI; no main.c) is compiled once with
# ASan+UBSan+coverage into an archive, so a harness pulls in only the objects
# it uses.
#   make fuzz                      build every harness
#   make fuzz-smoke                each harness FUZZ_RUNS runs from its corpus (part of `make test`)
#   make fuzz-run FUZZ=fuzz_idx FUZZ_TIME=600   one long campaign (nice, one job)
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJ    := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -D_DEFAULT_SOURCE \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(call layer_cflags,$<) -MMD -MP -c -o $@ $<
# rtkern.c reads no outside bytes and no harness reaches it, but clang 14 takes
# minutes to compile its SIMD kernels under ASan+UBSan (seconds without): build
# it plain here. The gcc sanitizer suite (`make test-asan`) covers it.
build/fuzz/obj/src/engine/rtkern.o: FUZZ_CFLAGS := -std=c11 -g -O1 -D_DEFAULT_SOURCE
build/fuzz/librtviz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/librtviz.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(TEST_CFLAGS) -MMD -MP -o $@ $< build/fuzz/librtviz.a \
	  $(PKG_LIBS) -lm -lpthread

fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

# A fixed number of runs from the seed corpus (new inputs go to a scratch dir
# that starts empty, so the committed corpus is never modified); any crash,
# leak or sanitizer report fails.
FUZZ_RUNS ?= 20000
FUZZ_OPTS := -seed=1 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix=build/fuzz/
fuzz-smoke: fuzz
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); rm -rf build/fuzz/work-$$n; mkdir -p build/fuzz/work-$$n; \
	  d=; [ -f tests/fuzz/$$n.dict ] && d=-dict=tests/fuzz/$$n.dict; \
	  $$f $(FUZZ_OPTS) $$d -runs=$(FUZZ_RUNS) build/fuzz/work-$$n tests/fuzz/corpus/$$n >build/fuzz/$$n.log 2>&1 \
	    || { echo "fuzz-smoke: $$n FAILED (see build/fuzz/$$n.log)"; tail -30 build/fuzz/$$n.log; exit 1; }; \
	  echo "fuzz-smoke: $$n $(FUZZ_RUNS) runs, no crash"; done

# One long campaign: FUZZ=fuzz_NAME, FUZZ_TIME seconds (the machine is shared:
# nice, one job). Its growing corpus lives in build/fuzz/corpus-NAME.
FUZZ_TIME ?= 600
.PHONY: fuzz-run
fuzz-run: fuzz
	@test -n "$(FUZZ)" || { echo "usage: make fuzz-run FUZZ=fuzz_NAME [FUZZ_TIME=s]"; exit 2; }
	@mkdir -p build/fuzz/corpus-$(FUZZ)
	nice -n 19 build/fuzz/$(FUZZ) $(FUZZ_OPTS) $(if $(wildcard tests/fuzz/$(FUZZ).dict),-dict=tests/fuzz/$(FUZZ).dict) -max_total_time=$(FUZZ_TIME) \
	  -print_final_stats=1 build/fuzz/corpus-$(FUZZ) tests/fuzz/corpus/$(FUZZ)

# --- run, bench ------------------------------------------------------------
run:
	@scripts/deps.sh run
	@$(MAKE) --no-print-directory rtviz
	./rtviz --dataset fashionmnist

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory rtviz
	./rtviz bench

bench-compare:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory rtviz
	bench/compare.sh

# the paper's Figures 2 and 3 on every installed dataset, docs/RESULTS.md
# (EPOCHS=N SEEDS=K for a longer run)
reproduce:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory rtviz
	scripts/reproduce.sh ./rtviz

# the terminal UI: training speed vs headless, frames/s, key latency, first frame
bench-ui:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory rtviz
	bench/ui_speed.sh

# the projector window: frames/s at 1920x1080 while training, training speed with / without it
bench-sdl:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory rtviz
	bench/sdl_speed.sh

# --- sample dataset (committed; regenerate only deliberately) --------------
sample:
	scripts/make-sample.py

# --- the tutorial's shipped models (committed; regenerate only deliberately) ---
# Trains them from fixed seeds with rtviz's own `rtviz train` on Fashion-MNIST into
# assets/models/ with a SHA256SUMS; `scripts/make-models.sh --check` retrains and compares.
models:
	@scripts/deps.sh run
	scripts/make-models.sh

# --- install -------------------------------------------------------------------
install: rtviz
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/rtviz
	install -m 755 rtviz $(DESTDIR)$(PREFIX)/bin/rtviz
	install -m 644 docs/rtviz.1 $(DESTDIR)$(PREFIX)/share/man/man1/rtviz.1
	cp -R assets/. $(DESTDIR)$(PREFIX)/share/rtviz/
	@if [ -d tutorial ]; then install -d $(DESTDIR)$(PREFIX)/share/rtviz/tutorial; \
	  cp tutorial/*.md $(DESTDIR)$(PREFIX)/share/rtviz/tutorial/ 2>/dev/null || true; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rtviz $(DESTDIR)$(PREFIX)/share/man/man1/rtviz.1
	rm -rf $(DESTDIR)$(PREFIX)/share/rtviz

# --- layering ------------------------------------------------------------------
# The engine's flags must refuse UI headers and still take the engine's own:
# each probe is compiled (syntax only) with the flags the build rule gives a
# file of src/engine/.
PROBE_ENGINE := $(call layer_cflags,src/engine/probe.c)
PROBE_TUI    := $(call layer_cflags,src/ui/tui/probe.c)
ENGINE_FORBIDDEN := curses.h ncurses.h ncursesw/curses.h term.h SDL.h SDL2/SDL.h SDL2/SDL_ttf.h \
                    cairo.h cairo/cairo.h tui.h palette.h cmd/opts.h
check-layers:
	@for h in $(ENGINE_FORBIDDEN); do \
	  if printf '#include <%s>\n' "$$h" | $(CC) $(CFLAGS) $(PROBE_ENGINE) -fsyntax-only -x c - 2>/dev/null; then \
	    echo "check-layers: FAILED: <$$h> compiles with the engine's flags"; exit 1; fi; done
	@printf '#include "model.h"\n#include <cblas.h>\n#include <zlib.h>\n#include <cjson/cJSON.h>\n' \
	  | $(CC) $(CFLAGS) $(PROBE_ENGINE) -fsyntax-only -x c - \
	  || { echo "check-layers: FAILED: the engine's own headers do not compile with its flags"; exit 1; }
	@printf '#include <curses.h>\n' | $(CC) $(CFLAGS) $(PROBE_TUI) -fsyntax-only -x c - \
	  || { echo "check-layers: FAILED: <curses.h> does not compile with src/ui/tui's flags"; exit 1; }
	@echo "check-layers: src/engine/ refuses $(words $(ENGINE_FORBIDDEN)) UI headers and takes its own"

format:
	clang-format -i src/*.c src/*/*.[ch] src/*/*/*.[ch] tests/*/*.c

check-format:
	@clang-format --dry-run --Werror src/*.c src/*/*.[ch] src/*/*/*.[ch] tests/*/*.c \
	  || { echo "check-format: run make format (docs/STYLE.md)"; exit 1; }
	@echo "check-format: clean"

clean:
	rm -rf build rtviz

-include $(shell find build -name '*.d' 2>/dev/null)
