//! `cargo bench -p bighealth-server --bench platform`: the platform with a
//! province's plans in it.
//!
//! Writes a province-sized data set as real plan documents — 湖南省's plan,
//! one for each of its 14 cities and one for each of 120 of its counties (135
//! plans), holding 20 000 tasks and 5 000 projects in all, naming 60
//! departments at each level — registers the departments as confirmed units,
//! imports the plans with `Store::import_plan` (timed), then starts the real
//! server on a loopback port and measures the main list endpoints with 16
//! clients at once. Runs on SQLite (a temporary file) and on PostgreSQL (a
//! fresh database on `BIGHEALTH_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432`) and prints Markdown tables for
//! BENCHMARKS.md. No timing is asserted; a failed import or request, or an
//! answer with the wrong count, panics.
//!
//! - `-- sqlite` or `-- postgres`: one backend only.
//! - `-- --dump DIR`: write the documents to `DIR` (to check them with
//!   `bighealth extract`) and stop.
//! - `BIGHEALTH_BENCH_SCALE=0.1`: a data set scaled down, for quick trials.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it runs a small
//! version once on SQLite as a smoke test: 1 city, 2 counties, 300 tasks.

use bighealth_server::{AppState, Clock};
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::testing::TestDb;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store, now_ms};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const REGIONS: &str = include_str!("../../store/data/regions.tsv");

/// The province the data set is drawn from: 14 cities, 122 counties.
const PROVINCE: &str = "430000";

/// Sixty departments, named at each level with its prefix (省, 市 or 州, 区 or 县 or 市).
const DEPARTMENTS: [&str; 60] = [
    "卫生健康委",
    "发展改革委",
    "财政局",
    "工业和信息化局",
    "民政局",
    "人力资源社会保障局",
    "自然资源局",
    "生态环境局",
    "住房城乡建设局",
    "交通运输局",
    "农业农村局",
    "商务局",
    "文化旅游广电局",
    "体育局",
    "市场监管局",
    "医保局",
    "药品监管局",
    "林业局",
    "科技局",
    "教育局",
    "公安局",
    "水利局",
    "统计局",
    "税务局",
    "审计局",
    "应急管理局",
    "退役军人事务局",
    "乡村振兴局",
    "大数据中心",
    "政务服务中心",
    "投资促进局",
    "地方金融监管局",
    "机关事务管理局",
    "国资委",
    "中医药管理局",
    "疾病预防控制中心",
    "残联",
    "妇联",
    "团委",
    "总工会",
    "科协",
    "红十字会",
    "气象局",
    "供销合作社",
    "粮食和物资储备局",
    "人防办",
    "外事办",
    "宣传部",
    "组织部",
    "编办",
    "司法局",
    "信访局",
    "城市管理局",
    "能源局",
    "通信管理局",
    "银保监分局",
    "文联",
    "档案馆",
    "老龄办",
    "爱卫办",
];

const CHAPTERS: [&str; 10] = [
    "做强健康医疗服务",
    "做大生物医药产业",
    "做特健康养老产业",
    "做活健康运动产业",
    "做细健康管理服务",
    "做优康养旅游产业",
    "做精健康食品产业",
    "推进产业融合发展",
    "强化创新驱动支撑",
    "夯实产业发展基础",
];

const SECTIONS: [&str; 20] = [
    "优化医疗资源配置",
    "提升基层医疗服务能力",
    "推进中医药传承创新",
    "发展生物医药制造",
    "壮大中药材种植",
    "发展医疗器械产业",
    "完善养老服务体系",
    "推进医养结合",
    "发展森林康养",
    "发展温泉养生",
    "完善全民健身设施",
    "打造品牌体育赛事",
    "推进健康医疗大数据应用",
    "完善健康管理服务",
    "发展康养旅游",
    "打造健康食品品牌",
    "发展农产品精深加工",
    "加强健康人才队伍建设",
    "强化科技创新平台",
    "扩大健康产业招商引资",
];

const VERBS: [&str; 10] = [
    "加快推进",
    "大力推进",
    "着力加强",
    "持续完善",
    "积极发展",
    "统筹推进",
    "扎实推进",
    "全面加强",
    "稳步推进",
    "协同推进",
];

const OBJECTS: [&str; 24] = [
    "县级医院能力建设",
    "中医医院提质升级",
    "乡镇卫生院标准化建设",
    "药品现代流通体系",
    "中药材规范化种植基地",
    "医疗器械产业园区",
    "社区居家养老服务网络",
    "医养结合机构",
    "森林康养基地",
    "温泉康养小镇",
    "全民健身场地设施",
    "专业健康体检机构",
    "健康医疗大数据平台",
    "远程医疗服务网络",
    "家庭医生签约服务",
    "康养旅游精品线路",
    "特色健康食品品牌",
    "富硒农产品精深加工",
    "健康产业实训基地",
    "健康产业重点招商",
    "互联网医院",
    "康复医疗服务体系",
    "婴幼儿照护服务",
    "公共卫生应急体系",
];

