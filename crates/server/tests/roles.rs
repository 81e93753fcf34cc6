//! Who may do what (三员分立 plus reporters and leaders), through the API.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_does_only_its_own_work() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let security = s.login("security").await;
        let auditor = s.login("auditor").await;
        let leader = s.login("leader").await;
        let reporter = s.login("reporter").await;
        let (_, targets) = office.get(&format!("/api/targets?plan={}", s.plans[0])).await;
        let target = first(&targets)["id"].as_i64().unwrap();
        let change = json!({"value": 42});
        let new_user = json!({"username": "someone", "password": "Long-enough-2026", "roles": ["leader"]});

        // Plan data: the office changes it; the security admin, the auditor
        // and the leader do not.
        for (who, c) in [("security", &security), ("auditor", &auditor), ("leader", &leader)] {
            let (status, body) = c.patch(&format!("/api/targets/{target}"), &change).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} changed a target: {body}");
        }
        assert_eq!(office.patch(&format!("/api/targets/{target}"), &change).await.0, StatusCode::OK);

        // Reading plans: not the auditor, not the security admin.
        assert_eq!(auditor.get("/api/plans").await.0, StatusCode::FORBIDDEN);
        assert_eq!(security.get("/api/tasks").await.0, StatusCode::FORBIDDEN);
        for c in [&office, &leader, &reporter] {
            assert_eq!(c.get("/api/plans").await.0, StatusCode::OK);
        }

        // Accounts: only the security admin.
        for (who, c) in [("office", &office), ("auditor", &auditor), ("leader", &leader), ("reporter", &reporter)] {
            assert_eq!(c.post("/api/users", &new_user).await.0, StatusCode::FORBIDDEN, "{who} created an account");
            assert_eq!(c.get("/api/users").await.0, StatusCode::FORBIDDEN, "{who} listed accounts");
        }
        assert_eq!(security.post("/api/users", &new_user).await.0, StatusCode::CREATED);

        // The audit log: only the auditor reads it, and it records the refusals.
        for (who, c) in [("office", &office), ("security", &security), ("leader", &leader), ("reporter", &reporter)] {
            assert_eq!(c.get("/api/audit").await.0, StatusCode::FORBIDDEN, "{who} read the audit log");
        }
        let (status, log) = auditor.get("/api/audit?limit=1000").await;
        assert_eq!(status, StatusCode::OK);
        let rows = log.as_array().unwrap();
        assert!(rows.iter().any(|r| r["action"] == "update_target" && r["username"] == "office"));
        assert!(rows.iter().any(|r| r["action"] == "create_user" && r["username"] == "security"));
        assert!(rows.iter().any(|r| r["outcome"] == "denied" && r["username"] == "leader"));
        assert!(rows.iter().any(|r| r["action"] == "login" && r["username"] == "auditor"));
        // Nobody can change or delete it: there is no such endpoint, for anyone.
        for c in [&office, &security, &auditor] {
            let (status, _) = c.delete("/api/audit").await;
            assert!(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED, "{status}");
        }
        assert_eq!(auditor.get("/api/audit/verify").await.1["intact"], true);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_changes_only_what_their_units_hold() {
    on_both(|s| async move {
        let reporter = s.login("reporter").await;
        let unit = s.reporter_unit;
        let (_, own) = reporter.get(&format!("/api/tasks?unit={unit}&plan={}", s.plans[1])).await;
        assert!(own["total"].as_i64().unwrap() > 0, "the reporter's unit holds tasks in seed 002");
        let own_task = first(&own)["id"].as_i64().unwrap();
        let (_, all) = reporter.get(&format!("/api/tasks?plan={}&limit=1000", s.plans[1])).await;
        let other = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| {
                let units: Vec<i64> = t["lead"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(t["responsible"].as_array().unwrap())
                    .map(|u| u["unit_id"].as_i64().unwrap())
                    .collect();
                !units.contains(&unit) && !units.is_empty()
            })
            .expect("a task of other units")["id"]
            .as_i64()
            .unwrap();
        let patch = json!({"deadline": "2026年底"});
        let (status, body) = reporter.patch(&format!("/api/tasks/{own_task}"), &patch).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = reporter.patch(&format!("/api/tasks/{other}"), &patch).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (_, after) = reporter.get(&format!("/api/tasks/{other}")).await;
        assert_ne!(after["deadline"], "2026年底");
        // Projects too.
        let (_, projects) = reporter.get(&format!("/api/projects?unit={unit}")).await;
        let own_project = first(&projects)["id"].as_i64().unwrap();
        let (_, all) = reporter.get("/api/projects?limit=1000").await;
        let other_project = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| !p["units"].as_array().unwrap().iter().any(|u| u["unit_id"].as_i64() == Some(unit)))
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let money = json!({"investment_wan": 1234.5});
        assert_eq!(reporter.patch(&format!("/api/projects/{own_project}"), &money).await.0, StatusCode::OK);
        assert_eq!(reporter.patch(&format!("/api/projects/{other_project}"), &money).await.0, StatusCode::FORBIDDEN);
        // Importing a plan is the office's.
        let (status, _) = reporter.upload("/api/plans?region=500114&name=x.txt", b"x".to_vec()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}
