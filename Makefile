# The two commands a new user needs: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export YIWANG_DEBUG ?= 1

.PHONY: demo totp test venv lint bench-search bench-seals bench-pii bench-cases bench-hall bench-evaluation clean

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

## Install, create the database, load the demo province and start the site.
demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py rebuild_search_index
	@echo ""
	@echo "================================================================"
	@echo " 一网通办演示站点: http://$(HOST):$(PORT)/"
	@echo " 接口文档:         http://$(HOST):$(PORT)/api/docs"
	@echo " 工作台:           http://$(HOST):$(PORT)/workbench/"
	@$(PY) manage.py load_demo --print-logins
	@echo " 按 Ctrl+C 停止"
	@echo "================================================================"
	@trap 'kill 0' EXIT; \
	$(PY) manage.py db_worker --no-reload >var/worker.log 2>&1 & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## The demo staff accounts' current TOTP code (development mode, like `make demo`).
totp:
	@$(PY) manage.py demo_totp

## Lint, then the whole suite on SQLite, and on PostgreSQL and MariaDB when they answer.
test: venv
	$(PY) scripts/testmatrix.py

lint: venv
	$(VENV)/bin/ruff check .

bench-search: venv
	$(PY) bench/search.py

bench-seals: venv
	$(PY) bench/seals.py

bench-pii: venv
	$(PY) bench/pii.py

bench-cases: venv
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) bench/cases.py

## 排队叫号: a simulated hall day on PostgreSQL (20 windows, 3,000 tickets, 20 clerks at once).
bench-hall: venv
	$(PY) bench/hall.py

## 好差评公示: 1,000,000 ratings on PostgreSQL; the monthly aggregation and the statistics page.
bench-evaluation: venv
	$(PY) bench/evaluation.py

clean:
	rm -rf $(VENV) var staticfiles