const CLAUSES: [&str; 16] = [
    "统筹布局优质医疗资源，推动服务重心下移、资源下沉",
    "引导社会力量参与，形成多元投入、共建共享的发展格局",
    "落实用地、融资、人才等支持政策，扶持龙头企业做大做强",
    "完善标准规范和质量评价体系，提升服务质量和安全水平",
    "推动数字技术与健康服务深度融合，培育新业态新模式",
    "加强区域合作和资源共享，延长产业链条、提升附加值",
    "挖掘生态和文化资源优势，打造具有地方特色的服务品牌",
    "健全工作推进机制，定期调度重点项目和重点企业",
    "加大宣传推介力度，提升健康产品和服务的知名度",
    "建立跟踪评估制度，及时发现和解决发展中的突出问题",
    "支持科研院所与企业联合攻关，加快科技成果转化应用",
    "强化安全生产和质量监管，守住不发生系统性风险底线",
    "推广适宜技术和服务规范，满足群众多层次多样化需求",
    "支持有条件的地方先行先试，及时总结推广典型经验",
    "完善财政奖补和金融支持政策，撬动社会资本加大投入",
    "加强监测统计和运行分析，为科学决策提供有力支撑",
];

/// Targets: what is counted, with its unit.
const GOALS: [(&str, &str); 12] = [
    ("建成医养结合机构", "家"),
    ("新增养老床位", "张"),
    ("建成森林康养基地", "个"),
    ("建成体育公园", "个"),
    ("中药材种植面积达到", "万亩"),
    ("培育年产值超亿元健康企业", "家"),
    ("建成智慧医院", "家"),
    ("每千人口执业（助理）医师数达到", "人"),
    ("家庭医生签约服务覆盖率达到", "%"),
    ("健康旅游接待人次达到", "万人次"),
    ("建成社区卫生服务中心", "个"),
    ("经常参加体育锻炼人数比例达到", "%"),
];

const PLACES: [&str; 12] =
    ["城东", "城西", "城南", "城北", "高新区", "经开区", "滨江", "湖畔", "新城", "老城", "工业园", "生态园"];

const FACILITIES: [&str; 25] = [
    "人民医院门诊综合楼",
    "中医医院康复楼",
    "妇幼保健院",
    "疾控中心实验楼",
    "社区卫生服务中心",
    "中心卫生院",
    "养老服务中心",
    "医养结合中心",
    "康养小镇",
    "温泉康养基地",
    "森林康养基地",
    "全民健身中心",
    "体育公园",
    "中药材种植基地",
    "中药饮片加工厂",
    "生物医药产业园",
    "医疗器械产业园",
    "健康食品加工园",
    "医药冷链物流中心",
    "健康大数据中心",
    "互联网医院",
    "职业技能实训基地",
    "康复医院",
    "精神卫生中心",
    "应急医疗救治中心",
];

const NATURES: [&str; 5] = ["新建", "续建", "改扩建", "新建", "新建"];
const FUNDING: [&str; 5] = ["政府投资", "社会投资", "政府和社会资本合作", "企业自筹", "专项债券"];

/// A deterministic pseudo-random sequence (Knuth's MMIX LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Chinese numerals 1–99 (一, 十二, 三十四).
fn cn(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].into(),
        10..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => panic!("no numeral for {n}"),
    }
}

/// The sizes of a data set.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    cities: usize,
    counties: usize,
    tasks: usize,
    projects: usize,
    departments: usize,
}

impl Sizes {
    fn full(scale: f64) -> Sizes {
        let n = |x: f64| ((x * scale).round() as usize).max(1);
        Sizes { cities: n(14.0).min(14), counties: n(120.0), tasks: n(20_000.0), projects: n(5_000.0), departments: 60 }
    }

    fn smoke() -> Sizes {
        Sizes { cities: 1, counties: 2, tasks: 300, projects: 60, departments: 12 }
    }
}

/// A region of the data set.
#[derive(Debug, Clone)]
struct Region {
    code: String,
    name: String,
    parent: Option<String>,
}

