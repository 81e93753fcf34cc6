//! `bighealth import`, `bighealth account` and `bighealth demo`, run as a
//! user runs them, on SQLite and on PostgreSQL.

use bighealth_store::Store;
use bighealth_store::testing::{TestDb, fixture, seed};
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bighealth"))
}

fn run(args: &[&str], db: &str) -> Output {
    bin().args(args).env("BIGHEALTH_DATABASE", db).stdin(Stdio::null()).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_stores_a_plan_once_and_shows_what_to_review() {
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let s002 = seed("002");
        let o = run(&["import", s002.to_str().unwrap(), "--region", "500114"], &db.url);
        let out = text(&o.stdout);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(out.contains("stored") && out.contains("as plan 1"), "{out}");
        assert!(out.contains("80 tasks") && out.contains("36 projects"), "{out}");
        assert!(out.contains("findings to review"), "{out}");
        assert!(out.contains("units not in the registry"), "{out}");
        let o = run(&["import", s002.to_str().unwrap(), "--region", "500114"], &db.url);
        assert!(o.status.success());
        assert!(text(&o.stdout).contains("imported before as plan 1") && text(&o.stdout).contains("nothing changed"));
        // A project table into the plan.
        let xlsx = fixture("office/seed002-projects.xlsx");
        let o = run(&["import", xlsx.to_str().unwrap(), "--into", "1", "--json"], &db.url);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(j["projects"], 36);
        let store = Store::open(&db.url).await.unwrap();
        assert_eq!(count(&store, "plans").await, 1);
        assert_eq!(count(&store, "projects").await, 72);
        store.close().await;
        db.drop_db().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_input_exits_2_and_says_what_to_fix() {
    let db = TestDb::sqlite();
    let s004 = seed("004");
    let cases: [(&[&str], &str); 4] = [
        (&["import", s004.to_str().unwrap(), "--region", "123"], "region"),
        (&["import", s004.to_str().unwrap(), "--region", "999999"], "999999"),
        (&["import", "/nonexistent/plan.txt", "--region", "431100"], "cannot read"),
        (&["import", s004.to_str().unwrap(), "--region", "431100", "--parent", "7"], "parent"),
    ];
    for (args, needle) in cases {
        let o = run(args, &db.url);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(needle), "{args:?}: {}", text(&o.stderr));
    }
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "会议纪要：今天讨论了天气。\n").unwrap();
    let o = run(&["import", notes.to_str().unwrap(), "--region", "431100"], &db.url);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("看起来不是规划文件"), "{}", text(&o.stderr));
    let o = run(&["import", s004.to_str().unwrap(), "--region", "431100"], "mysql://x");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("sqlite:路径"), "{}", text(&o.stderr));
    let store = Store::open(&db.url).await.unwrap();
    assert_eq!(count(&store, "plans").await, 0, "nothing was stored");
    store.close().await;
}

/// A plan long enough that its import is still running when it is killed.
fn long_plan() -> String {
    let mut s = String::from("某县大健康产业发展行动计划\n一、重点任务\n");
    for i in 1..=8_000 {
        s.push_str(&format!(
            "{i}. 建设第{i}号健康服务设施，完善服务网络。（牵头单位：县卫生健康局；责任单位：县发展改革局{}）\n",
            i % 60
        ));
    }
    s
}

const TABLES: [&str; 6] = ["plans", "tasks", "units", "documents", "audit_log", "task_units"];

async fn counts(url: &str) -> Vec<i64> {
    counts_of(url, &TABLES).await
}

/// The rows of each of `tables`.
async fn counts_of(url: &str, tables: &[&str]) -> Vec<i64> {
    let store = Store::open(url).await.unwrap();
    let mut v = vec![];
    for t in tables {
        v.push(count(&store, t).await);
    }
    store.close().await;
    v
}

