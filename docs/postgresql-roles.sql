-- coordboard on PostgreSQL: the application role does not own the tables.
--
-- Why: the owner of a table may ALTER TABLE ... DISABLE TRIGGER, which switches off the
-- audit trail's append-only guard. The role the application logs in with must only read
-- and write rows; the schema belongs to a separate owner role used for upgrades only.
-- See docs/security.md.
--
-- Once, as a superuser (psql -U postgres):
--   CREATE ROLE coordboard_owner LOGIN PASSWORD '...';   -- schema and upgrades only
--   CREATE ROLE coordboard_app   LOGIN PASSWORD '...';   -- what every office PC uses
--   CREATE DATABASE coordboard OWNER coordboard_owner;
-- Create or upgrade the schema as the owner:
--   coordboard --db postgresql://coordboard_owner:...@server/coordboard init
-- Then, as the owner, grant the application role its rows and nothing else
-- (run again after every `coordboard db upgrade`):
--   psql "postgresql://coordboard_owner@server/coordboard" -v app=coordboard_app \
--        -f docs/postgresql-roles.sql
-- Office PCs then use postgresql://coordboard_app:...@server/coordboard.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
-- The audit trail is append-only: not even the row privileges to change it.
REVOKE UPDATE, DELETE ON audit_event FROM :"app";
-- The schema version is the owner's to change.
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
-- No TRUNCATE, REFERENCES, TRIGGER, ALTER or ownership: the application cannot disable
-- or drop a trigger, truncate a table, or change the schema.
