//! The indicator system and key enterprises over HTTP: indicators defined
//! by the office, statistics imported with every wrong cell named, a
//! region's figures rolled up from its counties, ranked and downloadable as
//! .xlsx, a reported target counted in its region at the very next request
//! after approval; an enterprise with a wrong credit code refused, one
//! enterprise's account unable to read another's; the 统计监测 pages; on
//! both backends.

use crate::common::*;
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::{Actor, Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn indicator<'a>(figures: &'a Value, code: &str) -> &'a Value {
    figures["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator"]["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {figures}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_roll_up_from_imports_and_approved_reports() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let leader = s.login("leader").await;
        let reporter = s.login("reporter").await;
        let def = json!({"code": "JK01", "name": "健康产业增加值", "unit": "亿元", "industry_class": "01"});
        let (status, made) = office.post("/api/indicators", &def).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!(made["over_regions"], "sum");
        let (status, again) = office.post("/api/indicators", &def).await;
        assert_eq!((status, again["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("indicator_code_taken")));
        let (status, _) = reporter.post("/api/indicators", &json!({"code": "JK09", "name": "x"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, classes) = leader.get("/api/industry-classes").await;
        assert_eq!(classes.as_array().unwrap().len(), 13);

        // A file with a wrong cell stores nothing; a good one is stored.
        let bad = "指标代码,地区代码,期别,数值\nJK01,500114,2026-06,5\nJK01,500115,2026-13,6\n";
        let (status, err) = office.upload("/api/indicator-values", bad.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["code"], "statistics_file_cells");
        assert!(err["error"]["message"].as_str().unwrap().contains("C3："), "{err}");
        let good = "指标代码,地区代码,期别,数值\nJK01,500114,2026-06,5\nJK01,500115,2026-06,7.5\nPOP,500114,2025,50\n";
        let (status, stored) = office.upload("/api/indicator-values", good.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        assert_eq!(stored["values"], 3);
        let (status, _) = reporter.upload("/api/indicator-values", good.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, f) = leader.get("/api/regions/500000/figures?period=2026-06").await;
        assert_eq!(status, StatusCode::OK, "{f}");
        let jk = indicator(&f, "JK01");
        assert_eq!(jk["region"]["value"], 12.5);
        assert_eq!(jk["children"][0]["region"], "500115", "the larger first");
        assert_eq!(jk["children"][1]["per_10k"], 0.1, "5 亿元 over 50 万人");
        let (status, bytes) = leader.get_bytes("/api/regions/500000/figures.xlsx?period=2026-06").await;
        assert_eq!(status, StatusCode::OK);
        let book = openpyxl(&bytes);
        let rows = book["指标数据"]["rows"].as_array().unwrap();
        assert!(rows.iter().any(|r| r[0] == "JK01" && r[3] == "500115" && r[6] == "7.5"), "{rows:?}");
        let (status, side) = leader.get("/api/indicators/JK01/compare?regions=500114,500115&period=2026-06").await;
        assert_eq!(status, StatusCode::OK, "{side}");
        assert_eq!(side["regions"][0]["value"], 7.5);
        let (status, bad) = leader.get("/api/regions/500000/figures?period=六月").await;
        assert_eq!((status, bad["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("period")));

        // A target of 黔江区's plan linked to JK01 and reported: counted once approved.
        let plan = s.plans[1];
        let unit = s.reporter_unit;
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let key = format!("{}-{:02}", today.year(), today.month());
        let form_path = format!("/api/plans/{plan}/reports/{key}/{unit}");
        let (_, form) = reporter.get(&form_path).await;
        let target = form["items"].as_array().unwrap().iter().find(|i| i["kind"] == "target").expect("a target")["item_id"].clone();
        let (status, linked) = office.put(&format!("/api/targets/{target}/indicator"), &json!({"code": "JK01"})).await;
        assert_eq!(status, StatusCode::OK, "{linked}");
        let entries: Vec<Value> = form["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| match i["kind"].as_str().unwrap() {
                "task" => json!({"kind": "task", "item_id": i["item_id"], "status": "on_track", "share": 40, "progress": "按序时推进"}),
                "target" => json!({"kind": "target", "item_id": i["item_id"], "value": 9}),
                _ => json!({"kind": "project", "item_id": i["item_id"], "amount": 100}),
            })
            .collect();
        let (status, sent) = reporter.post(&format!("{form_path}/submit"), &json!({"entries": entries})).await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        let month = format!("/api/regions/500114/figures?period={key}");
        let (_, before) = leader.get(&month).await;
        let value = |f: &Value| f["indicators"].as_array().unwrap().iter().find(|i| i["indicator"]["code"] == "JK01").map(|i| i["region"]["value"].clone());
        assert_ne!(value(&before), Some(json!(9.0)), "submitted is not yet counted");
        let (status, _) = office.post(&format!("{form_path}/review"), &json!({"step": "approve"})).await;
        assert_eq!(status, StatusCode::OK);
        let (_, after) = leader.get(&month).await;
        if today.year() == 2026 && today.month() == 6 {
            assert_eq!(value(&after), Some(json!(5.0)), "the imported figure stands for its month");
        } else {
            assert_eq!(value(&after), Some(json!(9.0)), "approved: counted at the next request");
        }

        // The region's quarterly analysis, read by python-docx, pdftotext and openpyxl.
        let (status, bytes) = leader.get_bytes("/api/regions/500000/analysis/2026-Q2/docx").await;
        assert_eq!(status, StatusCode::OK);
        let doc = python_docx(&bytes);
        let text = text_of(&doc);
        for words in ["重庆市2026年第二季度大健康产业运行分析", "主要监测指标", "健康产业增加值：12.5亿元", "长寿区居首", "各地区规划推进情况表"] {
            assert!(text.contains(words), "{words} in {text}");
        }
        assert!(doc["images"].as_i64().unwrap() >= 1, "its charts drawn");
        let (status, pdf) = leader.get_bytes("/api/regions/500000/analysis/2026-Q2/pdf").await;
        assert_eq!(status, StatusCode::OK);
        assert!(pdftotext(&pdf).contains("主要监测指标"));
        let (status, bytes) = leader.get_bytes("/api/regions/500000/analysis/2026-Q2/xlsx").await;
        assert_eq!(status, StatusCode::OK);
        assert!(openpyxl(&bytes)["指标数据"]["rows"].as_array().unwrap().len() > 2);
        let (status, _) = leader.get("/api/regions/500000/analysis/2026-Q2/odt").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // Its paragraphs drafted from the figures, edited by the office, issued and kept.
        let quarter = "/api/regions/500000/analysis/quarters/2026-Q2";
        let (status, draft) = leader.get(quarter).await;
        assert_eq!(status, StatusCode::OK, "{draft}");
        assert_eq!(draft["saved"], false);
        assert!(draft["narrative"]["lead"].as_str().unwrap().contains("重庆市"), "{draft}");
        assert_eq!(draft["next_number"], "健析〔2026〕1号");
        let mut narrative = draft["narrative"].clone();
        narrative["lead"] = json!("");
        let (status, err) = office.put(quarter, &narrative).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["field"], "lead");
        narrative["lead"] = json!("二季度全市大健康产业稳中有进。");
        let (status, _) = leader.put(quarter, &narrative).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = office.put(quarter, &narrative).await;
        assert_eq!(status, StatusCode::OK);
        let (status, issued) = office.post(&format!("{quarter}/issue"), &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{issued}");
        assert_eq!(issued["number"], "健析〔2026〕1号");
        assert_eq!(issued["region"], "500000");
        assert_eq!(issued["files"].as_array().unwrap().len(), 3);
        let (_, reports) = leader.get("/api/regions/500000/analysis/reports").await;
        assert_eq!(reports.as_array().unwrap().len(), 1);
        let file = format!("/api/regions/500000/analysis/reports/{}/docx", issued["id"]);
        let (status, kept) = leader.get_bytes(&file).await;
        assert_eq!(status, StatusCode::OK);
        let text = text_of(&python_docx(&kept));
        assert!(text.contains("二季度全市大健康产业稳中有进") && text.contains("健析〔2026〕1号"), "{text}");
        let (status, _) =
            leader.get_bytes(&format!("/api/regions/500114/analysis/reports/{}/docx", issued["id"])).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another region's number is not this one's");
        let (_, draft) = leader.get(quarter).await;
        assert_eq!(draft["next_number"], "健析〔2026〕2号");
        assert_eq!(draft["issued"].as_array().unwrap().len(), 1);
        let (status, _, html) = leader.page("/analysis/quarterly?region=500000&quarter=2026-Q2").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("健析〔2026〕1号") && html.contains("重庆市"), "the page lists what was issued");
        let (status, progress) = leader.get("/api/regions/500000/progress").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(progress[0]["region"], "500000");
        assert!(progress[0]["plans"].as_i64().unwrap() >= 1, "{progress}");

        // The pages: the region with its ranking and its plans, the indicator system.
        let (status, _, html) = leader.page("/statistics?region=500000&period=2026-06&indicator=JK01").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"rank-500115\"") && html.contains("重庆市"), "{html}");
        assert!(html.contains(&format!("id=\"region-plan-{plan}\"")), "the plans of the region, to drill down");
        let (status, _, html) = leader.page("/statistics/indicators").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"indicator-JK01\"") && !html.contains("id=\"indicator-new\""), "a leader reads, does not add");
        let (status, html) = office.form("/statistics/indicators", &[("code", "坏 码"), ("name", "x")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("不能作指标代码"), "refused beside its field");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_account_reads_its_own_figures_only() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let new = |code: &str, name: &str| json!({"credit_code": code, "name": name, "region": "500114", "industry_class": "09", "size": "中型"});
        let (status, err) = office.post("/api/enterprises", &new("91350100M000100Y44", "甲药业公司")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((err["error"]["code"].as_str(), err["error"]["field"].as_str()), (Some("credit_code_check"), Some("credit_code")));
        let (status, a) = office.post("/api/enterprises", &new("91350100M000100Y43", "甲药业公司")).await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        let (_, b) = office.post("/api/enterprises", &new("91110000802100433B", "乙医疗器械公司")).await;

        // An account of its own, bound to the enterprise's unit.
        let password = generate_password();
        let user = NewUser {
            username: "qiye-a".into(),
            display_name: None,
            password: password.clone(),
            roles: vec![Role::Reporter],
            units: vec![a["unit_id"].as_i64().unwrap()],
        };
        s.store.create_user(&Actor::local("test", Role::SecurityAdmin), &user, bighealth_store::now_ms()).await.unwrap().done().unwrap();
        let mut me = s.anonymous();
        let (status, session) = me.post("/api/session", &json!({"username": "qiye-a", "password": password})).await;
        assert_eq!(status, StatusCode::OK, "{session}");
        me.csrf = session["csrf_token"].as_str().unwrap().to_string();

        let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
        let (status, saved) = me.put(&format!("/api/enterprises/{a}/figures"), &json!({"period": "2026-06", "values": {"revenue": 300, "employees": 40}})).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved[0]["values"]["revenue"], 300.0);
        let (status, refused) = me.get(&format!("/api/enterprises/{b}/figures")).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_your_enterprise")));
        let (status, refused) = me.put(&format!("/api/enterprises/{b}/figures"), &json!({"period": "2026-06", "values": {"revenue": 1}})).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_your_enterprise")));
        let (_, list) = me.get("/api/enterprises").await;
        assert_eq!(list.as_array().unwrap().len(), 1, "its own only");
        let (status, _, html) = me.page(&format!("/statistics/enterprises/{b}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
        let (status, _, html) = me.page(&format!("/statistics/enterprises/{a}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"figures-entry\"") && html.contains("300"));

        // The office imports the bureau's table; the figures add up by region.
        let table = "统一社会信用代码,期别,营业收入（万元）\n91110000802100433B,2026-06,700\n";
        let (status, n) = office.upload("/api/enterprise-figures", table.as_bytes().to_vec()).await;
        assert_eq!((status, n["figures"].as_i64()), (StatusCode::OK, Some(1)));
        let (_, f) = office.get("/api/regions/500000/figures?period=2026-06").await;
        assert_eq!(indicator(&f, "QY_REVENUE")["region"]["value"], 1000.0);
        let (status, html) = office.form("/statistics/enterprises", &[("credit_code", "123"), ("name", "丙"), ("region", "500114"), ("industry_class", "09"), ("size", "小型")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("不是统一社会信用代码"), "beside its field");
    })
    .await;
}
