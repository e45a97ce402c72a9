# Makefile — tambuli, an offline-first SMS alert gateway.
#
#   make            build bin/tambuli (and the tools)
#   make demo       the whole system against the simulated modem
#   make check      build and run every test (unit, sanitizers, fuzz corpus,
#                   end-to-end against modemsim, the demo)
#   make unit       unit tests only
#   make sanitize   unit tests under AddressSanitizer + UBSan
#   make fuzz       libFuzzer targets (clang), FUZZ_TIME seconds each
#   make bench      measured figures (not pass/fail)
#   make cross-check ARCH=armhf|arm64
#                   cross-build into build/ARCH and bin/ARCH, run the unit
#                   tests and the end-to-end suite under qemu-user
#   make debug      -O0 -g3 build
#   make install    into $(DESTDIR)$(PREFIX)
#   make clean

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
CC	?= cc
OPT	?= -O2
DEBUG	?= -g
# warnings are errors only when asked for: CI runs "make check WERROR=-Werror"
WERROR	?=
FUZZ_TIME ?= 60

STD	= -std=c11
WARN	= -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	  -Wshadow -Wwrite-strings -Wpointer-arith -Wundef -Wvla \
	  -Wno-missing-field-initializers
INCS	= -Imodem -Igateway -Idb -Itools -Itests
DEFS	= -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64
PKGS	= libevent_core sqlite3 libserialport
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# On a 32-bit system whose libraries use a 64-bit time_t (Debian 13's armhf;
# Debian 12's use a 32-bit one), libevent's struct timeval has a 64-bit
# tv_sec: ours must too.  Read from libevent's event-config.h.
TIME_SIZES = $(shell echo 'EVENT__SIZEOF_TIME_T __SIZEOF_LONG__' | \
	     $(CC) $(PKG_CFLAGS) -include event2/event-config.h -E -P -x c - \
	     2>/dev/null | tail -n 1)
TIME_DEFS = $(if $(and $(filter 8,$(word 1,$(TIME_SIZES))),$\
	    $(filter 4,$(word 2,$(TIME_SIZES)))),-D_TIME_BITS=64)

ALL_CFLAGS = $(STD) $(WARN) $(WERROR) $(OPT) $(DEBUG) $(INCS) $(DEFS) \
	     $(TIME_DEFS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
SAN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined

# The pure cores: bytes in, typed results out.
CODEC_SRCS = \
	modem/at_error.c \
	modem/at_lexer.c \
	modem/at_resp.c \
	modem/gsm7.c \
	modem/pdu.c \
	modem/phone.c \
	modem/plan.c \
	modem/translit.c \
	modem/ussd.c \
	modem/utf8.c

# Pure cores of the daemon, shared with the CLI.
GATEWAY_CORE_SRCS = \
	gateway/conf.c \
	gateway/conf_file.c \
	gateway/ctl_proto.c \
	gateway/keyword.c

DB_SRCS = \
	db/db.c \
	db/inbox.c \
	db/outbox.c \
	db/subscriber.c

SUPPORT_SRCS = \
	gateway/compat.c \
	gateway/log.c \
	gateway/xmalloc.c

# The modem driver and the serial transport (libevent, libserialport).
MODEM_SRCS = \
	modem/modem.c \
	modem/modem_hunt.c \
	modem/modem_init.c \
	modem/modem_quirks.c \
	modem/modem_sms.c \
	modem/modem_ussd.c \
	modem/serial.c \
	modem/serial_list.c \
	modem/serial_sp.c \
	modem/serial_tty.c

LIB_SRCS = $(CODEC_SRCS) $(GATEWAY_CORE_SRCS) $(DB_SRCS) $(SUPPORT_SRCS) \
	   $(MODEM_SRCS)

DAEMON_SRCS = \
	gateway/ctl.c \
	gateway/inbound.c \
	gateway/reply.c \
	gateway/sched.c \
	gateway/send.c \
	gateway/tambulid.c

CLI_SRCS = \
	tools/cli.c \
	tools/client.c \
	tools/cmd.c \
	tools/cmd_send.c \
	tools/cmd_status.c \
	tools/cmd_modem.c \
	tools/cmd_pdu.c \
	tools/cmd_sub.c \
	tools/cmd_inbox.c \
	tools/json.c \
	tools/tambuli.c

SIM_SRCS = \
	tools/modemsim.c \
	tools/sim_at.c \
	tools/sim_ctl.c \
	tools/sim_pty.c \
	tools/sim_sms.c \
	tools/sim_ussd.c \
	tools/json.c

UNIT_TESTS = at_error at_lexer at_resp conf ctl_proto db gsm7 keyword pdu \
	     phone plan translit ussd utf8
FUZZ_TARGETS = at_lexer conf ctl_proto keyword pdu_decode plan ussd

# objects in $(B), programs in $(BIN_OUT) (cross-check uses build/ARCH, bin/ARCH)
B	= build
BIN_OUT	= bin
LIB	= $(B)/libtambuli.a
SANLIB	= $(B)/san/libtambuli.a
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/%.o)
SAN_OBJS = $(LIB_SRCS:%.c=$(B)/san/%.o)
CLI_OBJS = $(CLI_SRCS:%.c=$(B)/%.o)
SIM_OBJS = $(SIM_SRCS:%.c=$(B)/%.o)
DAEMON_OBJS = $(DAEMON_SRCS:%.c=$(B)/%.o)
# the programs again, with AddressSanitizer + UBSan, for the regress suite
SAN_PROGS = $(BIN_OUT)/san/tambulid $(BIN_OUT)/san/tambuli \
	    $(BIN_OUT)/san/modemsim $(BIN_OUT)/san/atchat
