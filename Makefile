# Two commands: `make run` (set up, load sample data if needed, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
PORT ?= 8501
# Only this machine by default; `make run HOST=0.0.0.0` serves the network (behind a proxy, see docs).
HOST ?= 127.0.0.1

.PHONY: run test lint setup setup-dev browser-deps proxy-deps sample-data bench clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# Creates/upgrades the schema; fills the embedded SQLite database with the sample city when empty.
sample-data: $(VENV)/.runtime
	$(PY) -m sample_data.ensure

run: sample-data
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.address $(HOST)

# Browser tests need Debian's Chromium and a CJK font; installed here when running as root.
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium and fonts-noto-cjk (apt-get)"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null \
		|| (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null); \
	else \
		echo "Browser tests need: apt-get install -y chromium fonts-noto-cjk (run as root), they will be skipped."; \
	fi

# The proxy test (tests/test_deploy_proxy.py) runs Debian's nginx in the foreground with a
# config of its own; installed here when running as root. Only the binary is needed: the
# system service the package starts is stopped and disabled again.
proxy-deps:
	@if [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing nginx (apt-get); its system service is left stopped and disabled"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null \
		|| (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null); \
		if [ -d /run/systemd/system ]; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi; \
	else \
		echo "The proxy test needs: apt-get install -y nginx (run as root); it will be skipped."; \
	fi

# Two workers (the machine's two cores); a test file stays on one worker, so the dashboard
# servers and browsers its module fixtures start are shared by its tests as before. The 15
# slowest tests are listed at the end, to keep the suite under 15 minutes.
test: lint browser-deps proxy-deps
	$(PY) -m pytest -n 2 --dist loadfile --durations=15

# Part of `make test` (so CI runs it): lint and format are checked before the suite starts.
lint: $(VENV)/.dev
	$(RUFF) check .
	$(RUFF) format --check .

bench: $(VENV)/.dev
	$(PY) bench/queries.py --scale city

clean:
	rm -rf $(VENV) data test-artifacts
