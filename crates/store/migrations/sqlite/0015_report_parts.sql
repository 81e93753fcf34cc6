-- What a task's responsible units (责任单位) add for a period: their part of
-- the task, which its lead unit sees on its form and answers for in the
-- whole. Every save is a row of its own, never changed; the latest of a
-- task, unit and period stands.
CREATE TABLE report_parts (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    period TEXT NOT NULL,
    task_id BIGINT NOT NULL REFERENCES tasks (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    progress TEXT NOT NULL,
    problems TEXT,
    saved_at BIGINT NOT NULL,
    saved_by BIGINT REFERENCES users (id)
);
CREATE INDEX report_parts_period ON report_parts (plan_id, period, task_id, unit_id, id);
