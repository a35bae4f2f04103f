# bm suite: learn a workload's behaviour from kernel events, turn it into
# AppArmor and seccomp confinement.  See README.md.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
COMPDIR	?= $(PREFIX)/share/bash-completion/completions
UNITDIR	?= $(PREFIX)/lib/systemd/system
DOCDIR	?= $(PREFIX)/share/doc/bm-tools
VERSION	 = 0.1.0

CC	?= cc
CFLAGS	?= -O2 -g
PKGS	 = audit zlib
WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_GNU_SOURCE -DBM_VERSION='"$(VERSION)"' $(addprefix -I,$(LAYERS))
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SAN) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Where objects and tools go: build/ and bin/, or build-asan/ for `make asan`.
O	?= build
B	?= bin

TOOLS	 = aa-evtparse bpf-mountwatch bm-merge bm-profile bm-advise bm-diff

# A tool is cmd/TOOL/*.c linked with common/ (as an archive: each tool
# takes only the parts it uses), libaudit and zlib, and LIBS_TOOL.
# common/ is in layers, each using only those before it: the base
# (lines, JSON, output, files, hashing), the behaviour model, learning
# from events (scripts/filegraph.py checks it).
LAYERS	 = common/base common/model common/learn
CJSON	 = $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson) -lm
LIBBPF	 = $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf)
LIBS_bm-merge	 = $(CJSON)
LIBS_bm-profile	 = $(CJSON) -lseccomp
LIBS_bm-diff	 = $(CJSON)
LIBS_bm-advise	 = $(CJSON)
LIBS_bpf-mountwatch = $(LIBBPF)
EXTRA_bm-advise	 = $(O)/cmd/bm-advise/builtin.o	# made below

