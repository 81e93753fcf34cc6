-- Proposed changes to the issued plan: a reporter proposes a change to what
-- the plan says of a task, target or project, with a reason; the office
-- approves (the change is applied, with its history) or rejects it. Until
-- then the plan is unchanged.
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    patch TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    proposed_by BIGINT REFERENCES users (id),
    proposed_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decision_note TEXT
);
CREATE INDEX proposals_entity ON proposals (entity, entity_id, state);
CREATE INDEX proposals_plan ON proposals (plan_id, state);
