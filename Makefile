# London Anti-Slavery Partner Portal - build, run, test, bench, fuzz, install.
#
#   make            build libportal and every module (build/)
#   make run        install what running needs, build, start the whole portal with demo data
#   make test       install what the tests need; unit, Lua, integration, security, browser,
#                   sanitizer, fuzz replay and Docker runs
#   make deps       install what running needs (deps-test: what the tests need too)
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

# Workers are long-running programs, not FastCGI modules: no socket, no
# routes, no --openapi part; built from modules/NAME/ the same way (their
# templates embedded) and linked with what they need besides (CURL_LIBS).
WORKERS  := notify
MODULES  := $(filter-out $(WORKERS),$(patsubst modules/%/main.c,%,$(wildcard modules/*/main.c)))
PKGS     := fcgi hiredis jansson libjwt ldap

# The libraries' flags are asked of pkg-config when a recipe first needs them,
# and once: `make run` and `make test` install the packages (deps) in the same
# run, so reading them when make starts would find nothing.
PKG_CFLAGS   = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS     = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS) 2>/dev/null))$(PKG_LIBS)
CURL_LIBS    = $(eval CURL_LIBS := $$(shell pkg-config --libs libcurl 2>/dev/null))$(CURL_LIBS)
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(shell pkg-config --cflags check 2>/dev/null))$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $$(shell pkg-config --libs check 2>/dev/null))$(CHECK_LIBS)

# The project's own flags stay apart from CFLAGS and LDFLAGS, so that
# `make CFLAGS=-O0` or `make CC=clang` changes only what it names.
# _FORTIFY_SOURCE needs optimisation (glibc warns, and -Werror stops, without).
CFLAGS   ?= -O2 -g
FORTIFY  := $(if $(SANITIZE),,$(if $(filter -O -O1 -O2 -O3 -Os -Og -Ofast -Oz,$(CFLAGS)),-D_FORTIFY_SOURCE=2))
PORTAL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
            -Wno-unused-parameter -fstack-protector-strong -fPIE $(FORTIFY) \
            -Icommon -I$(BUILD) -MMD -MP
PORTAL_LDFLAGS := -pie -Wl,-z,relro,-z,now
ifneq ($(SANITIZE),)
PORTAL_CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
PORTAL_LDFLAGS += -fsanitize=$(SANITIZE)
endif
ALL_CFLAGS  = $(PORTAL_CFLAGS) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(PORTAL_LDFLAGS) $(LDFLAGS)
ALL_LDLIBS  = $(PKG_LIBS) -lpthread $(LDLIBS)

COMMON_SRC := $(filter-out common/embed.c common/apidoc.c,$(wildcard common/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
COMMON_TPL := $(wildcard common/templates/*.mustache)
LIB        := $(BUILD)/libportal.a
EMBED      := $(BUILD)/portal-embed
APIDOC     := $(BUILD)/portal-apidoc
API_DOC    := $(BUILD)/api/openapi.json
API_PARTS  := $(MODULES:%=$(BUILD)/api/parts/%.json)
SCHEMAS    := $(wildcard common/schemas/*.json modules/*/schemas/*.json modules/*/schemas/*/*.json modules/*/schemas/*/*/*.json)
BINS       := $(MODULES:%=$(BUILD)/portal-%)
WORKER_BINS := $(WORKERS:%=$(BUILD)/portal-%)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
module_objs = $(patsubst %.c,$(BUILD)/%.o,$(wildcard modules/$(1)/*.c))


.SECONDEXPANSION:
# Objects and generated sources reached through pattern rules are kept (make
# would delete them as intermediate, and rebuild them all next time).
.SECONDARY:
.PHONY: all libraries deps deps-test run stop test unit lua integration security browser sanitize docker-test fuzz fuzz-replay bench install clean static backup restore

all: $(LIB) $(BINS) $(WORKER_BINS) $(API_DOC)

# Every object records the headers it read (-MMD -MP), so a changed header
# rebuilds exactly the objects that include it.
$(BUILD)/%.o: %.c | $(BUILD)/.dirs libraries
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/.dirs:
	@mkdir -p $(BUILD)/common $(BUILD)/tests/unit $(BUILD)/tests/fuzz $(MODULES:%=$(BUILD)/modules/%)
	@touch $@

# Stops with what to run when the libraries are not installed, instead of a
# page of compiler errors.
libraries:
	@pkg-config --exists $(PKGS) libcurl || { echo "The portal's libraries are missing: run 'make deps' (as root, or with sudo as it says)." >&2; \
	  pkg-config --print-errors --exists $(PKGS) libcurl 2>&1 | sed 's/^/  /' >&2; exit 1; }

$(LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $^

# The template embedder runs at build time on the build machine: never sanitized.
$(EMBED): common/embed.c | $(BUILD)/.dirs
	cc -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

# The API description (issue 13): each module prints its part, made from its
# route and field tables (`portal-NAME --openapi`, common/openapi.c);
# portal-apidoc joins them with the answers' JSON Schemas (modules/*/schemas/,
# common/schemas/) into one OpenAPI 3.1 document and the page people read
# it on.  nginx serves both: /api/v1/openapi.json and /api/.
$(APIDOC): common/apidoc.c common/buf.c common/buf.h | $(BUILD)/.dirs libraries
	cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Icommon $(PKG_CFLAGS) -o $@ common/apidoc.c common/buf.c $(PKG_LIBS)

$(BUILD)/api/parts/%.json: $(BUILD)/portal-%
	@mkdir -p $(dir $@)
	$< --openapi > $@.tmp && mv $@.tmp $@

$(API_DOC): $(APIDOC) $(API_PARTS) $(SCHEMAS)
	$(APIDOC) $(CURDIR) $@ $(BUILD)/api/index.html $(API_PARTS)

# Each module's templates (its own and the shared layout) are compiled in.
$(BUILD)/modules/%/templates.c: $(EMBED) $(COMMON_TPL) $$(wildcard modules/$$*/templates/*.mustache)
	@mkdir -p $(dir $@)
	$(EMBED) $@ $(COMMON_TPL) $(wildcard modules/$*/templates/*.mustache)

# Each module's Lua scripts (modules/NAME/lua/*.lua, with the common prelude
# common/lua/lib.lua and the module's own lua/lib.lua, when it has one, put
# before each on its first line) are compiled in as NAME_lua_SCRIPT[].
LUA_PRELUDE := common/lua/lib.lua
module_lua = $(if $(filter-out %/lib.lua,$(wildcard modules/$(1)/lua/*.lua)),$(BUILD)/modules/$(1)/lua.o)
$(BUILD)/modules/%/lua.c: $(EMBED) $(LUA_PRELUDE) $$(wildcard modules/$$*/lua/*.lua)
	@mkdir -p $(dir $@)
	$(EMBED) --lua $@ $* $(LUA_PRELUDE) $(wildcard modules/$*/lua/lib.lua) $(filter-out %/lib.lua,$(wildcard modules/$*/lua/*.lua))

$(BUILD)/modules/%/lua.o: $(BUILD)/modules/%/lua.c | libraries
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/portal-%: $$(call module_objs,$$*) $(BUILD)/modules/%/templates.o $$(call module_lua,$$*) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# portal-notify sends e-mail with libcurl.
$(WORKER_BINS): ALL_LDLIBS += $(CURL_LIBS)

# portal-notify's clock (modules/notify/clock.c) runs each module's
# lua/due.lua, compiled in with that module's preludes as NAME_lua_due[].
DUE_MODULES := $(patsubst modules/%/lua/due.lua,%,$(wildcard modules/*/lua/due.lua))
$(BUILD)/modules/notify/due/%.c: $(EMBED) $(LUA_PRELUDE) modules/%/lua/due.lua $$(wildcard modules/$$*/lua/lib.lua)
	@mkdir -p $(dir $@)
	$(EMBED) --lua $@ $* $(LUA_PRELUDE) $(wildcard modules/$*/lua/lib.lua) modules/$*/lua/due.lua

$(BUILD)/modules/notify/due/%.o: $(BUILD)/modules/notify/due/%.c | libraries
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/portal-notify: $(DUE_MODULES:%=$(BUILD)/modules/notify/due/%.o)

$(BUILD)/modules/%/templates.o: $(BUILD)/modules/%/templates.c | libraries
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# A unit test is rebuilt when a file it includes changes (some include a
# module's sources): its .d file lists them.
$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) | $(BUILD)/.dirs
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MF $@.d -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(ALL_LDLIBS) $(CHECK_LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- set-up -----------------------------------------------------------------
# What running needs (make run); what the tests need as well (make test).
deps:
	@tests/stack/deps.sh run

deps-test:
	@tests/stack/deps.sh test

static:
	@tests/stack/static.sh

# The build is a second make, started after deps: it reads the libraries'
# flags from the packages deps has just installed.
run: deps
	@$(MAKE) --no-print-directory all static
	@tests/stack/stack.sh run --port $(PORT) --dir $(CURDIR)/run --bin $(CURDIR)/$(BUILD)

stop:
	@tests/stack/stack.sh stop --dir $(CURDIR)/run

# ---- tests ------------------------------------------------------------------
# Every suite prints its own summary; the last line adds them up.
test: deps-test
	@mkdir -p build
	@set -o pipefail; { $(MAKE) --no-print-directory all static && \
	  $(MAKE) --no-print-directory unit && \
	  $(MAKE) --no-print-directory lua && \
	  $(MAKE) --no-print-directory integration && \
	  $(MAKE) --no-print-directory security && \
	  $(MAKE) --no-print-directory browser && \
	  $(MAKE) --no-print-directory sanitize && \
	  $(MAKE) --no-print-directory fuzz-replay && \
	  $(MAKE) --no-print-directory docker-test; } 2>&1 | tee build/test.log; \
	  rc=$$?; tests/summary.sh build/test.log || rc=1; exit $$rc

unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

# Each module's Lua scripts on their own against a redis-server the tests
# start (tests/lua/), loaded as the build embeds them; and data written by
# older commits (built once into $(BUILD)/old by tests/lua/old-builds.sh from
# this checkout's history) migrated and served by this build's modules.
lua: $(EMBED) $(BINS)
	@old=$$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS tests/lua/old-builds.sh $(BUILD)/old) && \
	 env $$old PORTAL_BIN=$(CURDIR)/$(BUILD) tests/lua/run.sh $(CURDIR)/$(EMBED)

# Every JSON answer the tests receive is checked against the API description
# (tests/integration/lib/answers.mjs); the run says how many.
TALLY = $(CURDIR)/$(BUILD)/answers-tally
integration: all
	@tests/integration/npm-install.sh
	@rm -f $(TALLY); PORTAL_ANSWERS_TALLY=$(TALLY) PORTAL_BIN=$(CURDIR)/$(BUILD) \
	 node --test --test-concurrency=1 tests/integration/; rc=$$?; \
	 echo "openapi: $$(awk '{n += $$2} END {print n + 0}' $(TALLY) 2>/dev/null) answers checked against the API description"; \
	 exit $$rc

# The security regression suite (tests/security/): the review's findings and
# the checks that held, each naming its OWASP ASVS 4.0.3 requirement.
security: all static
	@tests/integration/npm-install.sh
	@rm -f $(TALLY); PORTAL_ANSWERS_TALLY=$(TALLY) PORTAL_BIN=$(CURDIR)/$(BUILD) \
	 node --test --test-concurrency=1 tests/security/; rc=$$?; \
	 echo "openapi: $$(awk '{n += $$2} END {print n + 0}' $(TALLY) 2>/dev/null) answers checked against the API description"; \
	 exit $$rc

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
	 $(MAKE) --no-print-directory BUILD=build-asan SANITIZE=address,undefined CC=clang CFLAGS='-O1 -g' all unit integration; \
	 rc=$$?; \
	 if [ -n "$$(ls -A $(SANLOG))" ]; then echo "sanitizer reports:"; cat $(SANLOG)/*; exit 1; fi; \
	 exit $$rc
	@echo "sanitize: unit and integration tests passed under ASan and UBSan, no reports"

# The images and both compose files end to end (tests/docker/run.sh): its
# own dockerd when none is running, the base image by debootstrap when no
# registry answers.  Skipped, with a line saying why, where Docker cannot run.
docker-test:
	@tests/docker/run.sh

# ---- fuzz and bench ---------------------------------------------------------
fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

# Every kept fuzz input (tests/fuzz/seeds/, tests/fuzz/corpus/) once, under
# ASan and UBSan: a regression run, part of make test.  FUZZ_KEEP=1 make fuzz
# adds what a campaign found to tests/fuzz/corpus/.
fuzz-replay:
	@tests/fuzz/run.sh --replay

bench: deps-test
	@$(MAKE) --no-print-directory all static
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
	install -m 0755 $(BINS) $(WORKER_BINS) $(DESTDIR)$(PREFIX)/sbin/
	cp -R common/static/dist/. $(DESTDIR)$(SHARE)/static/
	cp -R modules/monitoring/static $(DESTDIR)$(SHARE)/static/monitoring
	install -d $(DESTDIR)$(SHARE)/static/api
	install -m 0644 $(API_DOC) $(BUILD)/api/index.html $(DESTDIR)$(SHARE)/static/api/
	for f in nginx-conf/*.conf; do \
	  sed -e 's|@SOCKET_DIR@|$(SOCKET_DIR)|g' -e 's|@STATIC_DIR@|$(SHARE)/static|g' \
	      -e 's|@CONF_DIR@|$(SHARE)/nginx|g' \
	      "$$f" > $(DESTDIR)$(SHARE)/nginx/$$(basename "$$f"); \
	done
	install -m 0644 nginx-conf/errors/*.html $(DESTDIR)$(SHARE)/nginx/errors/
	rm -f $(DESTDIR)$(SHARE)/nginx/dev.conf
	@echo "installed; include $(SHARE)/nginx/prod.conf in nginx's http block (edit server_name and certificates)"

clean:
	rm -rf build build-asan build-fuzz
