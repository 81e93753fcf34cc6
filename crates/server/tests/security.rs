//! What an attack on the running server tried, over real HTTP: each test
//! fails on the code before the fix it guards.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_returns_only_to_a_path_of_this_site() {
    on_both(|s| async move {
        let password = s.passwords["office"].clone();
        for next in ["/\t/evil.example/", "//evil.example/", "/\\evil.example", "/\n", "https://evil.example/"] {
            let c = s.anonymous();
            let resp = c
                .http
                .post(format!("{}/login", s.base))
                .form(&[("username", "office"), ("password", password.as_str()), ("next", next)])
                .send()
                .await
                .unwrap();
            assert!(resp.status().is_redirection(), "{next:?}: {}", resp.status());
            let to = resp.headers()["location"].to_str().unwrap();
            assert!(to.starts_with('/') && !to.starts_with("//") && !to.contains("evil"), "{next:?} sent to {to}");
        }
        for query in ["/login?next=/%09/evil.example/", "/login?next=/%0a"] {
            let (status, _, body) = s.anonymous().page(query).await;
            assert_eq!(status, StatusCode::OK, "{query}");
            assert!(!body.contains("evil.example"), "{query}: the form does not carry it on");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_input_is_refused_not_a_server_error() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let (status, body) = office.get("/api/plans?region=%E4%B8%AD0000").await;
        assert!(status.is_client_error() || status.is_success(), "region=中0000: {status} {body}");
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let (_, tasks) = office.get(&format!("/api/tasks?plan={}", s.plans[1])).await;
        let task = first(&tasks)["id"].as_i64().unwrap();
        let many: Vec<String> = (0..7_000).map(|i| format!("单位{i}")).collect();
        let (status, body) = office.patch(&format!("/api/tasks/{task}"), &json!({"responsible": many})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            (body["error"]["code"].as_str(), body["error"]["field"].as_str()),
            (Some("too_many"), Some("responsible"))
        );
        let (status, body) =
            office.patch(&format!("/api/tasks/{task}"), &json!({"deadline": "年".repeat(5_000)})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "too_long");
        let (_, after) = office.get(&format!("/api/tasks/{task}")).await;
        assert_eq!(after, *first(&tasks), "nothing stored");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_not_upload_is_refused_before_the_body_is_read() {
    on_both(|s| async move {
        let leader = s.login("leader").await;
        // Larger than any upload may be: the role is what refuses it.
        let (status, body) = leader.upload("/api/plans?region=500114&name=x.txt", vec![b'x'; 30 * 1024 * 1024]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "role_may_not");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_records_are_the_offices_to_see() {
    on_both(|s| async move {
        let office = s.login("office").await;
        for who in ["leader", "reporter"] {
            let c = s.login(who).await;
            for path in [
                "/api/tasks?deleted=true",
                "/api/targets?deleted=true",
                "/api/projects?deleted=true",
                "/api/plans?deleted=true",
                "/api/projects/totals?deleted=true",
            ] {
                assert_eq!(c.get(path).await.0, StatusCode::FORBIDDEN, "{who} {path}");
                assert_eq!(office.get(path).await.0, StatusCode::OK, "office {path}");
            }
            assert_eq!(c.get("/api/tasks").await.0, StatusCode::OK, "{who} reads the live ones");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_ones_password_ends_the_other_sessions_and_wrong_old_ones_lock() {
    on_both(|s| async move {
        let here = s.login("leader").await;
        let elsewhere = s.login("leader").await;
        let old = s.passwords["leader"].clone();
        let change = |old: &str, new: &str| json!({"old_password": old, "new_password": new});
        let (status, _) = here.put("/api/session/password", &change(&old, "Another-Leader-2026")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(here.get("/api/session").await.0, StatusCode::OK, "the session it was made from goes on");
        assert_eq!(elsewhere.get("/api/session").await.0, StatusCode::UNAUTHORIZED, "every other session ended");

        // Wrong current passwords count toward the lockout, and are audited.
        for _ in 0..5 {
            let (status, body) = here.put("/api/session/password", &change("wrong", "Third-Leader-2026")).await;
            assert!(
                status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::UNAUTHORIZED,
                "{status} {body}"
            );
        }
        assert_eq!(here.get("/api/session").await.0, StatusCode::UNAUTHORIZED, "locked: its sessions end");
        let c = s.anonymous();
        let (status, _) =
            c.post("/api/session", &json!({"username": "leader", "password": "Another-Leader-2026"})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "five wrong passwords lock the account");
        let rows = audit_rows(&s, "change_password").await;
        assert_eq!(rows.iter().filter(|r| r["outcome"] == "failed").count(), 5, "{rows:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_time_counts_to_the_request_and_a_session_lives_twelve_hours_at_most() {
    on_both(|s| async move {
        let c = s.login("leader").await;
        s.clock.advance(30 * SECOND);
        assert_eq!(c.get("/api/plans").await.0, StatusCode::OK);
        // 29 minutes 45 seconds after the last request, 30 minutes 15 after the login.
        s.clock.advance(29 * MINUTE + 45 * SECOND);
        assert_eq!(c.get("/api/plans").await.0, StatusCode::OK, "idle counted from the last request");

        let busy = s.login("reporter").await;
        for _ in 0..25 {
            s.clock.advance(29 * MINUTE);
            let (status, _) = busy.get("/api/plans").await;
            if status == StatusCode::UNAUTHORIZED {
                return;
            }
        }
        panic!("a busy session outlived twelve hours");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_audited_wherever_they_happen() {
    on_both(|s| async move {
        let office = s.login("office").await;
        // A change without the CSRF token.
        let resp =
            office.http.patch(format!("{}/api/tasks/1", s.base)).json(&json!({"deadline": "x"})).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        // A change from another site.
        let resp = office
            .http
            .patch(format!("{}/api/tasks/1", s.base))
            .header("x-csrf-token", &office.csrf)
            .header("origin", "http://evil.example")
            .json(&json!({"deadline": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        // The same host and port under another scheme is another origin.
        let host = s.base.trim_start_matches("http://");
        let resp = office
            .http
            .patch(format!("{}/api/tasks/1", s.base))
            .header("x-csrf-token", &office.csrf)
            .header("origin", format!("https://{host}"))
            .json(&json!({"deadline": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "scheme, host and port are compared");
        // A document that is no plan.
        let (status, _) =
            office.upload("/api/plans?region=500114&name=notes.txt", "会议纪要：天气很好。".as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Security admins may not give themselves roles.
        let security = s.login("security").await;
        let (_, me) = security.get("/api/session").await;
        let id = me["user"]["id"].as_i64().unwrap();
        let (status, body) = security.patch(&format!("/api/users/{id}"), &json!({"roles": ["system_admin"]})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("own_roles")), "{body}");

        let refused = audit_rows(&s, "refused").await;
        let codes: Vec<String> = refused.iter().map(|r| r["detail"].as_str().unwrap_or("").to_string()).collect();
        for code in ["csrf_missing", "cross_site", "own_roles"] {
            assert!(codes.iter().any(|d| d.contains(code)), "{code} is audited: {codes:?}");
        }
        let imports = audit_rows(&s, "import_plan").await;
        assert!(
            imports.iter().any(|r| r["outcome"] == "failed" && r["detail"].as_str().unwrap().contains("not_a_plan")),
            "{imports:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_is_made_by_two_security_administrators() {
    on_both(|s| async move {
        let security = s.login("security").await;
        // A second 安全管理员, made on the server's machine.
        let second = bighealth_store::accounts::NewUser {
            username: "security2".into(),
            display_name: None,
            password: "Second-Security-2026".into(),
            roles: vec![bighealth_store::Role::SecurityAdmin],
            units: vec![],
        };
        let local = bighealth_store::Actor::local("test", bighealth_store::Role::SecurityAdmin);
        s.store.create_user(&local, &second, bighealth_store::now_ms()).await.unwrap().done().unwrap();
        let mut other = s.anonymous();
        let (_, session) =
            other.post("/api/session", &json!({"username": "security2", "password": "Second-Security-2026"})).await;
        other.csrf = session["csrf_token"].as_str().unwrap().to_string();

        // A new auditor waits; nobody can log in as it yet.
        let new = json!({"username": "auditor2", "password": "Auditor-Two-2026", "roles": ["auditor"]});
        let (status, request) = security.post("/api/users", &new).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{request}");
        assert_eq!(request["state"], "pending");
        let id = request["id"].as_i64().unwrap();
        let login = |p: &str| json!({"username": "auditor2", "password": p});
        assert_eq!(s.anonymous().post("/api/session", &login("Auditor-Two-2026")).await.0, StatusCode::UNAUTHORIZED);
        // Its requester cannot approve it; a second 安全管理员 does, and gets a
        // generated password once.
        let (status, body) =
            security.post(&format!("/api/account-requests/{id}/decision"), &json!({"approve": true})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("own_request")));
        let (status, decided) =
            other.post(&format!("/api/account-requests/{id}/decision"), &json!({"approve": true})).await;
        assert_eq!(status, StatusCode::OK, "{decided}");
        let password = decided["password"].as_str().expect("a generated password").to_string();
        assert_eq!(s.anonymous().post("/api/session", &login(&password)).await.0, StatusCode::OK);
        assert_eq!(
            s.anonymous().post("/api/session", &login("Auditor-Two-2026")).await.0,
            StatusCode::UNAUTHORIZED,
            "the requester's password was never kept"
        );
        let (status, _) = other.post(&format!("/api/account-requests/{id}/decision"), &json!({"approve": false})).await;
        assert_eq!(status, StatusCode::CONFLICT, "decided once");

        // Granting a leader the 系统管理员 role, or resetting an administrator's
        // password, waits too; a leader's own reset does not.
        let (_, users) = security.get("/api/users").await;
        let by_name =
            |n: &str| users.as_array().unwrap().iter().find(|u| u["username"] == n).unwrap()["id"].as_i64().unwrap();
        let (status, _) =
            security.patch(&format!("/api/users/{}", by_name("leader")), &json!({"roles": ["system_admin"]})).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let (status, _) = security
            .patch(&format!("/api/users/{}", by_name("office")), &json!({"password": "Reset-Office-2026x"}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        assert_eq!(
            s.anonymous()
                .post("/api/session", &json!({"username": "office", "password": s.passwords["office"]}))
                .await
                .0,
            StatusCode::OK,
            "unchanged until approved"
        );
        let (status, _) = security
            .patch(&format!("/api/users/{}", by_name("leader")), &json!({"password": "Reset-Leader-2026x"}))
            .await;
        assert_eq!(status, StatusCode::OK);

        // The auditor sees every such event raised on the audit page.
        let auditor = s.login("auditor").await;
        let (_, _, page) = auditor.page("/audit").await;
        assert!(page.contains("id=\"raised\"") && page.contains("需关注"), "{page}");
        assert_eq!(audit_rows(&s, "request_account_change").await.len(), 3);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_repetitive_plan_does_not_hold_up_a_login() {
    on_both(|s| async move {
        let office = s.login("office").await;
        // One task repeating a keyword 80 000 times: 1.2 MB, every step linear.
        let doc = format!(
            "某县大健康产业发展行动计划\n一、重点任务\n1. {}（牵头单位：县卫生健康局）\n",
            "医院建设，".repeat(80_000)
        );
        let import =
            tokio::spawn(
                async move { office.upload("/api/plans?region=130000&name=huge.txt", doc.into_bytes()).await },
            );
        let started = std::time::Instant::now();
        let c = s.anonymous();
        let (status, _) =
            c.post("/api/session", &json!({"username": "leader", "password": s.passwords["leader"]})).await;
        let took = started.elapsed();
        assert_eq!(status, StatusCode::OK);
        assert!(took < std::time::Duration::from_secs(1), "a login waited {took:?} behind an import");
        let (status, body) = import.await.unwrap();
        assert!(status.is_success(), "{body}");
    })
    .await;
}

/// Reads what the server sends on `stream` until it closes the connection.
async fn read_to_close(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the server kept the connection open: {}", String::from_utf8_lossy(&got));
    String::from_utf8_lossy(&got).into_owned()
}

fn address(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_cut_off_and_connections_are_capped() {
    fn limits(state: &mut bighealth_server::AppState) {
        state.limits.headers = std::time::Duration::from_millis(300);
        state.limits.request = std::time::Duration::from_millis(500);
        state.limits.connections = 3;
    }
    on_sqlite_with(limits, |s| async move {
        use tokio::io::AsyncWriteExt;
        // Headers begun and never finished: the connection is closed.
        let mut half = tokio::net::TcpStream::connect(address(&s)).await.unwrap();
        half.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
        let answer = read_to_close(&mut half).await;
        assert!(!answer.contains("200 OK"), "{answer}");

        // A body promised and never sent: the request is stopped and answered.
        let mut slow = tokio::net::TcpStream::connect(address(&s)).await.unwrap();
        slow.write_all(
            b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user",
        )
        .await
        .unwrap();
        let answer = read_to_close(&mut slow).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("request_timed_out"), "{answer}");

        // Three connections held open; a fourth is answered 503 at once.
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut c = tokio::net::TcpStream::connect(address(&s)).await.unwrap();
            c.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
            held.push(c);
        }
        // The server has taken the three once each has answered.
        for c in &mut held {
            use tokio::io::AsyncReadExt;
            let mut buf = [0u8; 12];
            c.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"HTTP/1.1 200");
        }
        let mut over = tokio::net::TcpStream::connect(address(&s)).await.unwrap();
        over.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let answer = read_to_close(&mut over).await;
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        assert!(answer.contains("too_many_connections") && answer.contains("连接"), "{answer}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
    async fn fail_logins(s: &Server, forwarded: &str, times: usize) -> StatusCode {
        let c = s.anonymous();
        let mut last = StatusCode::OK;
        for _ in 0..times {
            let resp = c
                .http
                .post(format!("{}/api/session", s.base))
                .header("x-forwarded-for", forwarded)
                .json(&json!({"username": "leader", "password": "wrong"}))
                .send()
                .await
                .unwrap();
            last = resp.status();
        }
        last
    }
    // Read on the server's machine: the address itself may be throttled.
    async fn login_rows(s: &Server) -> Vec<bighealth_store::audit::AuditEntry> {
        let q = bighealth_store::audit::AuditQuery { action: Some("login".into()), ..Default::default() };
        s.store.audit_log(&q).await.unwrap()
    }
    // No proxy trusted: a client cannot escape the throttle by inventing
    // addresses.
    on_sqlite_with(
        |_| {},
        |s| async move {
            for i in 0..6 {
                fail_logins(&s, &format!("10.0.0.{i}"), 1).await;
            }
            assert_eq!(fail_logins(&s, "10.9.9.9", 1).await, StatusCode::TOO_MANY_REQUESTS);
            let rows = login_rows(&s).await;
            assert!(rows.len() >= 5 && rows.iter().all(|r| r.remote == "127.0.0.1"), "{rows:?}");
        },
    )
    .await;
    // Behind a trusted proxy on 127.0.0.1: each client is throttled apart,
    // and the audit log names the client.
    on_sqlite_with(
        |state| state.trusted_proxies = vec!["127.0.0.1".parse().unwrap()].into(),
        |s| async move {
            assert_eq!(fail_logins(&s, "203.0.113.7", 7).await, StatusCode::TOO_MANY_REQUESTS);
            // A forged first address does not change who the proxy saw.
            assert_eq!(fail_logins(&s, "198.51.100.1, 203.0.113.7", 1).await, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(fail_logins(&s, "203.0.113.8", 1).await, StatusCode::UNAUTHORIZED);
            let rows = login_rows(&s).await;
            assert!(rows.iter().any(|r| r.remote == "203.0.113.8"), "{rows:?}");
            assert!(rows.iter().all(|r| r.remote != "127.0.0.1"), "{rows:?}");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guesser_locks_an_account_only_for_its_own_address() {
    on_sqlite_with(
        |state| state.trusted_proxies = vec!["127.0.0.1".parse().unwrap()].into(),
        |s| async move {
            let owner = s.login("security").await;
            let from = |address: &'static str, password: String| {
                let c = s.anonymous();
                async move {
                    c.http
                        .post(format!("{}/api/session", c.base))
                        .header("x-forwarded-for", address)
                        .json(&json!({"username": "security", "password": password}))
                        .send()
                        .await
                        .unwrap()
                        .status()
                }
            };
            for _ in 0..5 {
                assert_eq!(from("203.0.113.66", "Guess-Guess-1".into()).await, StatusCode::UNAUTHORIZED);
                s.clock.advance(20 * SECOND);
            }
            // The guesser's address is locked out of the account, even with
            // the right password; its owner, elsewhere, is not, and stays
            // logged in.
            assert_eq!(from("203.0.113.66", s.passwords["security"].clone()).await, StatusCode::UNAUTHORIZED);
            assert_eq!(from("198.51.100.20", s.passwords["security"].clone()).await, StatusCode::OK);
            assert_eq!(owner.get("/api/session").await.0, StatusCode::OK, "the owner's session goes on");
            // A quarter of an hour later the address may try again.
            s.clock.advance(16 * MINUTE);
            assert_eq!(from("203.0.113.66", s.passwords["security"].clone()).await, StatusCode::OK);
        },
    )
    .await;
}

/// A `.docx` of 204 KB whose text inflates to 48 MiB, under every size limit:
/// 20 000 numbered tasks and more.
fn inflating_docx() -> Vec<u8> {
    use std::io::Write;
    let para = "<w:p><w:r><w:t>1. 推进医院建设，医院建设，医院建设。（牵头单位：县卫生健康局）</w:t></w:r></w:p>";
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\
         <w:p><w:r><w:t>某县大健康产业发展行动计划</w:t></w:r></w:p><w:p><w:r><w:t>一、重点任务</w:t></w:r></w:p>",
    );
    xml.push_str(&para.repeat(48 * 1024 * 1024 / para.len()));
    xml.push_str("</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/document.xml", xml),
    ];
    for (name, text) in parts {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inflating_docx_is_cancelled_at_its_time_limit_while_logins_are_answered() {
    fn hurried(state: &mut bighealth_server::AppState) {
        state.store = state.store.clone().with_import_limit(std::time::Duration::from_secs(3));
    }
    on_sqlite_with(hurried, |s| async move {
        let office = s.login("office").await;
        let doc = inflating_docx();
        assert!(doc.len() < 1024 * 1024, "a small file: {} bytes", doc.len());
        let started = std::time::Instant::now();
        let import = tokio::spawn(async move { office.upload("/api/plans?region=130000&name=big.docx", doc).await });
        let mut worst = std::time::Duration::ZERO;
        while !import.is_finished() {
            let t = std::time::Instant::now();
            let c = s.anonymous();
            let (status, _) =
                c.post("/api/session", &json!({"username": "leader", "password": s.passwords["leader"]})).await;
            assert_eq!(status, StatusCode::OK);
            worst = worst.max(t.elapsed());
        }
        let (status, body) = import.await.unwrap();
        // Cancelled at its limit (or read within it, on a fast machine):
        // either way logins were answered meanwhile and nothing half-stored.
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(body["error"]["code"], "import_timed_out", "{body}");
            assert!(s.store.plans(None, true).await.unwrap().iter().all(|p| p.region != "130000"));
        } else {
            assert!(status.is_success(), "{body}");
        }
        assert!(worst < std::time::Duration::from_secs(1), "a login waited {worst:?} behind the import");
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    })
    .await;
}
