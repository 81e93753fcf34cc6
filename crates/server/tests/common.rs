//! A real server on a loopback port, over a fresh store on each backend,
//! holding seeds 001 and 002 and one account per role; and a client that
//! logs in and sends the CSRF token.

use bighealth_server::{AppState, Clock};
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::plans::ImportRequest;
use bighealth_store::testing::{TestDb, seed};
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its clock, to move forward.
    pub clock: Clock,
    /// Password of each account (office, security, auditor, reporter, leader).
    pub passwords: HashMap<&'static str, String>,
    /// The unit the reporter reports for (区卫生健康委 of 黔江区).
    pub reporter_unit: i64,
    /// Plan ids of seeds 001 and 002.
    pub plans: [i64; 2],
    /// The server's store, for what a command on the server's machine does.
    pub store: Store,
}

/// Accounts made for every test server.
pub const ACCOUNTS: [(&str, Role); 5] = [
    ("office", Role::SystemAdmin),
    ("security", Role::SecurityAdmin),
    ("auditor", Role::Auditor),
    ("reporter", Role::Reporter),
    ("leader", Role::Leader),
];

async fn start(store: Store, configure: &dyn Fn(&mut AppState)) -> (Server, tokio::sync::oneshot::Sender<()>) {
    let office = Actor::local("test", Role::SystemAdmin);
    let mut plans = [0; 2];
    for (i, (prefix, region)) in [("001", "522600"), ("002", "500114")].into_iter().enumerate() {
        let bytes = std::fs::read(seed(prefix)).unwrap();
        let req = ImportRequest { name: "seed.txt", bytes: &bytes, region, parent: None };
        let imported = store.import_plan(&office, req, &mut |_| {}, bighealth_store::now_ms()).await.unwrap();
        plans[i] = match imported {
            bighealth_store::plans::Imported::Stored(r) => r.plan_id,
            other => panic!("{other:?}"),
        };
    }
    let units = store.units(&UnitQuery { region: Some("500114".into()), ..Default::default() }).await.unwrap();
    let reporter_unit = units.iter().find(|u| u.name == "区卫生健康委").expect("seed 002 names 区卫生健康委").id;
    let security = Actor::local("test", Role::SecurityAdmin);
    let mut passwords = HashMap::new();
    for (name, role) in ACCOUNTS {
        let password = generate_password();
        let units = if role == Role::Reporter { vec![reporter_unit] } else { vec![] };
        let new =
            NewUser { username: name.into(), display_name: None, password: password.clone(), roles: vec![role], units };
        store.create_user(&security, &new, bighealth_store::now_ms()).await.unwrap().done().unwrap();
        passwords.insert(name, password);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock = Clock::default();
    let mut state = AppState::new(store.clone(), clock.clone(), false);
    configure(&mut state);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(bighealth_server::serve(state, listener, async move {
        let _ = rx.await;
    }));
    (Server { base, clock, passwords, reporter_unit, plans, store: store.clone() }, tx)
}

/// Runs `test` against a server on SQLite, then on PostgreSQL.
pub async fn on_both<F, Fut>(test: F)
where
    F: Fn(Server) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_both_with(|_| {}, test).await
}

/// [`on_both`] with the servers' state set by `configure` (their
/// notifier, their limits).
pub async fn on_both_with<C, F, Fut>(configure: C, test: F)
where
    C: Fn(&mut AppState),
    F: Fn(Server) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let store = Store::open(&db.url).await.unwrap();
        let backend = store.backend().name();
        let (server, stop) = start(store.clone(), &configure).await;
        let run = tokio::spawn(test(server)).await;
        let _ = stop.send(());
        store.close().await;
        db.drop_db().await;
        if let Err(e) = run {
            panic!("on {backend}: {e}");
        }
    }
}

/// Runs `test` against a server on SQLite whose state `configure` sets
/// (its limits, its trusted proxies): for what does not depend on the
/// backend.
pub async fn on_sqlite_with<F, Fut>(configure: impl Fn(&mut AppState), test: F)
where
    F: FnOnce(Server) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = TestDb::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let (server, stop) = start(store.clone(), &configure).await;
    let run = tokio::spawn(test(server)).await;
    let _ = stop.send(());
    store.close().await;
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A client with its own cookie jar.
pub struct Client {
    /// The HTTP client.
    pub http: reqwest::Client,
    /// The server.
    pub base: String,
    /// The session's CSRF token (empty before login).
    pub csrf: String,
}

impl Server {
    /// A client that is not logged in.
    pub fn anonymous(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
            csrf: String::new(),
        }
    }

    /// A client logged in as `user`.
    pub async fn login(&self, user: &str) -> Client {
        self.login_with(user, &self.passwords[user]).await
    }

    /// A client logged in as `user` with `password`.
    pub async fn login_with(&self, user: &str, password: &str) -> Client {
        let mut c = self.anonymous();
        let (status, body) = c.post("/api/session", &serde_json::json!({"username": user, "password": password})).await;
        assert_eq!(status, StatusCode::OK, "login as {user}: {body}");
        c.csrf = body["csrf_token"].as_str().unwrap().to_string();
        c
    }

    /// A new reporter account for `unit`, logged in.
    pub async fn reporter_of(&self, name: &str, unit: i64) -> Client {
        let password = generate_password();
        let new = NewUser {
            username: name.into(),
            display_name: None,
            password: password.clone(),
            roles: vec![Role::Reporter],
            units: vec![unit],
        };
        let security = Actor::local("test", Role::SecurityAdmin);
        self.store.create_user(&security, &new, self.clock.now()).await.unwrap().done().unwrap();
        self.login_with(name, &password).await
    }
}

