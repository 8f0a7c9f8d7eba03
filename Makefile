# sluice — one plain Makefile, no recursion, out-of-tree build into build/.
#
#   make            server (build/sluiced) and shell (build/sluice)
#   make run        build, start sluiced on 127.0.0.1:5460 with ./sluice-data, open the shell
#   make test       unit tests, SQL scenario tests, client tests (installs missing packages as root)
#   make asan       the whole suite again under AddressSanitizer + UBSan (build-asan/)
#   make bench      the Nexmark benchmark, side by side with PostgreSQL; writes BENCHMARKS.md
#   make bench-quick  a small run of the same (part of make test: correctness, not speed)
#   make check-includes   module dependency rule (DESIGN §2)
#   make fuzz       libFuzzer on the protocol + session state machine, >= 10^6 runs (build-fuzz/, clang-14)
#   make fuzz-quick the fuzz target's regressions + 20,000 runs (part of make test)
#   make clean

BUILD   ?= build
CC      ?= cc
LEMON   ?= lemon
LEMPAR  ?= /usr/share/lemon/lempar.c
OPT     ?= -O2
SAN     ?=
PG_INC  := $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) $(SAN) -MMD -MP -I. -I$(BUILD) -I$(PG_INC)
LDFLAGS += $(SAN)
LIBS    := -lm -lpthread -lssl -lcrypto -lsqlite3

COMMON_SRC   := $(wildcard common/*.c)
PARSER_SRC   := $(wildcard parser/*.c)
PLANNER_SRC  := $(wildcard planner/*.c)
EXECUTOR_SRC := $(wildcard executor/*.c)
STORAGE_SRC  := $(wildcard storage/*.c)
SERVER_SRC   := $(filter-out server/main.c,$(wildcard server/*.c))
CONNECTORS_SRC := $(wildcard connectors/*.c)
SHELL_SRC    := $(wildcard shell/*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
COMMON_OBJ   := $(call obj,$(COMMON_SRC))
PARSER_OBJ   := $(call obj,$(PARSER_SRC)) $(BUILD)/parser/grammar.o
PLANNER_OBJ  := $(call obj,$(PLANNER_SRC))
EXECUTOR_OBJ := $(call obj,$(EXECUTOR_SRC))
STORAGE_OBJ  := $(call obj,$(STORAGE_SRC))
SERVER_OBJ   := $(call obj,$(SERVER_SRC)) $(call obj,$(CONNECTORS_SRC))
SHELL_OBJ    := $(call obj,$(SHELL_SRC))
ENGINE_OBJ   := $(COMMON_OBJ) $(PARSER_OBJ) $(PLANNER_OBJ) $(EXECUTOR_OBJ) $(STORAGE_OBJ)

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all run test unit sqltest asan check-includes clean deps bench bench-quick bench-tools
.PHONY: fuzz fuzz-quick fuzz-build
all: $(BUILD)/sluiced $(BUILD)/sluice

deps:
	@sh tools/install-deps.sh

$(BUILD)/parser/grammar.c $(BUILD)/parser/grammar.h: parser/grammar.y
	@mkdir -p $(BUILD)/parser
	$(LEMON) -q -T$(LEMPAR) -d$(BUILD)/parser parser/grammar.y

# everything in parser/ may include the generated token codes
$(call obj,$(PARSER_SRC)): $(BUILD)/parser/grammar.h

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/parser/grammar.o: $(BUILD)/parser/grammar.c
	$(CC) $(CFLAGS) -Wno-unused-parameter -Wno-unused-variable -c $< -o $@

$(BUILD)/sluiced: $(BUILD)/server/main.o $(SERVER_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lpq $(LIBS)

$(BUILD)/sluice: $(SHELL_OBJ) $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lpq -lreadline $(LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(SERVER_OBJ) $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(filter %.o,$^) -lcmocka -lpq $(LIBS)

# ---------------------------------------------------------------- benchmark (bench/)
BENCH_TOOLS := $(BUILD)/nexmark $(BUILD)/limit $(BUILD)/engine_bench $(BUILD)/latency

$(BUILD)/nexmark: $(BUILD)/bench/nexmark.o $(BUILD)/bench/nexmark_gen.o $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lpq $(LIBS)

$(BUILD)/limit: $(BUILD)/bench/limit.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/engine_bench: $(BUILD)/bench/engine.o $(BUILD)/bench/nexmark_gen.o $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/latency: $(BUILD)/bench/latency.o $(COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lpq $(LIBS)

bench-tools: all $(BENCH_TOOLS)

bench: bench-tools
	@bash bench/run.sh $(BUILD)

bench-quick: bench-tools
	@bash bench/run.sh --quick $(BUILD)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

sqltest: bench-tools
	@bash tests/run_tests.sh $(BUILD)

test: deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory sqltest
	@$(MAKE) --no-print-directory bench-quick
	@$(MAKE) --no-print-directory fuzz-quick
	@$(MAKE) --no-print-directory asan

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" bench-tools unit
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 bash tests/run_tests.sh build-asan

# ---------------------------------------------------------------- fuzzing (fuzz/)
FUZZ_BUILD ?= build-fuzz
FUZZ_CC    ?= clang-14
FUZZ_SAN   := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
FUZZ_RUNS  ?= 1000000

$(BUILD)/fuzz_session: $(BUILD)/fuzz/fuzz_session.o $(SERVER_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ -lpq $(LIBS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT=-O1 SAN="$(FUZZ_SAN)" \
	    $(FUZZ_BUILD)/fuzz_session

fuzz: fuzz-build
	@bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_RUNS)

fuzz-quick: fuzz-build
	@FUZZ_SEED=$${FUZZ_SEED:-1} bash fuzz/run.sh $(FUZZ_BUILD) 20000

run: deps all
	@bash tools/run.sh $(BUILD)

check-includes:
	@! grep -ln '"parser/' executor/*.c executor/*.h 2>/dev/null | grep . && \
	 ! grep -ln '"\(planner\|executor\|server\|storage\|connectors\)/' parser/*.[ch] | grep . && \
	 ! grep -ln '"\(executor\|server\|storage\|connectors\)/' planner/*.[ch] | grep . && \
	 ! grep -ln '"\(parser\|planner\|executor\|server\)/' shell/*.[ch] | grep . && \
	 ! grep -ln '"\(parser\|server\|storage\)/' connectors/*.[ch] | grep . && \
	 echo "include rules hold"

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
