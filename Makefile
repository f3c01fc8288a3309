# casus — build.  `make` builds build/release/casus; `make BUILD=asan` the
# ASan+UBSan variant; `make test` runs every test (see tests/run.sh).
# Variants: release (default), debug, asan, coverage.  Objects go to build/$(BUILD).

BUILD  ?= release
CC     ?= cc
O      := build/$(BUILD)
# `make MPI=1`: Open MPI build (mpicc) in build/$(BUILD)-mpi; `mpirun -n K casus sensitivity`.
ifeq ($(MPI),1)
  CC   := mpicc
  O    := build/$(BUILD)-mpi
  MPIFLAGS := -DCASUS_MPI
endif

WARN   := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wwrite-strings -Wundef -Wvla -Wformat=2 \
          -Werror
BASE   := -D_POSIX_C_SOURCE=200809L -ffp-contract=off -fvisibility=hidden \
          -Iinclude -Isrc -MMD -MP

ifeq ($(BUILD),release)
  OPT := -O2 -g -DNDEBUG
else ifeq ($(BUILD),debug)
  OPT := -O0 -g -DCASUS_DEBUG
else ifeq ($(BUILD),asan)
  OPT := -O1 -g -DCASUS_DEBUG -fsanitize=address,undefined -fno-sanitize-recover=all \
         -fno-omit-frame-pointer
  LDOPT := -fsanitize=address,undefined
else ifeq ($(BUILD),fuzz)
  OPT := -O1 -g -DCASUS_DEBUG -fsanitize=address,undefined,fuzzer-no-link \
         -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDOPT := -fsanitize=address,undefined
else ifeq ($(BUILD),coverage)
  OPT := -O0 -g --coverage
  LDOPT := --coverage
else
  $(error unknown BUILD '$(BUILD)': use release, debug, asan or coverage)
endif

CFLAGS  ?=
LDFLAGS ?=
ALL_CFLAGS  := $(WARN) $(BASE) $(OPT) $(MPIFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(LDOPT) $(LDFLAGS)
LIBS        := -lgmp -lm -lpthread

LIB_SRC   := $(wildcard src/*/*.c)
LIB_ASM   := $(wildcard src/*/*.S)
CLI_SRC   := $(wildcard cli/*.c)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
BENCH_SRC := $(wildcard bench/bench_*.c)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)

LIB_OBJ   := $(LIB_SRC:%.c=$(O)/%.o) $(LIB_ASM:%.S=$(O)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(O)/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(O)/bench/%)
REPLAY_BIN := $(FUZZ_SRC:fuzz/fuzz_%.c=$(O)/fuzz/replay_%)

# Data compiled into the library (see src/base/embed.S): world facts first (the
# actors of data/world.casus before the names they go by), then treaties, then
# the gazetteer, the shipped scenarios, the evidence datasets and the shipped
# fits (read when a query names them); and the geography blob.
PACK_FILES := data/world.casus $(sort $(filter-out data/world.casus,$(wildcard data/*.casus))) \
              $(sort $(wildcard treaties/*.casus)) data/gazetteer.csv \
              $(sort $(wildcard scenarios/*.casus)) $(sort $(wildcard data/evidence/*.csv)) \
              $(sort $(wildcard data/fits/*.json))

.PHONY: all lib cli units benches replays test clean fuzz
all: $(O)/casus $(UNIT_BIN) $(REPLAY_BIN)
replays: $(REPLAY_BIN)
lib: $(O)/libcasus.a
cli: $(O)/casus
units: $(UNIT_BIN)
benches: $(BENCH_BIN)

$(O)/libcasus.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(O)/casus: $(CLI_OBJ) $(O)/libcasus.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(O)/libcasus.a $(LIBS)

$(O)/tests/%: tests/unit/%.c tests/unit/harness.h $(O)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(O)/libcasus.a $(LIBS)

$(O)/bench/%: bench/%.c $(O)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(O)/libcasus.a $(LIBS)

# Fuzz targets linked with a plain driver that replays corpus files, so
# every test run (and the ASan build) replays the committed corpora.
$(O)/fuzz/replay_csv: fuzz/fuzz_csv.c fuzz/replay.c cli/csv.c cli/text.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/fuzz/replay_cli: fuzz/fuzz_cli.c fuzz/replay.c cli/text.c cli/value.c $(O)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.c,$^) $(O)/libcasus.a $(LIBS)

$(O)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(O)/libcasus.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(O)/libcasus.a $(LIBS)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/builtin.pack: $(PACK_FILES) tools/mkpack.sh
	@mkdir -p $(@D)
	sh tools/mkpack.sh $@ $(PACK_FILES)

$(O)/src/base/embed.o: src/base/embed.S $(O)/builtin.pack data/geo/world.bin
	@mkdir -p $(@D)
	$(CC) -c -I$(O) -Idata/geo -o $@ $<

test:
	bash tests/run.sh

fuzz:
	bash fuzz/build.sh

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
