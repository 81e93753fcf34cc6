-- The indicator system (统计监测指标体系) and key enterprises (重点企业).
--
-- The 大类 of the 健康产业统计分类（2019）, loaded from the store's data file
-- when the table is empty (the classification is data, not code).
CREATE TABLE industry_classes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);

-- An indicator: its code, unit, direction, how it adds up over regions and
-- over time, how often its values come, its formula over other indicators.
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    unit TEXT,
    polarity TEXT NOT NULL,
    over_regions TEXT NOT NULL,
    over_time TEXT NOT NULL,
    periodicity TEXT NOT NULL,
    formula TEXT,
    industry_class TEXT REFERENCES industry_classes (code),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Which indicator a plan's target measures: linked by the target's
-- indicator name when a plan is read (`by` = 'name'), or by the office.
CREATE TABLE target_indicators (
    target_id BIGINT PRIMARY KEY REFERENCES targets (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    linked_by TEXT NOT NULL,
    linked_at BIGINT NOT NULL
);
CREATE INDEX target_indicators_indicator ON target_indicators (indicator_id);

-- The values of an indicator by region and period (the year and the month
-- the period ends in), imported or typed by the office. Values reported in
-- the monthly forms and by key enterprises are read from their own tables
-- when asked, so a roll-up is fresh at the next request.
CREATE TABLE indicator_values (
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    region TEXT NOT NULL REFERENCES regions (code),
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    PRIMARY KEY (indicator_id, region, year, month)
);
-- The roll-up reads a year's values of a region's subtree in this order,
-- from the index alone.
CREATE INDEX indicator_values_rollup ON indicator_values (year, region, indicator_id, month, value);

-- Every value replaced: what it was, what replaced it, by what and whom.
CREATE TABLE indicator_value_history (
    id INTEGER PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    region TEXT NOT NULL,
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    old_value DOUBLE PRECISION NOT NULL,
    new_value DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_user BIGINT REFERENCES users (id)
);
CREATE INDEX indicator_value_history_value ON indicator_value_history (indicator_id, region, year, month);

-- The region's key enterprises; each reports as its own unit, so an
-- enterprise's account is a reporter of that unit and sees its figures only.
CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region TEXT NOT NULL REFERENCES regions (code),
    industry_class TEXT NOT NULL REFERENCES industry_classes (code),
    size TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises (region);
CREATE INDEX enterprises_unit ON enterprises (unit_id);

-- An enterprise's figures by period (the period's own amounts; 从业人员 at
-- its end), typed by its account or imported from the statistics bureau's
-- table. A replaced figure goes to the audit log with its old value.
CREATE TABLE enterprise_figures (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    measure TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    PRIMARY KEY (enterprise_id, year, month, measure)
);
CREATE INDEX enterprise_figures_period ON enterprise_figures (year, month, measure);