impl Region {
    /// `省`, `市`/`州`, `区`/`县`/`市`: what its departments' names start with.
    fn prefix(&self, level: Level) -> &str {
        match level {
            Level::Province => "省",
            Level::City if self.name.ends_with('州') => "州",
            Level::City => "市",
            Level::County => {
                let last = self.name.char_indices().last().map(|(i, _)| i).unwrap_or(0);
                &self.name[last..]
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    // In this order: `Level as usize` indexes per-level figures.
    Province,
    City,
    County,
}

/// A generated plan document and what a correct reading of it holds.
struct PlanDoc {
    region: Region,
    level: Level,
    /// Index of the plan it implements.
    parent: Option<usize>,
    file_name: String,
    text: String,
    tasks: usize,
    projects: usize,
    investment: f64,
    max_investment: f64,
    /// Tasks naming each department (lead or responsible).
    tasks_of_department: Vec<usize>,
}

/// The province, the first `sizes.cities` cities and `sizes.counties`
/// counties taken in turn from each city (development zones left out).
fn regions(sizes: Sizes) -> (Region, Vec<Region>, Vec<Region>) {
    let all: Vec<(Region, &str)> = REGIONS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let parent = f.get(3).filter(|p| !p.is_empty()).map(|p| p.to_string());
            Some((Region { code: f[0].into(), name: f[1].into(), parent }, *f.get(2)?))
        })
        .collect();
    let province = all.iter().find(|(r, _)| r.code == PROVINCE).expect("the province is in regions.tsv").0.clone();
    let cities: Vec<Region> = all
        .iter()
        .filter(|(r, level)| *level == "city" && r.parent.as_deref() == Some(PROVINCE))
        .map(|(r, _)| r.clone())
        .take(sizes.cities)
        .collect();
    let under: Vec<Vec<Region>> = cities
        .iter()
        .map(|c| {
            all.iter()
                .filter(|(r, level)| {
                    *level == "county" && r.parent.as_ref() == Some(&c.code) && r.code.as_bytes()[4] != b'7'
                })
                .map(|(r, _)| r.clone())
                .collect()
        })
        .collect();
    let mut counties = Vec::new();
    for round in 0.. {
        let before = counties.len();
        for list in &under {
            if counties.len() < sizes.counties
                && let Some(r) = list.get(round)
            {
                counties.push(r.clone());
            }
        }
        if counties.len() == sizes.counties || counties.len() == before {
            break;
        }
    }
    (province, cities, counties)
}

/// Splits `total` in proportion to `weights`, exactly.
fn shares(total: usize, weights: &[usize]) -> Vec<usize> {
    let sum: usize = weights.iter().sum();
    let mut out = Vec::with_capacity(weights.len());
    let mut acc = 0;
    for w in weights {
        let before = total * acc / sum;
        acc += w;
        out.push(total * acc / sum - before);
    }
    out
}

/// Writes the data set: the provincial plan, then the cities', then the counties'.
fn data_set(sizes: Sizes) -> Vec<PlanDoc> {
    let (province, cities, counties) = regions(sizes);
    let mut plans: Vec<(Region, Level, Option<usize>)> = vec![(province, Level::Province, None)];
    for c in &cities {
        plans.push((c.clone(), Level::City, Some(0)));
    }
    for c in &counties {
        let parent = cities.iter().position(|p| Some(&p.code) == c.parent.as_ref()).expect("a chosen city");
        plans.push((c.clone(), Level::County, Some(1 + parent)));
    }
    // The provincial plan weighs 8 county plans, a city's 3.
    let weights: Vec<usize> = plans
        .iter()
        .map(|(_, level, _)| match level {
            Level::Province => 8,
            Level::City => 3,
            Level::County => 1,
        })
        .collect();
    let tasks = shares(sizes.tasks, &weights);
    let projects = shares(sizes.projects, &weights);
    plans
        .into_iter()
        .enumerate()
        .map(|(i, (region, level, parent))| plan_doc(region, level, parent, tasks[i], projects[i], sizes.departments))
        .collect()
}

fn plan_doc(
    region: Region,
    level: Level,
    parent: Option<usize>,
    tasks: usize,
    projects: usize,
    departments: usize,
) -> PlanDoc {
    let mut rng = Lcg(region.code.parse::<u64>().expect("a numeric code"));
    let prefix = region.prefix(level).to_string();
    let scope = format!("全{prefix}");
    let dept = |d: usize| format!("{prefix}{}", DEPARTMENTS[d]);
    let name = &region.name;
    let title = format!("{name}大健康产业发展行动计划（2021—2025年）");
    let mut t = String::new();
    let w = &mut t;
    writeln!(w, "{title}\n").unwrap();
    writeln!(
        w,
        "为深入贯彻落实《“健康中国2030”规划纲要》，加快推进{name}大健康产业高质量发展，结合实际，制定本行动计划。\n"
    )
    .unwrap();
    writeln!(w, "一、总体要求\n").unwrap();
    writeln!(
        w,
        "（一）指导思想。坚持以人民健康为中心，把人民健康放在优先发展的战略位置，以供给侧结构性改革为主线，\
         加快构建覆盖全生命周期、内涵丰富、结构合理的大健康产业体系。\n"
    )
    .unwrap();
    writeln!(
        w,
        "（二）发展目标。到2025年，{scope}大健康产业总规模达到{}亿元，年均增长12%以上。\n",
        100 + rng.below(900)
    )
    .unwrap();

    let mut tasks_of_department = vec![0; departments];
    let per_section = 12;
    let sections = tasks.div_ceil(per_section).max(1);
    let chapters = sections.div_ceil(10);
    let mut written = 0;
    let mut section = 0;
    for chapter in 0..chapters {
        writeln!(w, "{}、{}\n", cn(chapter + 2), CHAPTERS[chapter % CHAPTERS.len()]).unwrap();
        let in_chapter = (sections - section).min(10).min(sections.div_ceil(chapters));
        for s in 0..in_chapter {
            writeln!(w, "（{}）{}\n", cn(s + 1), SECTIONS[(section + chapter) % SECTIONS.len()]).unwrap();
            section += 1;
            let here = (tasks - written).div_ceil(sections - section + 1);
            for k in 0..here {
                let n = written + k;
                let verb = VERBS[n % VERBS.len()];
                let object = OBJECTS[(n / VERBS.len() + rng.below(3)) % OBJECTS.len()];
                let c1 = CLAUSES[rng.below(CLAUSES.len())];
                let c2 = CLAUSES[rng.below(CLAUSES.len())];
                write!(w, "{}.{verb}{object}。围绕{object}，{c1}；{c2}。", k + 1).unwrap();
                if rng.below(3) == 0 {
                    let (what, unit) = GOALS[rng.below(GOALS.len())];
                    let value = if unit == "%" { 50 + rng.below(50) } else { 2 + rng.below(300) };
                    write!(w, "到2025年，{scope}{what}{value}{unit}。").unwrap();
                }
                // 卫生健康委 leads a quarter of the tasks.
                let lead = if rng.below(4) == 0 { 0 } else { rng.below(departments) };
                let mut named = vec![lead];
                for _ in 0..1 + rng.below(3) {
                    let d = rng.below(departments);
                    if !named.contains(&d) {
                        named.push(d);
                    }
                }
                for d in &named {
                    tasks_of_department[*d] += 1;
                }
                let responsible: Vec<String> = named[1..].iter().map(|d| dept(*d)).collect();
                if responsible.is_empty() {
                    writeln!(w, "（牵头单位：{}）\n", dept(lead)).unwrap();
                } else {
                    writeln!(w, "（牵头单位：{}；责任单位：{}）\n", dept(lead), responsible.join("、")).unwrap();
                }
            }
            written += here;
        }
    }
    assert_eq!(written, tasks, "{name}: tasks written");

    let mut rows = String::new();
    let mut investment = 0.0;
    let mut max_investment: f64 = 0.0;
    for i in 0..projects {
        let place = PLACES[i % PLACES.len()];
        let facility = FACILITIES[(i / PLACES.len()) % FACILITIES.len()];
        let round = i / (PLACES.len() * FACILITIES.len());
        let phase = if round == 0 { String::new() } else { format!("{}期", cn(round + 1)) };
        let nature = NATURES[rng.below(NATURES.len())];
        let wan = (500 + rng.below(99_500)) as f64;
        investment += wan;
        max_investment = max_investment.max(wan);
        let start = 2021 + rng.below(3);
        let end = start + 1 + rng.below(3);
        let funding = FUNDING[rng.below(FUNDING.len())];
        let mut units = vec![if rng.below(2) == 0 { 0 } else { rng.below(departments) }];
        let other = rng.below(departments);
        if rng.below(3) == 0 && !units.contains(&other) {
            units.push(other);
        }
        let units: Vec<String> = units.into_iter().map(dept).collect();
        writeln!(
            rows,
            "{}\t{name}{place}{facility}{phase}建设项目\t{nature}\t新建业务用房及配套设施{}平方米，购置设备{}台（套）\t{wan}\t{start}—{end}年\t{funding}\t{}",
            i + 1,
            1000 + rng.below(90_000),
            10 + rng.below(500),
            units.join("、")
        )
        .unwrap();
    }
    if projects > 0 {
        writeln!(w, "附件\n\n{name}大健康产业重点项目表\n").unwrap();
        writeln!(w, "序号\t项目名称\t建设性质\t建设规模及内容\t总投资（万元）\t建设周期\t投资方式\t责任单位").unwrap();
        writeln!(w, "合计（{projects}个）\t\t\t\t{investment}\t\t\t").unwrap();
        w.push_str(&rows);
    }
    PlanDoc {
        file_name: format!("{}_{name}大健康产业发展行动计划.txt", region.code),
        region,
        level,
        parent,
        text: t,
        tasks,
        projects,
        investment,
        max_investment,
        tasks_of_department,
    }
}

/// What importing the data set took on one backend.
struct ImportFigures {
    units: usize,
    register: Duration,
    plans: usize,
    tasks: usize,
    targets: usize,
    projects: usize,
    findings: usize,
    bytes: usize,
    import: Duration,
}

/// The latencies of one endpoint under load.
struct LoadFigures {
    label: String,
    rows: String,
    /// Bytes of the answer.
    size: usize,
    /// The median time of one client alone.
    alone: Duration,
    requests: usize,
    wall: Duration,
    /// Sorted.
    times: Vec<Duration>,
}

impl LoadFigures {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64()
    }

