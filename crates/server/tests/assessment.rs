//! Annual assessment and public disclosure over HTTP: the scheme set, its
//! workbook downloaded, filled and imported (a wrong cell named, nothing
//! saved), the year scored with every point explained, a self-assessment
//! and its review, a veto applied, the result published with its 通报 read
//! by python-docx and pdftotext and its 限期整改 items in supervision; the
//! public page read anonymously with nothing private in it, and nothing
//! else readable without a login; on both backends.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sets cells of the first sheet of a workbook with openpyxl: `cells` as (`C3`, value).
fn edit_xlsx(bytes: &[u8], cells: &[(&str, &str)]) -> Vec<u8> {
    let dir = std::env::temp_dir();
    let stamp = format!("{}-{}", std::process::id(), bighealth_store::now_ms());
    let (input, output) = (dir.join(format!("bh-in-{stamp}.xlsx")), dir.join(format!("bh-out-{stamp}.xlsx")));
    std::fs::write(&input, bytes).unwrap();
    let script = "import json, sys, openpyxl\n\
wb = openpyxl.load_workbook(sys.argv[1])\n\
ws = wb.worksheets[0]\n\
for ref, v in json.loads(sys.argv[3]): ws[ref] = float(v) if v.replace('.', '', 1).isdigit() else v\n\
wb.save(sys.argv[2])";
    let cells = serde_json::to_string(cells).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&input)
        .arg(&output)
        .arg(&cells)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "openpyxl: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&output).unwrap()
}

