-- Each indicator's year in a region as one row of its twelve months, in
-- place of the running figures of 0014 (a row per month from the year's
-- first value to December). The roll-up works out the sum, count and latest
-- value up to a month from the row; an import writes a row per indicator,
-- region and year rather than up to twelve, and the values' second index,
-- read by nothing now, goes.
--
-- The values keep no foreign keys: an import checks every indicator and
-- region before it writes (naming each wrong cell), indicators, regions and
-- users are never deleted, and checked again row by row the keys cost a
-- bulk load on PostgreSQL a third of its time.
DROP TABLE indicator_running;
DROP INDEX indicator_values_rollup;
ALTER TABLE indicator_values DROP CONSTRAINT indicator_values_indicator_id_fkey,
    DROP CONSTRAINT indicator_values_region_fkey, DROP CONSTRAINT indicator_values_updated_by_fkey;
CREATE TABLE indicator_months (
    year BIGINT NOT NULL,
    region TEXT NOT NULL,
    indicator_id BIGINT NOT NULL,
    v1 DOUBLE PRECISION,
    v2 DOUBLE PRECISION,
    v3 DOUBLE PRECISION,
    v4 DOUBLE PRECISION,
    v5 DOUBLE PRECISION,
    v6 DOUBLE PRECISION,
    v7 DOUBLE PRECISION,
    v8 DOUBLE PRECISION,
    v9 DOUBLE PRECISION,
    v10 DOUBLE PRECISION,
    v11 DOUBLE PRECISION,
    v12 DOUBLE PRECISION,
    PRIMARY KEY (year, region, indicator_id) INCLUDE (v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12)
);

INSERT INTO indicator_months (year, region, indicator_id, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12)
SELECT year, region, indicator_id,
    MAX(CASE WHEN month = 1 THEN value END),
    MAX(CASE WHEN month = 2 THEN value END),
    MAX(CASE WHEN month = 3 THEN value END),
    MAX(CASE WHEN month = 4 THEN value END),
    MAX(CASE WHEN month = 5 THEN value END),
    MAX(CASE WHEN month = 6 THEN value END),
    MAX(CASE WHEN month = 7 THEN value END),
    MAX(CASE WHEN month = 8 THEN value END),
    MAX(CASE WHEN month = 9 THEN value END),
    MAX(CASE WHEN month = 10 THEN value END),
    MAX(CASE WHEN month = 11 THEN value END),
    MAX(CASE WHEN month = 12 THEN value END)
FROM indicator_values GROUP BY year, region, indicator_id;