    fn quantile(&self, q: f64) -> Duration {
        let i = ((self.times.len() as f64 * q).ceil() as usize).clamp(1, self.times.len());
        self.times[i - 1]
    }
}

/// How hard to load the server.
#[derive(Debug, Clone, Copy)]
struct Load {
    clients: usize,
    /// Each client sends requests for this long…
    budget: Duration,
    /// …and at least this many.
    min: usize,
}

/// What one backend's run measured.
struct Run {
    backend: &'static str,
    import: ImportFigures,
    endpoints: Vec<LoadFigures>,
}

fn progress(quick: bool, line: std::fmt::Arguments) {
    if !quick {
        eprintln!("{line}");
    }
}

/// Registers the departments, imports the plans; returns the plan ids and
/// what it took.
async fn import(store: &Store, plans: &[PlanDoc], sizes: Sizes, quick: bool) -> (Vec<i64>, Vec<usize>, ImportFigures) {
    let office = Actor::local("bench", Role::SystemAdmin);
    let start = Instant::now();
    let mut units = 0;
    for p in plans {
        let prefix = p.region.prefix(p.level);
        for d in &DEPARTMENTS[..sizes.departments] {
            let name = format!("{prefix}{d}");
            store
                .create_unit(&office, &name, &p.region.code, None, &[], now_ms())
                .await
                .unwrap_or_else(|e| panic!("registering {name} in {}: {e}", p.region.code));
            units += 1;
        }
        if units % 1200 == 0 {
            progress(quick, format_args!("  {units} units registered, {:.1} s", start.elapsed().as_secs_f64()));
        }
    }
    let register = start.elapsed();
    progress(quick, format_args!("  {units} units registered in {:.1} s", register.as_secs_f64()));

    let mut ids: Vec<i64> = Vec::with_capacity(plans.len());
    let mut targets_of = Vec::with_capacity(plans.len());
    let (mut tasks, mut targets, mut projects, mut findings, mut bytes) = (0, 0, 0, 0, 0);
    let start = Instant::now();
    for (i, p) in plans.iter().enumerate() {
        let req = ImportRequest {
            name: &p.file_name,
            bytes: p.text.as_bytes(),
            region: &p.region.code,
            parent: p.parent.map(|k| ids[k]),
        };
        let report = match store.import_plan(&office, req, &mut |_| {}, now_ms()).await {
            Ok(Imported::Stored(r)) => r,
            Ok(other) => panic!("importing {}: {other:?}", p.file_name),
            Err(e) => panic!("importing {}: {e}", p.file_name),
        };
        assert_eq!(report.tasks, p.tasks, "{}: tasks read", p.file_name);
        assert_eq!(report.projects, p.projects, "{}: projects read", p.file_name);
        assert!(
            report.new_units.is_empty(),
            "{}: every unit is registered, yet the import met {:?}",
            p.file_name,
            report.new_units.iter().map(|u| &u.name).collect::<Vec<_>>()
        );
        ids.push(report.plan_id);
        targets_of.push(report.targets);
        tasks += report.tasks;
        targets += report.targets;
        projects += report.projects;
        findings += report.findings.len();
        bytes += p.text.len();
        if (i + 1) % 15 == 0 || i + 1 == plans.len() {
            progress(
                quick,
                format_args!(
                    "  {} plans imported ({tasks} tasks, {projects} projects), {:.1} s",
                    i + 1,
                    start.elapsed().as_secs_f64()
                ),
            );
        }
    }
    let import = start.elapsed();
    let figures =
        ImportFigures { units, register, plans: plans.len(), tasks, targets, projects, findings, bytes, import };
    (ids, targets_of, figures)
}

