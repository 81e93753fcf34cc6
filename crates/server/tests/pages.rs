//! The web pages over real HTTP: who may see what, forms that refuse bad
//! input next to the field and store nothing, uploads, and the assets the
//! binary serves. (What a browser does with them is in `browser.rs`.)

use crate::common::{Server, first, on_both};
use bighealth_store::testing::fixture;
use reqwest::StatusCode;

#[tokio::test]
async fn each_role_sees_only_its_pages() {
    on_both(|server: Server| async move {
        let anonymous = server.anonymous();
        let (status, to, _) = anonymous.page("/plans?region=500114").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(to.as_deref(), Some("/login?next=%2Fplans%3Fregion%3D500114"));
        let (status, _, body) = anonymous.page("/login").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("name=\"password\""), "{body}");

        let plan = server.plans[1];
        let read_pages = vec![
            "/overview".to_string(),
            "/overview?region=500114".into(),
            "/plans".into(),
            format!("/plans/{plan}"),
            format!("/plans/{plan}/overview"),
            "/tasks".into(),
            format!("/tasks?plan={plan}&segment=医"),
            "/targets".into(),
            "/targets/compare".into(),
            "/projects".into(),
            format!("/projects?plan={plan}&status=储备"),
        ];
        for (user, home) in [
            ("office", "/overview"),
            ("security", "/accounts"),
            ("auditor", "/audit"),
            ("reporter", "/my"),
            ("leader", "/overview"),
        ] {
            let c = server.login(user).await;
            let (status, to, _) = c.page("/").await;
            assert_eq!((status, to.as_deref()), (StatusCode::SEE_OTHER, Some(home)), "{user}'s start page");
            let reads = matches!(user, "office" | "reporter" | "leader");
            for path in &read_pages {
                let (status, _, body) = c.page(path).await;
                let want = if reads { StatusCode::OK } else { StatusCode::FORBIDDEN };
                assert_eq!(status, want, "{user} GET {path}: {body}");
                if !reads {
                    assert!(body.contains("无权访问"), "{user} GET {path} says why: {body}");
                }
            }
            for (path, allowed) in [
                ("/plans/new", user == "office"),
                ("/my", user == "office" || user == "reporter"),
                ("/accounts", user == "security"),
                ("/audit", user == "auditor"),
            ] {
                let (status, _, body) = c.page(path).await;
                let want = if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN };
                assert_eq!(status, want, "{user} GET {path}: {body}");
            }
        }
        // The reporter's own page lists what 区卫生健康委 leads.
        let (_, _, body) = server.login("reporter").await.page("/my").await;
        assert!(body.contains("区卫生健康委") && body.contains("牵头的任务"), "{body}");
        assert!(body.matches("<tr>").count() > 5, "the reporter's tasks are listed: {body}");
    })
    .await;
}

