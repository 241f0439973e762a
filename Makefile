.PHONY: install run worker beat test lint check
install: ; bin/setup --dev
run: ; bin/run
worker: ; .venv/bin/celery -A cco worker --loglevel=INFO
beat: ; .venv/bin/celery -A cco beat --loglevel=INFO
test: ; bin/test
lint: ; .venv/bin/ruff check . && .venv/bin/ruff format --check .
check: ; DEBUG=1 .venv/bin/python manage.py check && DEBUG=1 .venv/bin/python manage.py makemigrations --check --dry-run
