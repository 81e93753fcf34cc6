-- Annual assessment (年考核) and public disclosure: the office's scoring
-- schemes of a plan and year (each save a new version, none ever changed),
-- its entries for a unit (a checklist item's points, a bonus, a deduction,
-- a veto; withdrawn, never deleted), the units' self-assessments with the
-- office's review, the results as published with their 通报 files, the
-- evidence files of all of them, third-party evaluators and their reports
-- with the office's answers, and what of a plan the office makes public.

CREATE TABLE scoring_schemes (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    scheme TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    UNIQUE (plan_id, year, version)
);

CREATE TABLE assessment_entries (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    entry TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    withdrawn_at BIGINT,
    withdrawn_by BIGINT REFERENCES users (id),
    withdrawn_reason TEXT
);
CREATE INDEX assessment_entries_year ON assessment_entries (plan_id, year, unit_id);

-- A unit's self-assessment: each submission a new row; the office's
-- review (复核) is written on it, and the office's score stands.
CREATE TABLE self_assessments (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    scores TEXT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    reviewed_at BIGINT,
    reviewed_by BIGINT REFERENCES users (id),
    review_note TEXT
);
CREATE INDEX self_assessments_year ON self_assessments (plan_id, year, unit_id);

-- A year's result as published, with the scheme version it used; a
-- withdrawn result stays, and at most one result of a year is live.
CREATE TABLE assessment_results (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    scheme_id BIGINT REFERENCES scoring_schemes (id),
    number TEXT NOT NULL,
    result TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    withdrawn_at BIGINT,
    withdrawn_by BIGINT REFERENCES users (id),
    withdrawn_reason TEXT
);
CREATE UNIQUE INDEX assessment_results_live ON assessment_results (plan_id, year) WHERE withdrawn_at IS NULL;

CREATE TABLE assessment_result_files (
    result_id BIGINT NOT NULL REFERENCES assessment_results (id),
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (result_id, format)
);

-- Evidence: of an entry, of a self-assessment, or a third-party evaluation
-- report, byte for byte with its SHA-256.
CREATE TABLE assessment_files (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id)
);
CREATE INDEX assessment_files_owner ON assessment_files (owner_kind, owner_id);

-- A third-party evaluator's reach: one plan, until a day.
CREATE TABLE evaluator_grants (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    body TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    granted_by BIGINT REFERENCES users (id)
);

-- An evaluation's findings, each answered by the office.
CREATE TABLE evaluation_findings (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    report_file BIGINT REFERENCES assessment_files (id),
    finding TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    answer TEXT,
    answered_at BIGINT,
    answered_by BIGINT REFERENCES users (id)
);
CREATE INDEX evaluation_findings_plan ON evaluation_findings (plan_id, id);

-- What of a plan the office publishes (rules::disclosure::Settings as
-- JSON); a plan without a row is not public.
CREATE TABLE disclosure_settings (
    plan_id BIGINT PRIMARY KEY REFERENCES plans (id),
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);