impl Client {
    async fn send(&self, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let resp = req.header("x-csrf-token", &self.csrf).send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// GET.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    /// GET with an `Accept-Language` header.
    pub async fn get_in(&self, path: &str, accept_language: &str) -> (StatusCode, Value) {
        self.send(self.http.get(format!("{}{path}", self.base)).header("accept-language", accept_language)).await
    }

    /// POST JSON.
    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body)).await
    }

    /// POST raw bytes (an upload).
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let resp = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = resp.status();
        (status, resp.bytes().await.unwrap().to_vec())
    }

    /// POST a file as the body.
    pub async fn upload(&self, path: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/octet-stream")
                .body(bytes),
        )
        .await
    }

    /// POST a form (`application/x-www-form-urlencoded`), as htmx sends
    /// it; the answer as text.
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .header("hx-request", "true")
            .form(fields)
            .send()
            .await
            .unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    /// POST a multipart form with one file, as the upload page sends it:
    /// (status, its `HX-Redirect`, body).
    pub async fn multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, Vec<u8>),
    ) -> (StatusCode, Option<String>, String) {
        let mut form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string()));
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .header("hx-request", "true")
            .multipart(form)
            .send()
            .await
            .unwrap();
        let to = resp.headers().get("hx-redirect").map(|v| v.to_str().unwrap().to_string());
        (resp.status(), to, resp.text().await.unwrap())
    }

    /// GET a page without following redirects: (status, Location, body).
    pub async fn page(&self, path: &str) -> (StatusCode, Option<String>, String) {
        let resp = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let location = resp.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        (resp.status(), location, resp.text().await.unwrap())
    }

    /// PATCH JSON.
    pub async fn patch(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(body)).await
    }

    /// PATCH a raw body with a JSON content type (for malformed bodies).
    pub async fn patch_raw(&self, path: &str, body: &str) -> (StatusCode, Value) {
        self.send(
            self.http
                .patch(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    /// PUT JSON.
    pub async fn put(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(self.http.put(format!("{}{path}", self.base)).json(body)).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.delete(format!("{}{path}", self.base))).await
    }
}

/// The audit rows of `action`, newest first, as the auditor reads them.
pub async fn audit_rows(s: &Server, action: &str) -> Vec<Value> {
    let auditor = s.login("auditor").await;
    let (_, log) = auditor.get(&format!("/api/audit?action={action}&limit=1000")).await;
    log.get("items").unwrap_or(&log).as_array().cloned().unwrap_or_default()
}

/// The first item of a list answer (`items` of a page, or the array).
pub fn first(v: &Value) -> &Value {
    v.get("items").unwrap_or(v).get(0).unwrap_or_else(|| panic!("empty list: {v}"))
}

/// Runs `read_docx.py` (python-docx) on `bytes`; answers what it read.
pub fn python_docx(bytes: &[u8]) -> Value {
    let path = std::env::temp_dir().join(format!("bh-docx-{}-{}.docx", std::process::id(), bighealth_store::now_ms()));
    std::fs::write(&path, bytes).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/read_docx.py");
    let out = std::process::Command::new("python3").arg(script).arg(&path).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "read_docx.py failed (scripts/test installs python-docx): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The text `pdftotext` (poppler-utils) reads from a PDF.
pub fn pdftotext(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("bh-pdf-{}-{}.pdf", std::process::id(), bighealth_store::now_ms()));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (scripts/test installs poppler-utils)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// All the text of a read document: paragraphs and table cells.
pub fn text_of(doc: &Value) -> String {
    let mut all: Vec<String> =
        doc["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    for t in doc["tables"].as_array().unwrap() {
        for row in t.as_array().unwrap() {
            for c in row.as_array().unwrap() {
                all.push(c.as_str().unwrap().to_string());
            }
        }
    }
    all.join("\n")
}

/// What openpyxl reads from a workbook: per sheet its cells' values (rows
/// of strings) and how many charts it holds.
pub fn openpyxl(bytes: &[u8]) -> Value {
    let path = std::env::temp_dir().join(format!("bh-xlsx-{}-{}.xlsx", std::process::id(), bighealth_store::now_ms()));
    std::fs::write(&path, bytes).unwrap();
    let script = "import json, sys, openpyxl\n\
wb = openpyxl.load_workbook(sys.argv[1])\n\
print(json.dumps({ws.title: {'rows': [['' if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)], \
'charts': len(ws._charts)} for ws in wb.worksheets}, ensure_ascii=False))";
    let out = std::process::Command::new("python3").args(["-c", script]).arg(&path).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "openpyxl failed (scripts/test installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
