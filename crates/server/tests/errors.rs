//! Bad input gets a 4xx with a JSON error naming the field, and changes nothing.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn snapshot(c: &Client, plan: i64) -> (Value, Value) {
    let (_, targets) = c.get(&format!("/api/targets?plan={plan}&limit=1000&deleted=true")).await;
    let (_, projects) = c.get("/api/projects?limit=1000&deleted=true").await;
    (targets, projects)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_name_the_field_and_change_nothing() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let plan = s.plans[1];
        let before = snapshot(&office, plan).await;
        let (_, targets) = office.get(&format!("/api/targets?plan={plan}")).await;
        let id = first(&targets)["id"].as_i64().unwrap();
        let path = format!("/api/targets/{id}");

        let (status, body) = office.patch_raw(&path, "{\"value\": 12,").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("line 1"), "{body}");

        let (status, body) = office.patch(&path, &json!({"value": "十二"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "value");

        let (status, body) = office.patch(&path, &json!({"valeu": 12})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("valeu"), "{body}");

        let (status, body) = office.patch(&path, &json!({"year": 1900})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["field"], "year");

        let (status, body) = office.patch(&path, &json!({"baseline_year": 2030, "year": 2020})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "year");

        let (status, body) = office.patch(&path, &json!({"comparator": "about"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["field"], "comparator");

        let (status, body) = office.patch("/api/targets/99999999", &json!({"value": 1})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = office.get("/api/targets/abc").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "id");
        let (status, body) = office.get("/api/tasks?plan=abc").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["field"], "plan");
        let (status, body) = office.get("/api/projects?sort=price").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["field"], "sort");

        let (status, body) = office.patch(&path, &json!({"indicator": "x".repeat(2 * 1024 * 1024)})).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

        let resp = office
            .http
            .patch(format!("{}{path}", s.base))
            .header("x-csrf-token", &office.csrf)
            .header("content-type", "text/plain")
            .body("value=1")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let (status, body) = office.patch(&format!("/api/projects/{}", 1), &json!({"status": "完成"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "status");

        // Files that are not plans.
        let (status, body) =
            office.upload("/api/plans?region=500114&name=notes.txt", "今天天气很好。\n".as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "file");
        let (status, body) = office.upload("/api/plans?region=500114&name=scan.pdf", b"%PDF-1.4 ...".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("PDF"));
        let (status, body) = office
            .upload(
                "/api/plans?region=999999&name=p.txt",
                std::fs::read(bighealth_store::testing::seed("003")).unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "region");
        let (status, body) = office.upload("/api/plans?name=p.txt", b"x".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], "region");

        assert_eq!(snapshot(&office, plan).await, before, "nothing stored changed");
        let (_, plans) = office.get("/api/plans").await;
        assert_eq!(plans.as_array().unwrap().len(), 2);
        let (status, body) = office.get("/api/nothing-here").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "no_endpoint");
        assert!(body["error"]["message"].as_str().unwrap().starts_with("没有这个地址"), "Chinese by default: {body}");
        let (status, body) = office.get_in("/api/tasks/abc", "en-US,en;q=0.9").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            (body["error"]["code"].as_str(), body["error"]["field"].as_str()),
            (Some("id_malformed"), Some("id"))
        );
        assert_eq!(body["error"]["args"]["raw"], "abc");
        assert!(body["error"]["message"].as_str().unwrap().contains("is not an id"), "English when asked: {body}");
        let (_, body) = office.get_in("/api/tasks/abc", "zh-CN,zh;q=0.9,en;q=0.8").await;
        assert!(body["error"]["message"].as_str().unwrap().contains("不是记录编号"), "{body}");
    })
    .await;
}
