# Two commands do all the setup on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA := .demo-data

.PHONY: demo test test-fast bench bench-cold bench-match bench-hostile bench-wording bench-list-wording bench-summary-wording eval-dev eval-public clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot.demo --data-dir $(DEMO_DATA) examples

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.cold

bench-cold: $(STAMP)
	$(BIN)/python -m bench.cold

# Topic questions of the real set asked in other words (bench/wordings.json): recall@5 per
# phrasing group beside the original wording: bench/results/wording.json.
bench-wording: $(STAMP)
	$(BIN)/python -m bench.wording --questions ../shared/eval/real/questions.jsonl \
		--corpus ../shared/eval/real/docs

# List questions of the real set asked in other words (bench/list_wordings.json): recall and
# precision of the whole list per phrasing group: bench/results/list_wording.json.
bench-list-wording: $(STAMP)
	$(BIN)/python -m bench.list_wording --questions ../shared/eval/real/questions.jsonl \
		--corpus ../shared/eval/real/docs

# Summary requests of the real set asked in other words (bench/summary_wordings.json): the share
# that gets the right person's card: bench/results/summary_wording.json.
bench-summary-wording: $(STAMP)
	$(BIN)/python -m bench.summary_wording --questions ../shared/eval/real/questions.jsonl \
		--corpus ../shared/eval/real/docs

# Peak memory and time of reading hostile files (a DOCX zip bomb, a 200-page PDF, the largest
# files still accepted), each in a child process: bench/results/hostile.json.
bench-hostile: $(STAMP)
	$(BIN)/python -m bench.hostile

# Job-description matching and ask latency, warm, on a generated store of SIZE resumes (kept in
# BENCH_DIR, built once by bench.run's ingest stage).
SIZE ?= 10000
BENCH_DIR ?= /tmp/recruit-bench
bench-match: $(STAMP)
	test -d $(BENCH_DIR)/$(SIZE)/data || $(BIN)/python -m bench.run --sizes $(SIZE) --stages ingest \
		--embed-cache --workdir $(BENCH_DIR) --keep --out $(BENCH_DIR)/ingest.json
	$(BIN)/python -m bench.match --data $(BENCH_DIR)/$(SIZE)/data --out bench/results/match-$(SIZE).json

eval-dev: $(STAMP)
	$(BIN)/recruit eval ../shared/eval/dev.jsonl --corpus ../shared/seeds

eval-public: $(STAMP)
	$(BIN)/recruit eval ../shared/eval/public/questions.jsonl --corpus ../shared/eval/public/docs

clean:
	rm -rf $(VENV) $(DEMO_DATA)