/// A list endpoint and what its answer must hold: (JSON pointer, value), or
/// `("len", n)` for the length of an array answer.
struct Endpoint {
    label: &'static str,
    path: String,
    rows: String,
    checks: Vec<(&'static str, Value)>,
}

fn check(endpoint: &Endpoint, body: &Value) {
    for (pointer, want) in &endpoint.checks {
        let got = match *pointer {
            "len" => body.as_array().map(|a| json!(a.len())),
            // A page: the count it shows.
            "html" => want.as_str().filter(|w| body.as_str().is_some_and(|b| b.contains(w))).map(|w| json!(w)),
            _ => body.pointer(pointer).cloned(),
        };
        assert_eq!(
            got.as_ref(),
            Some(want),
            "GET {}: {pointer} (answer begins {:.300})",
            endpoint.path,
            body.to_string()
        );
    }
}

/// Sends GET `url` from each client, one request after another, as `load`
/// says; returns every request's time and the time it all took.
async fn hammer(clients: &[reqwest::Client], url: &str, path: &str, load: Load) -> (Vec<Duration>, Duration) {
    let start = Instant::now();
    let mut running = Vec::with_capacity(clients.len());
    for c in clients {
        let (c, url, path) = (c.clone(), url.to_string(), path.to_string());
        running.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while times.len() < load.min || start.elapsed() < load.budget {
                let t = Instant::now();
                let resp = c.get(&url).send().await.unwrap_or_else(|err| panic!("GET {path}: {err}"));
                let status = resp.status();
                let body = resp.bytes().await.unwrap_or_else(|err| panic!("GET {path}: {err}"));
                assert!(status.is_success(), "GET {path}: {status} {}", String::from_utf8_lossy(&body));
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for r in running {
        times.extend(r.await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())));
    }
    (times, start.elapsed())
}

/// Starts the server on `store`, logs `load.clients` clients in as a leader
/// and measures each endpoint.
async fn serve_and_load(
    store: &Store,
    plans: &[PlanDoc],
    ids: &[i64],
    targets_of: &[usize],
    load: Load,
    quick: bool,
) -> Vec<LoadFigures> {
    let security = Actor::local("bench", Role::SecurityAdmin);
    let password = generate_password();
    let leader = NewUser {
        username: "leader".into(),
        display_name: None,
        password: password.clone(),
        roles: vec![Role::Leader],
        units: vec![],
    };
    store.create_user(&security, &leader, now_ms()).await.expect("creates the leader");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let state = AppState::new(store.clone(), Clock::default(), false);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bighealth_server::serve(state, listener, async move {
        let _ = stopped.await;
    }));

