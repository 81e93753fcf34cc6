//! The unit registry: names resolve through aliases; unknown names become
//! unconfirmed units, near-misses are flagged, nothing is merged silently.

use crate::common::*;
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::tasks::TaskQuery;
use bighealth_store::units::UnitQuery;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_names_resolve_through_the_registry() {
    each_backend(|store| async move {
        let registered =
            store.create_unit(&office(), "州卫生计生委", "522600", None, &["州卫计委".to_string()], NOW).await.unwrap();
        assert!(registered.confirmed);
        assert_eq!(registered.kind, "department");
        let bytes = std::fs::read(seed("001")).unwrap();
        let req = ImportRequest { name: "001.txt", bytes: &bytes, region: "522600", parent: None };
        let Imported::Stored(report) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else {
            panic!()
        };
        assert!(!report.new_units.iter().any(|u| u.name == "州卫生计生委"), "a registered name is not new");
        let typo = report.new_units.iter().find(|u| u.name == "州卫生卫计委").expect("the typo is listed for review");
        assert_eq!(typo.similar_to, Some(registered.id), "and pointed at its likely twin");
        let typo_unit = store.unit(typo.id).await.unwrap();
        assert!(!typo_unit.confirmed);
        assert_eq!(typo_unit.merged_into, None, "never merged silently");
        let tasks = store.tasks(&TaskQuery { unit: Some(registered.id), ..Default::default() }).await.unwrap();
        assert!(tasks.total > 0);
        assert!(tasks.items.iter().all(|t| t.lead.iter().chain(&t.responsible).any(|u| u.unit_id == registered.id)));
        // Every name the reading gave is kept: unresolved ones as unconfirmed units.
        let reading = bighealth_reader::read_bytes("001.txt", &bytes).unwrap();
        let written: usize = reading.tasks.iter().map(|t| t.lead.len() + t.responsible.len()).sum();
        let stored: usize = store
            .tasks(&TaskQuery { limit: Some(1000), ..Default::default() })
            .await
            .unwrap()
            .items
            .iter()
            .map(|t| t.lead.len() + t.responsible.len())
            .sum();
        assert_eq!(stored, written);
        let unconfirmed = store.units(&UnitQuery { confirmed: Some(false), ..Default::default() }).await.unwrap();
        assert_eq!(unconfirmed.len(), report.new_units.len());
        // Collective names are told apart.
        assert!(unconfirmed.iter().any(|u| u.kind == "collective"), "{unconfirmed:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_unit_keeps_its_old_name_as_an_alias() {
    each_backend(|store| async move {
        let u = store.create_unit(&office(), "州卫生计生委", "522600", None, &[], NOW).await.unwrap();
        store.rename_unit(&office(), u.id, "州卫生健康委", NOW + 1000).await.unwrap();
        let detail = store.unit_detail(u.id).await.unwrap();
        assert_eq!(detail.unit.name, "州卫生健康委");
        assert_eq!(detail.names.len(), 2);
        assert_eq!(detail.names[0].name, "州卫生计生委");
        assert_eq!(detail.names[0].valid_to, Some(NOW + 1000));
        assert!(detail.aliases.contains(&"州卫生计生委".to_string()));
        // A 2017 plan that still says 州卫生计生委 resolves to the renamed unit.
        let bytes = std::fs::read(seed("001")).unwrap();
        let req = ImportRequest { name: "001.txt", bytes: &bytes, region: "522600", parent: None };
        let Imported::Stored(report) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else {
            panic!()
        };
        assert!(!report.new_units.iter().any(|n| n.name == "州卫生计生委"));
        let history = store.history("unit", u.id).await.unwrap();
        assert_eq!(history[0].field, "name");
        // A name already standing for another unit cannot be taken.
        let other = store.create_unit(&office(), "州发展改革委", "522600", None, &[], NOW).await.unwrap();
        assert!(store.rename_unit(&office(), other.id, "州卫生计生委", NOW).await.is_err());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_unit_lands_in_the_region_its_name_points_to() {
    each_backend(|store| async move {
        let text = "黄平县大健康产业发展方案\n一、重点任务\n（一）建设医院。（牵头单位：县卫生健康局；责任单位：州卫生健康委、省卫生健康委、有关单位）\n";
        let req = ImportRequest { name: "t.txt", bytes: text.as_bytes(), region: "522622", parent: None };
        store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap();
        let units = store.units(&UnitQuery::default()).await.unwrap();
        let region = |name: &str| units.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("{name}: {units:?}")).region.clone();
        assert_eq!(region("县卫生健康局"), "522622");
        assert_eq!(region("州卫生健康委"), "522600");
        assert_eq!(region("省卫生健康委"), "520000");
        assert_eq!(region("有关单位"), "522622");
        // 黔江区 is a district of a municipality: its 市 is 重庆市.
        let text = "黔江区方案\n一、重点任务\n（一）建设医院。（牵头单位：市卫生健康委）\n";
        let req = ImportRequest { name: "q.txt", bytes: text.as_bytes(), region: "500114", parent: None };
        store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap();
        let units = store.units(&UnitQuery { q: Some("市卫生健康委".into()), ..Default::default() }).await.unwrap();
        assert_eq!(units[0].region, "500000");
        // A second plan of another county of the same prefecture finds the
        // prefecture's unit; a county-level city's 市 is the city itself.
        let text = "凯里市方案\n一、重点任务\n（一）建设医院。（牵头单位：州卫生健康委；责任单位：市民政局）\n";
        let req = ImportRequest { name: "k.txt", bytes: text.as_bytes(), region: "522601", parent: None };
        let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
        assert_eq!(r.new_units.len(), 1, "{:?}", r.new_units);
        assert_eq!(store.unit(r.new_units[0].id).await.unwrap().region, "522601");
    })
    .await;
}
