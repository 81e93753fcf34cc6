-- Failed logins per account and client address. Five wrong passwords in a
-- row lock the account for that address only, so that a visitor guessing
-- cannot lock its owner out; the account itself locks for everyone only
-- after ten times as many failures from all addresses together.
CREATE TABLE login_failures (
    user_id BIGINT NOT NULL REFERENCES users (id),
    address TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, address)
);
