//! The pages in a real browser: `web/e2e/pages.mjs` drives headless
//! Chromium (Debian's `chromium`, with playwright-core from npm) against a
//! real server on each backend — every role logs in and is refused what it
//! may not see, a plan is uploaded and reviewed against its source, a target
//! corrected after wrong values were refused, a finding accepted, units
//! confirmed and merged, a reporter's month filled on a phone, returned by
//! the office, fixed and approved, a responsible unit's part of a task
//! written on a phone and seen by the lead unit, a supervision item given by the office,
//! answered by the unit on a phone and closed, a unit's year scored and
//! self-assessed and the year published and made public — and this test then checks what the
//! database kept.
//! Screenshots go to `target/screenshots/<backend>/`. `scripts/test`
//! installs Chromium and the npm packages.

use crate::common::{Server, on_both};
use bighealth_store::testing::fixture;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The browser, or how to get it.
fn chromium() -> String {
    let path = std::env::var("BH_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&path).exists(),
        "the browser tests need Chromium at {path}: run `bash scripts/test` (it installs it), \
         or `apt-get install chromium`, or point BH_CHROMIUM at one"
    );
    assert!(
        repo().join("web/node_modules/playwright-core").exists(),
        "the browser tests need playwright-core: run `bash scripts/test`, or `(cd web && npm ci)`"
    );
    path
}

