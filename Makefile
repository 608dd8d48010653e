# The workbook's front door.  `make help` lists the targets.
#
#   make grade [LAB=01] [SRC=DIR | SOLUTIONS=1] [FORMAT=text|json|gradescope|junit] [OUT=FILE]
#   make test

GRADER  := build/grader
CC      ?= gcc
# The grader is held to the standard we ask of students.
GRADER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow \
                 -Wstrict-prototypes -Wmissing-prototypes
GRADER_SRC := $(wildcard grader/*.c)
GRADER_HDR := $(wildcard grader/*.h)

FORMAT  ?= text
grade_flags = $(if $(LAB),--lab $(LAB)) $(if $(SRC),--src $(SRC)) \
              $(if $(filter 1 yes true,$(SOLUTIONS)),--solutions) \
              --format $(FORMAT) $(if $(OUT),--out $(OUT)) \
              $(if $(V),--verbose) $(if $(filter 0 no,$(BENCH)),--no-bench) \
              $(if $(TASK),--task $(TASK))

.PHONY: help deps grade test calibrate repeat clean

help:
	@echo "make grade           grade every lab in labs/ (your working tree)"
	@echo "     LAB=01          ... only lab 01 (a number or a name)"
	@echo "     SRC=DIR         ... student files from DIR, laid out like labs/"
	@echo "     SOLUTIONS=1     ... the reference solutions"
	@echo "     FORMAT=json     ... report as text, json, gradescope or junit"
	@echo "     OUT=FILE        ... and write the report to FILE"
	@echo "     V=1             ... show passing tests and benchmark figures"
	@echo "     BENCH=0         ... skip the benchmarks (quicker feedback)"
	@echo "     TASK=2          ... only task 2 of LAB (its tests, sanitizer reruns, benches)"
	@echo "make test            the workbook's own tests"
	@echo "make calibrate       benchmark verdicts RUNS=10 times under load (LAB=01)"
	@echo "make repeat LAB=03   every known-wrong variant graded RUNS=10 times (VARIANTS=...)"
	@echo "make deps            install missing packages (or print the command)"
	@echo "make clean           remove build/"

deps:
	@sh grader/deps.sh

$(GRADER): $(GRADER_SRC) $(GRADER_HDR)
	@mkdir -p build
	$(CC) $(GRADER_CFLAGS) $(GRADER_SRC) -o $@

grade: deps $(GRADER)
	@$(GRADER) $(grade_flags)

test: deps $(GRADER)
	@bash tests/run.sh

# Not part of `make test`: minutes of benchmarks under load (docs/design.md).
calibrate: deps $(GRADER)
	@python3 tests/calibrate.py $(if $(LAB),--lab $(LAB)) --runs $(or $(RUNS),10)

# Not part of `make test` either: every known-wrong variant of LAB graded
# RUNS times, each run failing exactly as its expect.conf says.
repeat: deps $(GRADER)
	@python3 tests/repeat.py --lab $(LAB) --runs $(or $(RUNS),10) $(VARIANTS)

clean:
	rm -rf build