/// Reads `child`'s standard error until a line reports storing tasks, and
/// returns that line.
fn wait_for_tasks(child: &mut std::process::Child) -> String {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("the import reports progress before it ends").unwrap();
        if line.contains("importing: tasks") && !line.contains(" 0/8000") {
            return line;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("long.txt");
    std::fs::write(&big, long_plan()).unwrap();
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let s004 = seed("004");
        assert!(run(&["import", s004.to_str().unwrap(), "--region", "431100"], &db.url).status.success());
        let before = counts(&db.url).await;

        // `bighealth import`, killed.
        let mut child = bin()
            .args(["import", big.to_str().unwrap(), "--region", "431102"])
            .env("BIGHEALTH_DATABASE", &db.url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let seen = wait_for_tasks(&mut child);
        child.kill().unwrap();
        assert!(!child.wait().unwrap().success());
        assert_eq!(counts(&db.url).await, before, "import killed at {seen:?}: the database is as it was");

        // `bighealth serve`, killed while importing an upload.
        let o = run(&["account", "create", "office", "--role", "system_admin"], &db.url);
        let password = text(&o.stdout).split("with password ").nth(1).unwrap().trim().to_string();
        let before = counts(&db.url).await;
        let mut server = bin()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("BIGHEALTH_DATABASE", &db.url)
            .env("RUST_LOG", "warn,bighealth_server=info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let first = BufReader::new(server.stdout.take().unwrap()).lines().next().unwrap().unwrap();
        let base = first.strip_prefix("serving on ").unwrap().split_whitespace().next().unwrap().to_string();
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let login: serde_json::Value = http
            .post(format!("{base}/api/session"))
            .json(&serde_json::json!({"username": "office", "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let upload = http
            .post(format!("{base}/api/plans?region=431102&name=long.txt"))
            .header("x-csrf-token", login["csrf_token"].as_str().unwrap())
            .header("content-type", "application/octet-stream")
            .body(std::fs::read(&big).unwrap())
            .send();
        let pending = tokio::spawn(upload);
        let seen = tokio::task::spawn_blocking(move || {
            let seen = wait_for_tasks(&mut server);
            server.kill().unwrap();
            let _ = server.wait();
            seen
        })
        .await
        .unwrap();
        assert!(pending.await.unwrap().is_err(), "the upload got no answer from a killed server");
        let after = counts(&db.url).await;
        // Logging in wrote to the audit log; the import wrote nothing.
        assert_eq!(after[..4], before[..4], "server killed at {seen:?}: no plan, task, unit or document stored");
        assert_eq!(after[4], before[4] + 1, "only the login's audit row");
        assert_eq!(after[5], before[5]);
        db.drop_db().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_serves_the_four_seeds_with_an_account_per_role() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.db");
    let mut child = bin()
        .args(["demo", "--file", file.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut accounts = vec![];
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("serving on ") {
            base = rest.split_whitespace().next().map(str::to_string);
            break;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("  ")
            && words.len() >= 3
            && ["office", "security", "auditor", "reporter", "leader", "qiye", "pinggu"].contains(&words[1])
        {
            accounts.push((words[1].to_string(), words[2].to_string()));
        }
    }
    let base = base.expect("the demo says where it serves");
    assert_eq!(accounts.len(), 7, "one account per role, a key enterprise's and an evaluator's: {accounts:?}");
    for (user, password) in &accounts {
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let r = http
            .post(format!("{base}/api/session"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{user} logs in with the printed password");
        if user == "leader" {
            let plans: serde_json::Value =
                http.get(format!("{base}/api/plans")).send().await.unwrap().json().await.unwrap();
            let mut regions: Vec<&str> =
                plans.as_array().unwrap().iter().map(|p| p["region"].as_str().unwrap()).collect();
            regions.sort();
            assert_eq!(regions, ["130000", "431100", "500114", "522600"]);
            let region: serde_json::Value =
                http.get(format!("{base}/api/regions/500114")).send().await.unwrap().json().await.unwrap();
            assert_eq!(region["ancestors"][0]["code"], "500000", "黔江区 is within 重庆市");
            // 统计监测: the city's counties rolled up and ranked, the falling enterprise named.
            let f: serde_json::Value =
                http.get(format!("{base}/api/regions/522600/figures")).send().await.unwrap().json().await.unwrap();
            let beds =
                f["indicators"].as_array().unwrap().iter().find(|i| i["indicator"]["code"] == "JK02").expect("JK02");
            assert!(beds["children"].as_array().unwrap().len() > 3, "{beds}");
            assert_eq!(beds["region"]["own"], false, "the city is its counties' sum");
            let per_head =
                f["indicators"].as_array().unwrap().iter().find(|i| i["indicator"]["code"] == "JK03").expect("JK03");
            assert!(per_head["region"]["value"].as_f64().unwrap() > 0.0, "{per_head}");
            let county: serde_json::Value =
                http.get(format!("{base}/api/regions/500114/figures")).send().await.unwrap().json().await.unwrap();
            let falls: serde_json::Value = http
                .get(format!(
                    "{base}/api/regions/500114/falling-enterprises?period={}",
                    county["period_label"].as_str().unwrap()
                ))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!(falls.as_array().unwrap().iter().any(|x| x["name"].as_str().unwrap().contains("康养")), "{falls}");
            // Each seed's year, whole: reported, supervised, analysed each
            // quarter, assessed and published, and public.
            let anonymous = reqwest::Client::new();
            for plan in plans.as_array().unwrap() {
                let id = plan["id"].as_i64().unwrap();
                let public: serde_json::Value =
                    anonymous.get(format!("{base}/api/public/plans/{id}")).send().await.unwrap().json().await.unwrap();
                let year =
                    public["assessment"]["year"].as_i64().unwrap_or_else(|| panic!("plan {id} public: {public}"));
                assert!(!public["assessment"]["grades"].as_array().unwrap().is_empty(), "{public}");
                let get = |path: String| {
                    let http = http.clone();
                    async move { http.get(path).send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
                };
                let rates = get(format!("{base}/api/plans/{id}/rates?year={year}")).await;
                assert!(rates["total"]["expected"].as_i64().unwrap() > 0, "plan {id} reported monthly: {rates}");
                let issued = get(format!("{base}/api/plans/{id}/analysis/reports")).await;
                assert_eq!(issued.as_array().unwrap().len(), 4, "plan {id} analysed each quarter");
                let items = get(format!("{base}/api/supervision/items?plan_id={id}")).await;
                assert!(items["page"]["total"].as_i64().unwrap() > 0, "plan {id} supervised");
                let a = get(format!("{base}/api/plans/{id}/assessment/{year}")).await;
                assert!(a["published"]["number"].as_str().unwrap().starts_with("健考"), "plan {id} assessed: {a}");
                let unit = &a["units"][0];
                assert!(!unit["score"]["items"][0]["reason"].as_str().unwrap().is_empty());
                let pdf =
                    http.get(format!("{base}/api/plans/{id}/assessment/{year}/bulletin/pdf")).send().await.unwrap();
                assert_eq!(pdf.status(), 200);
                assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
            }
        }
        if user == "pinggu" {
            let e: serde_json::Value =
                http.get(format!("{base}/api/plans/3/evaluation")).send().await.unwrap().json().await.unwrap();
            assert_eq!(e["grants"][0]["body"], "第三方评估中心", "{e}");
            let other = http.get(format!("{base}/api/plans/1")).send().await.unwrap();
            assert_eq!(other.status(), 403, "an evaluator reads its one plan");
        }
        if user == "qiye" {
            let mine: serde_json::Value =
                http.get(format!("{base}/api/enterprises")).send().await.unwrap().json().await.unwrap();
            assert_eq!(mine.as_array().unwrap().len(), 1, "a key enterprise's account sees its own: {mine}");
        }
    }
    child.kill().unwrap();
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_security_admin_is_made_on_the_command_line() {
    let db = TestDb::sqlite();
    let o = run(&["account", "create", "anquan", "--role", "安全管理员"], &db.url);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let password = out.split("with password ").nth(1).unwrap().trim().to_string();
    let store = Store::open(&db.url).await.unwrap();
    let session = store.login("anquan", &password, "test", bighealth_store::now_ms()).await.unwrap().expect("logs in");
    assert_eq!(session.user.roles, vec![bighealth_store::Role::SecurityAdmin]);
    store.close().await;
    let o = run(&["account", "create", "anquan", "--role", "security_admin"], &db.url);
    assert_eq!(o.status.code(), Some(2), "a taken name is refused");
    let o = run(&["account", "create", "x1x", "--role", "boss"], &db.url);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("system_admin"), "{}", text(&o.stderr));

    // A locked administrator gets back in from the server's own machine.
    let store = Store::open(&db.url).await.unwrap();
    let now = bighealth_store::now_ms();
    for _ in 0..5 {
        store.login("anquan", "Wrong-password-1", "test", now).await.unwrap().expect_err("wrong");
    }
    assert!(store.login("anquan", &password, "test", now).await.unwrap().is_err(), "locked");
    store.close().await;
    let o = run(&["account", "unlock", "anquan"], &db.url);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let store = Store::open(&db.url).await.unwrap();
    assert!(store.login("anquan", &password, "test", now).await.unwrap().is_ok(), "unlocked");
    store.close().await;
    let o = run(&["account", "unlock", "nobody"], &db.url);
    assert_eq!(o.status.code(), Some(2), "an unknown name: {}", text(&o.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_is_restored_on_the_command_line_with_its_key() {
    let db = TestDb::sqlite();
    let o = run(&["import", seed("004").to_str().unwrap(), "--region", "431100"], &db.url);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    let o = run(&["backup", "--out", file.to_str().unwrap()], &db.url);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("fingerprint"), "{}", text(&o.stdout));
    let target = format!("sqlite:{}", dir.path().join("restored.db").display());
    let o = run(&["restore", file.to_str().unwrap()], &target);
    assert_eq!(o.status.code(), Some(2), "no key at the destination: {}", text(&o.stderr));
    assert!(text(&o.stderr).contains("审计密钥"), "{}", text(&o.stderr));
    let key = bighealth_store::audit_key::default_path(&db.url);
    let o = Command::new(env!("CARGO_BIN_EXE_bighealth"))
        .args(["restore", file.to_str().unwrap(), "--key", key.to_str().unwrap()])
        .env("BIGHEALTH_DATABASE", &target)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let store = Store::open(&target).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&store, "plans").await, 1);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_stops_within_seconds_of_sigterm_whatever_it_is_doing() {
    let db = TestDb::sqlite();
    let (mut child, base) = serve(&db.url);
    // A request that never finishes: a body announced and never sent.
    let addr = base.trim_start_matches("http://").to_string();
    let mut stuck = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::Write as _;
    write!(stuck, "POST /api/session HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{").unwrap();
    stuck.flush().unwrap();
    let pid = child.id().to_string();
    let started = std::time::Instant::now();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    let took = started.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(took < std::time::Duration::from_secs(10), "stopped after {took:?}, with a request still in flight");
    drop(stuck);
}

/// `bighealth serve` on `url`, and where it serves.
fn serve(url: &str) -> (std::process::Child, String) {
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("BIGHEALTH_DATABASE", url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .find_map(|l| l.ok()?.strip_prefix("serving on ").and_then(|r| r.split_whitespace().next()).map(str::to_string))
        .expect("it says where it serves");
    // The rest of what it prints is read, so that it never writes to a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}

const FORM_TABLES: [&str; 4] = ["report_forms", "report_entries", "report_versions", "audit_log"];

async fn form_counts(url: &str) -> Vec<i64> {
    counts_of(url, &FORM_TABLES).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_upload_cut_off_by_a_killed_server_stores_nothing_and_the_file_goes_in_after() {
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let s004 = seed("004");
        assert!(run(&["import", s004.to_str().unwrap(), "--region", "431100"], &db.url).status.success());
        let store = Store::open(&db.url).await.unwrap();
        let unit: i64 =
            sqlx::query_scalar("SELECT unit_id FROM task_units WHERE role = 'lead' ORDER BY unit_id LIMIT 1")
                .fetch_one(store.pool())
                .await
                .unwrap();
        store.close().await;
        let o = run(&["account", "create", "tianbao", "--role", "reporter", "--unit", &unit.to_string()], &db.url);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let password = text(&o.stdout).split("with password ").nth(1).unwrap().trim().to_string();

        let (mut server, base) = serve(&db.url);
        let http = reqwest::Client::new();
        let login = http
            .post(format!("{base}/api/session"))
            .json(&serde_json::json!({"username": "tianbao", "password": password}))
            .send()
            .await
            .unwrap();
        let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        let login: serde_json::Value = login.json().await.unwrap();
        let csrf = login["csrf_token"].as_str().unwrap().to_string();
        let due: serde_json::Value = http
            .get(format!("{base}/api/reporting/due"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let first =
            due.as_array().and_then(|d| d.iter().find(|d| d["unit_id"] == unit)).expect("the unit's month is due");
        let path =
            format!("/api/plans/{}/reports/{}/{unit}/xlsx", first["plan_id"], first["period"]["key"].as_str().unwrap());
        let form = http.get(format!("{base}{path}")).header("cookie", &cookie).send().await.unwrap();
        assert!(form.status().is_success());
        let file = form.bytes().await.unwrap().to_vec();
        let before = form_counts(&db.url).await;

        // Half the file sent, then the server killed.
        let addr = base.trim_start_matches("http://").to_string();
        let mut cut = std::net::TcpStream::connect(&addr).unwrap();
        use std::io::Write as _;
        write!(
            cut,
            "POST {path}?submit=true HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nx-csrf-token: {csrf}\r\n\
             Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            file.len()
        )
        .unwrap();
        cut.write_all(&file[..file.len() / 2]).unwrap();
        cut.flush().unwrap();
        server.kill().unwrap();
        let _ = server.wait();
        drop(cut);
        assert_eq!(form_counts(&db.url).await, before, "nothing of the cut-off file is stored");

        // The server again: the same session sends the whole file, and it is stored.
        let (mut server, base) = serve(&db.url);
        let sent = http
            .post(format!("{base}{path}"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/octet-stream")
            .body(file)
            .send()
            .await
            .unwrap();
        let status = sent.status();
        let body: serde_json::Value = sent.json().await.unwrap();
        assert!(status.is_success(), "{status} {body}");
        assert_eq!(body["unit_id"], unit, "{body}");
        let after = form_counts(&db.url).await;
        assert!(after[3] > before[3], "the draft saved is in the audit log");
        server.kill().unwrap();
        let _ = server.wait();
        db.drop_db().await;
    }
}
