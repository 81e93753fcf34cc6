//! Corrections keep history and the audit log; deletion is a state that can
//! be undone; units merge and unmerge.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_target_keeps_its_previous_value() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let (_, targets) = office.get(&format!("/api/targets?plan={}", s.plans[0])).await;
        let t = first(&targets).clone();
        let id = t["id"].as_i64().unwrap();
        let (status, after) = office.patch(&format!("/api/targets/{id}"), &json!({"value": 777.5, "year": 2027})).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["value"], 777.5);
        assert_eq!(after["year"], 2027);
        let (_, history) = office.get(&format!("/api/targets/{id}/history")).await;
        let value = history.as_array().unwrap().iter().find(|h| h["field"] == "value").expect("value change kept");
        assert_eq!(value["old_value"], t["value"]);
        assert_eq!(value["new_value"], 777.5);
        assert_eq!(value["username"], "office");
        let year = history.as_array().unwrap().iter().find(|h| h["field"] == "year").unwrap();
        assert_eq!(year["old_value"], t["year"]);
        // Clearing a field with null.
        let (_, cleared) = office.patch(&format!("/api/targets/{id}"), &json!({"qualifier": null})).await;
        assert!(cleared["qualifier"].is_null());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_is_a_state_that_restore_undoes() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let (_, before) = office.get(&format!("/api/tasks?plan={}", s.plans[1])).await;
        let total = before["total"].as_i64().unwrap();
        let id = first(&before)["id"].as_i64().unwrap();
        let (status, task) = office.delete(&format!("/api/tasks/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(task["deleted_at"].is_i64());
        let (_, during) = office.get(&format!("/api/tasks?plan={}", s.plans[1])).await;
        assert_eq!(during["total"].as_i64().unwrap(), total - 1);
        let (_, with_deleted) = office.get(&format!("/api/tasks?plan={}&deleted=true", s.plans[1])).await;
        assert_eq!(with_deleted["total"].as_i64().unwrap(), total);
        assert_eq!(office.post(&format!("/api/tasks/{id}/restore"), &json!({})).await.0, StatusCode::OK);
        let (_, after) = office.get(&format!("/api/tasks?plan={}", s.plans[1])).await;
        assert_eq!(after["total"].as_i64().unwrap(), total);
        let (_, history) = office.get(&format!("/api/tasks/{id}/history")).await;
        let deleted: Vec<_> = history.as_array().unwrap().iter().filter(|h| h["field"] == "deleted").collect();
        assert_eq!(deleted.len(), 2);
        // A whole plan too.
        let plan = s.plans[0];
        assert_eq!(office.delete(&format!("/api/plans/{plan}")).await.0, StatusCode::OK);
        let (_, plans) = office.get("/api/plans").await;
        assert!(!plans.as_array().unwrap().iter().any(|p| p["id"] == plan));
        assert_eq!(office.post(&format!("/api/plans/{plan}/restore"), &json!({})).await.0, StatusCode::OK);
        let (_, plans) = office.get("/api/plans").await;
        assert!(plans.as_array().unwrap().iter().any(|p| p["id"] == plan && p["tasks"].as_i64() > Some(0)));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tasks_units_are_corrected_by_id_or_by_name() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let (_, tasks) = office.get(&format!("/api/tasks?plan={}", s.plans[0])).await;
        let t = first(&tasks).clone();
        let id = t["id"].as_i64().unwrap();
        let patch = json!({"lead": [s.reporter_unit], "responsible": ["州新设机构"]});
        let (status, after) = office.patch(&format!("/api/tasks/{id}"), &patch).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["lead"][0]["unit_id"], s.reporter_unit);
        assert_eq!(after["responsible"][0]["written"], "州新设机构");
        assert_eq!(after["responsible"][0]["confirmed"], false, "an unknown name becomes an unconfirmed unit");
        let (_, history) = office.get(&format!("/api/tasks/{id}/history")).await;
        let lead = history.as_array().unwrap().iter().find(|h| h["field"] == "lead").unwrap();
        let old: Vec<i64> = lead["old_value"].as_array().unwrap().iter().map(|p| p[0].as_i64().unwrap()).collect();
        let was: Vec<i64> = t["lead"].as_array().unwrap().iter().map(|u| u["unit_id"].as_i64().unwrap()).collect();
        assert_eq!(old, was);
        // The task now shows under the reporter's unit.
        let (_, mine) = office.get(&format!("/api/tasks?unit={}&plan={}", s.reporter_unit, s.plans[0])).await;
        assert_eq!(mine["total"], 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merging_a_unit_into_another_gathers_their_tasks_and_can_be_undone() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let (_, units) = office.get("/api/units?region=500114&confirmed=false").await;
        let units = units.as_array().unwrap().clone();
        // Pick an unconfirmed unit with tasks, other than the reporter's.
        let mut alias = None;
        for u in &units {
            let id = u["id"].as_i64().unwrap();
            if id == s.reporter_unit {
                continue;
            }
            let (_, t) = office.get(&format!("/api/tasks?unit={id}")).await;
            if t["total"].as_i64().unwrap() > 0 {
                alias = Some((id, t["total"].as_i64().unwrap()));
                break;
            }
        }
        let (alias, alias_tasks) = alias.expect("seed 002 has units with tasks");
        let into = s.reporter_unit;
        let (_, before) = office.get(&format!("/api/tasks?unit={into}")).await;
        let (_, both) = office.get(&format!("/api/tasks?unit={into}&limit=1000")).await;
        let overlap = {
            let (_, a) = office.get(&format!("/api/tasks?unit={alias}&limit=1000")).await;
            let ids: Vec<_> = both["items"].as_array().unwrap().iter().map(|t| t["id"].clone()).collect();
            a["items"].as_array().unwrap().iter().filter(|t| ids.contains(&t["id"])).count() as i64
        };
        let (status, merged) = office.post(&format!("/api/units/{alias}/merge"), &json!({"into": into})).await;
        assert_eq!(status, StatusCode::OK, "{merged}");
        assert_eq!(merged["merged_into"], into);
        let (_, after) = office.get(&format!("/api/tasks?unit={into}")).await;
        assert_eq!(after["total"].as_i64().unwrap(), before["total"].as_i64().unwrap() + alias_tasks - overlap);
        let (_, detail) = office.get(&format!("/api/units/{into}")).await;
        assert!(detail["merged"].as_array().unwrap().contains(&json!(alias)));
        // The merged unit no longer shows in the plain list.
        let (_, list) = office.get("/api/units?region=500114").await;
        assert!(!list.as_array().unwrap().iter().any(|u| u["id"] == alias));
        assert_eq!(office.post(&format!("/api/units/{alias}/unmerge"), &json!({})).await.0, StatusCode::OK);
        let (_, undone) = office.get(&format!("/api/tasks?unit={into}")).await;
        assert_eq!(undone["total"], before["total"]);
        let (_, history) = office.get(&format!("/api/units/{alias}/history")).await;
        assert_eq!(history.as_array().unwrap().iter().filter(|h| h["field"] == "merged_into").count(), 2);
    })
    .await;
}
