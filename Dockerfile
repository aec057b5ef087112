# syntax=docker/dockerfile:1
# One image for the api (gunicorn), the Celery worker and Celery beat; compose.yml picks the
# command. Dependencies come from uv.lock exactly (uv sync --locked), without the dev group.
#
#   docker build -t rota-round .
#   docker run --rm -p 8000:8000 -e SECRET_KEY=... -e ALLOWED_HOSTS=localhost \
#       -e DATABASE_URL=postgres://... -e REDIS_URL=redis://... rota-round

ARG PYTHON_VERSION=3.13
ARG UV_VERSION=0.13.9

FROM ghcr.io/astral-sh/uv:${UV_VERSION} AS uv

# --- build: a virtualenv at /app/.venv holding the site and the four apps ----------------------
FROM python:${PYTHON_VERSION}-slim AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src

# Third-party dependencies first: this layer is rebuilt only when the lock or a pyproject changes.
COPY pyproject.toml uv.lock ./
COPY packages/rota-core/pyproject.toml packages/rota-core/README.md packages/rota-core/
COPY packages/rota-settings/pyproject.toml packages/rota-settings/README.md packages/rota-settings/
COPY packages/rota-scheduling/pyproject.toml packages/rota-scheduling/README.md packages/rota-scheduling/
COPY packages/rota-notifications/pyproject.toml packages/rota-notifications/README.md packages/rota-notifications/
COPY site/pyproject.toml site/README.md site/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --package rota-site --no-install-workspace

# Then the workspace itself, installed as wheels (not editable): the runtime stage needs no source.
COPY packages packages
COPY site site
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --package rota-site --no-editable

# --- runtime: the virtualenv, static files, a non-root user ------------------------------------
FROM python:${PYTHON_VERSION}-slim AS runtime
RUN groupadd --system --gid 10001 rota \
    && useradd --system --uid 10001 --gid rota --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin rota
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=rota_site.settings.production \
    ROTA_VAR_DIR=/app/var \
    STATIC_ROOT=/app/static
WORKDIR /app
COPY --from=build /app/.venv /app/.venv

# Static files (admin, API docs) are collected at build time and served by WhiteNoise from
# STATIC_ROOT. The production settings need a secret, hosts and origins even for
# collectstatic: these placeholders exist only in this build step, never in the image's
# environment.
RUN SECRET_KEY=collectstatic-only-placeholder-never-used-at-run-time-0123456789 \
        ALLOWED_HOSTS=localhost CORS_ALLOWED_ORIGINS= CSRF_TRUSTED_ORIGINS= \
        rota collectstatic --noinput \
    && mkdir -p /app/var \
    && chown rota:rota /app/var

USER rota:rota
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=8)"]

# The api; compose.yml runs `rota migrate` first and overrides this for the worker and beat:
#   celery -A rota_site worker --loglevel INFO --hostname worker@%h
#   celery -A rota_site beat --loglevel INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler --pidfile=
CMD ["gunicorn", "rota_site.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--graceful-timeout", "20"]
