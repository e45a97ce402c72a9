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
#   make install    into $(DESTDIR)$(PREFIX) (PREFIX=/usr: as a distribution does)
#   make deb        dist/tambuli_VERSION_ARCH.deb (debhelper)
#   make man-lint   the man pages through mandoc -Tlint
#   make clean

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
# systemd and udev read /usr/lib for the distribution, /etc for the
# administrator (a /usr/local install); sysusers.d and modules-load.d are
# read under both
ifeq ($(PREFIX),/usr)
UNITDIR	?= /usr/lib/systemd/system
UDEVDIR	?= /usr/lib/udev/rules.d
else
UNITDIR	?= /etc/systemd/system
UDEVDIR	?= /etc/udev/rules.d
endif
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
# the one place the version is written: the top entry of debian/changelog
VERSION	:= $(shell head -n 1 debian/changelog | cut -d '(' -f 2 | cut -d ')' -f 1)
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
DEFS	= -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 \
	  -DTAMBULI_VERSION=\"$(VERSION)\"
PKGS	= libevent_core sqlite3 libserialport libsodium
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
	modem/nettime.c \
	modem/pdu.c \
	modem/phone.c \
	modem/plan.c \
	modem/translit.c \
	modem/ussd.c \
	modem/utf8.c

# Pure cores of the daemon, shared with the CLI.
GATEWAY_CORE_SRCS = \
	gateway/amount.c \
	gateway/conf.c \
	gateway/conf_file.c \
	gateway/ctl_proto.c \
	gateway/keyword.c \
	gateway/orgcmd.c \
	gateway/orgmask.c

DB_SRCS = \
	db/backup.c \
	db/balance.c \
	db/db.c \
	db/forget.c \
	db/inbox.c \
	db/mark.c \
	db/organizer.c \
	db/outbox.c \
	db/poll.c \
	db/retain.c \
	db/subscriber.c \
	db/wipe.c

SUPPORT_SRCS = \
	gateway/compat.c \
	gateway/log.c \
	gateway/xmalloc.c

# The modem driver and the serial transport (libevent, libserialport).
MODEM_SRCS = \
	modem/modem.c \
	modem/modem_clock.c \
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
	gateway/credit.c \
	gateway/ctl.c \
	gateway/dbfile.c \
	gateway/inbound.c \
	gateway/netclock.c \
	gateway/notify.c \
	gateway/organizer.c \
	gateway/priv.c \
	gateway/purge.c \
	gateway/reply.c \
	gateway/sched.c \
	gateway/send.c \
	gateway/tambulid.c \
	gateway/tell.c

CLI_SRCS = \
	tools/cli.c \
	tools/client.c \
	tools/cmd.c \
	tools/cmd_admin.c \
	tools/cmd_send.c \
	tools/cmd_status.c \
	tools/cmd_modem.c \
	tools/cmd_pdu.c \
	tools/cmd_sub.c \
	tools/cmd_org.c \
	tools/cmd_inbox.c \
	tools/json.c \
	tools/tambuli.c

SIM_SRCS = \
	tools/modemsim.c \
	tools/sim_at.c \
	tools/sim_clock.c \
	tools/sim_ctl.c \
	tools/sim_pty.c \
	tools/sim_sms.c \
	tools/sim_ussd.c \
	tools/json.c

UNIT_TESTS = amount at_error at_lexer at_resp conf ctl_proto db gsm7 keyword \
	     nettime orgcmd orgmask pdu \
	     phone plan serial_list translit ussd utf8
FUZZ_TARGETS = at_lexer conf ctl_proto keyword nettime orgcmd orgmask \
	       pdu_decode plan \
	       ussd modem

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
	fuzz bench debug install deb man-lint clean cross cross-check
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
	$(CC) $(ALL_CFLAGS) -pthread -o $@ $(DAEMON_OBJS) $(LIB) $(LDFLAGS) \
	    $(PKG_LIBS)

$(BIN_OUT)/san/tambulid: $(DAEMON_SRCS:%.c=$(B)/san/%.o) $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -pthread -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

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

