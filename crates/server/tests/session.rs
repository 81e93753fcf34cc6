//! Logins, the password policy, lockouts, idle sessions, CSRF.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

const MINUTE: i64 = 60_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_protected_cookie_and_logout_ends_the_session() {
    on_both(|s| async move {
        let c = s.anonymous();
        let resp = c
            .http
            .post(format!("{}/api/session", s.base))
            .json(&json!({"username": "leader", "password": s.passwords["leader"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cookie.starts_with("bh_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let body: serde_json::Value = resp.json().await.unwrap();
        let mut c = c;
        c.csrf = body["csrf_token"].as_str().unwrap().into();
        assert_eq!(c.get("/api/session").await.0, StatusCode::OK);
        assert_eq!(c.delete("/api/session").await.0, StatusCode::NO_CONTENT);
        assert_eq!(c.get("/api/plans").await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(s.anonymous().get("/api/plans").await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    on_both(|s| async move {
        let c = s.anonymous();
        let wrong = json!({"username": "office", "password": "Wrong-password-1"});
        let (_, unknown) = c.post("/api/session", &json!({"username": "nobody", "password": "x"})).await;
        for i in 1..=4 {
            let (status, body) = c.post("/api/session", &wrong).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}: {body}");
            assert_eq!(body, unknown, "a wrong password answers as an unknown name does");
        }
        // The fifth locks the account; the right password then does not open
        // it, and a locked account answers as an unknown name does.
        let right = json!({"username": "office", "password": s.passwords["office"]});
        let (status, body) = c.post("/api/session", &right).await;
        assert_eq!(status, StatusCode::OK, "four failures do not lock: {body}");
        for _ in 1..=5 {
            c.post("/api/session", &wrong).await;
            s.clock.advance(20_000);
        }
        let (status, body) = c.post("/api/session", &right).await;
        assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &unknown), "locked");
        s.clock.advance(14 * MINUTE);
        assert_eq!(c.post("/api/session", &right).await.0, StatusCode::UNAUTHORIZED);
        s.clock.advance(2 * MINUTE);
        assert_eq!(c.post("/api/session", &right).await.0, StatusCode::OK);
        let rows = audit_rows(&s, "login").await;
        assert!(rows.iter().any(|r| r["detail"].as_str().unwrap_or("").contains("锁定")), "the lock is audited");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_that_keeps_failing_waits_longer_each_time() {
    on_both(|s| async move {
        let c = s.anonymous();
        let guess = |n: i32| json!({"username": format!("guess{n}"), "password": "x"});
        for n in 0..6 {
            assert_eq!(c.post("/api/session", &guess(n)).await.0, StatusCode::UNAUTHORIZED, "guess {n}");
        }
        let (status, body) = c.post("/api/session", &guess(6)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["error"]["code"], "logins_throttled");
        assert!(body["error"]["message"].as_str().unwrap().contains("秒后再试"), "{body}");
        // Even the right password waits; then it opens, and clears the wait.
        let right = json!({"username": "office", "password": s.passwords["office"]});
        assert_eq!(c.post("/api/session", &right).await.0, StatusCode::TOO_MANY_REQUESTS);
        s.clock.advance(2_000);
        assert_eq!(c.post("/api/session", &right).await.0, StatusCode::OK);
        assert_eq!(c.post("/api/session", &guess(7)).await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_after_thirty_idle_minutes() {
    on_both(|s| async move {
        let c = s.login("leader").await;
        s.clock.advance(29 * MINUTE);
        assert_eq!(c.get("/api/plans").await.0, StatusCode::OK, "29 minutes idle is still alive");
        s.clock.advance(29 * MINUTE);
        assert_eq!(c.get("/api/plans").await.0, StatusCode::OK, "activity restarts the idle time");
        s.clock.advance(31 * MINUTE);
        assert_eq!(c.get("/api/plans").await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_policy_holds_and_the_security_admin_sets_it() {
    on_both(|s| async move {
        let sec = s.login("security").await;
        let user = |pw: &str| json!({"username": "clerk1", "password": pw, "roles": ["leader"]});
        for weak in ["Short-1a", "alllowercaseletters", "lowercase-and-symbols"] {
            let (status, body) = sec.post("/api/users", &user(weak)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}: {body}");
            assert_eq!(body["error"]["field"], "password");
        }
        assert_eq!(sec.post("/api/users", &user("Long-enough-2026")).await.0, StatusCode::CREATED);
        let (status, policy) = sec.get("/api/password-policy").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(policy["min_length"], 12);
        assert_eq!(policy["max_failures"], 5);
        assert_eq!(policy["idle_minutes"], 30);
        let mut stricter = policy.clone();
        stricter["min_length"] = json!(20);
        assert_eq!(sec.put("/api/password-policy", &stricter).await.0, StatusCode::OK);
        let u2 = json!({"username": "clerk2", "password": "Long-enough-2026", "roles": ["leader"]});
        assert_eq!(sec.post("/api/users", &u2).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        // 三员分立: one account cannot hold two administrator roles.
        let both =
            json!({"username": "clerk3", "password": "Long-enough-2026-x", "roles": ["system_admin", "auditor"]});
        let (status, body) = sec.post("/api/users", &both).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "roles");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_need_the_csrf_token_and_the_same_origin() {
    on_both(|s| async move {
        let mut c = s.login("office").await;
        let (_, targets) = c.get(&format!("/api/targets?plan={}", s.plans[0])).await;
        let id = first(&targets)["id"].as_i64().unwrap();
        let token = std::mem::take(&mut c.csrf);
        let (status, body) = c.patch(&format!("/api/targets/{id}"), &json!({"value": 1})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["field"], "X-CSRF-Token");
        c.csrf = "0".repeat(64);
        assert_eq!(c.patch(&format!("/api/targets/{id}"), &json!({"value": 1})).await.0, StatusCode::FORBIDDEN);
        c.csrf = token;
        let resp = c
            .http
            .patch(format!("{}/api/targets/{id}", s.base))
            .header("x-csrf-token", &c.csrf)
            .header("origin", "http://evil.example")
            .json(&json!({"value": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let resp = c
            .http
            .patch(format!("{}/api/targets/{id}", s.base))
            .header("x-csrf-token", &c.csrf)
            .header("sec-fetch-site", "cross-site")
            .json(&json!({"value": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let (_, t) = c.get(&format!("/api/targets/{id}")).await;
        assert_ne!(t["value"], 1.0, "no refused request changed the target");
        assert_eq!(c.patch(&format!("/api/targets/{id}"), &json!({"value": 1})).await.0, StatusCode::OK);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_is_logged_out_and_an_unlocked_one_comes_back() {
    on_both(|s| async move {
        let sec = s.login("security").await;
        let leader = s.login("leader").await;
        let (_, users) = sec.get("/api/users").await;
        let id = users.as_array().unwrap().iter().find(|u| u["username"] == "leader").unwrap()["id"].as_i64().unwrap();
        let (status, body) = sec.patch(&format!("/api/users/{id}"), &json!({"disabled": true})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(leader.get("/api/plans").await.0, StatusCode::UNAUTHORIZED, "its session ended");
        let right = json!({"username": "leader", "password": s.passwords["leader"]});
        assert_eq!(s.anonymous().post("/api/session", &right).await.0, StatusCode::FORBIDDEN);
        let wrong = json!({"username": "leader", "password": "Not-the-password-9"});
        assert_eq!(
            s.anonymous().post("/api/session", &wrong).await.0,
            StatusCode::UNAUTHORIZED,
            "no hint without the password"
        );
        sec.patch(&format!("/api/users/{id}"), &json!({"disabled": false})).await;
        for _ in 0..5 {
            s.anonymous().post("/api/session", &wrong).await;
            s.clock.advance(20_000);
        }
        assert_eq!(s.anonymous().post("/api/session", &right).await.0, StatusCode::UNAUTHORIZED, "locked");
        let (status, _) = sec.patch(&format!("/api/users/{id}"), &json!({"unlock": true})).await;
        assert_eq!(status, StatusCode::OK);
        s.clock.advance(20_000);
        assert_eq!(s.anonymous().post("/api/session", &right).await.0, StatusCode::OK);
        // The security admin cannot disable itself.
        let me = sec.get("/api/session").await.1["user"]["id"].as_i64().unwrap();
        let (status, body) = sec.patch(&format!("/api/users/{me}"), &json!({"disabled": true})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    })
    .await;
}
