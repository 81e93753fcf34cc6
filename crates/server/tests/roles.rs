//! Who may do what (三员分立 plus reporters and leaders), through the API.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

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
async fn the_plan_is_the_offices_and_a_reporter_proposes_changes() {
    on_both(|s| async move {
        let reporter = s.login("reporter").await;
        let office = s.login("office").await;
        let unit = s.reporter_unit;
        let (_, own) = reporter.get(&format!("/api/tasks?unit={unit}&plan={}&role=lead", s.plans[1])).await;
        assert!(own["total"].as_i64().unwrap() > 0, "the reporter's unit leads tasks in seed 002");
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
        let (_, before) = reporter.get(&format!("/api/tasks/{own_task}")).await;

        // The issued plan is not the reporter's to change, even its own task;
        // nor to delete.
        let (status, body) = reporter.patch(&format!("/api/tasks/{own_task}"), &json!({"lead": [other]})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "plan_is_offices", "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("变更申请"), "{body}");
        let (status, body) = reporter.delete(&format!("/api/tasks/{own_task}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "delete_is_offices");
        let (_, after) = reporter.get(&format!("/api/tasks/{own_task}")).await;
        assert_eq!(after, before, "nothing changed");

        // It proposes, with a reason; the plan stays as issued meanwhile.
        let proposal = |id: i64, patch: Value, reason: &str| {
            json!({"entity": "task", "entity_id": id, "patch": patch, "reason": reason})
        };
        let (status, body) =
            reporter.post("/api/proposals", &proposal(own_task, json!({"deadline": "2026年底"}), "")).await;
        assert_eq!((status, body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
        let (status, body) = reporter
            .post("/api/proposals", &proposal(own_task, json!({"responsible": ["从未登记的单位"]}), "分工调整"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "unit_unknown_name", "a reporter never registers units: {body}");
        let (_, units_before) = office.get("/api/units?limit=1000").await;
        let (status, body) = reporter
            .post("/api/proposals", &proposal(other, json!({"deadline": "2026年底"}), "我单位也参与"))
            .await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_your_record")));
        let (status, made) = reporter
            .post("/api/proposals", &proposal(own_task, json!({"deadline": "2026年底"}), "工作量大，需延至年底"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!(made["state"], "pending");
        assert_eq!(made["fields"][0]["field"], "deadline");
        let (_, after) = reporter.get(&format!("/api/tasks/{own_task}")).await;
        assert_eq!(after["deadline"], before["deadline"], "the plan waits for the office");
        let (_, units_after) = office.get("/api/units?limit=1000").await;
        assert_eq!(units_after, units_before, "no unit was registered");
        let (_, pending) = office.get(&format!("/api/proposals?state=pending&plan={}", s.plans[1])).await;
        assert_eq!(pending.as_array().unwrap().len(), 1);

        // Only the office decides; approving applies the change with history.
        let id = made["id"].as_i64().unwrap();
        let (status, _) = reporter.post(&format!("/api/proposals/{id}/decision"), &json!({"approve": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, done) =
            office.post(&format!("/api/proposals/{id}/decision"), &json!({"approve": true, "note": "同意"})).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!((done["state"].as_str(), done["decided_by_name"].as_str()), (Some("approved"), Some("office")));
        let (_, after) = reporter.get(&format!("/api/tasks/{own_task}")).await;
        assert_eq!(after["deadline"], "2026年底");
        let (_, history) = office.get(&format!("/api/tasks/{own_task}/history")).await;
        assert!(history.as_array().unwrap().iter().any(|h| h["field"] == "deadline" && h["username"] == "office"));
        let (status, body) = office.post(&format!("/api/proposals/{id}/decision"), &json!({"approve": false})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("proposal_decided")));

        // A rejected proposal changes nothing.
        let (_, made) = reporter
            .post("/api/proposals", &proposal(own_task, json!({"deadline": "2027年"}), "再延一年"))
            .await;
        let id = made["id"].as_i64().unwrap();
        let (_, done) = office.post(&format!("/api/proposals/{id}/decision"), &json!({"approve": false})).await;
        assert_eq!(done["state"], "rejected");
        let (_, after) = reporter.get(&format!("/api/tasks/{own_task}")).await;
        assert_eq!(after["deadline"], "2026年底");

        // A target's value and year go through the office too; a proposal is
        // checked as the change would be.
        let (_, projects) = reporter.get(&format!("/api/projects?unit={unit}")).await;
        let own_project = first(&projects)["id"].as_i64().unwrap();
        let money = json!({"investment_wan": 1234.5});
        let (status, body) = reporter.patch(&format!("/api/projects/{own_project}"), &money).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("plan_is_offices")));
        let bad = json!({"entity": "project", "entity_id": own_project, "patch": {"investment_wan": -5}, "reason": "x"});
        let (status, body) = reporter.post("/api/proposals", &bad).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("negative")));

        // Every refusal is in the audit log.
        let items = audit_rows(&s, "refused").await;
        assert!(
            items.iter().any(|e| e["detail"].as_str().unwrap().contains("plan_is_offices") && e["username"] == "reporter"),
            "{items:?}"
        );
        // Importing a plan is the office's.
        let (status, _) = reporter.upload("/api/plans?region=500114&name=x.txt", b"x".to_vec()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}