# a stand-in for systemd's notification socket (tests/regress/notify.sh)
bin/notify_recv: $(B)/tests/notify_recv.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS)

# the version is compiled in
$(B)/tools/cmd.o $(B)/san/tools/cmd.o $(B)/gateway/tambulid.o \
    $(B)/san/gateway/tambulid.o: debian/changelog

$(BIN_OUT)/test_%: $(B)/tests/unit/test_%.o $(B)/tests/tt.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/test_%: $(B)/san/tests/unit/test_%.o $(B)/san/tests/tt.o $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/san/replay_%: $(B)/san/tests/fuzz/fuzz_%.o $(B)/san/tests/fuzz/replay.o $(SANLIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

# a test-only LD_PRELOAD shim: writes to one database fail with ENOSPC
# while a flag file exists (tests/regress/inbound.sh); it defines both
# pwrite and pwrite64, so it is built without _FILE_OFFSET_BITS=64
bin/enospc.so: tests/shim/enospc.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -D_FILE_OFFSET_BITS=64,$(ALL_CFLAGS)) -fPIC -shared \
	    -o $@ $< -ldl

# a test-only LD_PRELOAD shim: the wall clock shifted by
# TAMBULI_TEST_CLOCK_SHIFT seconds (tests/regress/retention.sh), or by
# the number in the file TAMBULI_TEST_CLOCK_FILE, read on every call
# (tests/regress/clockstep.sh); the monotonic clock is left alone
bin/clockshift.so: tests/shim/clock.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -D_FILE_OFFSET_BITS=64,$(ALL_CFLAGS)) -fPIC -shared \
	    -o $@ $< -ldl

# a test-only LD_PRELOAD shim: open() of one serial port fails with EBUSY,
# as when another program holds it with TIOCEXCL
# (tests/regress/modem_cli.sh); it defines both open and open64
bin/ebusy.so: tests/shim/ebusy.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -D_FILE_OFFSET_BITS=64,$(ALL_CFLAGS)) -fPIC -shared \
	    -o $@ $< -ldl

# a test-only LD_PRELOAD shim: organizer PIN checks wait while a flag file
# exists (tests/regress/orgflood.sh)
bin/pingate.so: tests/shim/pingate.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -ldl

# a test-only helper of tests/regress/dblife.sh (pages, foreign commits)
bin/dbpage: $(B)/tests/dbpage.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BIN_OUT)/bench_codec: $(B)/tests/bench/bench_codec.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

# test-only tools the end-to-end scripts use
TEST_TOOLS = bin/ctlhold bin/notify_recv bin/enospc.so bin/dbpage \
	bin/clockshift.so bin/pingate.so bin/ebusy.so

bin/ctlhold: $(B)/tests/ctlhold.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS)

$(BIN_OUT)/bench_fill: $(B)/tests/bench/bench_fill.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

unit: deps $(UNIT_BINS)
	@tests/run.sh unit

sanitize: deps $(SAN_BINS)
	@tests/run.sh sanitize

replay: deps $(REPLAY_BINS)
	@tests/run.sh replay

regress: deps all $(TEST_TOOLS)
	@tests/run.sh regress

sanitize-regress: deps $(SAN_PROGS) $(TEST_TOOLS)
	@tests/run.sh regress-san

check: deps all $(TEST_TOOLS) $(UNIT_BINS) $(SAN_BINS) $(REPLAY_BINS) $(SAN_PROGS)
	@tools/deps.sh check
	@tests/run.sh all

demo: deps all
	@tools/demo.sh

bench: all $(BIN_OUT)/bench_fill
bench: deps $(BIN_OUT)/bench_codec
	$(BIN_OUT)/bench_codec
	sh tests/bench/bench_gateway.sh
	sh tests/bench/bench_retain.sh

# libFuzzer needs clang; objects are compiled straight from the sources.
FUZZ_CC	?= clang
FUZZ_FLAGS = $(STD) $(INCS) $(DEFS) -g -O1 \
	     -fsanitize=fuzzer,address,undefined
$(BIN_OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CODEC_SRCS) $(GATEWAY_CORE_SRCS) \
    gateway/compat.c gateway/xmalloc.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^

