# The two commands that do everything on a fresh Debian 12 machine:
#   make demo   install, build, run the default matrix, write the report
#   make test   install, build, run every test
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: demo test build deps configure clean fuzz

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS) -- --no-print-directory

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

# libFuzzer targets (tests/fuzz), each run for FUZZ_SECONDS from its seed corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	@scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz reports/out
