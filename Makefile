# London Anti-Slavery Partner Portal - build, run, test, bench, fuzz, install.
#
#   make            build libportal and every module (build/)
#   make run        install what is missing, build, start the whole portal with demo data
#   make test       unit, integration, browser, sanitizer and Docker runs
#   make docker-test the images and compose files end to end (tests/docker/)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make bench      wrk load beside the nginx-static and PHP-FPM baselines
#   make install    PREFIX (default /usr/local) and DESTDIR honoured

SHELL    := /bin/bash
CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
SANITIZE ?=
PORT     ?= 8080
FUZZ_SECONDS ?= 60

MODULES  := $(patsubst modules/%/main.c,%,$(wildcard modules/*/main.c))
PKGS     := fcgi hiredis jansson libjwt ldap

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

HARDEN   := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
            -Wno-unused-parameter $(HARDEN) -Icommon -I$(BUILD) $(PKG_CFLAGS)
LDFLAGS  += -pie -Wl,-z,relro,-z,now
LDLIBS   += $(PKG_LIBS) -lpthread

ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -U_FORTIFY_SOURCE -O1
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

COMMON_SRC := $(filter-out common/embed.c,$(wildcard common/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
COMMON_TPL := $(wildcard common/templates/*.mustache)
LIB        := $(BUILD)/libportal.a
EMBED      := $(BUILD)/portal-embed
BINS       := $(MODULES:%=$(BUILD)/portal-%)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
module_objs = $(patsubst %.c,$(BUILD)/%.o,$(wildcard modules/$(1)/*.c))


.SECONDEXPANSION:
.PHONY: all deps run stop test unit integration browser sanitize docker-test fuzz bench install clean static backup restore

all: $(LIB) $(BINS)

$(BUILD)/%.o: %.c $(wildcard common/*.h) | $(BUILD)/.dirs
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/.dirs:
	@mkdir -p $(BUILD)/common $(BUILD)/tests/unit $(BUILD)/tests/fuzz $(MODULES:%=$(BUILD)/modules/%)
	@touch $@

$(LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $^

# The template embedder runs at build time on the build machine: never sanitized.
$(EMBED): common/embed.c | $(BUILD)/.dirs
	cc -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

# Each module's templates (its own and the shared layout) are compiled in.
$(BUILD)/modules/%/templates.c: $(EMBED) $(COMMON_TPL) $$(wildcard modules/$$*/templates/*.mustache)
	@mkdir -p $(dir $@)
	$(EMBED) $@ $(COMMON_TPL) $(wildcard modules/$*/templates/*.mustache)

$(BUILD)/portal-%: $$(call module_objs,$$*) $(BUILD)/modules/%/templates.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/modules/%/templates.o: $(BUILD)/modules/%/templates.c
	$(CC) $(CFLAGS) -c -o $@ $<

# (some unit tests include a module's sources: rebuild when they change)
$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h modules/*/*.c modules/*/*.h)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS)

# ---- set-up -----------------------------------------------------------------
deps:
	@tests/stack/deps.sh

static:
	@tests/stack/static.sh

run: deps all static
	@tests/stack/stack.sh run --port $(PORT) --dir $(CURDIR)/run --bin $(CURDIR)/$(BUILD)

stop:
	@tests/stack/stack.sh stop --dir $(CURDIR)/run

# ---- tests ------------------------------------------------------------------
# Every suite prints its own summary; the last line adds them up.
test: deps
	@mkdir -p build
	@set -o pipefail; { $(MAKE) --no-print-directory all static && \
	  $(MAKE) --no-print-directory unit && \
	  $(MAKE) --no-print-directory integration && \
	  $(MAKE) --no-print-directory browser && \
	  $(MAKE) --no-print-directory sanitize && \
	  $(MAKE) --no-print-directory docker-test; } 2>&1 | tee build/test.log; \
	  rc=$$?; tests/summary.sh build/test.log || rc=1; exit $$rc

unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

integration: all
	@tests/integration/npm-install.sh
	@PORTAL_BIN=$(CURDIR)/$(BUILD) node --test --test-concurrency=1 tests/integration/

browser: all static
	@tests/browser/run.sh $(CURDIR)/$(BUILD)

# The unit and integration tests again, built with ASan and UBSan.  Reports
# from any process (the modules run in the background) go to files, and any
# report fails the run.
SANLOG := $(CURDIR)/build-asan/sanitizer-logs
sanitize:
	@rm -rf $(SANLOG) && mkdir -p $(SANLOG)
	@ASAN_OPTIONS=log_path=$(SANLOG)/asan:detect_leaks=1 \
	 UBSAN_OPTIONS=log_path=$(SANLOG)/ubsan:print_stacktrace=1:halt_on_error=1 \
	 $(MAKE) --no-print-directory BUILD=build-asan SANITIZE=address,undefined CC=clang all unit integration
	@if [ -n "$$(ls -A $(SANLOG))" ]; then echo "sanitizer reports:"; cat $(SANLOG)/*; exit 1; fi
	@echo "sanitize: unit and integration tests passed under ASan and UBSan, no reports"

# The images and both compose files end to end (tests/docker/run.sh): its
# own dockerd when none is running, the base image by debootstrap when no
# registry answers.  Skipped, with a line saying why, where Docker cannot run.
docker-test:
	@tests/docker/run.sh

# ---- fuzz and bench ---------------------------------------------------------
fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: deps all static
	@tests/bench/run.sh $(CURDIR)/$(BUILD)

# ---- backups of the local stack (tests/stack/backup.sh; deploy/README.md for
# production) ------------------------------------------------------------------
BACKUP ?= $(CURDIR)/run/backups/portal-$(shell date -u +%Y%m%dT%H%M%SZ).tar.gz
backup:
	@mkdir -p $(dir $(BACKUP))
	@tests/stack/backup.sh backup --dir $(CURDIR)/run --out $(BACKUP)

restore:
	@test -n "$(FROM)" || { echo "usage: make restore FROM=FILE.tar.gz" >&2; exit 2; }
	@tests/stack/backup.sh restore --dir $(CURDIR)/run --from $(FROM)

# ---- install ----------------------------------------------------------------
# The nginx files are installed with their @...@ paths filled in for a host
# install: sockets in SOCKET_DIR, assets and configuration under PREFIX.
SOCKET_DIR ?= /run/portal
SHARE      := $(PREFIX)/share/portal
install: all static
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(SHARE)/static $(DESTDIR)$(SHARE)/nginx/errors
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/sbin/
	cp -R common/static/dist/. $(DESTDIR)$(SHARE)/static/
	for f in nginx-conf/*.conf; do \
	  sed -e 's|@SOCKET_DIR@|$(SOCKET_DIR)|g' -e 's|@STATIC_DIR@|$(SHARE)/static|g' \
	      -e 's|@CONF_DIR@|$(SHARE)/nginx|g' -e 's|@SIGNIN_BURST@|10|g' \
	      "$$f" > $(DESTDIR)$(SHARE)/nginx/$$(basename "$$f"); \
	done
	install -m 0644 nginx-conf/errors/*.html $(DESTDIR)$(SHARE)/nginx/errors/
	rm -f $(DESTDIR)$(SHARE)/nginx/dev.conf
	@echo "installed; include $(SHARE)/nginx/prod.conf in nginx's http block (edit server_name and certificates)"

clean:
	rm -rf build build-asan build-fuzz
