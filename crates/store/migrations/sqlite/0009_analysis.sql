-- Analysis (季分析): the office's status thresholds per plan (JSON of
-- bighealth_rules::analysis::Settings); a plan without a row uses the
-- defaults (黄 from 10 points behind 序时, 红 from 30, no 红 before March).
CREATE TABLE analysis_settings (
    plan_id BIGINT PRIMARY KEY REFERENCES plans (id),
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- The figures the office approved, per form and item: written when a form
-- is approved (replacing the form's earlier approved figures), removed when
-- the office returns an approved form. A unit correcting an approved form
-- leaves them standing until the correction is approved, so the analysis
-- always reads approved figures and never a draft.
CREATE TABLE approved_entries (
    form_id BIGINT NOT NULL REFERENCES report_forms (id),
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    status TEXT,
    share DOUBLE PRECISION,
    value DOUBLE PRECISION,
    amount DOUBLE PRECISION,
    approved_at BIGINT NOT NULL,
    PRIMARY KEY (form_id, kind, item_id)
);
CREATE INDEX approved_entries_plan ON approved_entries (plan_id, kind, period);
CREATE INDEX approved_entries_item ON approved_entries (item_id, kind);

INSERT INTO approved_entries (form_id, plan_id, unit_id, period, kind, item_id, status, share, value, amount, approved_at)
SELECT f.id, f.plan_id, f.unit_id, f.period, e.kind, e.item_id, e.status, e.share, e.value, e.amount,
       COALESCE(f.decided_at, f.updated_at)
FROM report_forms f JOIN report_entries e ON e.form_id = f.id
WHERE f.state IN ('approved', 'accepted');
