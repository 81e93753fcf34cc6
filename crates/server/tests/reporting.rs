//! Monthly dispatch over HTTP: a reporter fills and submits its month, the
//! office returns one item, the reporter fixes and resubmits, the office
//! approves; refusals name the field; roles hold; rates and the calendar
//! answer; on both backends.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Every item of a form filled as a complete report.
fn complete(form: &Value) -> Vec<Value> {
    form["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| match i["kind"].as_str().unwrap() {
            "task" => json!({"kind": "task", "item_id": i["item_id"], "status": "on_track", "share": 40, "progress": "按序时推进"}),
            "target" => json!({"kind": "target", "item_id": i["item_id"], "value": 1}),
            _ => json!({"kind": "project", "item_id": i["item_id"], "amount": 0}),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_submits_the_office_returns_and_approves() {
    on_both(|s| async move {
        let plan = s.plans[1];
        let unit = s.reporter_unit;
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let key = format!("{}-{:02}", today.year(), today.month());
        let reporter = s.login("reporter").await;
        let office = s.login("office").await;
        let form_path = format!("/api/plans/{plan}/reports/{key}/{unit}");

        let (status, due) = reporter.get("/api/reporting/due").await;
        assert_eq!(status, StatusCode::OK, "{due}");
        assert!(due.as_array().unwrap().iter().any(|d| d["plan_id"] == plan && d["unit_id"] == unit), "{due}");

        let (status, form) = reporter.get(&form_path).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        let task = form["items"].as_array().unwrap().iter().find(|i| i["kind"] == "task").unwrap()["item_id"].clone();

        // A share above 100: refused beside its field, in Chinese, nothing stored.
        let (status, err) = reporter
            .put(&form_path, &json!({"entries": [{"kind": "task", "item_id": task, "share": 150}]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["code"], "share_range");
        assert_eq!(err["error"]["field"], format!("task.{task}.share"));
        assert!(err["error"]["message"].as_str().unwrap().contains("0–100"), "{err}");
        assert!(reporter.get(&form_path).await.1["state"].is_null());

        // Submitted twice (a double click): one version.
        let entries = complete(&form);
        let (status, sent) = reporter.post(&format!("{form_path}/submit"), &json!({"entries": entries})).await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        assert_eq!((sent["state"].as_str(), sent["version"].as_i64()), (Some("submitted"), Some(1)));
        let (_, again) = reporter.post(&format!("{form_path}/submit"), &json!({"entries": entries})).await;
        assert_eq!(again["version"], 1);

        // Who may not.
        let leader = s.login("leader").await;
        let (status, err) = leader.post(&format!("{form_path}/review"), &json!({"step": "approve"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_may_not")));
        let (status, _) = reporter.post(&format!("{form_path}/review"), &json!({"step": "approve"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let other = format!("/api/plans/{plan}/reports/{key}/{}", unit + 1);
        let (status, err) = reporter.get(&other).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_your_form")));

        // Returned with a reason on one item; fixed; approved.
        let ret = json!({"step": "return", "items": [{"kind": "task", "item_id": task, "reason": "请补充具体进展"}]});
        let (status, back) = office.post(&format!("{form_path}/review"), &ret).await;
        assert_eq!((status, back["state"].as_str()), (StatusCode::OK, Some("returned")), "{back}");
        let (_, mine) = reporter.get(&form_path).await;
        let line = mine["items"].as_array().unwrap().iter().find(|i| i["item_id"] == task && i["kind"] == "task").unwrap();
        assert_eq!(line["returned_reason"], "请补充具体进展");
        let fix = json!({"entries": [{"kind": "task", "item_id": task, "status": "on_track", "share": 45, "progress": "完成项目立项"}]});
        let (status, resent) = reporter.post(&format!("{form_path}/submit"), &fix).await;
        assert_eq!((status, resent["version"].as_i64()), (StatusCode::OK, Some(3)), "{resent}");
        let (status, ok) = office.post(&format!("{form_path}/review"), &json!({"step": "approve"})).await;
        assert_eq!((status, ok["state"].as_str()), (StatusCode::OK, Some("approved")), "{ok}");

        let (_, versions) = office.get(&format!("{form_path}/versions")).await;
        let steps: Vec<&str> = versions.as_array().unwrap().iter().map(|v| v["step"].as_str().unwrap()).collect();
        assert_eq!(steps, ["submit", "return", "submit", "approve"]);

        // The calendar and the rates answer; the office's queue lists the unit.
        let (_, periods) = leader.get(&format!("/api/plans/{plan}/periods?year={}", today.year())).await;
        assert_eq!(periods.as_array().unwrap().len(), 12);
        let (status, rates) = leader.get(&format!("/api/plans/{plan}/rates")).await;
        assert_eq!(status, StatusCode::OK, "{rates}");
        assert!(rates["total"]["reported_pct"].as_f64().unwrap() <= 100.0);
        let (_, queue) = office.get(&format!("/api/plans/{plan}/reports/{key}")).await;
        assert!(queue.as_array().unwrap().iter().any(|f| f["unit_id"] == unit && f["state"] == "approved"), "{queue}");
        let (status, err) = office.get(&format!("/api/plans/{plan}/reports/2026-13")).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("period_key")));

        let (_, doc) = s.anonymous().get("/api/openapi.json").await;
        let op = &doc["paths"]["/api/plans/{id}/reports/{period}/{unit}/submit"]["post"];
        assert_eq!(op["tags"][0], "reporting");
    })
    .await;
}