#[tokio::test]
async fn a_bad_correction_is_answered_next_to_its_field_and_stores_nothing() {
    on_both(|server: Server| async move {
        let office = server.login("office").await;
        let plan = server.plans[1];
        let (_, p) = office.get(&format!("/api/plans/{plan}")).await;
        let base_year = p["base_year"].as_i64().expect("seed 002 has a base year");
        let (_, targets) = office.get(&format!("/api/targets?plan={plan}")).await;
        let target = first(&targets).clone();
        let id = target["id"].as_i64().unwrap();
        let form = |value: &str, year: String, indicator: &str| {
            vec![
                ("indicator", indicator.to_string()),
                ("comparator", target["comparator"].as_str().unwrap().to_string()),
                ("value", value.to_string()),
                ("value_max", String::new()),
                ("unit", target["unit"].as_str().unwrap_or("").to_string()),
                ("year", year),
                ("baseline_value", String::new()),
                ("baseline_year", String::new()),
            ]
        };
        let indicator = target["indicator"].as_str().unwrap();
        let year = target["year"].as_i64().map(|y| y.to_string()).unwrap_or_default();
        for (fields, field, says) in [
            (form("八十五", year.clone(), indicator), "value", "不是数字"),
            (form("", year.clone(), indicator), "value", "请填写目标值"),
            (form("85", (base_year - 1).to_string(), indicator), "year", "早于规划的基期年份"),
            (form("85", "20255".into(), indicator), "year", "不是年份"),
            (form("85", year.clone(), ""), "indicator", "请填写指标名称"),
        ] {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = office.form(&format!("/review/targets/{id}"), &pairs).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
            let error = format!("id=\"err-{field}\"");
            let at = body.find(&error).unwrap_or_else(|| panic!("no error next to {field}: {body}"));
            assert!(body[at..].split("</p>").next().unwrap().contains(says), "{field} should say {says}: {body}");
            assert!(body.contains(&format!("name=\"{field}\"")), "the form is shown again");
            let (_, now) = office.get(&format!("/api/targets/{id}")).await;
            assert_eq!(now, target, "a refused form changes nothing");
        }
        let (_, history) = office.get(&format!("/api/targets/{id}/history")).await;
        assert_eq!(history, serde_json::json!([]), "nothing was kept because nothing changed");

        // The same form, right, saves the one field that changed.
        let fields = form("99.5", year.clone(), indicator);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = office.form(&format!("/review/targets/{id}"), &pairs).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已保存") && body.contains("99.5"), "{body}");
        let (_, history) = office.get(&format!("/api/targets/{id}/history")).await;
        let fields: Vec<&str> = history.as_array().unwrap().iter().map(|h| h["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["value"], "{history}");
        let (_, _, shown) = office.page(&format!("/review/history/target/{id}")).await;
        assert!(shown.contains("目标值") && shown.contains("99.5") && shown.contains("office"), "{shown}");

        // A leader reads but may not correct.
        let leader = server.login("leader").await;
        let (status, _) = leader.form(&format!("/review/targets/{id}"), &pairs).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = leader.page(&format!("/review/targets/{id}/edit")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn findings_and_units_are_reviewed_from_the_page() {
    on_both(|server: Server| async move {
        let office = server.login("office").await;
        let plan = server.plans[1];
        let (_, findings) = office.get(&format!("/api/findings?plan={plan}&state=open")).await;
        let finding = first(&findings)["id"].as_i64().unwrap();
        let (status, body) =
            office.form(&format!("/review/findings/{finding}"), &[("state", "accepted"), ("note", "原文如此")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已接受") && body.contains("原文如此"), "{body}");
        let (_, f) = office.get(&format!("/api/findings?plan={plan}&state=accepted")).await;
        assert_eq!(first(&f)["id"].as_i64(), Some(finding));
        let (_, _, shown) = office.page(&format!("/review/history/finding/{finding}")).await;
        assert!(shown.contains("待处理") && shown.contains("已接受") && shown.contains("原文如此"), "{shown}");

        let (_, units) = office.get("/api/units?region=500114&confirmed=false").await;
        let units = units.as_array().unwrap();
        assert!(units.len() >= 2, "seed 002 leaves units to confirm: {units:?}");
        let (a, b) = (units[0]["id"].as_i64().unwrap(), units[1]["id"].as_i64().unwrap());
        let (status, body) = office.form(&format!("/review/units/{a}/confirm?plan={plan}"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已确认"), "{body}");
        let into = server.reporter_unit.to_string();
        let (status, body) = office.form(&format!("/review/units/{b}/merge?plan={plan}"), &[("into", &into)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已合并到 区卫生健康委"), "{body}");
        let (_, unit) = office.get(&format!("/api/units/{b}")).await;
        assert_eq!(unit["merged_into"].as_i64(), Some(server.reporter_unit), "{unit}");
        let (_, _, history) = office.page(&format!("/review/history/unit/{b}")).await;
        assert!(history.contains("合并到") && history.contains("区卫生健康委"), "the unit by its name: {history}");
        assert!(!history.contains(&format!(">{}<", server.reporter_unit)), "not by its id: {history}");

        // A task's units, corrected on the page, are kept with the old ones in history.
        let (_, tasks) = office.get(&format!("/api/tasks?plan={plan}")).await;
        let task = first(&tasks)["id"].as_i64().unwrap();
        let (status, body) = office
            .form(
                &format!("/review/tasks/{task}"),
                &[("lead", "区卫生健康委\n区民政局"), ("responsible", ""), ("segment", "养"), ("deadline", "")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, t) = office.get(&format!("/api/tasks/{task}")).await;
        let lead: Vec<&str> = t["lead"].as_array().unwrap().iter().map(|u| u["written"].as_str().unwrap()).collect();
        assert_eq!(lead, ["区卫生健康委", "区民政局"]);
        assert_eq!(t["segment"], "养");
        let (status, body) = office.form(&format!("/review/tasks/{task}"), &[("lead", " "), ("responsible", "")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("id=\"err-lead\""), "{body}");
        let (_, after) = office.get(&format!("/api/tasks/{task}")).await;
        assert_eq!(after, t, "the refused form changed nothing");
    })
    .await;
}

#[tokio::test]
async fn uploads_refuse_what_is_not_a_plan_and_store_the_rest() {
    on_both(|server: Server| async move {
        let office = server.login("office").await;
        assert_eq!(plan_count(&office).await, 2);
        let docx = std::fs::read(fixture("office/seed002.docx")).unwrap();
        let too_large = vec![b'x'; bighealth_reader::limits::MAX_FILE_BYTES as usize + 1];
        for (name, bytes, region, field, says) in [
            ("plan.pdf", b"%PDF-1.4".to_vec(), "500114", "file", "只能上传"),
            ("", Vec::new(), "500114", "file", "请选择"),
            ("empty.txt", Vec::new(), "500114", "file", "是空的"),
            ("big.txt", too_large, "500114", "file", "文件过大"),
            ("plan.txt", b"not a plan at all".to_vec(), "500114", "file", "不是规划文件"),
            ("seed002.docx", docx.clone(), "", "region", "请填写"),
            ("seed002.docx", docx.clone(), "999999", "region", "不是有效的地区"),
            ("seed002.docx", docx.clone(), "火星区", "region", "不是有效的地区"),
            ("seed002.docx", docx.clone(), "朝阳区", "region", "对应多个地区"),
        ] {
            let (status, to, body) =
                office.multipart("/plans/new", &[("region", region), ("parent", "")], (name, bytes)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
            assert_eq!(to, None);
            let at = body
                .find(&format!("id=\"err-{field}\""))
                .unwrap_or_else(|| panic!("{name}: no error at {field}: {body}"));
            assert!(
                body[at..].split("</p>").next().unwrap().contains(says),
                "{name}: {field} should say {says}: {body}"
            );
            assert_eq!(plan_count(&office).await, 2, "{name}: nothing stored");
        }
        let leader = server.login("leader").await;
        let (status, _, _) =
            leader.multipart("/plans/new", &[("region", "500114")], ("seed002.docx", docx.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The region picked by its name, as the picker lists it.
        let (_, _, form) = office.page("/plans/new").await;
        assert!(form.contains("<datalist id=\"region-list\">") && form.contains("重庆市 黔江区（500114）"), "{form}");
        let (status, to, body) = office
            .multipart(
                "/plans/new",
                &[("region", "重庆市 黔江区（500114）"), ("parent", "")],
                ("seed002.docx", docx.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let to = to.expect("sent on to the review page");
        assert!(to.starts_with("/plans/"), "{to}");
        assert_eq!(plan_count(&office).await, 3);
        let (status, _, page) = office.page(&to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("seed002.docx") && page.contains("id=\"source\""), "{page}");
        // The same file again: nothing new, and the page says so.
        let (_, again, _) = office.multipart("/plans/new", &[("region", "500114")], ("seed002.docx", docx)).await;
        assert_eq!(again, Some(format!("{to}?same=1")));
        assert_eq!(plan_count(&office).await, 3);
    })
    .await;
}

#[tokio::test]
async fn the_binary_serves_every_asset_itself() {
    on_both(|server: Server| async move {
        let c = server.anonymous();
        let resp = c.http.get(format!("{}/login", server.base)).send().await.unwrap();
        let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{csp}");
        let body = resp.text().await.unwrap().replace("&#x2f;", "/");
        let css = body.split("href=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        assert!(css.starts_with("/assets/") && css.ends_with("/app.css"), "{css}");
        let base = css.trim_end_matches("/app.css");
        for (name, kind, at_least) in [
            ("app.css", "text/css", 1000),
            ("app.js", "text/javascript", 1000),
            ("htmx.min.js", "text/javascript", 40_000),
            ("echarts.min.js", "text/javascript", 900_000),
        ] {
            let resp = c.http.get(format!("{}{base}/{name}", server.base)).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "{name}");
            assert!(resp.headers()["content-type"].to_str().unwrap().starts_with(kind), "{name}");
            assert!(resp.headers()["cache-control"].to_str().unwrap().contains("immutable"), "{name}");
            assert!(resp.bytes().await.unwrap().len() >= at_least, "{name}");
        }
        let resp = c.http.get(format!("{}/assets/0/nothing.js", server.base)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        // Pages name no other site.
        for page in ["/login"] {
            let (_, _, html) = c.page(page).await;
            assert!(!html.contains("http://") && !html.contains("https://"), "{page} loads from elsewhere: {html}");
        }
    })
    .await;
}

async fn plan_count(c: &crate::common::Client) -> usize {
    c.get("/api/plans").await.1.as_array().unwrap().len()
}

#[tokio::test]
async fn a_reporter_proposes_on_the_page_and_the_office_approves() {
    on_both(|server: Server| async move {
        let reporter = server.login("reporter").await;
        let office = server.login("office").await;
        let unit = server.reporter_unit;
        let (_, own) = reporter.get(&format!("/api/tasks?unit={unit}&plan={}&role=lead", server.plans[1])).await;
        let task = first(&own).clone();
        let id = task["id"].as_i64().unwrap();
        let lead: Vec<&str> = task["lead"].as_array().unwrap().iter().map(|u| u["written"].as_str().unwrap()).collect();
        let lead = lead.join("\n");

        // The reporter's form asks for a reason and says the change is a proposal.
        let (status, _, form) = reporter.page(&format!("/review/tasks/{id}/edit")).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert!(form.contains("name=\"reason\"") && form.contains("提交变更申请"), "{form}");
        let (_, _, office_form) = office.page(&format!("/review/tasks/{id}/edit")).await;
        assert!(!office_form.contains("name=\"reason\""), "the office changes the plan directly");

        let fields = |reason: &'static str| {
            vec![
                ("lead", lead.clone()),
                ("responsible", String::new()),
                ("segment", String::new()),
                ("deadline", "2026年6月底前".to_string()),
                ("reason", reason.to_string()),
            ]
        };
        let post = |fields: Vec<(&'static str, String)>| {
            let reporter = &reporter;
            async move {
                let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                reporter.form(&format!("/review/tasks/{id}"), &pairs).await
            }
        };
        let (status, body) = post(fields("")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let at = body.find("id=\"err-reason\"").unwrap_or_else(|| panic!("no error next to the reason: {body}"));
        assert!(body[at..].split("</p>").next().unwrap().contains("不能为空"), "{body}");
        let (status, body) = post(fields("按省里要求提前完成")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已提交变更申请") && body.contains("待审批"), "{body}");
        let (_, now) = reporter.get(&format!("/api/tasks/{id}")).await;
        assert_eq!(now["deadline"], task["deadline"], "the plan is unchanged until the office decides");

        // The office sees it beside the item and on its list, and approves.
        let (_, _, review) = office.page(&format!("/plans/{}", server.plans[1])).await;
        assert!(review.contains("按省里要求提前完成") && review.contains("去审批"), "shown beside the item");
        let (_, _, list) = office.page("/proposals").await;
        assert!(list.contains("按省里要求提前完成") && list.contains("批准"), "{list}");
        let (_, pending) = office.get("/api/proposals?state=pending").await;
        let proposal = first(&pending)["id"].as_i64().unwrap();
        let (status, _) = reporter.form(&format!("/proposals/{proposal}/decision"), &[("approve", "1")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a reporter does not decide");
        let (status, body) =
            office.form(&format!("/proposals/{proposal}/decision"), &[("approve", "1"), ("note", "同意")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已批准") && body.contains("同意"), "{body}");
        let (_, now) = reporter.get(&format!("/api/tasks/{id}")).await;
        assert_eq!(now["deadline"], "2026年6月底前");
    })
    .await;
}

#[tokio::test]
async fn the_source_on_the_review_page_is_the_text_spans_count_in() {
    on_both(|server: Server| async move {
        let office = server.login("office").await;
        // A document that begins with a blank line: HTML drops the first
        // line break inside <pre>, which would shift every mark by one.
        let doc = "\n某区大健康产业发展行动计划\n一、重点任务\n1. 建设区域医疗中心，提升服务能力。（牵头单位：区卫生健康委）\n\
                   2. 发展中医药健康旅游 & 康养 <示范>。（牵头单位：区文化旅游委）\n";
        let (status, imported) = office.upload("/api/plans?region=500114&name=blank.txt", doc.as_bytes().to_vec()).await;
        assert!(status.is_success(), "{imported}");
        let plan = imported["plan_id"].as_i64().unwrap();
        let (_, source) = office.get(&format!("/api/plans/{plan}/source")).await;
        let text = source["text"].as_str().unwrap();
        assert!(text.starts_with('\n'), "the text as read keeps its blank first line");
        let (_, _, page) = office.page(&format!("/plans/{plan}")).await;
        let open = "<pre id=\"source\" class=\"source\" tabindex=\"0\">";
        let start = page.find(open).unwrap() + open.len();
        let end = start + page[start..].find("</pre>").unwrap();
        let raw = &page[start..end];
        // What a browser makes of it: one line break right after <pre> is dropped.
        let shown = raw.strip_prefix('\n').unwrap_or(raw);
        let shown = shown
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(shown, text, "the page shows exactly the text the spans count in");
    })
    .await;
}

/// The generated password shown once in `body` after `label`.
fn shown_password(body: &str) -> String {
    let at = body.find("<code class=\"secret\">").unwrap_or_else(|| panic!("no password shown: {body}")) + 21;
    body[at..].split("</code>").next().unwrap().to_string()
}

#[tokio::test]
async fn the_security_admin_runs_accounts_on_the_page_and_everyone_changes_their_password() {
    on_both(|server: Server| async move {
        let security = server.login("security").await;
        let unit = server.reporter_unit.to_string();
        let (status, body) = security
            .form(
                "/accounts",
                &[("username", "clerk2"), ("display_name", "李四"), ("role", "reporter"), ("unit", &unit)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已创建账号") && body.contains("区卫生健康委"), "units by name: {body}");
        let password = shown_password(&body);
        let mut clerk = server.anonymous();
        let login = |p: &str| serde_json::json!({"username": "clerk2", "password": p});
        let (status, session) = clerk.post("/api/session", &login(&password)).await;
        assert_eq!(status, StatusCode::OK, "the shown password works: {session}");
        clerk.csrf = session["csrf_token"].as_str().unwrap().to_string();
        let id = session["user"]["id"].as_i64().unwrap();

        // A wrong form is answered next to its field.
        let (status, body) = security.form("/accounts", &[("username", "x y"), ("role", "leader")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("id=\"err-username\""), "{body}");

        // Everyone changes their own password on a page.
        let (status, body) = clerk
            .form(
                "/password",
                &[
                    ("old_password", &password),
                    ("new_password", "Neues-Passwort-2026"),
                    ("new_password_again", "Neues-Passwort-2027"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("id=\"err-new_password_again\"") && body.contains("不一致"), "{body}");
        let (status, body) = clerk
            .form(
                "/password",
                &[
                    ("old_password", "wrong"),
                    ("new_password", "Neues-Passwort-2026"),
                    ("new_password_again", "Neues-Passwort-2026"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("当前密码不正确"), "{body}");
        let (status, body) = clerk
            .form(
                "/password",
                &[
                    ("old_password", &password),
                    ("new_password", "Neues-Passwort-2026"),
                    ("new_password_again", "Neues-Passwort-2026"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("密码已修改"), "{body}");
        assert_eq!(server.anonymous().post("/api/session", &login("Neues-Passwort-2026")).await.0, StatusCode::OK);

        // Reset, disable, enable, grant — each answered with the account's row.
        let (status, row) = security.form(&format!("/accounts/{id}"), &[("do", "reset")]).await;
        assert_eq!(status, StatusCode::OK, "{row}");
        let reset = shown_password(&row);
        assert_eq!(
            server.anonymous().post("/api/session", &login("Neues-Passwort-2026")).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(server.anonymous().post("/api/session", &login(&reset)).await.0, StatusCode::OK);
        let (_, row) = security.form(&format!("/accounts/{id}"), &[("do", "disable")]).await;
        assert!(row.contains("已停用"), "{row}");
        assert_ne!(server.anonymous().post("/api/session", &login(&reset)).await.0, StatusCode::OK);
        let (_, row) = security.form(&format!("/accounts/{id}"), &[("do", "enable")]).await;
        assert!(row.contains("正常"), "{row}");
        let (_, row) = security.form(&format!("/accounts/{id}"), &[("do", "grant"), ("role", "leader")]).await;
        assert!(row.contains("<td class=\"roles\">领导</td>") && row.contains("<td class=\"units\">—</td>"), "{row}");
        let (status, row) = security
            .form(&format!("/accounts/{id}"), &[("do", "grant"), ("role", "auditor"), ("role", "leader")])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(row.contains("三员分立"), "{row}");

        // An administrator's account waits for a second 安全管理员.
        let (status, body) = security.form("/accounts", &[("username", "audit2"), ("role", "auditor")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已提交申请") && body.contains("新建账号 audit2（审计员）"), "{body}");
        assert!(body.contains("待另一名安全管理员批准"), "its requester may not approve it: {body}");

        // Nobody else may.
        let office = server.login("office").await;
        assert_eq!(office.form(&format!("/accounts/{id}"), &[("do", "reset")]).await.0, StatusCode::FORBIDDEN);
    })
    .await;
}
