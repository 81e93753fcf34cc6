-- Each indicator's values in a region, run through its year: for every
-- month from the year's first value on, the sum, the count, the latest month
-- and the latest value of the values up to that month. Kept in step with
-- indicator_values by the statement that writes them (values are replaced,
-- never deleted, so a key's months only grow), so a roll-up reads one row
-- per indicator, region and year, in the order of this key, rather than
-- aggregating every month's value at each request.
CREATE TABLE indicator_running (
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    region TEXT NOT NULL,
    indicator_id BIGINT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    n BIGINT NOT NULL,
    last_month BIGINT NOT NULL,
    last DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (year, month, region, indicator_id)
) WITHOUT ROWID;

-- The figures of the values already stored.
WITH months (month) AS (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12))
INSERT INTO indicator_running (year, month, region, indicator_id, total, n, last_month, last)
SELECT v.year, m.month, v.region, v.indicator_id, SUM(v.value), COUNT(*), MAX(v.month),
    (SELECT w.value FROM indicator_values w
     WHERE w.indicator_id = v.indicator_id AND w.region = v.region AND w.year = v.year AND w.month <= m.month
     ORDER BY w.month DESC LIMIT 1)
FROM indicator_values v JOIN months m ON v.month <= m.month
GROUP BY v.year, m.month, v.region, v.indicator_id;
