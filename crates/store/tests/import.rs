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
async fn tiny() {
    each_backend(|store| async move {
        let text =
            "关于印发某某方案的通知\n一、重点任务\n（一）建设医院。到2025年，建成医院3个。（牵头单位：州卫生健康委）\n";
        let req = ImportRequest { name: "t.txt", bytes: text.as_bytes(), region: "522600", parent: None };
        store.import_plan(&office(), req.clone(), &mut |s| eprintln!("{s:?}"), NOW).await.unwrap();
    })
    .await;
}
