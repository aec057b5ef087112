-- Rota Round: first-start script of the PostgreSQL container.
--
-- compose.yml mounts ./init at /docker-entrypoint-initdb.d. The image runs these files once,
-- when the data volume is empty, with psql as POSTGRES_USER (rota_user) connected to
-- POSTGRES_DB (rota_round); both are created by the image from the environment, not here.
-- To run it again: `docker compose down -v` (destroys the data), then `docker compose up -d`.
-- The Django migrations create every table; nothing here is needed by them.

\set ON_ERROR_STOP on

-- Extensions --------------------------------------------------------------------------------
-- The migrations use core PostgreSQL only. These ship with the server (contrib) and cost
-- nothing until used:
--   pg_trgm            trigram indexes for the case-insensitive "contains" searches the API
--                      offers (people ?search=, admin search): CREATE INDEX ... USING gin
--                      (name gin_trgm_ops) when the tables grow;
--   pg_stat_statements the slowest and most frequent queries (compose.yml starts the server
--                      with shared_preload_libraries=pg_stat_statements).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
COMMENT ON EXTENSION pg_trgm IS 'Trigram indexes for case-insensitive contains searches (people, rotas).';
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

-- Database settings and comments ------------------------------------------------------------
-- Stored datetimes are UTC (Django USE_TZ); make psql and pgAdmin sessions show them in UTC
-- too. Names come from the environment, so use current_database() / current_user.
DO $init$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
    EXECUTE format(
        'COMMENT ON DATABASE %I IS %L',
        current_database(),
        'Rota Round: people, rotas, shifts, overrides, notifications and their delivery '
        'outbox, Celery beat periodic tasks and task results. Schema managed by Django '
        'migrations (rota migrate); do not edit tables by hand.'
    );
    EXECUTE format(
        'COMMENT ON ROLE %I IS %L',
        current_user,
        'Rota Round application role (api, worker, beat) and owner of the database.'
    );
END
$init$;

COMMENT ON SCHEMA public IS 'Rota Round tables (created by Django migrations).';
