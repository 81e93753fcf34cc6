//! Analysis over HTTP: a unit's month counts once the office approves it —
//! at the very next request, with no batch job — each target, task and
//! project with its status and reason; the office's thresholds, refused
//! beside their field when out of order and closed to a reporter; the
//! 进度分析 pages; on both backends.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn item<'a>(status: &'a Value, kind: &str, id: &Value) -> &'a Value {
    status["items"].as_array().unwrap().iter().find(|i| i["kind"] == kind && i["item_id"] == *id).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_month_is_judged_at_the_next_request() {
    on_both(|s| async move {
        let plan = s.plans[1];
        let unit = s.reporter_unit;
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let key = format!("{}-{:02}", today.year(), today.month());
        let office = s.login("office").await;
        let reporter = s.login("reporter").await;
        let leader = s.login("leader").await;

        let form_path = format!("/api/plans/{plan}/reports/{key}/{unit}");
        let (_, form) = reporter.get(&form_path).await;
        let entries: Vec<Value> = form["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| match i["kind"].as_str().unwrap() {
                "task" => json!({"kind": "task", "item_id": i["item_id"], "status": "on_track", "share": 40, "progress": "按序时推进"}),
                "target" => json!({"kind": "target", "item_id": i["item_id"], "value": 2}),
                _ => json!({"kind": "project", "item_id": i["item_id"], "amount": 100}),
            })
            .collect();
        let target = entries.iter().find(|e| e["kind"] == "target").expect("the unit reports a target")["item_id"].clone();
        let (status, sent) = reporter.post(&format!("{form_path}/submit"), &json!({"entries": entries})).await;
        assert_eq!(status, StatusCode::OK, "{sent}");

        // Submitted, not approved: not counted yet.
        let path = format!("/api/plans/{plan}/analysis?period={key}");
        let (status, before) = leader.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{before}");
        assert_eq!(item(&before, "target", &target)["judgement"]["status"], "not_reported");
        assert_eq!(before["span"]["first"], 2020, "黔江区's plan runs 2020–2025: {}", before["span"]);

        // Approved: the next request judges it.
        let (status, _) = office.post(&format!("{form_path}/review"), &json!({"step": "approve"})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, after) = leader.get(&path).await;
        let t = &item(&after, "target", &target)["judgement"];
        assert_eq!(t["actual"], 2.0);
        assert_eq!(t["year"]["year"], 2025);
        assert_eq!(t["year"]["source"], "plan_period");
        assert_ne!(t["status"], "not_reported", "{t}");
        let kinds = after["kinds"].as_array().unwrap();
        let targets = kinds.iter().find(|k| k["kind"] == "target").unwrap();
        let reported: i64 = targets["counts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] != "not_reported")
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert!(reported >= 1, "{targets}");
        let project = after["items"].as_array().unwrap().iter().find(|i| i["kind"] == "project" && i["unit_id"] == unit);
        if let Some(p) = project {
            assert!(p["judgement"]["reason"].as_str().unwrap().contains("计划年度投资"), "{p}");
        }

        // The data behind the chart and the table, as a workbook.
        let (status, bytes) = leader.get_bytes(&format!("/api/plans/{plan}/analysis.xlsx?period={key}")).await;
        assert_eq!(status, StatusCode::OK);
        let book = openpyxl(&bytes);
        assert_eq!(book["推进状态"]["charts"], 1);
        let rows = book["逐项状态"]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), after["items"].as_array().unwrap().len() + 1);
        assert!(rows.iter().any(|r| r[8] == t["reason"]), "every item with its reason");

        // Thresholds: the office's; out of order refused beside the field; a reporter may not.
        let settings = format!("/api/plans/{plan}/analysis/settings");
        let (_, current) = leader.get(&settings).await;
        assert_eq!(current, json!({"yellow_behind": 10.0, "red_behind": 30.0, "red_from_month": 3}));
        let wrong = json!({"yellow_behind": 30, "red_behind": 10, "red_from_month": 3});
        let (status, err) = office.put(&settings, &wrong).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((err["error"]["code"].as_str(), err["error"]["field"].as_str()), (Some("thresholds_order"), Some("yellow_behind")));
        let (status, _) = reporter.put(&settings, &json!({"yellow_behind": 5, "red_behind": 20, "red_from_month": 3})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, saved) = office.put(&settings, &json!({"yellow_behind": 5, "red_behind": 20, "red_from_month": 3})).await;
        assert_eq!((status, saved["red_behind"].as_f64()), (StatusCode::OK, Some(20.0)));
        assert_eq!(audit_rows(&s, "set_analysis_settings").await.len(), 1);

        // The pages: every plan, one plan with its reasons, filters checked.
        let (status, _, html) = leader.page("/analysis").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("/analysis?plan={plan}")), "every plan is listed");
        let (status, _, html) = leader.page(&format!("/analysis?plan={plan}&period={key}&kind=target")).await;
        assert_eq!(status, StatusCode::OK);
        let reason = t["reason"].as_str().unwrap();
        assert!(html.contains(reason), "the reason is on the page: {reason}");
        assert!(html.contains(&format!("value=\"{key}\" selected")), "the running month shown is the one chosen");
        assert!(html.contains("落后序时 5 个百分点起黄色预警"), "the thresholds used are said");
        assert!(!html.contains("id=\"analysis-settings\""), "a leader does not set thresholds");
        let (status, _, html) = leader.page(&format!("/analysis?plan={plan}&status=purple")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("红色警示"), "the allowed statuses are named in Chinese");
        let (status, html) = office
            .form(&format!("/analysis/settings?plan={plan}"), &[("yellow_behind", "20"), ("red_behind", "十"), ("red_from_month", "3")])
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("“十”不是数字"), "the letter is refused beside its field");
        let (status, _) = office
            .form(&format!("/analysis/settings?plan={plan}"), &[("yellow_behind", "10"), ("red_behind", "30"), ("red_from_month", "3")])
            .await;
        assert!(status.is_success() || status.is_redirection(), "{status}");
        assert_eq!(s.store.analysis_settings(plan).await.unwrap().red_behind, 30.0);

        // 中期评估: each target projected at its year's end at its pace.
        let projection = &t["projection"];
        assert!(projection["outlook"].is_string(), "{t}");
        let (status, _, html) = leader.page(&format!("/analysis/midterm?plan={plan}&period={key}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("id=\"midterm-{target}\"")), "every target has its row");
        assert!(html.contains("期末预计"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quarterly_analysis_is_drafted_edited_and_issued_unchanged() {
    on_both(|s| async move {
        let plan = s.plans[0];
        let office = s.login("office").await;
        let reporter = s.login("reporter").await;
        let leader = s.login("leader").await;
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let quarter = bighealth_rules::analysis::quarter::Quarter::ended_by(today);
        let base = format!("/api/plans/{plan}/analysis/quarters/{}", quarter.key());

        // Drafted from the figures until the office writes its own.
        let (status, draft) = leader.get(&base).await;
        assert_eq!(status, StatusCode::OK, "{draft}");
        assert_eq!(draft["saved"], false);
        assert_eq!(draft["label"], quarter.label());
        assert!(draft["narrative"]["lead"].as_str().unwrap().starts_with("截至"), "{draft}");
        assert_eq!(draft["next_number"], format!("健析〔{}〕1号", quarter.year));
        let (status, err) = leader.get(&format!("/api/plans/{plan}/analysis/quarters/2026-Q5")).await;
        assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("quarter")));

        // The office's paragraphs: an empty one refused beside its field; a reporter may not.
        let mine = json!({"lead": "本季度全州大健康产业总体平稳。", "problems": "项目投资进度偏慢。", "suggestions": "加快项目建设。"});
        let (status, err) = office.put(&base, &json!({"lead": "", "problems": "p", "suggestions": "s"})).await;
        assert_eq!((status, err["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("lead")));
        let (status, _) = reporter.put(&base, &mine).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = office.put(&base, &mine).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(leader.get(&base).await.1["narrative"], mine);

        // The document as it stands, read by python-docx, openpyxl and pdftotext.
        let (status, bytes) = leader.get_bytes(&format!("{base}/analysis.docx")).await;
        assert_eq!(status, StatusCode::OK);
        let doc = python_docx(&bytes);
        assert!(doc["images"].as_i64().unwrap() >= 1, "the statuses charted in the Word file: {}", doc["images"]);
        let text = text_of(&doc);
        let title = format!("{}运行分析", quarter.label());
        for words in [title.as_str(), "本季度全州大健康产业总体平稳。", "主要目标完成情况表", "存在问题", "健析〔"] {
            assert!(text.contains(words), "{words} in the document: {text}");
        }
        let (_, bytes) = leader.get_bytes(&format!("{base}/analysis.xlsx")).await;
        let book = openpyxl(&bytes);
        assert_eq!(book["推进状态"]["charts"], 1, "the counts come with their chart");
        let (_, status_now) = leader.get(&format!("/api/plans/{plan}/analysis")).await;
        let items = status_now["items"].as_array().unwrap().len();
        assert_eq!(book["逐项状态"]["rows"].as_array().unwrap().len(), items + 1, "one row per item under the header");
        let (_, pdf) = leader.get_bytes(&format!("{base}/analysis.pdf")).await;
        let text = pdftotext(&pdf);
        assert!(text.contains("运行分析") && text.contains("存在问题"), "{text}");
        assert!(text.contains("推进状态（项）"), "the chart set in the PDF: {text}");

        // Issued: numbered, its files kept byte for byte.
        let (status, _) = reporter.post(&format!("{base}/issue"), &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, issued) = office.post(&format!("{base}/issue"), &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{issued}");
        assert_eq!(issued["number"], format!("健析〔{}〕1号", quarter.year));
        assert_eq!(issued["narrative"], mine);
        let files = issued["files"].as_array().unwrap();
        assert_eq!(files.len(), 3);
        let id = issued["id"].as_i64().unwrap();
        let (_, docx) = leader.get_bytes(&format!("/api/analysis/reports/{id}/docx")).await;
        let sha = files.iter().find(|f| f["format"] == "docx").unwrap()["sha256"].as_str().unwrap().to_string();
        assert_eq!(bighealth_reader::sha256_hex(&docx), sha);
        let (status, _) = leader.get_bytes(&format!("/api/analysis/reports/{id}/exe")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, after) = leader.get(&base).await;
        assert_eq!(after["saved"], false, "the draft is done with");
        assert_eq!(after["next_number"], format!("健析〔{}〕2号", quarter.year));
        assert_eq!(after["issued"][0]["id"], id);
        let (_, list) = leader.get(&format!("/api/plans/{plan}/analysis/reports")).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(audit_rows(&s, "issue_quarter_report").await.len(), 1);
        // Whatever changes later, the issued file does not.
        office.put(&base, &json!({"lead": "改写", "problems": "p", "suggestions": "s"})).await;
        let (_, again) = leader.get_bytes(&format!("/api/analysis/reports/{id}/docx")).await;
        assert_eq!(again, docx);

        // The page: the paragraphs, the downloads, the versions issued.
        let (status, _, html) = office.page(&format!("/analysis/quarterly?plan={plan}&quarter={}", quarter.key())).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("改写") && html.contains(&format!("健析〔{}〕1号", quarter.year)), "{html}");
        let (status, html) = office
            .form(&format!("/analysis/quarterly/narrative?plan={plan}&quarter={}", quarter.key()), &[("lead", ""), ("problems", "p"), ("suggestions", "s")])
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"err-lead\""), "the empty paragraph is refused beside it");
    })
    .await;
}