#[tokio::test]
async fn the_pages_work_in_a_real_browser() {
    let chromium = chromium();
    let backend = std::sync::atomic::AtomicUsize::new(0);
    let backend = std::sync::Arc::new(backend);
    on_both(move |server: Server| {
        let chromium = chromium.clone();
        let name = ["sqlite", "postgres"][backend.fetch_add(1, std::sync::atomic::Ordering::SeqCst).min(1)];
        async move {
            let shots = repo().join("target/screenshots").join(name);
            // A responsible unit of one of the reporter's tasks, with an account of its own.
            let (partner_task, partner_unit): (i64, i64) = sqlx::query_as(
                "SELECT r.task_id, r.unit_id FROM task_units r JOIN task_units l ON l.task_id = r.task_id \
                 AND l.role = 'lead' AND l.position = (SELECT MIN(position) FROM task_units x \
                 WHERE x.task_id = l.task_id AND x.role = 'lead') \
                 WHERE l.unit_id = $1 AND r.role = 'responsible' AND r.unit_id <> $1 ORDER BY r.task_id, r.position LIMIT 1",
            )
            .bind(server.reporter_unit)
            .fetch_one(server.store.pool())
            .await
            .expect("a task of the reporter's unit names a responsible unit");
            let partner_password = bighealth_store::accounts::generate_password();
            let new = bighealth_store::accounts::NewUser {
                username: "peihe".into(),
                display_name: None,
                password: partner_password.clone(),
                roles: vec![bighealth_store::Role::Reporter],
                units: vec![partner_unit],
            };
            let security = bighealth_store::Actor::local("test", bighealth_store::Role::SecurityAdmin);
            server.store.create_user(&security, &new, server.clock.now()).await.unwrap().done().unwrap();
            let mut all = server.passwords.clone();
            all.insert("peihe", partner_password);
            let passwords = serde_json::to_string(&all).unwrap();
            let base = server.base.clone();
            let plan = server.plans[1].to_string();
            let today = bighealth_rules::calendar::date_of(server.clock.now());
            let month = format!("{}-{:02}", today.year(), today.month());
            let unit = server.reporter_unit.to_string();
            let output = tokio::task::spawn_blocking(move || {
                Command::new("node")
                    .arg("e2e/pages.mjs")
                    .current_dir(repo().join("web"))
                    .env("BH_BASE", base)
                    .env("BH_PASSWORDS", passwords)
                    .env("BH_PLAN", plan)
                    .env("BH_DOCX", fixture("office/seed002.docx"))
                    .env("BH_SHOTS", &shots)
                    .env("BH_MONTH", month)
                    .env("BH_REPORTER_UNIT", unit)
                    .env("BH_PARTNER_UNIT", partner_unit.to_string())
                    .env("BH_PARTNER_TASK", partner_task.to_string())
                    .env("BH_CHROMIUM", chromium)
                    .output()
                    .expect("node runs (the machine's Node.js; scripts/test says how to get it)")
            })
            .await
            .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            println!("{stdout}");
            assert!(output.status.success(), "the browser tests failed on {name}:\n{stdout}\n{stderr}");
            let line =
                stdout.lines().find_map(|l| l.strip_prefix("RESULT ")).expect("the script reports what it changed");
            let result: serde_json::Value = serde_json::from_str(line).unwrap();

            // What the browser changed is stored, with its history; what it
            // was refused is not.
            let office = server.login("office").await;
            let target = result["target"].as_i64().unwrap();
            let (_, t) = office.get(&format!("/api/targets/{target}")).await;
            assert_eq!(t["value"], 99.5);
            let (_, history) = office.get(&format!("/api/targets/{target}/history")).await;
            let changes: Vec<(&str, Option<f64>, Option<f64>)> = history
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h["field"].as_str().unwrap(), h["old_value"].as_f64(), h["new_value"].as_f64()))
                .collect();
            assert_eq!(changes, [("value", result["old_value"].as_f64(), Some(99.5))], "{history}");
            let plan = result["plan"].as_i64().unwrap();
            let (_, p) = office.get(&format!("/api/plans/{plan}")).await;
            assert_eq!(p["file_name"], "seed002.docx");
            assert_eq!(p["format"], "docx");
            let (_, plans) = office.get("/api/plans").await;
            assert_eq!(plans.as_array().unwrap().len(), 3, "only the good upload was stored");
            let finding = result["finding"].as_i64().unwrap();
            let (_, accepted) = office.get(&format!("/api/findings?plan={plan}&state=accepted")).await;
            assert!(accepted.as_array().unwrap().iter().any(|f| f["id"] == finding && f["note"] == "已与原文核对"));
            let (_, u) = office.get(&format!("/api/units/{}", result["confirmed"])).await;
            assert_eq!(u["confirmed"], true);
            let (_, u) = office.get(&format!("/api/units/{}", result["merged"])).await;
            assert!(u["merged_into"].is_i64(), "{u}");
            // The month the browser filled, returned, fixed and approved:
            // every version kept.
            let r = &result["report"];
            let (_, versions) = office
                .get(&format!(
                    "/api/plans/{}/reports/{}/{}/versions",
                    r["plan"],
                    r["month"].as_str().unwrap(),
                    r["unit"]
                ))
                .await;
            let steps: Vec<&str> = versions.as_array().unwrap().iter().map(|v| v["step"].as_str().unwrap()).collect();
            assert_eq!(steps, ["submit", "return", "submit", "approve"], "{versions}");
            // The part the responsible unit wrote, too long first: once, on the lead unit's form.
            let part = &result["part"];
            let (_, form) = office
                .get(&format!("/api/plans/{}/reports/{}/{}", r["plan"], r["month"].as_str().unwrap(), r["unit"]))
                .await;
            let item = form["items"].as_array().unwrap().iter().find(|i| i["item_id"] == part["task"]).unwrap();
            let parts = item["parts"].as_array().unwrap();
            assert_eq!(parts.len(), 1, "{item}");
            assert_eq!((&parts[0]["unit_id"], parts[0]["progress"].as_str()), (&part["unit"], Some("已完成选址，正在办理用地手续")));
            // The analysis page showed every item the API judges for that month.
            let a = &result["analysis"];
            let (_, status) =
                office.get(&format!("/api/plans/{}/analysis?period={}", a["plan"], a["month"].as_str().unwrap())).await;
            assert_eq!(a["rows"].as_u64(), Some(status["items"].as_array().unwrap().len() as u64), "{status}");
            // The item the browser gave, answered and closed: every step kept.
            let item = result["supervision"]["item"].as_i64().unwrap();
            let (_, detail) = office.get(&format!("/api/supervision/items/{item}")).await;
            let steps: Vec<&str> =
                detail["steps"].as_array().unwrap().iter().map(|v| v["step"].as_str().unwrap()).collect();
            assert_eq!(steps, ["open", "sign", "plan", "ask_close", "accept"], "{detail}");
            assert_eq!(detail["item"]["number"], result["supervision"]["number"]);
            assert_eq!(detail["item"]["source"], "meeting");
            // The year the browser assessed: published with the entry it made.
            let a = &result["assessment"];
            let (_, year) = office.get(&format!("/api/plans/{}/assessment/{}", server.plans[1], a["year"])).await;
            assert_eq!(year["published"]["number"], a["number"], "{year}");
            let mine = year["units"].as_array().unwrap().iter().find(|u| u["unit_id"] == server.reporter_unit).unwrap();
            assert_eq!(mine["self_total"], 40.0);
            let mechanism =
                mine["score"]["items"].as_array().unwrap().iter().find(|i| i["key"] == "mechanism").unwrap();
            assert_eq!(mechanism["points"], 9.0, "the refused 12 was not stored: {mechanism}");
            for shot in [
                "login",
                "review",
                "target-history",
                "projects",
                "overview-plan",
                "phone-review",
                "phone-report-error",
                "phone-supervision-item",
                "analysis-plan",
                "statistics-region",
                "assessment-year",
                "assessment-unit",
                "public-plan",
            ] {
                let found = std::fs::read_dir(repo().join("target/screenshots").join(name))
                    .unwrap()
                    .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(&format!("-{shot}.png")));
                assert!(found, "screenshot {shot} saved on {name}");
            }
        }
    })
    .await;
}
