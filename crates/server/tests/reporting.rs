//! Monthly dispatch over HTTP: a reporter fills and submits its month, the
//! office returns one item, the reporter fixes and resubmits, the office
//! approves; refusals name the field; roles hold; rates and the calendar
//! answer; on both backends.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Seed 002's plan, the reporter's unit, and the month the server's clock is in.
fn this_month(s: &Server) -> (i64, i64, String) {
    let today = bighealth_rules::calendar::date_of(s.clock.now());
    (s.plans[1], s.reporter_unit, format!("{}-{:02}", today.year(), today.month()))
}

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
        let (plan, unit, key) = this_month(&s);
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
        let year = &key[..4];
        let (_, periods) = leader.get(&format!("/api/plans/{plan}/periods?year={year}")).await;
        assert_eq!(periods.as_array().unwrap().len(), 12);
        let (status, rates) = leader.get(&format!("/api/plans/{plan}/rates")).await;
        assert_eq!(status, StatusCode::OK, "{rates}");
        assert!(rates["total"]["reported_pct"].as_f64().unwrap() <= 100.0);
        let (_, queue) = office.get(&format!("/api/plans/{plan}/reports/{key}")).await;
        assert!(queue.as_array().unwrap().iter().any(|f| f["unit_id"] == unit && f["state"] == "approved"), "{queue}");
        let (status, err) = office.get(&format!("/api/plans/{plan}/reports/2026-13")).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("period_key")));

        // The office sets the calendar on its page: a due day out of range is
        // refused, a renamed status is kept.
        let (status, html) = office.form(&format!("/reporting/{plan}"), &[("cycle", "monthly"), ("due_day", "40")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("超出范围"), "{html}");
        let fields = [("cycle", "monthly"), ("due_day", "10"), ("grace_days", "2"), ("lock_days", "30"), ("status_names.behind", "欠进度")];
        let (status, _) = office.form(&format!("/reporting/{plan}"), &fields).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, schedule) = leader.get(&format!("/api/plans/{plan}/reporting")).await;
        assert_eq!((schedule["due_day"].as_i64(), schedule["status_names"]["behind"].as_str()), (Some(10), Some("欠进度")));
        let (status, _) = leader.form(&format!("/reporting/{plan}"), &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Evidence on an item: kept with its SHA-256, downloaded as it was;
        // a program is not evidence.
        let png = b"\x89PNG\r\n\x1a\n a photo of the site".to_vec();
        let at = format!("{form_path}/attachments?kind=task&item={task}&name=现场照片.png");
        let (status, a) = reporter.upload(&at, png.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(a["content_type"], "image/png");
        let (_, bytes) = office.get_bytes(&format!("/api/attachments/{}", a["id"])).await;
        assert_eq!(bytes, png);
        let (_, mine) = reporter.get(&form_path).await;
        let line = mine["items"].as_array().unwrap().iter().find(|i| i["item_id"] == task && i["kind"] == "task").unwrap();
        assert_eq!(line["attachments"][0]["file_name"], "现场照片.png");
        let (status, err) =
            reporter.upload(&format!("{form_path}/attachments?kind=task&item={task}&name=a.pdf"), b"MZ\x90\x00".to_vec()).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("attachment_type")));
        let (status, _) = leader.upload(&at, png).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (_, doc) = s.anonymous().get("/api/openapi.json").await;
        let op = &doc["paths"]["/api/plans/{id}/reports/{period}/{unit}/submit"]["post"];
        assert_eq!(op["tags"][0], "reporting");
    })
    .await;
}

