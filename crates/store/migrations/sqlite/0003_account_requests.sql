-- Changes to an administrator's account (系统管理员, 安全管理员, 审计员) —
-- creating one, granting such a role, resetting the password of, re-enabling
-- or unlocking one — wait here for a second 安全管理员 (三员分立: no single
-- person makes an administrator). The change is kept without any password;
-- approving it generates one, shown once to the approver.
CREATE TABLE account_requests (
    id INTEGER PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    change TEXT NOT NULL,
    summary TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_by BIGINT REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT
);
CREATE INDEX account_requests_state ON account_requests (state);