# the driver's harness needs the driver, libevent and the serial port
$(BIN_OUT)/fuzz/fuzz_modem: tests/fuzz/fuzz_modem.c $(CODEC_SRCS) \
    $(SUPPORT_SRCS) $(MODEM_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

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

debug:
	$(MAKE) OPT=-O0 DEBUG=-g3

# Cross-build for a Raspberry Pi (Debian 12 / Raspberry Pi OS): the Debian
# cross compiler, the ARM libevent, sqlite3, libserialport and libsodium
# from a private sysroot (tools/deps.sh), objects
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

cross-check: cross $(TEST_TOOLS)
	@tests/run.sh cross $(ARCH)

# The layout a distribution expects (PREFIX=/usr) or, by default, the
# administrator's /usr/local.  An existing configuration file is never
# overwritten.  The packaging sources are in tools/dist/ and the man pages
# in tools/man/ (the top level holds only the fixed directories, and
# debian/, which dpkg-buildpackage requires there).
MAN1	= tools/man/tambuli.1 tools/man/modemsim.1
MAN5	= tools/man/tambuli.conf.5
MAN8	= tools/man/tambulid.8

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(UDEVDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(MODULESLOADDIR) $(DESTDIR)$(SYSCONFDIR)/tambuli
	install -m 755 $(BIN_OUT)/tambulid $(DESTDIR)$(SBINDIR)/tambulid
	install -m 755 $(BIN_OUT)/tambuli $(DESTDIR)$(BINDIR)/tambuli
	install -m 755 $(BIN_OUT)/modemsim $(DESTDIR)$(BINDIR)/modemsim
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	sed 's|@SBINDIR@|$(SBINDIR)|g' tools/dist/tambulid.service.in \
	    >$(DESTDIR)$(UNITDIR)/tambulid.service
	chmod 644 $(DESTDIR)$(UNITDIR)/tambulid.service
	install -m 644 tools/dist/70-tambuli-modems.rules $(DESTDIR)$(UDEVDIR)/
	install -m 644 tools/dist/tambuli.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/tambuli.conf
	install -m 644 tools/dist/tambuli.modules-load \
	    $(DESTDIR)$(MODULESLOADDIR)/tambuli.conf
	test -e $(DESTDIR)$(SYSCONFDIR)/tambuli/tambuli.conf || \
	    install -m 644 tools/dist/tambuli.conf \
	    $(DESTDIR)$(SYSCONFDIR)/tambuli/tambuli.conf
	@test -n "$(DESTDIR)" || echo "next: sudo systemd-sysusers &&" \
	    "sudo systemctl daemon-reload && sudo udevadm control --reload" \
	    "&& sudo systemctl restart systemd-modules-load"

# every man page through mandoc's checker (installed like make check's
# dependencies, or the command printed), style messages too: all but
# what depends on the manuals installed here (a page another one refers
# to not installed yet, an outdated mandoc.db) must be fixed
man-lint:
	@tools/deps.sh man
	@out=$$(mandoc -Tlint -W style $(MAN1) $(MAN5) $(MAN8) 2>&1 | \
	    grep -v -e 'referenced manual not found' -e 'mandoc\.db'); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

# dist/tambuli_VERSION_ARCH.deb, built by debhelper from debian/ (its
# build dependencies are installed like make check's, or printed)
deb:
	@tools/deps.sh deb
	rm -rf $(B)/deb
	mkdir -p $(B)/deb/tambuli-$(VERSION) dist
	# a copy of the sources: the build never touches this tree
	tar cf - --exclude=./.git --exclude=./$(B) --exclude=./bin \
	    --exclude=./dist . | tar xf - -C $(B)/deb/tambuli-$(VERSION)
	cd $(B)/deb/tambuli-$(VERSION) && dpkg-buildpackage -b -us -uc
	mv $(B)/deb/tambuli_$(VERSION)_*.deb dist/
	@ls dist/tambuli_$(VERSION)_*.deb

clean:
	rm -rf $(B) bin

# (not the copy make deb builds in)
-include $(shell find $(B) -path $(B)/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