/// Runs `report_form.py` (openpyxl) on `args`; answers what it printed.
fn openpyxl(args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/report_form.py");
    let out = std::process::Command::new("python3").arg(script).args(args).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "report_form.py {args:?} failed (scripts/test installs openpyxl): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_month_through_the_excel_form_both_ways() {
    on_both(|s| async move {
        let (plan, unit, key) = this_month(&s);
        let reporter = s.login("reporter").await;
        let office = s.login("office").await;
        let form_path = format!("/api/plans/{plan}/reports/{key}/{unit}");
        let dir = tempfile_dir();
        let file = |name: &str| dir.join(name).to_string_lossy().into_owned();

        // Downloaded: locked labels, drop-downs, checks, a hidden sheet naming it.
        let (status, bytes) = reporter.get_bytes(&format!("{form_path}/xlsx")).await;
        assert_eq!(status, StatusCode::OK);
        std::fs::write(file("blank.xlsx"), &bytes).unwrap();
        let seen: Value = serde_json::from_str(&openpyxl(&["inspect", &file("blank.xlsx")])).unwrap();
        assert_eq!(seen["hidden"], json!(["表单信息"]));
        let tasks = &seen["进度表"];
        assert_eq!(tasks["headers"][4], "完成进度（%）");
        assert!(tasks["protected"].as_bool().unwrap() && tasks["id_locked"].as_bool().unwrap());
        assert_eq!(tasks["input_unlocked"][3], true, "the status cell is open");
        assert!(tasks["lists"][0].as_str().unwrap().contains("序时推进"), "{tasks}");
        assert!(tasks["rows"].as_i64().unwrap() > 0);

        // Three wrong cells: all three named, nothing stored.
        openpyxl(&["fill-bad", &file("blank.xlsx"), &file("bad.xlsx")]);
        let (status, err) =
            reporter.upload(&format!("{form_path}/xlsx?submit=true"), std::fs::read(file("bad.xlsx")).unwrap()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["error"]["code"], "form_file_cells");
        let message = err["error"]["message"].as_str().unwrap();
        assert_eq!(err["error"]["args"]["count"], 3, "{message}");
        assert!(message.contains("进度表!D3") && message.contains("F2"), "{message}");
        assert!(reporter.get(&form_path).await.1["state"].is_null(), "nothing stored");
        // A share above 100 is found by the same checks as the page's.
        let one_wrong = {
            openpyxl(&["fill", &file("blank.xlsx"), &file("good.xlsx")]);
            std::fs::read(file("good.xlsx")).unwrap()
        };

        // The same file on the form page: every cell named above the form.
        let page = format!("/reporting/{plan}/{key}/{unit}/xlsx");
        let bad = std::fs::read(file("bad.xlsx")).unwrap();
        let (status, _, html) = reporter.multipart(&page, &[("action", "submit")], ("bad.xlsx", bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("进度表!D3") && html.contains("id=\"err-file\""), "the page names the cells");

        // A changed layout, another unit's file: refused with the reason.
        openpyxl(&["break", &file("blank.xlsx"), &file("broken.xlsx")]);
        let (status, err) =
            reporter.upload(&format!("{form_path}/xlsx"), std::fs::read(file("broken.xlsx")).unwrap()).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("form_file_layout")),
            "{err}"
        );
        let (_, queue) = office.get(&format!("/api/plans/{plan}/reports/{key}")).await;
        let other =
            queue.as_array().unwrap().iter().map(|f| f["unit_id"].as_i64().unwrap()).find(|u| *u != unit).unwrap();
        let (_, theirs) = office.get_bytes(&format!("/api/plans/{plan}/reports/{key}/{other}/xlsx")).await;
        let (status, err) = reporter.upload(&format!("{form_path}/xlsx"), theirs).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("form_file_other")),
            "{err}"
        );

        // The right file, uploaded on the page, saves a draft; through the
        // API, it submits the month.
        let (status, to, _) = reporter.multipart(&page, &[("action", "save")], ("good.xlsx", one_wrong.clone())).await;
        assert_eq!(
            (status, to.as_deref()),
            (StatusCode::NO_CONTENT, Some(format!("/reporting/{plan}/{key}/{unit}?note=saved").as_str()))
        );
        assert_eq!(reporter.get(&form_path).await.1["state"], "draft");
        let (status, sent) = reporter.upload(&format!("{form_path}/xlsx?submit=true"), one_wrong).await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        assert_eq!(sent["state"], "submitted");
        assert!(sent["items"].as_array().unwrap().iter().all(|i| !i["entry"].is_null()));

        // The office's files: every unit's form in a zip, the consolidated table.
        let (status, zip) = office.get_bytes(&format!("/api/plans/{plan}/reports/{key}/forms.zip")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(zip.starts_with(b"PK"));
        let (status, _) = reporter.get_bytes(&format!("/api/plans/{plan}/reports/{key}/forms.zip")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, table) = office.get_bytes(&format!("/api/plans/{plan}/reports/{key}/summary.xlsx")).await;
        assert_eq!(status, StatusCode::OK);
        std::fs::write(file("summary.xlsx"), &table).unwrap();
        let check = "import openpyxl,sys; b=openpyxl.load_workbook(sys.argv[1]); ws=b['进度表']; \
                     print(sum(1 for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and r[3] == '序时推进'))";
        let out = std::process::Command::new("python3").args(["-c", check, &file("summary.xlsx")]).output().unwrap();
        let rows: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
        assert!(rows > 0, "the consolidated table holds the submitted tasks: {}", String::from_utf8_lossy(&out.stderr));
    })
    .await;
}

