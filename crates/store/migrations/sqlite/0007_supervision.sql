-- Supervision (督查督办): the office's settings of each plan (lag rules,
-- the 代字, deadlines), the holiday calendars it keeps, the items with
-- every step kept, the evidence attached to steps, and the documents'
-- templates it edits.

-- The office's supervision settings of a plan (rules::supervision::Settings
-- as JSON); a plan without a row runs on the defaults.
CREATE TABLE supervision_settings (
    plan_id BIGINT PRIMARY KEY REFERENCES plans (id),
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- The holiday calendar of a year as the office imported it (the file's
-- text); a year without a row uses the calendar shipped, if any.
CREATE TABLE holiday_calendars (
    year BIGINT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- An item (一事一项, 一件一号): numbered per plan and year, given to one
-- lead unit with helpers. `cause` is the key of the rule's cause;
-- `open_cause` holds it only while the item is open, so that a cause never
-- opens two items at once.
CREATE TABLE supervision_items (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    serial BIGINT NOT NULL,
    number TEXT NOT NULL,
    source TEXT NOT NULL,
    reference TEXT,
    rule TEXT,
    cause TEXT,
    open_cause TEXT,
    item_kind TEXT,
    item_id BIGINT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    requirement TEXT,
    lead_unit BIGINT NOT NULL REFERENCES units (id),
    helpers TEXT NOT NULL,
    leader_id BIGINT REFERENCES users (id),
    urgency TEXT NOT NULL,
    level TEXT NOT NULL,
    state TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    sign_due TEXT NOT NULL,
    plan_due TEXT NOT NULL,
    due TEXT NOT NULL,
    extension_due TEXT,
    extension_reason TEXT,
    period TEXT,
    signed_at BIGINT,
    planned_at BIGINT,
    closed_at BIGINT,
    reminded_on TEXT,
    escalated_at BIGINT,
    opened_at BIGINT NOT NULL,
    opened_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    UNIQUE (plan_id, year, serial)
);
CREATE UNIQUE INDEX supervision_items_open_cause ON supervision_items (plan_id, open_cause)
    WHERE open_cause IS NOT NULL;
CREATE INDEX supervision_items_ledger ON supervision_items (plan_id, state, due);
CREATE INDEX supervision_items_unit ON supervision_items (lead_unit, state);

-- The units helping with an item (协办单位), for the units' inboxes.
CREATE TABLE supervision_helpers (
    item_id BIGINT NOT NULL REFERENCES supervision_items (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX supervision_helpers_unit ON supervision_helpers (unit_id);

-- Every step on an item: who, when, what, and the state after it. Nothing
-- here is changed or deleted.
CREATE TABLE supervision_steps (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES supervision_items (id),
    step TEXT NOT NULL,
    state TEXT NOT NULL,
    level TEXT NOT NULL,
    note TEXT,
    data TEXT,
    at BIGINT NOT NULL,
    by_user BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL
);
CREATE INDEX supervision_steps_item ON supervision_steps (item_id, id);

-- Evidence attached to a step (the rectification plan, the closing
-- evidence), kept byte for byte with its SHA-256.
CREATE TABLE supervision_files (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES supervision_items (id),
    step_id BIGINT REFERENCES supervision_steps (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id)
);
CREATE INDEX supervision_files_item ON supervision_files (item_id);

-- The office's own wording of a generated document (督办通知单, 督办情况通报),
-- per plan; a plan without a row uses the shipped template.
CREATE TABLE document_templates (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    PRIMARY KEY (plan_id, kind)
);