    let mut clients = Vec::with_capacity(load.clients);
    for _ in 0..load.clients {
        let http = reqwest::Client::builder().cookie_store(true).build().expect("an HTTP client");
        let resp = http
            .post(format!("{base}/api/session"))
            .json(&json!({"username": "leader", "password": password}))
            .send()
            .await
            .expect("logs in");
        assert!(resp.status().is_success(), "login: {} {}", resp.status(), resp.text().await.unwrap_or_default());
        clients.push(http);
    }

    // A county plan, the provincial 卫生健康委, the first county's units.
    let county = plans.iter().position(|p| p.level == Level::County).expect("a county plan");
    let province = &plans[0];
    let health = format!("{}{}", province.region.prefix(Level::Province), DEPARTMENTS[0]);
    let health_id = store
        .units(&UnitQuery { region: Some(province.region.code.clone()), ..Default::default() })
        .await
        .expect("lists units")
        .into_iter()
        .find(|u| u.name == health)
        .expect("the provincial 卫生健康委")
        .id;
    let cp = &plans[county];
    let departments = province.tasks_of_department.len();
    let endpoints = vec![
        Endpoint {
            label: "/api/plans",
            path: "/api/plans".into(),
            rows: format!("{} plans", plans.len()),
            checks: vec![("len", json!(plans.len()))],
        },
        Endpoint {
            label: "/api/tasks?plan= (a county)",
            path: format!("/api/tasks?plan={}", ids[county]),
            rows: format!("{} of {}", cp.tasks.min(100), cp.tasks),
            checks: vec![("/total", json!(cp.tasks))],
        },
        Endpoint {
            label: "/api/tasks?unit= (省卫生健康委)",
            path: format!("/api/tasks?unit={health_id}"),
            rows: format!("{} of {}", province.tasks_of_department[0].min(100), province.tasks_of_department[0]),
            checks: vec![("/total", json!(province.tasks_of_department[0]))],
        },
        Endpoint {
            label: "/api/targets?plan= (a county)",
            path: format!("/api/targets?plan={}", ids[county]),
            rows: format!("{} of {}", targets_of[county].min(100), targets_of[county]),
            checks: vec![("/total", json!(targets_of[county]))],
        },
        Endpoint {
            label: "/api/projects?plan=&sort=-investment (a county)",
            path: format!("/api/projects?plan={}&sort=-investment", ids[county]),
            rows: format!("{} of {}", cp.projects.min(100), cp.projects),
            checks: vec![("/total", json!(cp.projects)), ("/items/0/investment_wan", json!(cp.max_investment))],
        },
        Endpoint {
            label: "/api/projects/totals (the province)",
            path: "/api/projects/totals".into(),
            rows: format!("{} projects", plans.iter().map(|p| p.projects).sum::<usize>()),
            checks: vec![
                ("/count", json!(plans.iter().map(|p| p.projects).sum::<usize>())),
                ("/investment_wan", json!(plans.iter().map(|p| p.investment).sum::<f64>())),
            ],
        },
        Endpoint {
            label: "/plans/{id} review page (the province)",
            path: format!("/plans/{}", ids[0]),
            rows: format!("{} of {} tasks", province.tasks.min(100), province.tasks),
            checks: vec![("html", json!(format!("任务 <b>{}</b>", province.tasks)))],
        },
        Endpoint {
            label: "/api/units?region= (a county)",
            path: format!("/api/units?region={}", cp.region.code),
            rows: format!("{departments} units"),
            checks: vec![("len", json!(departments))],
        },
    ];