fn unit_of(a: &Value, id: i64) -> &Value {
    a["units"].as_array().unwrap().iter().find(|u| u["unit_id"] == id).unwrap_or_else(|| panic!("unit {id} in {a}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_is_assessed_published_and_disclosed() {
    on_both(|s| async move {
        let plan = s.plans[1];
        let unit = s.reporter_unit;
        let office = s.login("office").await;
        let reporter = s.login("reporter").await;
        let anonymous = s.anonymous();
        let year = bighealth_rules::calendar::date_of(s.clock.now()).year();
        let base = format!("/api/plans/{plan}/assessment/{year}");

        // The defaults until the office saves a scheme.
        let (status, scheme) = office.get(&format!("{base}/scheme")).await;
        assert_eq!(status, StatusCode::OK, "{scheme}");
        assert_eq!(scheme["version"], 0);
        assert_eq!(scheme["scheme"]["items"].as_array().unwrap().len(), 5);

        // The workbook, filled offline: a wrong cell is named and nothing saved.
        let (status, book) = office.get_bytes(&format!("{base}/scheme.xlsx")).await;
        assert_eq!(status, StatusCode::OK);
        let read = openpyxl(&book);
        assert_eq!(read["考核方案"]["rows"][0][0], "代码");
        assert_eq!(read["考核方案"]["rows"][1][1], "目标完成");
        let bad = edit_xlsx(&book, &[("C3", "三十")]);
        let (status, err) = office.upload(&format!("{base}/scheme.xlsx"), bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["error"]["code"], "scheme_file_cells");
        assert!(err["error"]["message"].as_str().unwrap().contains("考核方案!C3"), "{err}");
        let (_, versions) = office.get(&format!("{base}/scheme/versions")).await;
        assert_eq!(versions.as_array().unwrap().len(), 0, "nothing saved from a file with an error");
        let good = edit_xlsx(&book, &[("C2", "45"), ("C3", "25")]);
        let (status, v1) = office.upload(&format!("{base}/scheme.xlsx"), good.clone()).await;
        assert_eq!(status, StatusCode::OK, "{v1}");
        assert_eq!(v1["version"], 1);
        assert_eq!(v1["scheme"]["items"][0]["points"], 45.0);
        let (status, _) = reporter.upload(&format!("{base}/scheme.xlsx"), good).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // On the page: a letter where points go comes back beside its cell, nothing saved.
        let fields = [
            ("key_0", "targets"),
            ("name_0", "目标完成"),
            ("points_0", "四十五"),
            ("rule_0", "目标完成（按完成比例）"),
            ("p1_0", "120"),
            ("p2_0", ""),
        ];
        let (status, html) = office.form(&format!("/assessment/{plan}/{year}/scheme"), &fields).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"err-points-0\"") && html.contains("四十五"), "{html}");
        let (_, versions) = office.get(&format!("{base}/scheme/versions")).await;
        assert_eq!(versions.as_array().unwrap().len(), 1);
        // Set as JSON: a scheme out of order is refused at its field.
        let mut wrong = v1["scheme"].clone();
        wrong["bands"] = json!({"excellent": 70, "good": 80, "pass": 60});
        let (status, err) = office.put(&format!("{base}/scheme"), &json!({"scheme": wrong})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["field"], "bands");

        // Scored from the year's data, every point with its reason.
        let (status, a) = office.get(&base).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!(a["scheme_version"], 1);
        let mine = unit_of(&a, unit);
        for item in mine["score"]["items"].as_array().unwrap() {
            assert!(!item["reason"].as_str().unwrap().is_empty(), "{item}");
        }
        let reporting = mine["score"]["items"].as_array().unwrap().iter().find(|i| i["key"] == "reporting").unwrap();
        assert!(reporting["reason"].as_str().unwrap().starts_with("应报"), "{reporting}");

        // Self-assessment by the unit, not by another's; the office reviews it.
        let me = json!({"scores": {"targets": 40, "reporting": 10}, "note": "按月报送，目标过半"});
        let (status, other) = reporter.post(&format!("{base}/self-assessments/{}", unit + 1), &me).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{other}");
        let (status, mine_self) = reporter.post(&format!("{base}/self-assessments/{unit}"), &me).await;
        assert_eq!(status, StatusCode::CREATED, "{mine_self}");
        let pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let (status, file) =
            reporter.upload(&format!("/api/self-assessments/{}/files?name=自评佐证.pdf", mine_self["id"]), pdf).await;
        assert_eq!(status, StatusCode::CREATED, "{file}");
        let (status, _) =
            office.post(&format!("/api/self-assessments/{}/review", mine_self["id"]), &json!({"reason": "与系统数据一致"})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        // The office's entries: a reporter may not; a veto fails the unit.
        let veto = json!({"unit_id": unit, "entry": {"kind": "veto"}, "reason": "统计数据弄虚作假"});
        let (status, _) = reporter.post(&format!("{base}/entries"), &veto).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let points = json!({"unit_id": unit, "entry": {"kind": "points", "item": "mechanism", "points": 8}, "reason": "专班已建"});
        let (status, e) = office.post(&format!("{base}/entries"), &points).await;
        assert_eq!(status, StatusCode::CREATED, "{e}");
        let (status, _) = office.post(&format!("{base}/entries"), &veto).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, explained) = reporter.get(&format!("{base}/units/{unit}")).await;
        assert_eq!(status, StatusCode::OK, "{explained}");
        assert_eq!(explained["place"]["grade"], "fail");
        assert_eq!(explained["score"]["veto"], "统计数据弄虚作假");
        assert_eq!(explained["self_total"], 50.0);
        let mechanism = explained["score"]["items"].as_array().unwrap().iter().find(|i| i["key"] == "mechanism").unwrap();
        assert_eq!(mechanism["points"], 8.0);
        assert_eq!(mechanism["evidence"][0]["kind"], "entry");

        // The pages' forms: a wrong figure comes back beside its field, nothing stored.
        let unit_page = format!("/assessment/{plan}/{year}/units/{unit}");
        let fields = [("kind", "points"), ("item", "mechanism"), ("points", "12"), ("level", ""), ("reason", "超过满分")];
        let (status, to, html) = office.multipart(&format!("{unit_page}/entries"), &fields, ("", vec![])).await;
        assert_eq!((status, to), (StatusCode::OK, None));
        assert!(html.contains("id=\"err-entry-points\"") && html.contains("0 到 10 之间"), "{html}");
        let fields = [("kind", "bonus"), ("item", ""), ("points", ""), ("level", "national"), ("reason", "国家级示范")];
        let (_, _, html) =
            office.multipart(&format!("{unit_page}/entries"), &fields, ("批文.exe", b"MZ\x90\x00".to_vec())).await;
        assert!(html.contains("批文.exe"), "the evidence of another type is refused beside its field: {html}");
        let fields = [("score_targets", "四十"), ("note", "自评")];
        let (status, _, html) = reporter.multipart(&format!("{unit_page}/self"), &fields, ("", vec![])).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"err-score-targets\""), "{html}");
        let (_, entries) = office.get(&format!("{base}/entries")).await;
        assert_eq!(entries.as_array().unwrap().len(), 2, "nothing stored from the refused forms");
        let (status, _, html) = office.page(&format!("/assessment/{plan}/{year}/scheme")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("第 1 版") && html.contains("由考核方案表导入"), "the versions listed");

        // Published: the 通报 read by independent readers, 限期整改 items opened.
        let (status, _) = reporter.post(&format!("{base}/publish"), &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, published) = office.post(&format!("{base}/publish"), &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{published}");
        let number = published["published"]["number"].as_str().unwrap().to_string();
        let (status, docx) = reporter.get_bytes(&format!("{base}/bulletin/docx")).await;
        assert_eq!(status, StatusCode::OK);
        let doc = python_docx(&docx);
        let text = text_of(&doc);
        assert!(text.contains("年度考核结果的通报"), "{text}");
        assert!(text.contains(&number));
        assert!(text.contains("一票否决"), "{text}");
        assert!(text.contains("区卫生健康委"));
        let (_, pdf) = office.get_bytes(&format!("{base}/bulletin/pdf")).await;
        let pdf_text = pdftotext(&pdf);
        assert!(pdf_text.contains(&number) && pdf_text.contains("一票否决"), "{pdf_text}");
        let (_, items) = office.get(&format!("/api/supervision/items?plan_id={plan}&source=assessment")).await;
        let opened = items["page"]["items"].as_array().unwrap();
        assert!(opened.iter().any(|i| i["lead_unit"]["id"] == unit), "{items}");
        let (status, err) = office.post(&format!("{base}/entries"), &points).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(err["error"]["code"], "assessment_published");
        assert!(!audit_rows(&s, "publish_assessment").await.is_empty());

        // Public disclosure: nothing until the office says so, then only figures.
        let (status, _) = anonymous.get(&format!("/api/public/plans/{plan}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = reporter.put(&format!("/api/plans/{plan}/disclosure"), &json!({"public": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let open = json!({"public": true, "targets": true, "projects": true, "tasks": true, "assessment": true, "intro": "依法公开"});
        let (status, _) = office.put(&format!("/api/plans/{plan}/disclosure"), &open).await;
        assert_eq!(status, StatusCode::OK);
        let (status, page) = anonymous.get(&format!("/api/public/plans/{plan}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(!page["targets"].as_array().unwrap().is_empty());
        assert_eq!(page["assessment"]["year"], year);
        let all = page.to_string();
        for private in ["按月报送", "与系统数据一致", "专班已建", "弄虚作假", "reporter", "office", "csrf"] {
            assert!(!all.contains(private), "{private} is not public: {all}");
        }
        let (status, _, html) = anonymous.page(&format!("/public/plans/{plan}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("依法公开") && html.contains("年度考核结果"), "{html}");
        let (_, list) = anonymous.get("/api/public/plans").await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        // Nothing else without a login.
        for path in [
            format!("/api/plans/{plan}"),
            base.clone(),
            format!("{base}/bulletin/pdf"),
            format!("/api/plans/{plan}/disclosure"),
            format!("/api/plans/{}", s.plans[0]),
        ] {
            let (status, _) = anonymous.get(&path).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        }
        let (status, _) = anonymous.get(&format!("/api/public/plans/{}", s.plans[0])).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a plan not made public does not exist for the public");
        let (status, location, _) = anonymous.page(&format!("/assessment/{plan}/{year}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(location.unwrap().starts_with("/login"));

        // The pages: the year, a unit explained down to its records.
        let (status, _, html) = office.page(&format!("/assessment/{plan}/{year}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&number), "the published number shows");
        let (status, _, html) = reporter.page(&format!("/assessment/{plan}/{year}/units/{unit}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("一票否决") && html.contains("缺报 −2"), "{html}");
        assert!(html.contains(&format!("reporting&#x2f;{plan}&#x2f;{year}-01&#x2f;{unit}")), "evidence links to the reports");

        // Third-party evaluation: an account of its own role, made by the
        // 安全管理员, granted one plan until a day by the office.
        let password = bighealth_store::accounts::generate_password();
        let new = bighealth_store::accounts::NewUser {
            username: "pinggu".into(),
            display_name: Some("某评估中心".into()),
            password: password.clone(),
            roles: vec![bighealth_store::Role::Evaluator],
            units: vec![],
        };
        let security = bighealth_store::Actor::local("test", bighealth_store::Role::SecurityAdmin);
        s.store.create_user(&security, &new, s.clock.now()).await.unwrap().done().unwrap();
        let mut evaluator = s.anonymous();
        let (status, refused) = evaluator.post("/api/session", &json!({"username": "pinggu", "password": password})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "not granted yet: {refused}");
        assert_eq!(refused["error"]["code"], "evaluator_not_granted");
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let until = today.checked_add(jiff::Span::new().days(30)).unwrap().to_string();
        let grant = json!({"username": "pinggu", "body": "某评估中心", "valid_until": until});
        let (status, _) = reporter.put(&format!("/api/plans/{plan}/evaluation/grants"), &grant).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, g) = office.put(&format!("/api/plans/{plan}/evaluation/grants"), &grant).await;
        assert_eq!(status, StatusCode::OK, "{g}");
        let (status, session) = evaluator.post("/api/session", &json!({"username": "pinggu", "password": password})).await;
        assert_eq!(status, StatusCode::OK, "{session}");
        evaluator.csrf = session["csrf_token"].as_str().unwrap().to_string();
        // Its plan, read only.
        let (status, _) = evaluator.get(&base).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = evaluator.get(&format!("/api/plans/{plan}/analysis")).await;
        assert_eq!(status, StatusCode::OK);
        let (status, api) = evaluator.get(&format!("/api/plans/{plan}/evaluation")).await;
        assert_eq!(status, StatusCode::OK, "{api}");
        let (status, _, html) = evaluator.page(&format!("/evaluation?plan={plan}")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for other in [format!("/api/plans/{}", s.plans[0]), "/api/units".into(), "/api/supervision/items".into()] {
            let (status, err) = evaluator.get(&other).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{other}: {err}");
            assert_eq!(err["error"]["code"], "not_your_plan");
        }
        let (status, _) = evaluator.post(&format!("{base}/entries"), &points).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "read-only");
        // Its report and findings; the office answers.
        let report = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let (status, file) = evaluator.upload(&format!("/api/plans/{plan}/evaluation/reports?name=评估报告.pdf"), report).await;
        assert_eq!(status, StatusCode::CREATED, "{file}");
        let finding = json!({"finding": "项目投资统计口径不一", "report_file": file["id"]});
        let (status, f) = evaluator.post(&format!("/api/plans/{plan}/evaluation/findings"), &finding).await;
        assert_eq!(status, StatusCode::CREATED, "{f}");
        let (status, answered) =
            office.post(&format!("/api/evaluation-findings/{}/answer", f["id"]), &json!({"answer": "已统一为财务支出口径"})).await;
        assert_eq!(status, StatusCode::OK, "{answered}");
        let (_, e) = office.get(&format!("/api/plans/{plan}/evaluation")).await;
        assert_eq!(e["reports"][0]["sha256"], file["sha256"]);
        assert_eq!(e["findings"][0]["answer"], "已统一为财务支出口径");
        let denied = audit_rows(&s, "access").await;
        assert!(denied.iter().any(|r| r["username"] == "pinggu" && r["outcome"] == "denied"), "{denied:?}");
        // Past its day: the session ends and the account cannot log in.
        s.clock.advance(32 * 86_400_000);
        let (status, _) = evaluator.get(&base).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, refused) = s.anonymous().post("/api/session", &json!({"username": "pinggu", "password": password})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(refused["error"]["code"], "evaluator_expired");
        assert!(refused["error"]["message"].as_str().unwrap().contains(&until));
    })
    .await;
}