COMMON	 = $(O)/libcommon.a
objs	 = $(patsubst %.c,$(O)/%.o,$(filter-out %.bpf.c,$(wildcard $(1)/*.c)))

all: $(addprefix $(B)/,$(TOOLS))

define tool
$$(B)/$(1): $$(call objs,cmd/$(1)) $$(EXTRA_$(1)) $$(COMMON)
	@mkdir -p $$(B)
	$$(CC) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS) $$(LIBS_$(1))
endef
$(foreach t,$(TOOLS),$(eval $(call tool,$(t))))

# Each object depends on the headers it includes, as the compiler found.
$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<
-include $(wildcard $(O)/*/*.d $(O)/*/*/*.d)

$(COMMON): $(foreach l,$(LAYERS),$(call objs,$(l)))
	rm -f $@
	$(AR) rcs $@ $^

# bm-advise's built-in catalog, catalog/bm-rules.json, as a C string.
$(O)/cmd/bm-advise/builtin.c: catalog/bm-rules.json
	@mkdir -p $(dir $@)
	{ echo '/* catalog/bm-rules.json */'; \
	  echo 'extern const char builtin_catalog[];'; \
	  echo 'const char builtin_catalog[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; echo ';'; } > $@.tmp
	mv $@.tmp $@

$(O)/cmd/bm-advise/builtin.o: $(O)/cmd/bm-advise/builtin.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The BPF programs (bpf/: FOO.bpf.c, and FOO.h shared with the user
# side), each a CO-RE object and its skeleton in $(O)/bpf/; then
# bpf-mountwatch, their user side.
CLANG	?= clang
BPFTOOL	?= bpftool
BPF_ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MW	 = cmd/bpf-mountwatch

# The running kernel's types, for CO-RE; never committed.
$(O)/vmlinux.h:
	@mkdir -p $(O)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp
	mv $@.tmp $@

$(O)/bpf/%.bpf.o: bpf/%.bpf.c bpf/%.h $(O)/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(BPF_ARCH) \
	    -I$(O) -Ibpf -Wall -c -o $@ $<

$(O)/bpf/%.skel.h: $(O)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp
	mv $@.tmp $@

$(call objs,$(MW)): $(O)/bpf/mountwatch.skel.h
$(call objs,$(MW)): CPPFLAGS += -I$(O)/bpf -Ibpf

# Debian packages the build and the tests need, installed when missing.
deps:
	@scripts/deps.sh

# Every Debian package make check uses is installed by scripts/deps.sh
# (as root; it watches the whole suite).
depcheck:
	scripts/depcheck.sh make check

check: deps
	$(MAKE) all
	scripts/filegraph.py $(O)	# each tool's files call one way
	$(MAKE) test

test:
	BIN=$(CURDIR)/$(B) bats --print-output-on-failure t/

# The same suite on an ASan + UBSan build.
asan: deps
	$(MAKE) O=build-asan B=bin-asan \
	    SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    CFLAGS='-O1 -g' all
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) B=bin-asan test
	$(MAKE) fuzz-smoke

# The same suite with every tool run under valgrind (see t/helpers.bash).
valgrind: deps all
	VALGRIND=1 $(MAKE) test

# Fuzzing with clang's libFuzzer, one harness per input parser (fuzz/):
# the tool's objects, instrumented, without its main.c.  make fuzz runs
# each FUZZ_SECONDS from the seeds (t/data, the shared corpus) and
# fuzz/corpus/ (inputs that once broke something), keeping what it finds
# in build-fuzz/; fuzz-smoke replays fuzz/corpus/ and fuzzes each for a
# few seconds (make asan, so CI).
FUZZ	 = auditlog events model catalog
FUZZ_SECONDS ?= 600
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz_objs_auditlog = $(filter-out %/main.o,$(call objs,cmd/aa-evtparse))
fuzz_objs_model	 = $(filter-out %/main.o,$(call objs,cmd/bm-profile))
fuzz_libs_model	 = -lseccomp
fuzz_objs_catalog = $(filter-out %/main.o,$(call objs,cmd/bm-advise)) \
	    $(EXTRA_bm-advise)

build-fuzz/fuzz-%: fuzz/%.c fuzz/file.c fuzz/fuzz.h FORCE
	clang $(CPPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ \
	    $(filter %.c,$^) $(fuzz_objs_$*) $(COMMON) $(LDLIBS) $(CJSON) \
	    $(fuzz_libs_$*)

fuzz-build: deps
	$(MAKE) O=build-fuzz B=bin-fuzz CC=clang CFLAGS='-O1 -g' \
	    SAN='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' \
	    bin-fuzz/aa-evtparse bin-fuzz/bm-profile bin-fuzz/bm-merge \
	    bin-fuzz/bm-advise
	$(MAKE) O=build-fuzz $(addprefix build-fuzz/fuzz-,$(FUZZ))
FORCE:

fuzz: fuzz-build
	for f in $(FUZZ); do mkdir -p build-fuzz/corpus-$$f; \
	    fuzz/seeds.sh $$f build-fuzz/seeds-$$f; \
	    build-fuzz/fuzz-$$f -max_total_time=$(FUZZ_SECONDS) -timeout=1 \
	        -close_fd_mask=3 -print_final_stats=1 \
	        -artifact_prefix=build-fuzz/$$f- build-fuzz/corpus-$$f \
	        fuzz/corpus/$$f build-fuzz/seeds-$$f || exit 1; \
	done

fuzz-smoke: fuzz-build
	for f in $(FUZZ); do \
	    build-fuzz/fuzz-$$f -runs=0 -close_fd_mask=3 fuzz/corpus/$$f || exit 1; \
	    fuzz/seeds.sh $$f build-fuzz/smoke-$$f; \
	    build-fuzz/fuzz-$$f -max_total_time=12 -timeout=1 -close_fd_mask=3 \
	        -artifact_prefix=build-fuzz/$$f- build-fuzz/smoke-$$f || exit 1; \
	done

demo: deps
	@$(MAKE) -s all
	@scripts/demo.sh

bench: all bench/out/mountload
	@scripts/deps.sh bench
	bench/run.sh
	bench/mountwatch.sh
	bench/merge.sh
	bench/diff.sh
	bench/hostile.sh
	bench/fleet.sh

bench/out/mountload: bench/mountload.c
	@mkdir -p bench/out
	$(CC) -O2 -Wall -Wextra -o $@ bench/mountload.c

# The tools in an image for Kubernetes (deploy/kubernetes), built offline.
image: all
	deploy/kubernetes/image.sh

# Tools, man pages, the catalog, bash completion (one file, under each
# tool's name), the aa-evtparse service and timer (not enabled; the
# service runs the tool from BINDIR), and the docs.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(PREFIX)/share/bm \
	    $(DESTDIR)$(COMPDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(addprefix $(B)/,$(TOOLS)) $(DESTDIR)$(BINDIR)
	install -m 644 catalog/bm-rules.json $(DESTDIR)$(PREFIX)/share/bm
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/*.8) $(DESTDIR)$(MANDIR)/man8
	install -m 644 scripts/bm-tools.bash $(DESTDIR)$(COMPDIR)/aa-evtparse
	for t in $(filter-out aa-evtparse,$(TOOLS)); do \
	    ln -sf aa-evtparse $(DESTDIR)$(COMPDIR)/$$t; done
	sed 's|/usr/local/bin/|$(BINDIR)/|' scripts/aa-evtparse.service \
	    > $(DESTDIR)$(UNITDIR)/aa-evtparse.service
	chmod 644 $(DESTDIR)$(UNITDIR)/aa-evtparse.service
	install -m 644 scripts/aa-evtparse.timer $(DESTDIR)$(UNITDIR)
	install -m 644 README.md $(DESTDIR)$(DOCDIR)
	install -m 644 t/data/sample.log $(DESTDIR)$(DOCDIR)/sample.log

clean:
	rm -rf build build-asan build-fuzz bin bin-asan bin-fuzz

.PHONY: all deps check depcheck test asan valgrind demo bench image install clean fuzz fuzz-build fuzz-smoke