    let mut out = Vec::new();
    for e in &endpoints {
        let url = format!("{base}{}", e.path);
        // Every client once, checking the answer.
        let mut size = 0;
        for c in &clients {
            let resp = c.get(&url).send().await.unwrap_or_else(|err| panic!("GET {}: {err}", e.path));
            let status = resp.status();
            let text = resp.text().await.unwrap_or_else(|err| panic!("GET {}: {err}", e.path));
            assert!(status.is_success(), "GET {}: {status} {text}", e.path);
            size = text.len();
            let body = if e.path.starts_with("/api/") {
                serde_json::from_str(&text).unwrap_or_else(|err| panic!("GET {}: {err}: {text}", e.path))
            } else {
                Value::String(text)
            };
            check(e, &body);
        }
        let solo = Load { clients: 1, budget: load.budget / 5, min: 5 };
        let (mut alone, _) = hammer(&clients[..1], &url, &e.path, solo).await;
        alone.sort();
        let (mut times, wall) = hammer(&clients, &url, &e.path, load).await;
        times.sort();
        let f = LoadFigures {
            label: e.label.into(),
            rows: e.rows.clone(),
            size,
            alone: alone[alone.len() / 2],
            requests: times.len(),
            wall,
            times,
        };
        progress(
            quick,
            format_args!(
                "  alone {}  loaded {:>6} requests {:>7.1}/s  p50 {}  p95 {}  p99 {}  {}",
                ms(f.alone),
                f.requests,
                f.per_second(),
                ms(f.quantile(0.5)),
                ms(f.quantile(0.95)),
                ms(f.quantile(0.99)),
                f.label,
            ),
        );
        out.push(f);
    }
    let _ = stop.send(());
    server.await.expect("the server task").expect("the server");
    out
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 { format!("{ms:.2} ms") } else { format!("{ms:.1} ms") }
}

/// Imports the data set on a fresh store of `backend` and loads its server.
async fn run(backend: &'static str, plans: &[PlanDoc], sizes: Sizes, load: Load, quick: bool) -> Run {
    let db = if backend == "postgres" { TestDb::postgres().await } else { TestDb::sqlite() };
    let store = Store::open(&db.url).await.unwrap_or_else(|e| panic!("opening {}: {e}", db.url));
    progress(quick, format_args!("{backend}: registering units and importing {} plans", plans.len()));
    let (ids, targets_of, import) = import(&store, plans, sizes, quick).await;
    progress(quick, format_args!("{backend}: {} clients on each endpoint", load.clients));
    let endpoints = serve_and_load(&store, plans, &ids, &targets_of, load, quick).await;
    store.close().await;
    db.drop_db().await;
    Run { backend, import, endpoints }
}

/// How long the reader alone takes on the data set: for the province,
/// the cities and the counties, the time, the plans, the tasks and the bytes.
struct ReadingFigures {
    all: Duration,
    levels: [(Duration, usize, usize, usize); 3],
}

/// Reads every document in-process, without storing anything.
fn read_all(plans: &[PlanDoc]) -> ReadingFigures {
    let mut all = Duration::ZERO;
    let mut levels = [(Duration::ZERO, 0, 0, 0); 3];
    for p in plans {
        let t = Instant::now();
        let reading = bighealth_reader::read_bytes(&p.file_name, p.text.as_bytes())
            .unwrap_or_else(|e| panic!("reading {}: {e}", p.file_name));
        let took = t.elapsed();
        assert_eq!(reading.tasks.len(), p.tasks, "{}: tasks read", p.file_name);
        all += took;
        let l = &mut levels[p.level as usize];
        *l = (l.0 + took, l.1 + 1, l.2 + p.tasks, l.3 + p.text.len());
    }
    ReadingFigures { all, levels }
}

