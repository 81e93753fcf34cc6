//! Importing plans.

use crate::common::*;
use bighealth_store::plans::{ImportRequest, Imported};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_import_and_reimport_changes_nothing() {
    each_backend(|store| async move {
        let bytes = std::fs::read(seed("002")).unwrap();
        let req = ImportRequest { name: "002.txt", bytes: &bytes, region: "500114", parent: None };
        let Imported::Stored(report) = store.import_plan(&office(), req.clone(), &mut |_| {}, NOW).await.unwrap()
        else {
            panic!("first import should store")
        };
        let reading = bighealth_reader::read_bytes("002.txt", &bytes).unwrap();
        assert_eq!(report.tasks, reading.tasks.len());
        assert_eq!(report.projects, 36);
        let again = store.import_plan(&office(), req, &mut |_| {}, NOW + 1).await.unwrap();
        assert_eq!(again, Imported::Unchanged { plan_id: report.plan_id, deleted: false });
        let plans = store.plans(None, false).await.unwrap();
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].tasks as usize, reading.tasks.len());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_link_to_their_tasks_and_owners() {
    each_backend(|store| async move {
        let text = "关于印发某某方案的通知\n一、重点任务\n（一）建设医院。到2025年，建成三级医院3个。（牵头单位：州卫生健康委；责任单位：州发展改革委）\n（二）发展养老。养老床位达到5000张。（牵头单位：州民政局）\n";
        let req = ImportRequest { name: "t.txt", bytes: text.as_bytes(), region: "522600", parent: None };
        let mut steps = vec![];
        let Imported::Stored(r) = store.import_plan(&office(), req, &mut |s| steps.push(s.stage), NOW).await.unwrap() else {
            panic!()
        };
        assert_eq!((r.tasks, r.targets), (2, 2));
        assert!(steps.contains(&"tasks") && steps.contains(&"targets"), "progress is reported: {steps:?}");
        let targets = store.targets(&Default::default()).await.unwrap().items;
        let tasks = store.tasks(&Default::default()).await.unwrap().items;
        assert_eq!(targets[0].task_id, Some(tasks[0].id));
        assert_eq!(targets[0].owner_name.as_deref(), Some("州卫生健康委"), "a target's owner is its task's lead unit");
        assert_eq!(targets[1].owner_name.as_deref(), Some("州民政局"));
        assert_eq!(targets[1].value, 5000.0);
        assert_eq!(targets[0].value_max, None);
        assert_eq!(tasks[1].segment.as_deref(), Some("养"), "segments are tagged");
        assert_eq!(targets[1].segment.as_deref(), Some("养"));
        let sections = store.sections(r.plan_id).await.unwrap();
        assert_eq!(tasks[0].section_id, Some(sections[0].id), "a task stands in its heading's section");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_division_table_in_xlsx_adds_tasks_with_their_units() {
    each_backend(|store| async move {
        let text = std::fs::read(seed("004")).unwrap();
        let req = ImportRequest { name: "004.txt", bytes: &text, region: "500114", parent: None };
        let Imported::Stored(plan) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else {
            panic!()
        };
        let xlsx = std::fs::read(fixture("office/seed002-division.xlsx")).unwrap();
        let Imported::Stored(r) =
            store.import_table(&office(), plan.plan_id, "division.xlsx", &xlsx, &mut |_| {}, NOW).await.unwrap()
        else {
            panic!()
        };
        let reading = bighealth_reader::read_bytes("division.xlsx", &xlsx).unwrap();
        assert_eq!(r.tasks, reading.tasks.len());
        assert!(r.tasks > 0);
        let q = bighealth_store::tasks::TaskQuery { plan: Some(plan.plan_id), limit: Some(1000), ..Default::default() };
        let tasks = store.tasks(&q).await.unwrap();
        assert_eq!(tasks.total as usize, plan.tasks + r.tasks);
        let added: Vec<_> = tasks.items.iter().filter(|t| t.origin == "table").collect();
        assert_eq!(added.len(), r.tasks);
        assert!(added.iter().all(|t| !t.lead.is_empty()), "every row of the table names its lead unit");
        let again =
            store.import_table(&office(), plan.plan_id, "division.xlsx", &xlsx, &mut |_| {}, NOW).await.unwrap();
        assert_eq!(again, Imported::Unchanged { plan_id: plan.plan_id, deleted: false });
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_over_its_time_limit_is_cancelled_and_stores_nothing() {
    each_backend(|store| async move {
        let bytes = std::fs::read(seed("001")).unwrap();
        let req = ImportRequest { name: "001.txt", bytes: &bytes, region: "522600", parent: None };
        let hurried = store.clone().with_import_limit(std::time::Duration::ZERO);
        let err = hurried.import_plan(&office(), req.clone(), &mut |_| {}, NOW).await.unwrap_err();
        let bighealth_store::StoreError::Refused(refusal) = err else { panic!("{err:?}") };
        assert_eq!(refusal.reason.code(), "import_timed_out");
        assert_eq!(refusal.field.as_deref(), Some("file"));
        assert!(store.plans(None, true).await.unwrap().is_empty(), "a cancelled import stored a plan");
        let log = store.audit_log(&Default::default()).await.unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "import_plan" && e.outcome == "failed" && e.detail.contains("import_timed_out")),
            "the cancelled import is not in the audit log"
        );
        // With the time it needs, the same document imports.
        assert!(matches!(store.import_plan(&office(), req, &mut |_| {}, NOW + 1).await.unwrap(), Imported::Stored(_)));
    })
    .await;
}
