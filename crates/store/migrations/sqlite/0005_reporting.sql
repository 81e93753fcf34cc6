-- Monthly dispatch (月调度): each plan's reporting calendar, who reports
-- which item in which period, the units' forms with every version kept,
-- periods reopened for one unit, and reminders.

-- The office's settings of a plan's calendar (rules::reporting::Schedule as
-- JSON); a plan without a row runs on the defaults.
CREATE TABLE reporting_schedules (
    plan_id BIGINT PRIMARY KEY REFERENCES plans (id),
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- Who reports an item, from which day to which: a reassignment closes one
-- row and opens another, so that earlier periods keep who was due then.
CREATE TABLE report_assignments (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    kind TEXT NOT NULL CHECK (kind IN ('task', 'target', 'project')),
    item_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    from_day TEXT NOT NULL,
    until_day TEXT
);
CREATE INDEX report_assignments_plan ON report_assignments (plan_id, unit_id);
CREATE INDEX report_assignments_item ON report_assignments (plan_id, kind, item_id);

-- A unit's form for a period: its state and the latest version's number.
CREATE TABLE report_forms (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'accepted')),
    version BIGINT NOT NULL,
    first_submitted_at BIGINT,
    submitted_at BIGINT,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users (id),
    accepted_at BIGINT,
    accepted_by BIGINT REFERENCES users (id),
    return_reason TEXT,
    updated_at BIGINT NOT NULL,
    UNIQUE (plan_id, unit_id, period)
);
CREATE INDEX report_forms_period ON report_forms (plan_id, period);

-- What the form holds now, per item (the entry as JSON, and the figures
-- sums and histories read).
CREATE TABLE report_entries (
    form_id BIGINT NOT NULL REFERENCES report_forms (id),
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    entry TEXT NOT NULL,
    status TEXT,
    share DOUBLE PRECISION,
    value DOUBLE PRECISION,
    amount DOUBLE PRECISION,
    returned_reason TEXT,
    PRIMARY KEY (form_id, kind, item_id)
);
CREATE INDEX report_entries_item ON report_entries (kind, item_id);

-- Every submission, return, approval and acceptance: the entries as they
-- stood, who, when and why. Nothing here is changed or deleted.
CREATE TABLE report_versions (
    id INTEGER PRIMARY KEY,
    form_id BIGINT NOT NULL REFERENCES report_forms (id),
    version BIGINT NOT NULL,
    step TEXT NOT NULL,
    state TEXT NOT NULL,
    entries TEXT NOT NULL,
    digest TEXT NOT NULL,
    reason TEXT,
    at BIGINT NOT NULL,
    by_user BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL,
    UNIQUE (form_id, version)
);

-- A locked period reopened for one unit, and locked again.
CREATE TABLE period_reopenings (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    reason TEXT NOT NULL,
    reopened_at BIGINT NOT NULL,
    reopened_by BIGINT REFERENCES users (id),
    relocked_at BIGINT,
    relocked_by BIGINT REFERENCES users (id)
);
CREATE INDEX period_reopenings_unit ON period_reopenings (plan_id, unit_id, period);

-- Reminders (催报) the office sent a unit about a period.
CREATE TABLE report_reminders (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    note TEXT,
    sent_at BIGINT NOT NULL,
    sent_by BIGINT REFERENCES users (id)
);
CREATE INDEX report_reminders_unit ON report_reminders (unit_id, sent_at);

-- Where a unit's reminders go by e-mail (addresses as JSON).
CREATE TABLE unit_contacts (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    emails TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- Digests sent: one per unit, day (China) and channel at most.
CREATE TABLE reminder_deliveries (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day, channel)
);

-- Evidence attached to an entry (佐证材料): kept byte for byte with its
-- SHA-256, type and size; removing one is a state.
CREATE TABLE report_attachments (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    deleted_at BIGINT
);
CREATE INDEX report_attachments_form ON report_attachments (plan_id, unit_id, period);