/// A fresh directory for files of one test.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bh-xlsx-{}-{}", std::process::id(), bighealth_store::now_ms()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The local SMTP and HTTP sinks (`sinks.py`): their ports, the directory
/// they write to, and the process (stopped when dropped).
struct Sinks {
    smtp: u16,
    http: u16,
    dir: std::path::PathBuf,
    _process: std::process::Child,
}

impl Drop for Sinks {
    fn drop(&mut self) {
        let _ = self._process.kill();
    }
}

impl Sinks {
    fn start() -> Sinks {
        use std::io::BufRead;
        let dir = tempfile_dir();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sinks.py");
        let mut process = std::process::Command::new("python3")
            .arg(script)
            .arg(&dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        std::io::BufReader::new(process.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let ports: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("sinks.py did not start (scripts/test installs aiosmtpd): {line:?}"));
        Sinks {
            smtp: ports["smtp"].as_u64().unwrap() as u16,
            http: ports["http"].as_u64().unwrap() as u16,
            dir,
            _process: process,
        }
    }

    /// What the sinks kept, by kind (`mail`, `post`).
    fn kept(&self, kind: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(&format!("{kind}-")) && name.ends_with(".json") {
                out.push(serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap());
            }
        }
        out
    }

    fn clear(&self) {
        for e in std::fs::read_dir(&self.dir).unwrap() {
            let _ = std::fs::remove_file(e.unwrap().path());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_go_out_as_one_digest_per_unit_and_day_by_mail_and_group_robots() {
    let sinks = std::sync::Arc::new(Sinks::start());
    let smtp = format!("smtp://127.0.0.1:{}", sinks.smtp);
    let configure = move |state: &mut bighealth_server::AppState| {
        let notifier = bighealth_server::notify::Notifier::new(Some(&smtp), "bighealth@dajiankang.gov.cn").unwrap();
        state.notifier = std::sync::Arc::new(notifier);
    };
    let shared = sinks.clone();
    on_both_with(configure, move |s| {
        let sinks = shared.clone();
        async move {
            sinks.clear();
            let (plan, unit, key) = this_month(&s);
            let office = s.login("office").await;

            // Where reminders go: two addresses for the unit, two robots for the plan.
            let (status, _) =
                office.put(&format!("/api/units/{unit}/contacts"), &json!({"emails": ["not an address"]})).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            let emails = json!({"emails": ["ban@qjwjw.gov.cn", "li@qjwjw.gov.cn"]});
            let (status, _) = office.put(&format!("/api/units/{unit}/contacts"), &emails).await;
            assert_eq!(status, StatusCode::OK);
            let (_, mut schedule) = office.get(&format!("/api/plans/{plan}/reporting")).await;
            schedule["webhooks"] = json!([
                {"kind": "wecom", "url": format!("http://127.0.0.1:{}/cgi-bin/webhook/send?key=demo", sinks.http)},
                {"kind": "dingtalk", "url": format!("http://127.0.0.1:{}/robot/send?access_token=demo", sinks.http)},
            ]);
            let (status, body) = office.put(&format!("/api/plans/{plan}/reporting"), &schedule).await;
            assert_eq!(status, StatusCode::OK, "{body}");

            // A reminder: each unit's digest goes out once on each channel.
            let (status, first) = office
                .post(&format!("/api/plans/{plan}/reports/{key}/reminders"), &json!({"note": "请今日报送"}))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{first}");
            let units = first["units"].as_array().unwrap().len();
            assert!(units > 1 && first["units"].as_array().unwrap().contains(&json!(unit)));
            let sent = |v: &Value, outcome: &str| {
                v["sent"].as_array().unwrap().iter().filter(|d| d["outcome"] == outcome).count()
            };
            assert_eq!(sent(&first, "failed"), 0, "{first}");
            // A second reminder the same day sends nothing twice.
            let (_, second) = office.post(&format!("/api/plans/{plan}/reports/{key}/reminders"), &json!({})).await;
            assert_eq!(sent(&second, "sent"), 0, "{second}");
            assert!(sent(&second, "already") > 0);

            let mails = sinks.kept("mail");
            assert_eq!(mails.len(), 2, "one mail to each of the unit's two addresses: {mails:?}");
            for m in &mails {
                assert!(m["subject"].as_str().unwrap().starts_with("【催报】区卫生健康委"), "{m}");
                assert!(m["body"].as_str().unwrap().contains("请今日报送"), "{m}");
            }
            let posts = sinks.kept("post");
            assert_eq!(posts.len(), units * 2, "one digest per unit on each of the two robots");
            for p in &posts {
                assert_eq!(p["body"]["msgtype"], "text");
                assert!(p["body"]["text"]["content"].as_str().unwrap().contains("【催报】"), "{p}");
            }
            let wecom =
                posts.iter().filter(|p| p["path"].as_str().unwrap().starts_with("/cgi-bin/webhook/send")).count();
            assert_eq!(wecom, units);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_uploaded_beside_its_item_on_the_form_page() {
    on_both(|s| async move {
        let plan = s.plans[1];
        let unit = s.reporter_unit;
        let today = bighealth_rules::calendar::date_of(s.clock.now());
        let key = format!("{}-{:02}", today.year(), today.month());
        let reporter = s.login("reporter").await;
        let (_, form) = reporter.get(&format!("/api/plans/{plan}/reports/{key}/{unit}")).await;
        let item =
            form["items"].as_array().unwrap().iter().find(|i| i["kind"] == "task").expect("a task")["item_id"].clone();
        let page = format!("/reporting/{plan}/{key}/{unit}");
        let (status, _, html) = reporter.page(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("id=\"attach-task-{item}\"")), "an upload box per item");

        // A file of a type not taken: refused beside its item, nothing kept.
        let path = format!("{page}/attach?kind=task&item={item}");
        let (status, _, html) = reporter.multipart(&path, &[], ("setup.exe", b"MZ\x90\x00".to_vec())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains(&format!("id=\"err-attach.task.{item}\"")) && html.contains("不是可上传的佐证材料"),
            "{html}"
        );

        // A PDF: kept with its SHA-256, listed on the item, downloadable.
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let (status, to, _) = reporter.multipart(&path, &[], ("验收照片.pdf", pdf.clone())).await;
        assert!(status.is_success(), "{status}");
        assert!(to.unwrap().contains("note=attached"));
        let (_, form) = reporter.get(&format!("/api/plans/{plan}/reports/{key}/{unit}")).await;
        let listed =
            form["items"].as_array().unwrap().iter().find(|i| i["item_id"] == item).unwrap()["attachments"].clone();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
        let (_, bytes) = reporter.get_bytes(&format!("/api/attachments/{}", listed[0]["id"])).await;
        assert_eq!(bytes, pdf);
        let (status, _, _) = s.login("leader").await.multipart(&path, &[], ("a.pdf", pdf)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a leader attaches nothing");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responsible_unit_adds_its_part_and_the_lead_unit_sees_it_on_its_form() {
    on_both(|s| async move {
        let (plan, lead, key) = this_month(&s);
        let reporter = s.login("reporter").await;
        let (_, form) = reporter.get(&format!("/api/plans/{plan}/reports/{key}/{lead}")).await;
        let mut found = None;
        for item in form["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "task") {
            let task = item["item_id"].as_i64().unwrap();
            let helper: Option<i64> = sqlx::query_scalar(
                "SELECT unit_id FROM task_units WHERE task_id = $1 AND role = 'responsible' AND unit_id <> $2 \
                 ORDER BY position LIMIT 1",
            )
            .bind(task)
            .bind(lead)
            .fetch_optional(s.store.pool())
            .await
            .unwrap();
            if let Some(h) = helper {
                found = Some((task, h));
                break;
            }
        }
        let (task, helper) = found.expect("a task of 区卫生健康委 names a responsible unit");
        let partner = s.reporter_of("peihe", helper).await;
        let parts_path = format!("/api/plans/{plan}/reports/{key}/{helper}/parts");

        let (status, parts) = partner.get(&parts_path).await;
        assert_eq!(status, StatusCode::OK, "{parts}");
        assert!(parts["tasks"].as_array().unwrap().iter().any(|t| t["task_id"] == task), "{parts}");
        // Another unit's parts are not the lead's to write.
        let (status, err) = reporter.put(&parts_path, &json!([{"task_id": task, "progress": "x"}])).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_your_form")));
        let (status, err) = partner.put(&parts_path, &json!([{"task_id": task, "progress": "  "}])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["field"], "parts[0].progress");

        // The page: the reporter's month lists the plan; a part too long is refused beside its field.
        let (status, _, html) = partner.page("/reporting").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("配合任务") && html.contains(&format!("/{helper}/parts")), "{html}");
        let page = format!("/reporting/{plan}/{key}/{helper}/parts");
        let long = "很".repeat(5_001);
        let progress = format!("progress.{task}");
        let (status, html) = partner.form(&page, &[(progress.as_str(), long.as_str())]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(html.contains(&format!("id=\"err-{progress}\"")), "the message beside the field: {html}");
        assert!(html.contains(&long), "what was typed is kept");
        let (status, html) = partner.form(&page, &[(progress.as_str(), "已完成项目选址，正在办理用地手续")]).await;
        assert!(status.is_success(), "{html}");
        let (_, _, html) = partner.page(&page).await;
        assert!(html.contains("已完成项目选址，正在办理用地手续"), "{html}");

        // The lead unit sees it beside the task, over the API and on its form page.
        let (_, form) = reporter.get(&format!("/api/plans/{plan}/reports/{key}/{lead}")).await;
        let item = form["items"].as_array().unwrap().iter().find(|i| i["item_id"] == task).unwrap();
        assert_eq!(item["parts"][0]["unit_id"], helper, "{item}");
        assert_eq!(item["parts"][0]["progress"], "已完成项目选址，正在办理用地手续");
        let (_, _, html) = reporter.page(&format!("/reporting/{plan}/{key}/{lead}")).await;
        assert!(html.contains("责任单位报送") && html.contains("已完成项目选址，正在办理用地手续"), "{html}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_county_plans_office_reports_its_part_of_the_prefecture_plan() {
    on_both(|s| async move {
        let zhou = s.plans[0];
        let (_, _, key) = this_month(&s);
        let office = s.login("office").await;
        // 凯里市's plan implements seed 001 (the 州's), its office named on its calendar page.
        let text = "2026年凯里市大健康产业发展工作要点\n一、重点任务\n（一）建设康养基地。建成康养基地1个。（牵头单位：市民政局）\n";
        let (status, imported) = office
            .upload(&format!("/api/plans?name=kaili.txt&region=522601&parent={zhou}"), text.as_bytes().to_vec())
            .await;
        assert!(status.is_success(), "{imported}");
        let child = imported["plan_id"].as_i64().unwrap();
        let (status, unit) = office.post("/api/units", &json!({"name": "凯里市大健康办", "region": "522601"})).await;
        assert!(status.is_success(), "{unit}");
        let unit = unit["id"].as_i64().unwrap();
        let (status, html) = office.form(&format!("/reporting/{child}"), &[("default_unit", "x")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        let (status, html) = office.form(&format!("/reporting/{child}"), &[("default_unit", &unit.to_string())]).await;
        assert!(status.is_success(), "{html}");
        let (_, schedule) = office.get(&format!("/api/plans/{child}/reporting")).await;
        assert_eq!(schedule["default_unit"], unit, "{schedule}");
        let (_, _, html) = office.page(&format!("/reporting/{child}")).await;
        assert!(html.contains("本级大健康办：凯里市大健康办") && html.contains("代表本地区向上级规划"), "{html}");
        let (_, _, html) = office.page(&format!("/reporting/{zhou}")).await;
        assert!(html.contains("凯里市大健康办") && html.contains("下级规划的大健康办"), "{html}");

        // The county office adds its part wherever the 州's plan names 各县（市）人民政府 as responsible.
        let county = s.reporter_of("kaili", unit).await;
        let parts_path = format!("/api/plans/{zhou}/reports/{key}/{unit}/parts");
        let (status, parts) = county.get(&parts_path).await;
        assert_eq!(status, StatusCode::OK, "{parts}");
        let tasks = parts["tasks"].as_array().unwrap();
        let named: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT tu.task_id) FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             JOIN tasks t ON t.id = tu.task_id WHERE t.plan_id = $1 AND u.name LIKE '各县%'",
        )
        .bind(zhou)
        .fetch_one(s.store.pool())
        .await
        .unwrap();
        assert!(named >= 10, "seed 001 names 各县（市）人民政府 in many tasks: {named}");
        assert_eq!(tasks.len() as i64, named, "every task naming the counties, and no other: {parts}");
        let task = tasks[0]["task_id"].clone();
        let (status, saved) = county.put(&parts_path, &json!([{"task_id": task, "progress": "凯里市已建成森林康养基地 2 个"}])).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, _, html) = county.page("/reporting").await;
        let link = format!("href=\"/reporting/{zhou}/");
        assert!(html.contains(&link) && html.contains(&format!("/{unit}/parts\"")), "on the office's month: {html}");
        assert!(html.contains(&format!("已填 0 / {named} 项")) || html.contains(&format!("已填 1 / {named} 项")), "{html}");
    })
    .await;
}
