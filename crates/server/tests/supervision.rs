//! Supervision over HTTP: the office tries the lag rules in a dry run, runs
//! them on a month where a task is reported 滞后, the unit signs, plans,
//! reports with evidence and asks to close, the office returns and then
//! accepts; roles hold; the 督办通知单 and 督办情况通报 open in python-docx
//! and, as PDFs, in pdftotext with the item's number and units; a template the office edits is
//! checked; on both backends.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lagging_task_opens_an_item_the_unit_answers_and_the_office_closes() {
    on_both(|s| async move {
        let plan = s.plans[1];
        let unit = s.reporter_unit;
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let key = format!("{}-{:02}", today.year(), today.month());
        let office = s.login("office").await;
        let reporter = s.login("reporter").await;
        let leader = s.login("leader").await;

        // The unit reports one task 滞后.
        let form_path = format!("/api/plans/{plan}/reports/{key}/{unit}");
        let (_, form) = reporter.get(&form_path).await;
        let entries: Vec<Value> = form["items"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(n, i)| match i["kind"].as_str().unwrap() {
                "task" if n == 0 => json!({"kind": "task", "item_id": i["item_id"], "status": "behind", "share": 10,
                    "progress": "前期手续办理中", "problems": "用地指标未落实"}),
                "task" => json!({"kind": "task", "item_id": i["item_id"], "status": "on_track", "share": 40, "progress": "按序时推进"}),
                "target" => json!({"kind": "target", "item_id": i["item_id"], "value": 1}),
                _ => json!({"kind": "project", "item_id": i["item_id"], "amount": 0}),
            })
            .collect();
        let lagging = entries[0]["item_id"].clone();
        assert_eq!(entries[0]["status"], "behind", "the form starts with a task");
        let (status, sent) = reporter.post(&format!("{form_path}/submit"), &json!({"entries": entries})).await;
        assert_eq!(status, StatusCode::OK, "{sent}");

        // Settings: a wrong 代字 is refused beside its field; the rule switched on.
        let (_, mut settings) = office.get(&format!("/api/plans/{plan}/supervision")).await;
        settings["prefix"] = json!("健督〔");
        let (status, err) = office.put(&format!("/api/plans/{plan}/supervision"), &settings).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("prefix_malformed")));
        assert_eq!(err["error"]["field"], "prefix");
        settings["prefix"] = json!("健督");
        for r in settings["rules"].as_array_mut().unwrap() {
            r["enabled"] = json!(r["rule"] == "task_lagging");
        }
        let (status, saved) = office.put(&format!("/api/plans/{plan}/supervision"), &settings).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (status, _) = reporter.put(&format!("/api/plans/{plan}/supervision"), &settings).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A dry run lists, opens nothing; the run opens the item with its evidence.
        let run = format!("/api/plans/{plan}/supervision/run");
        let (status, dry) = office.post(&run, &json!({"period": key, "dry_run": true})).await;
        assert_eq!(status, StatusCode::OK, "{dry}");
        let found = dry["found"].as_array().unwrap().iter().find(|f| f["cause"]["item_id"] == lagging).unwrap().clone();
        assert_eq!(found["outcome"], "open");
        let evidence = found["cause"]["evidence"].as_str().unwrap();
        assert!(evidence.contains("报送状态为“滞后”，完成进度 10%；存在问题：用地指标未落实"), "{evidence}");
        assert_eq!(office.get("/api/supervision/items").await.1["page"]["total"], 0);
        let (status, done) = office.post(&run, &json!({"period": key})).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        let f = done["found"].as_array().unwrap().iter().find(|f| f["cause"]["item_id"] == lagging).unwrap();
        let id = f["item_id"].as_i64().unwrap();
        assert_eq!(f["number"], format!("健督〔{}〕1号", today.year()));
        let (_, ledger) = leader.get("/api/supervision/items?rule=task_lagging&open=true").await;
        assert_eq!(ledger["page"]["items"][0]["id"], id, "{ledger}");
        assert_eq!(ledger["by_level"]["yellow"], 1);

        // The unit finds it in its inbox and runs the loop.
        let (_, inbox) = reporter.get("/api/supervision/inbox").await;
        assert!(inbox.as_array().unwrap().iter().any(|i| i["id"] == id), "{inbox}");
        let steps = format!("/api/supervision/items/{id}/steps");
        let (status, err) = reporter.post(&steps, &json!({"step": "accept"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("role_may_not")));
        for (step, note) in [("sign", ""), ("plan", "问题：用地指标；措施：调剂指标；责任人：李四；时限：12月底"), ("progress", "已提交用地预审")] {
            let body = if note.is_empty() { json!({"step": step}) } else { json!({"step": step, "note": note}) };
            let (status, item) = reporter.post(&steps, &body).await;
            assert_eq!(status, StatusCode::OK, "{step}: {item}");
        }
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let (status, file) = reporter.upload(&format!("/api/supervision/items/{id}/files?name=用地批复.pdf"), pdf.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{file}");
        let (_, bytes) = office.get_bytes(&format!("/api/supervision/files/{}", file["id"])).await;
        assert_eq!(bytes, pdf);
        let (status, _) = reporter.post(&steps, &json!({"step": "ask_close", "note": "用地指标已落实"})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = leader.post(&steps, &json!({"step": "comment", "note": "请严格验收"})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, err) = office.post(&steps, &json!({"step": "return"})).await;
        assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("note")));
        let (_, back) = office.post(&steps, &json!({"step": "return", "note": "请补充用地批复文件"})).await;
        assert_eq!(back["item"]["state"], "handling");
        reporter.post(&steps, &json!({"step": "ask_close", "note": "已补充"})).await;
        let (status, closed) = office.post(&steps, &json!({"step": "accept"})).await;
        assert_eq!((status, closed["item"]["state"].as_str()), (StatusCode::OK, Some("closed")), "{closed}");
        let timeline: Vec<&str> = closed["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(timeline, ["open", "sign", "plan", "progress", "ask_close", "comment", "return", "ask_close", "accept"]);
        assert_eq!(audit_rows(&s, "supervision_step").await.len(), 8);

        // The 督办通知单 opens in python-docx with its number, units and the red head.
        let (status, bytes) = leader.get_bytes(&format!("/api/supervision/items/{id}/notice.docx")).await;
        assert_eq!(status, StatusCode::OK);
        let doc = python_docx(&bytes);
        let text = text_of(&doc);
        assert!(text.contains(&format!("健督〔{}〕1号", today.year())), "{text}");
        assert!(text.contains("区卫生健康委") && text.contains("用地指标未落实"), "{text}");
        assert!(doc["colours"].as_array().unwrap().iter().any(|c| c[1] == "FF0000"), "a red head: {doc}");
        assert_eq!((doc["page"]["width_mm"].as_i64(), doc["page"]["top_mm"].as_i64()), (Some(210), Some(37)));
        let (status, _) = s.anonymous().get_bytes(&format!("/api/supervision/items/{id}/notice.docx")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // The same as a PDF: pdftotext reads the number and the unit from it.
        let (status, bytes) = leader.get_bytes(&format!("/api/supervision/items/{id}/notice.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(bytes.starts_with(b"%PDF"));
        let text = pdftotext(&bytes);
        assert!(text.contains(&format!("健督〔{}〕1号", today.year())) && text.contains("区卫生健康委"), "{text}");

        // The month's 督办情况通报 lists it in its annex table.
        let (status, bytes) = office.get_bytes(&format!("/api/plans/{plan}/supervision/bulletin.docx?month={key}")).await;
        assert_eq!(status, StatusCode::OK);
        let doc = python_docx(&bytes);
        let text = text_of(&doc);
        assert!(text.contains("督办情况通报"), "{text}");
        let rows: Vec<&Value> = doc["tables"].as_array().unwrap().iter().flat_map(|t| t.as_array().unwrap()).collect();
        assert!(rows.iter().any(|r| r.to_string().contains("健督〔") && r.to_string().contains("区卫生健康委")), "{doc}");

        let (status, bytes) = office.get_bytes(&format!("/api/plans/{plan}/supervision/bulletin.pdf?month={key}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(pdftotext(&bytes).contains("督办情况通报"));

        // The office edits the notice's wording: a broken template is refused with its line.
        let tpl = format!("/api/plans/{plan}/templates/supervision_notice");
        let (_, shipped) = office.get(&tpl).await;
        assert_eq!(shipped["own"], false);
        let (status, err) = office.put(&tpl, &json!({"text": "关于{{ item.number }}的督办通知\n{{ nonsense }}"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("template_broken")), "{err}");
        assert!(err["error"]["message"].as_str().unwrap().contains("第 2 行"), "{err}");
        let own = format!("{}\n请于三日内书面反馈。", shipped["text"].as_str().unwrap());
        let (status, _) = office.put(&tpl, &json!({"text": own})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, bytes) = office.get_bytes(&format!("/api/supervision/items/{id}/notice.docx")).await;
        assert!(text_of(&python_docx(&bytes)).contains("请于三日内书面反馈。"));

        // The same on the rules page: a broken template answered under its box; back to the shipped one.
        let page = format!("/supervision/templates?plan={plan}");
        let (status, html) = office.form(&page, &[("kind", "supervision_notice"), ("text", "{{ nonsense }}")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"err-template.supervision_notice\"") && html.contains("模板有误"), "{html}");
        let (status, _) = office.form(&page, &[("kind", "supervision_notice"), ("text", ""), ("reset", "1")]).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(office.get(&tpl).await.1["own"], false);
        let (status, _) = reporter.form(&page, &[("kind", "supervision_notice"), ("reset", "1")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // An item by hand, the holiday calendar, the tag.
        let (status, item) = office
            .post(&format!("/api/plans/{plan}/supervision/items"), &json!({"source": "meeting", "title": "推进医养结合试点",
                "body": "区政府常务会议议定：年底前建成医养结合试点2个。", "lead_unit": unit, "urgency": "urgent"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{item}");
        assert_eq!(item["item"]["number"], format!("健督〔{}〕2号", today.year()));
        let (status, err) = office.put("/api/holidays/2027", &json!({"text": "2027-01-01\t休\t元旦\nxx"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("calendar_line")));
        let (status, cal) = office.put("/api/holidays/2027", &json!({"text": "2027-01-01\t休\t元旦\n"})).await;
        assert_eq!((status, cal["imported"].as_bool()), (StatusCode::OK, Some(true)));
        let (_, doc) = s.anonymous().get("/api/openapi.json").await;
        assert_eq!(doc["paths"]["/api/supervision/items/{id}/steps"]["post"]["tags"][0], "supervision");
    })
    .await;
}
