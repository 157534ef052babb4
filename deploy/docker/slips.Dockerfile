# syntax=docker/dockerfile:1
# hoso slips: the one-stop slips, rendered, signed (PAdES) and kept.
# Build from the repository root: docker build -f deploy/docker/slips.Dockerfile -t hoso/slips .
# The build stage is the same in every service's Dockerfile, so the builder's cache shares it.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml requirements.lock ./
COPY shared ./shared
COPY services ./services
RUN pip install --no-cache-dir --disable-pip-version-check --prefix=/install --require-hashes --no-deps \
        -r requirements.lock \
 && pip install --no-cache-dir --disable-pip-version-check --prefix=/install --no-deps .

FROM python:3.11-slim-bookworm
# No secrets here: every setting, secrets included, comes from the environment at run time.
RUN useradd --no-create-home --shell /usr/sbin/nologin --uid 10001 --user-group hoso \
 && mkdir -p /var/lib/hoso-signing && chown 10001:10001 /var/lib/hoso-signing
COPY --from=build /install /usr/local
USER 10001:10001
ENV HOST=0.0.0.0 PORT=8106 PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
EXPOSE 8106
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["python", "-m", "shared.healthcheck"]
# SIGTERM: the service stops gracefully (requests, messages in flight, outboxes) within about 40 s.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "services.slips"]
