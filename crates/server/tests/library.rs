//! Plans, the project library and the OpenAPI document.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploading_a_plan_twice_stores_it_once() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let bytes = std::fs::read(bighealth_store::testing::seed("004")).unwrap();
        let path = "/api/plans?region=431100&name=004.txt";
        let (status, body) = office.upload(path, bytes.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["outcome"], "stored");
        let plan = body["plan_id"].as_i64().unwrap();
        let (status, again) = office.upload(path, bytes.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, json!({"outcome": "unchanged", "plan_id": plan, "deleted": false}));
        // The source is kept verbatim and the text indexes the spans.
        let resp = office.http.get(format!("{}/api/plans/{plan}/document", s.base)).send().await.unwrap();
        let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_string();
        let (_, stored) = office.get(&format!("/api/plans/{plan}")).await;
        let title = stored["title"].as_str().expect("seed 004 has a title");
        let encoded: String = format!("{title}.txt")
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(
            disposition.contains(&format!("filename*=UTF-8''{encoded}")),
            "downloaded under its title: {disposition}"
        );
        assert_eq!(resp.bytes().await.unwrap().to_vec(), bytes);
        let (_, source) = office.get(&format!("/api/plans/{plan}/source")).await;
        let text: Vec<char> = source["text"].as_str().unwrap().chars().collect();
        let (_, tasks) = office.get(&format!("/api/tasks?plan={plan}")).await;
        for t in tasks["items"].as_array().unwrap() {
            let (a, b) = (t["span_start"].as_u64().unwrap() as usize, t["span_end"].as_u64().unwrap() as usize);
            assert_eq!(text[a..b].iter().collect::<String>(), t["body"].as_str().unwrap());
        }
        // A county plan implements its province's plan, not another province's.
        let (_, region) = office.get("/api/regions/431100").await;
        assert_eq!(region["ancestors"][0]["code"], "430000");
        assert_eq!(office.get("/api/regions/999999").await.0, StatusCode::NOT_FOUND);
        let (status, body) = office.get("/api/regions/43").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["field"], "region");
        assert!(region["plans"].as_array().unwrap().iter().any(|p| p["id"] == plan));
        let bytes1 = std::fs::read(bighealth_store::testing::seed("003")).unwrap();
        let (status, body) = office.upload(&format!("/api/plans?region=130100&name=x.txt&parent={plan}"), bytes1).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "parent");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_totals_match_the_rows_and_filters_and_sorting_work() {
    on_both(|s| async move {
        let leader = s.login("leader").await;
        let plan = s.plans[1];
        let (_, page) = leader.get(&format!("/api/projects?plan={plan}&limit=1000")).await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 36);
        let sum: f64 = items.iter().filter_map(|p| p["investment_wan"].as_f64()).sum();
        let (_, totals) = leader.get(&format!("/api/projects/totals?plan={plan}")).await;
        assert_eq!(totals["count"], 36);
        assert!((totals["investment_wan"].as_f64().unwrap() - sum).abs() < 1e-6);
        let by_cat: f64 =
            totals["by_category"].as_array().unwrap().iter().map(|r| r["investment_wan"].as_f64().unwrap()).sum();
        assert!((by_cat - sum).abs() < 1e-6);
        let counted: i64 = totals["by_category"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).sum();
        assert_eq!(counted, 36);
        // The reading found no total mismatch, so the table's own totals agree with these.
        let (_, findings) = leader.get(&format!("/api/findings?plan={plan}&code=total_mismatch")).await;
        assert_eq!(findings.as_array().unwrap().len(), 0, "{findings}");
        let (_, sorted) = leader.get(&format!("/api/projects?plan={plan}&sort=-investment&limit=3")).await;
        let inv: Vec<f64> =
            sorted["items"].as_array().unwrap().iter().map(|p| p["investment_wan"].as_f64().unwrap()).collect();
        assert!(inv.windows(2).all(|w| w[0] >= w[1]), "{inv:?}");
        let (_, building) = leader.get(&format!("/api/projects?plan={plan}&status=在建")).await;
        assert!(building["items"].as_array().unwrap().iter().all(|p| p["status"] == "在建"));
        let under: i64 = items
            .iter()
            .filter(|p| p["nature"].as_str().is_some_and(|n| n.contains("在建") || n.contains("续建")))
            .count() as i64;
        assert_eq!(building["total"], under);
        let (_, unit) = leader.get(&format!("/api/projects/totals?unit={}", s.reporter_unit)).await;
        assert!(unit["count"].as_i64().unwrap() > 0);
        let by_unit = totals["by_unit"].as_array().unwrap().iter().find(|r| r["unit_id"] == s.reporter_unit).unwrap();
        assert_eq!(by_unit["count"], unit["count"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_table_in_xlsx_joins_an_existing_plan() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let plan = s.plans[0];
        let bytes = std::fs::read(bighealth_store::testing::fixture("office/seed002-projects.xlsx")).unwrap();
        let path = format!("/api/plans/{plan}/tables?name=projects.xlsx");
        let (status, body) = office.upload(&path, bytes.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["projects"], 36);
        let (_, page) = office.get(&format!("/api/projects?plan={plan}")).await;
        assert_eq!(page["total"], 36);
        assert!(first(&page)["document_id"].is_i64());
        assert_eq!(office.upload(&path, bytes).await.0, StatusCode::OK, "the same table again changes nothing");
        let (_, page) = office.get(&format!("/api/projects?plan={plan}")).await;
        assert_eq!(page["total"], 36);
        let (status, body) =
            office.upload(&path.replace("projects.xlsx", "t.txt"), "没有表格的文字。".as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_route_and_only_real_ones() {
    on_both(|s| async move {
        let office = s.login("office").await;
        let (status, doc) = s.anonymous().get("/api/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/api/plans",
            "/api/tasks",
            "/api/targets",
            "/api/projects",
            "/api/projects/totals",
            "/api/units",
            "/api/units/{id}/merge",
            "/api/findings",
            "/api/session",
            "/api/users",
            "/api/audit",
        ] {
            assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
        }
        let mut ids: Vec<&str> = paths
            .values()
            .flat_map(|ops| ops.as_object().unwrap().values())
            .filter_map(|op| op.get("operationId").and_then(|v| v.as_str()))
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "operation ids are unique");
        // Every documented GET answers something other than "no such endpoint".
        for (path, ops) in paths {
            if ops.get("get").is_none() {
                continue;
            }
            let url = path.replace("{id}", &s.plans[1].to_string()).replace("{code}", "500114");
            let (status, body) = office.get(&url).await;
            assert!(
                !(status == StatusCode::NOT_FOUND
                    && body["error"]["message"].as_str().unwrap_or("").starts_with("no such endpoint")),
                "{path} is documented but not served"
            );
        }
    })
    .await;
}

/// Every type the OpenAPI document describes has a component name of its
/// own: utoipa keeps one schema per name, so two types under one name (two
/// `Settings`) would leave one of them described by the other's fields.
#[test]
fn no_two_schema_types_share_a_component_name() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    // Name → where each type of that name is declared.
    let mut named: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut schema = false;
        let mut renamed = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                schema = true;
                renamed = None;
            } else if schema && line.starts_with("#[schema(as = ") {
                renamed = line["#[schema(as = ".len()..].split([')', ',']).next().map(|s| s.trim().to_string());
            } else if schema && !line.starts_with("#[") && !line.starts_with("///") {
                let decl = line.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
                if let Some(rest) = decl.strip_prefix("struct ").or_else(|| decl.strip_prefix("enum ")) {
                    let name = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default();
                    let name = renamed.take().unwrap_or_else(|| name.to_string());
                    named.entry(name).or_default().push(format!("{}:{}", file.display(), n + 1));
                }
                schema = false;
            }
        }
    }
    let twice: Vec<_> = named.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(twice.is_empty(), "component names taken by more than one type (rename with #[schema(as = …)]): {twice:?}");
    let doc = bighealth_server::openapi();
    let components = doc.components.expect("components");
    assert!(components.schemas.len() > 50, "the document describes its types");
    let unknown: Vec<&String> = components.schemas.keys().filter(|k| !named.contains_key(*k)).collect();
    assert!(unknown.len() * 10 < components.schemas.len(), "the scan finds the document's types: {unknown:?}");
}
