# The web and worker image: one image, two commands (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint's libraries and fonts with Chinese glyphs for the PDF summaries;
# curl for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       fonts-noto-cjk fonts-dejavu-core fonts-liberation fontconfig \
       libpango-1.0-0 libpangoft2-1.0-0 libcairo2 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings that load; the key is for this build step only.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-build-key \
    python manage.py collectstatic --noinput -v0

RUN useradd --system --uid 10001 --home /app dialogue \
    && mkdir -p /data/media && chown -R dialogue /data
USER dialogue

EXPOSE 8000
# Threaded workers with keep-alive (gthread, 2 x 4 threads), chosen from
# measurements: see gunicorn.conf.py and README.md ("Performance").
CMD ["gunicorn", "workshop.wsgi", "--config", "gunicorn.conf.py"]