fn report(reading: &ReadingFigures, runs: &[Run], load: Load) -> String {
    let mut out = String::new();
    let w = &mut out;
    write!(
        w,
        "Reading the documents alone (`bighealth_reader::read_bytes`, nothing stored): {:.1} s in all;",
        reading.all.as_secs_f64()
    )
    .unwrap();
    for (level, (took, n, tasks, bytes)) in ["province", "cities", "counties"].iter().zip(reading.levels) {
        write!(
            w,
            " {level} ({n}): {tasks} tasks, {:.1} MB, {:.2} s, {:.0} ms a plan;",
            bytes as f64 / 1e6,
            took.as_secs_f64(),
            took.as_secs_f64() * 1000.0 / n.max(1) as f64
        )
        .unwrap();
    }
    writeln!(w, "\n").unwrap();
    writeln!(w, "| backend | units registered | registering | plans | tasks | targets | projects | findings | MB | import | plans/s | tasks/s |").unwrap();
    writeln!(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    for r in runs {
        let f = &r.import;
        let s = f.import.as_secs_f64();
        writeln!(
            w,
            "| {} | {} | {:.1} s | {} | {} | {} | {} | {} | {:.1} | {:.1} s | {:.2} | {:.0} |",
            r.backend,
            f.units,
            f.register.as_secs_f64(),
            f.plans,
            f.tasks,
            f.targets,
            f.projects,
            f.findings,
            f.bytes as f64 / 1e6,
            s,
            f.plans as f64 / s,
            f.tasks as f64 / s
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    writeln!(
        w,
        "alone: the median of one client's requests one after another for {} s; then {} clients at once, \
         each sending requests one after another for {} s:\n",
        (load.budget / 5).as_secs_f64(),
        load.clients,
        load.budget.as_secs_f64()
    )
    .unwrap();
    writeln!(w, "| endpoint | answer | KB | backend | alone | requests | req/s | p50 | p95 | p99 |").unwrap();
    writeln!(w, "|---|---|---:|---|---:|---:|---:|---:|---:|---:|").unwrap();
    let n = runs.first().map_or(0, |r| r.endpoints.len());
    for i in 0..n {
        for r in runs {
            let f = &r.endpoints[i];
            writeln!(
                w,
                "| `{}` | {} | {:.1} | {} | {} | {} | {:.0} | {} | {} | {} |",
                f.label,
                f.rows,
                f.size as f64 / 1e3,
                r.backend,
                ms(f.alone),
                f.requests,
                f.per_second(),
                ms(f.quantile(0.5)),
                ms(f.quantile(0.95)),
                ms(f.quantile(0.99))
            )
            .unwrap();
        }
    }
    out
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        let dir = std::path::PathBuf::from(args.get(i + 1).expect("--dump DIR"));
        std::fs::create_dir_all(&dir).expect("the dump folder");
        let plans = data_set(Sizes::full(scale()));
        for p in &plans {
            std::fs::write(dir.join(&p.file_name), &p.text).expect("writes a plan");
        }
        eprintln!("wrote {} plans to {}", plans.len(), dir.display());
        return;
    }
    // `cargo bench` passes --bench; under `cargo test --all-targets` the
    // bench runs once, small, on SQLite, as a smoke test.
    let quick = !args.iter().any(|a| a == "--bench");
    let (sizes, load) = if quick {
        (Sizes::smoke(), Load { clients: 2, budget: Duration::ZERO, min: 3 })
    } else {
        (Sizes::full(scale()), Load { clients: 16, budget: Duration::from_secs(10), min: 1 })
    };
    let mut backends: Vec<&'static str> =
        ["sqlite", "postgres"].into_iter().filter(|b| args.iter().any(|a| a == b)).collect();
    if backends.is_empty() {
        backends = if quick { vec!["sqlite"] } else { vec!["sqlite", "postgres"] };
    }
    let plans = data_set(sizes);
    progress(
        quick,
        format_args!(
            "data set: {} plans ({} cities, {} counties), {} tasks, {} projects, {:.1} MB of text",
            plans.len(),
            plans.iter().filter(|p| p.level == Level::City).count(),
            plans.iter().filter(|p| p.level == Level::County).count(),
            plans.iter().map(|p| p.tasks).sum::<usize>(),
            plans.iter().map(|p| p.projects).sum::<usize>(),
            plans.iter().map(|p| p.text.len()).sum::<usize>() as f64 / 1e6
        ),
    );
    let reading = read_all(&plans);
    progress(
        quick,
        format_args!(
            "reading alone: {:.1} s, of which {:.2} s the provincial plan",
            reading.all.as_secs_f64(),
            reading.levels[0].0.as_secs_f64()
        ),
    );
    let mut runs = Vec::new();
    for backend in backends {
        runs.push(run(backend, &plans, sizes, load, quick).await);
    }
    println!("{}", report(&reading, &runs, load));
}

fn scale() -> f64 {
    std::env::var("BIGHEALTH_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0)
}