UNIT_BINS = $(UNIT_TESTS:%=$(BIN_OUT)/test_%)
SAN_BINS = $(UNIT_TESTS:%=$(BIN_OUT)/san/test_%)
REPLAY_BINS = $(FUZZ_TARGETS:%=$(BIN_OUT)/san/replay_%)
FUZZ_BINS = $(FUZZ_TARGETS:%=$(BIN_OUT)/fuzz/fuzz_%)

.PHONY: all deps demo check unit sanitize replay regress sanitize-regress \
	fuzz bench debug install clean cross cross-check
# keep the objects of pattern rules (and keep make quiet after the tests)
.SECONDARY:
.DEFAULT_GOAL := all

all: deps $(BIN_OUT)/tambulid $(BIN_OUT)/tambuli $(BIN_OUT)/modemsim \
    $(BIN_OUT)/atchat

deps:
	@tools/deps.sh build

$(BIN_OUT)/tambuli: $(CLI_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/tambulid: $(DAEMON_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(DAEMON_OBJS) $(LIB) $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/tambulid: $(DAEMON_SRCS:%.c=$(B)/san/%.o) $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/tambuli: $(CLI_SRCS:%.c=$(B)/san/%.o) $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/modemsim: $(SIM_SRCS:%.c=$(B)/san/%.o) $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS) -lutil

$(BIN_OUT)/san/atchat: $(B)/san/tools/atchat.o $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS)

$(BIN_OUT)/modemsim: $(SIM_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(SIM_OBJS) $(LIB) $(LDFLAGS) $(PKG_LIBS) -lutil

$(BIN_OUT)/atchat: $(B)/tools/atchat.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(SANLIB): $(SAN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

$(BIN_OUT)/test_%: $(B)/tests/unit/test_%.o $(B)/tests/tt.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/test_%: $(B)/san/tests/unit/test_%.o $(B)/san/tests/tt.o $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/replay_%: $(B)/san/tests/fuzz/fuzz_%.o $(B)/san/tests/fuzz/replay.o $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/bench_codec: $(B)/tests/bench/bench_codec.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/bench_fill: $(B)/tests/bench/bench_fill.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

unit: deps $(UNIT_BINS)
	@tests/run.sh unit

sanitize: deps $(SAN_BINS)
	@tests/run.sh sanitize

replay: deps $(REPLAY_BINS)
	@tests/run.sh replay

regress: deps all
	@tests/run.sh regress

sanitize-regress: deps $(SAN_PROGS)
	@tests/run.sh regress-san

check: deps all $(UNIT_BINS) $(SAN_BINS) $(REPLAY_BINS) $(SAN_PROGS)
	@tests/run.sh all

demo: deps all
	@tools/demo.sh

bench: all $(BIN_OUT)/bench_fill
bench: deps $(BIN_OUT)/bench_codec
	$(BIN_OUT)/bench_codec
	sh tests/bench/bench_gateway.sh

# libFuzzer needs clang; objects are compiled straight from the sources.
FUZZ_CC	?= clang
FUZZ_FLAGS = $(STD) $(INCS) $(DEFS) -g -O1 \
	     -fsanitize=fuzzer,address,undefined
$(BIN_OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CODEC_SRCS) $(GATEWAY_CORE_SRCS) \
    gateway/compat.c gateway/xmalloc.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^

fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(B)/fuzz-corpus/$$t; \
		echo "fuzz: $$t for $(FUZZ_TIME)s"; \
		$(BIN_OUT)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) \
		    -max_len=$$(cat tests/fuzz/$$t.max_len 2>/dev/null || echo 512) \
		    $$(test -f tests/fuzz/$$t.dict && echo -dict=tests/fuzz/$$t.dict) \
		    -artifact_prefix=tests/fuzz/ \
		    $(B)/fuzz-corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# Cross-build for a Raspberry Pi (Debian 12 / Raspberry Pi OS): the Debian
# cross compiler, the ARM sqlite3 and libserialport from the multiarch
# packages, the ARM libevent from a private sysroot (tools/deps.sh), objects
# and programs apart from the native build.  cross-check runs the unit tests
# and the end-to-end suite under qemu-user.
ARCH	?= armhf
CROSS_TRIPLET_armhf = arm-linux-gnueabihf
CROSS_TRIPLET_arm64 = aarch64-linux-gnu
CROSS	= $(CROSS_TRIPLET_$(ARCH))
CROSS_SYSROOT = $(CURDIR)/build/sysroot-$(ARCH)
CROSS_PC = $(CROSS_SYSROOT)/usr/lib/$(CROSS)/pkgconfig:/usr/lib/$(CROSS)/pkgconfig
CROSS_PC := $(CROSS_PC):/usr/share/pkgconfig
CROSS_PROGS = tambulid tambuli modemsim atchat $(UNIT_TESTS:%=test_%)

cross:
	@test -n "$(CROSS)" || { echo "ARCH must be armhf or arm64" >&2; exit 2; }
	@tools/deps.sh cross $(ARCH)
	PKG_CONFIG_LIBDIR=$(CROSS_PC) $(MAKE) --no-print-directory \
	    CC=$(CROSS)-gcc AR=$(CROSS)-ar B=build/$(ARCH) BIN_OUT=bin/$(ARCH) \
	    $(CROSS_PROGS:%=bin/$(ARCH)/%)

cross-check: cross
	@tests/run.sh cross $(ARCH)

debug:
	$(MAKE) OPT=-O0 DEBUG=-g3

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BIN_OUT)/tambulid $(DESTDIR)$(BINDIR)/tambulid
	install -m 755 $(BIN_OUT)/tambuli $(DESTDIR)$(BINDIR)/tambuli
	install -m 755 $(BIN_OUT)/modemsim $(DESTDIR)$(BINDIR)/modemsim

clean:
	rm -rf $(B) $(BIN_OUT)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
