-- bighealth core schema (SQLite). Keep in step with ../postgres/0001_core.sql:
-- same tables, same columns, same meaning. Times are milliseconds since the
-- Unix epoch (UTC); "deleted_at" NULL means live.

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent ON regions (parent);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_algo TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT NOT NULL REFERENCES regions (code),
    kind TEXT NOT NULL,
    confirmed BIGINT NOT NULL DEFAULT 0,
    similar_to BIGINT REFERENCES units (id),
    merged_into BIGINT REFERENCES units (id),
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX units_region ON units (region);
CREATE INDEX units_merged ON units (merged_into);

CREATE TABLE unit_aliases (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    region TEXT NOT NULL,
    alias TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX unit_aliases_scope ON unit_aliases (region, alias);
CREATE INDEX unit_aliases_unit ON unit_aliases (unit_id);

CREATE TABLE unit_names (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_to BIGINT,
    changed_by BIGINT REFERENCES users (id)
);
CREATE INDEX unit_names_unit ON unit_names (unit_id);

CREATE TABLE user_units (
    user_id BIGINT NOT NULL REFERENCES users (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    PRIMARY KEY (user_id, unit_id)
);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL REFERENCES regions (code),
    parent_id BIGINT REFERENCES plans (id),
    title TEXT,
    doc_number TEXT,
    issuer TEXT,
    issued_on TEXT,
    base_year BIGINT,
    target_year BIGINT,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    source_text TEXT NOT NULL,
    reading_json TEXT NOT NULL,
    reading_format BIGINT NOT NULL,
    reader_version TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT REFERENCES users (id),
    deleted_at BIGINT
);
CREATE INDEX plans_region ON plans (region);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    bytes BLOB NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by BIGINT REFERENCES users (id)
);
CREATE INDEX documents_plan ON documents (plan_id);

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    parent_id BIGINT REFERENCES sections (id),
    position BIGINT NOT NULL,
    depth BIGINT NOT NULL,
    label TEXT NOT NULL,
    printed TEXT NOT NULL,
    title TEXT NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL
);
CREATE INDEX sections_plan ON sections (plan_id);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    section_id BIGINT REFERENCES sections (id),
    position BIGINT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    quote TEXT NOT NULL,
    body TEXT NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    deadline TEXT,
    origin TEXT NOT NULL,
    document_id BIGINT REFERENCES documents (id),
    segment TEXT,
    division TEXT,
    deleted_at BIGINT
);
CREATE INDEX tasks_plan ON tasks (plan_id, position);
CREATE INDEX tasks_plan_live ON tasks (plan_id, deleted_at);
CREATE INDEX tasks_segment ON tasks (segment);

CREATE TABLE task_units (
    task_id BIGINT NOT NULL REFERENCES tasks (id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'responsible')),
    position BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    written TEXT NOT NULL,
    PRIMARY KEY (task_id, role, position)
);
CREATE INDEX task_units_unit ON task_units (unit_id);

CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    task_id BIGINT REFERENCES tasks (id),
    owner_unit BIGINT REFERENCES units (id),
    position BIGINT NOT NULL,
    quote TEXT NOT NULL,
    indicator TEXT NOT NULL,
    comparator TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    value_max DOUBLE PRECISION,
    unit TEXT,
    year BIGINT,
    baseline_value DOUBLE PRECISION,
    baseline_year BIGINT,
    qualifier TEXT,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    segment TEXT,
    division TEXT,
    deleted_at BIGINT
);
CREATE INDEX targets_plan ON targets (plan_id, position);
CREATE INDEX targets_plan_live ON targets (plan_id, deleted_at);
CREATE INDEX targets_owner ON targets (owner_unit);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    position BIGINT NOT NULL,
    seq BIGINT,
    name TEXT NOT NULL,
    nature TEXT,
    industry TEXT,
    category TEXT,
    content TEXT,
    investment_wan DOUBLE PRECISION,
    period TEXT,
    funding TEXT,
    status TEXT NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    document_id BIGINT REFERENCES documents (id),
    segment TEXT,
    division TEXT,
    deleted_at BIGINT
);
CREATE INDEX projects_plan ON projects (plan_id, position);
CREATE INDEX projects_plan_live ON projects (plan_id, deleted_at);

CREATE TABLE project_units (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    position BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    written TEXT NOT NULL,
    PRIMARY KEY (project_id, position)
);
CREATE INDEX project_units_unit ON project_units (unit_id);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    spans TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT
);
CREATE INDEX findings_plan ON findings (plan_id, state);

CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX history_entity ON history (entity, entity_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit log is append-only: rows are chained by hash, and the database
-- itself refuses to change or remove one, whoever asks.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    outcome TEXT NOT NULL,
    remote TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
