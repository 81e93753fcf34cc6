//! Industry segments: which part of the Big Health industry a piece of plan
//! text is about.
//!
//! A Big Health plan spreads its tasks, targets and projects over seven
//! segments, named by one character each — 医 药 养 健 管 游 食 ([`Segment`]).
//! Statistics offices count the same activities by the national
//! 健康产业统计分类（2019）, whose thirteen divisions (大类, codes `01`–`13`)
//! are in [`DIVISIONS`].
//!
//! [`classify`] tags a text (a task, a target's indicator, a project's name
//! and content) with its segment and, where the deciding keyword settles it,
//! its division. It works from one table of weighted keywords (`RULES`
//! below); a text without any keyword gets no tag — the classifier never
//! guesses. Unit lines ("（牵头单位：…）") are left out before matching, so a
//! department's name (区体育局) does not pass for the subject of a task.

use std::cmp::Reverse;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::source::squash;
use crate::units::find_groups;

/// One segment of the Big Health industry, serialised as its character
/// (`"医"`, `"药"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Segment {
    /// 医 — medical and health services: hospitals, clinics, primary care,
    /// public health, and the building of medical facilities.
    #[serde(rename = "医")]
    Medical,
    /// 药 — medicine and medical devices: their manufacture and circulation.
    #[serde(rename = "药")]
    Medicine,
    /// 养 — elderly care: 养老, 医养结合, long-term care.
    #[serde(rename = "养")]
    ElderlyCare,
    /// 健 — fitness and sport.
    #[serde(rename = "健")]
    Fitness,
    /// 管 — health management: check-ups, chronic disease management,
    /// smart (internet) health, health insurance and health education.
    #[serde(rename = "管")]
    HealthManagement,
    /// 游 — health tourism: 康养旅游, hot springs, forest wellness, resorts.
    #[serde(rename = "游")]
    Tourism,
    /// 食 — healthy food and medicinal crops: food, drinking water, tea,
    /// planting of medicinal herbs.
    #[serde(rename = "食")]
    Food,
}

impl Segment {
    /// Every segment, in the customary order 医药养健管游食.
    pub const ALL: [Segment; 7] = [
        Segment::Medical,
        Segment::Medicine,
        Segment::ElderlyCare,
        Segment::Fitness,
        Segment::HealthManagement,
        Segment::Tourism,
        Segment::Food,
    ];

    /// The segment's character: `"医"`, `"药"`, `"养"`, `"健"`, `"管"`,
    /// `"游"` or `"食"`.
    pub fn as_char(self) -> &'static str {
        match self {
            Segment::Medical => "医",
            Segment::Medicine => "药",
            Segment::ElderlyCare => "养",
            Segment::Fitness => "健",
            Segment::HealthManagement => "管",
            Segment::Tourism => "游",
            Segment::Food => "食",
        }
    }

    /// A short Chinese name for the segment, such as `"医疗服务"`.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Medical => "医疗服务",
            Segment::Medicine => "医药制造",
            Segment::ElderlyCare => "健康养老",
            Segment::Fitness => "体育健身",
            Segment::HealthManagement => "健康管理",
            Segment::Tourism => "健康旅游",
            Segment::Food => "健康食品",
        }
    }

    /// The segment written as its character (surrounding blanks ignored);
    /// `None` for anything else.
    pub fn parse(s: &str) -> Option<Segment> {
        let s = s.trim();
        Segment::ALL.into_iter().find(|seg| seg.as_char() == s)
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_char())
    }
}

/// A division (大类) of the national 健康产业统计分类（2019）.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Division {
    /// Two-digit code, `"01"` to `"13"`.
    pub code: &'static str,
    /// The division's official name.
    pub name: &'static str,
}

impl Division {
    /// The division with `code` (`"09"`); `None` for an unknown code.
    pub fn get(code: &str) -> Option<&'static Division> {
        DIVISIONS.iter().find(|d| d.code == code)
    }
}

/// The thirteen divisions of 健康产业统计分类（2019）, in code order.
pub static DIVISIONS: [Division; 13] = [
    Division { code: "01", name: "医疗卫生服务" },
    Division { code: "02", name: "健康事务、健康环境管理与科研技术服务" },
    Division { code: "03", name: "健康人才教育与健康知识普及" },
    Division { code: "04", name: "健康促进服务" },
    Division { code: "05", name: "健康保障与金融服务" },
    Division { code: "06", name: "智慧健康技术服务" },
    Division { code: "07", name: "药品及其他健康产品流通服务" },
    Division { code: "08", name: "其他与健康相关服务" },
    Division { code: "09", name: "医药制造" },
    Division { code: "10", name: "医疗仪器设备及器械制造" },
    Division { code: "11", name: "健康用品、器材与智能设备制造" },
    Division { code: "12", name: "医疗卫生机构设施建设" },
    Division { code: "13", name: "中药材种植、养殖和采集" },
];

/// What [`classify`] found: the segment, the division where known, and the
/// keyword that decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// The industry segment.
    pub segment: Segment,
    /// The statistical division, when the deciding keyword settles one.
    pub division: Option<&'static Division>,
    /// The keyword that decided, as written in the keyword table.
    pub keyword: &'static str,
    /// That keyword's weight (1 = a hint … 4 = a compound that settles the
    /// question).
    pub weight: u8,
}

/// One keyword rule.
struct Rule {
    keyword: &'static str,
    weight: u8,
    segment: Segment,
    /// Division code, or `""` when the keyword spans several divisions.
    division: &'static str,
}

// Weights. A keyword's weight says how sure it alone makes us:
/// A compound that settles segment and division against the shorter words
/// inside or beside it (医养结合, 中药材种植, 医疗器械, 医院建设).
const SETTLES: u8 = 4;
/// A specific term of one segment (养老服务, 体检中心, 温泉).
const SPECIFIC: u8 = 3;
/// A plain term, nearly always of its segment (医院, 养老, 体育, 食品).
const PLAIN: u8 = 2;
/// A hint that other words should outweigh (医疗, 康养, 运动, 护理).
const HINT: u8 = 1;

const fn rule(keyword: &'static str, weight: u8, segment: Segment, division: &'static str) -> Rule {
    Rule { keyword, weight, segment, division }
}

// The table names segments by the pinyin of their characters.
use Segment::{
    ElderlyCare as Yang, Fitness as Jian, Food as Shi, HealthManagement as Guan, Medical as Yi, Medicine as Yao,
    Tourism as You,
};

/// The keyword table: every word the classifier knows, with its weight,
/// segment and division. Each keyword appears once.
///
/// How a text is decided:
/// 1. Every occurrence of every keyword is found. An occurrence lying inside
///    a longer one is dropped ("医疗" inside "医疗器械", "康养" inside
///    "康养旅游"), so is one inside a mask phrase (`MASKS`: "康养" inside
///    "健康养生"), and so is one followed by 局/委/厅 — a department's name
///    (体育局, 旅游委), not the subject.
/// 2. In each segment the strongest occurrence is the one with the highest
///    weight, then the longest keyword, then the earliest.
/// 3. Segments are compared by their strongest occurrence's weight, then its
///    keyword's length, then the sum of the weights of all the segment's
///    occurrences (more evidence wins), then by which strongest occurrence
///    comes first in the text (a sentence, or a project's name before its
///    content, names its subject first). Two occurrences never share a
///    start and a length, so the order is total.
/// 4. The winner's strongest occurrence is the evidence; its division, if it
///    has one, is the tag's division.
#[rustfmt::skip]
const RULES: &[Rule] = &[
    // 医 — medical and health services (01), facilities construction (12).
    rule("医院建设", SETTLES, Yi, "12"),
    rule("医院迁建", SETTLES, Yi, "12"),
    rule("医院扩建", SETTLES, Yi, "12"),
    rule("医院改扩建", SETTLES, Yi, "12"),
    rule("新建医院", SETTLES, Yi, "12"),
    rule("卫生院建设", SETTLES, Yi, "12"),
    rule("卫生院改扩建", SETTLES, Yi, "12"),
    rule("卫生室建设", SETTLES, Yi, "12"),
    rule("住院综合楼", SETTLES, Yi, "12"),
    rule("门诊综合楼", SETTLES, Yi, "12"),
    rule("住院楼", SETTLES, Yi, "12"),
    rule("门诊楼", SETTLES, Yi, "12"),
    rule("医技楼", SETTLES, Yi, "12"),
    rule("医药卫生体制", SETTLES, Yi, ""),
    rule("分级诊疗", SPECIFIC, Yi, "01"),
    rule("医共体", SPECIFIC, Yi, "01"),
    rule("医联体", SPECIFIC, Yi, "01"),
    rule("医疗共同体", SPECIFIC, Yi, "01"),
    rule("医疗服务", SPECIFIC, Yi, "01"),
    rule("医疗机构", SPECIFIC, Yi, "01"),
    rule("医疗卫生", SPECIFIC, Yi, "01"),
    rule("医药卫生", SPECIFIC, Yi, ""),
    rule("基层医疗", SPECIFIC, Yi, "01"),
    rule("家庭医生", SPECIFIC, Yi, "01"),
    rule("社区卫生服务", SPECIFIC, Yi, "01"),
    rule("重点专科", SPECIFIC, Yi, "01"),
    rule("妇幼保健", SPECIFIC, Yi, "01"),
    rule("疾病预防控制", SPECIFIC, Yi, "01"),
    rule("康复医疗", SPECIFIC, Yi, "01"),
    rule("中医药服务", SPECIFIC, Yi, "01"),
    rule("医学检验", SPECIFIC, Yi, "01"),
    rule("医院", PLAIN, Yi, "01"),
    rule("中医院", PLAIN, Yi, "01"),
    rule("中医医院", PLAIN, Yi, "01"),
    rule("卫生院", PLAIN, Yi, "01"),
    rule("卫生室", PLAIN, Yi, "01"),
    rule("诊所", PLAIN, Yi, "01"),
    rule("门诊", PLAIN, Yi, "01"),
    rule("诊疗", PLAIN, Yi, "01"),
    rule("中医馆", PLAIN, Yi, "01"),
    rule("国医堂", PLAIN, Yi, "01"),
    rule("公共卫生", PLAIN, Yi, "01"),
    rule("疾控", PLAIN, Yi, "01"),
    rule("急救", PLAIN, Yi, "01"),
    rule("血站", PLAIN, Yi, "01"),
    rule("医疗", HINT, Yi, "01"),
    rule("康复", HINT, Yi, "01"),
    rule("临床", HINT, Yi, "01"),
    rule("医学教育", PLAIN, Yi, "03"),
    // 药 — manufacture (09, devices 10, other health goods 11) and circulation (07).
    rule("医药制造", SETTLES, Yao, "09"),
    rule("生物医药", SETTLES, Yao, "09"),
    rule("中药材加工", SETTLES, Yao, "09"),
    rule("医疗器械", SETTLES, Yao, "10"),
    rule("医用耗材", SETTLES, Yao, "10"),
    rule("体外诊断", SETTLES, Yao, "10"),
    rule("医药流通", SETTLES, Yao, "07"),
    rule("药品流通", SETTLES, Yao, "07"),
    rule("医药物流", SETTLES, Yao, "07"),
    rule("医药电商", SETTLES, Yao, "07"),
    rule("医药商贸", SETTLES, Yao, "07"),
    rule("医药批发", SETTLES, Yao, "07"),
    rule("医药零售", SETTLES, Yao, "07"),
    rule("药品配送", SETTLES, Yao, "07"),
    rule("中药材市场", SETTLES, Yao, "07"),
    rule("中药材交易", SETTLES, Yao, "07"),
    rule("医药产业", SPECIFIC, Yao, "09"),
    rule("药品生产", SPECIFIC, Yao, "09"),
    rule("原料药", SPECIFIC, Yao, "09"),
    rule("中成药", SPECIFIC, Yao, "09"),
    rule("饮片", SPECIFIC, Yao, "09"),
    rule("药用辅料", SPECIFIC, Yao, "09"),
    rule("卫生材料", SPECIFIC, Yao, "09"),
    rule("医用材料", SPECIFIC, Yao, "09"),
    rule("生物制品", SPECIFIC, Yao, "09"),
    rule("疫苗", SPECIFIC, Yao, "09"),
    rule("民族医药", SPECIFIC, Yao, "09"),
    rule("康复辅具", SPECIFIC, Yao, "11"),
    rule("保健用品", SPECIFIC, Yao, "11"),
    rule("健康用品", SPECIFIC, Yao, "11"),
    rule("康复辅助器具", SPECIFIC, Yao, "11"),
    rule("药店", SPECIFIC, Yao, "07"),
    rule("医药", PLAIN, Yao, "09"),
    rule("制药", PLAIN, Yao, "09"),
    rule("药业", PLAIN, Yao, "09"),
    rule("药企", PLAIN, Yao, "09"),
    rule("苗药", PLAIN, Yao, "09"),
    rule("器械", PLAIN, Yao, "10"),
    rule("药品", PLAIN, Yao, ""),
    // Hospitals buy equipment as often as factories make it.
    rule("医疗设备", HINT, Yao, "10"),
    rule("医疗仪器", HINT, Yao, "10"),
    rule("中医药", HINT, Yao, ""),
    rule("中药", HINT, Yao, ""),
    rule("药用", HINT, Yao, "09"),
    // 养 — elderly care (04 健康促进服务).
    rule("医养结合", SETTLES, Yang, "04"),
    rule("医养融合", SETTLES, Yang, "04"),
    rule("旅居养老", SETTLES, Yang, "04"),
    rule("养老服务", SPECIFIC, Yang, "04"),
    rule("养老机构", SPECIFIC, Yang, "04"),
    rule("养老院", SPECIFIC, Yang, "04"),
    rule("养老社区", SPECIFIC, Yang, "04"),
    rule("居家养老", SPECIFIC, Yang, "04"),
    rule("社区养老", SPECIFIC, Yang, "04"),
    rule("健康养老", SPECIFIC, Yang, "04"),
    rule("敬老院", SPECIFIC, Yang, "04"),
    rule("老年公寓", SPECIFIC, Yang, "04"),
    rule("日间照料", SPECIFIC, Yang, "04"),
    rule("长期照护", SPECIFIC, Yang, "04"),
    rule("护理院", SPECIFIC, Yang, ""),
    rule("长期护理", SPECIFIC, Yang, ""),
    rule("养生保健", SPECIFIC, Yang, "04"),
    rule("养老", PLAIN, Yang, "04"),
    rule("医养", PLAIN, Yang, "04"),
    rule("托养", PLAIN, Yang, "04"),
    rule("失能", PLAIN, Yang, "04"),
    rule("适老化", PLAIN, Yang, "04"),
    rule("康养", HINT, Yang, ""),
    rule("养生", HINT, Yang, "04"),
    rule("疗养", HINT, Yang, ""),
    rule("护理", HINT, Yang, ""),
    rule("老年人", HINT, Yang, "04"),
    rule("老龄", HINT, Yang, "04"),
    // 健 — fitness and sport (04; sports goods 11).
    rule("健身器材", SPECIFIC, Jian, "11"),
    rule("健身器械", SPECIFIC, Jian, "11"),
    rule("体育器材", SPECIFIC, Jian, "11"),
    rule("运动器材", SPECIFIC, Jian, "11"),
    rule("全民健身", SPECIFIC, Jian, "04"),
    rule("体育运动", SPECIFIC, Jian, "04"),
    rule("体育产业", SPECIFIC, Jian, "04"),
    rule("体育赛事", SPECIFIC, Jian, "04"),
    rule("户外运动", SPECIFIC, Jian, "04"),
    rule("运动休闲", SPECIFIC, Jian, "04"),
    rule("健身休闲", SPECIFIC, Jian, "04"),
    rule("国民体质", SPECIFIC, Jian, "04"),
    rule("马拉松", SPECIFIC, Jian, "04"),
    rule("体育", PLAIN, Jian, "04"),
    rule("健身", PLAIN, Jian, "04"),
    rule("赛事", PLAIN, Jian, "04"),
    rule("太极", PLAIN, Jian, "04"),
    rule("武术", PLAIN, Jian, "04"),
    rule("瑜伽", PLAIN, Jian, "04"),
    rule("运动", HINT, Jian, "04"),
    // 管 — health management: check-ups (01), smart health (06),
    // insurance (05), education (03).
    rule("互联网+医疗健康", SETTLES, Guan, "06"),
    rule("健康医疗大数据", SETTLES, Guan, "06"),
    rule("长期护理保险", SETTLES, Guan, "05"),
    rule("商业健康保险", SETTLES, Guan, "05"),
    rule("健康管理", SPECIFIC, Guan, ""),
    rule("健康体检", SPECIFIC, Guan, "01"),
    rule("体检中心", SPECIFIC, Guan, "01"),
    rule("慢病管理", SPECIFIC, Guan, ""),
    rule("慢性病管理", SPECIFIC, Guan, ""),
    rule("健康档案", SPECIFIC, Guan, ""),
    rule("智慧健康", SPECIFIC, Guan, "06"),
    rule("智慧医疗", SPECIFIC, Guan, "06"),
    rule("互联网医疗", SPECIFIC, Guan, "06"),
    rule("互联网医院", SPECIFIC, Guan, "06"),
    rule("远程医疗", SPECIFIC, Guan, "06"),
    rule("健康大数据", SPECIFIC, Guan, "06"),
    rule("医疗大数据", SPECIFIC, Guan, "06"),
    rule("可穿戴", SPECIFIC, Guan, "11"),
    rule("健康保险", SPECIFIC, Guan, "05"),
    rule("医疗保险", SPECIFIC, Guan, "05"),
    rule("医疗保障", SPECIFIC, Guan, "05"),
    rule("健康知识普及", SPECIFIC, Guan, "03"),
    rule("体检", PLAIN, Guan, "01"),
    rule("健康咨询", PLAIN, Guan, ""),
    rule("健康教育", PLAIN, Guan, "03"),
    rule("健康素养", PLAIN, Guan, "03"),
    rule("健康促进", PLAIN, Guan, "04"),
    rule("健康信息", PLAIN, Guan, "06"),
    rule("医保", HINT, Guan, "05"),
    // 游 — health tourism (04).
    rule("康养旅游", SETTLES, You, "04"),
    rule("健康旅游", SETTLES, You, "04"),
    rule("医疗旅游", SETTLES, You, "04"),
    rule("养生旅游", SETTLES, You, "04"),
    rule("森林康养", SETTLES, You, "04"),
    rule("森林疗养", SETTLES, You, "04"),
    rule("康养游", SPECIFIC, You, "04"),
    rule("气候康养", SPECIFIC, You, "04"),
    rule("温泉", SPECIFIC, You, "04"),
    rule("度假区", SPECIFIC, You, "04"),
    rule("旅游", PLAIN, You, "04"),
    rule("度假", PLAIN, You, "04"),
    rule("旅居", PLAIN, You, "04"),
    rule("景区", PLAIN, You, "04"),
    rule("避暑", PLAIN, You, "04"),
    rule("民宿", PLAIN, You, "04"),
    rule("文旅", PLAIN, You, "04"),
    rule("游客", PLAIN, You, "04"),
    // 食 — healthy food (nutrition and health food 11) and medicinal crops (13).
    rule("中药材种植", SETTLES, Shi, "13"),
    rule("药材种植", SETTLES, Shi, "13"),
    rule("中药材基地", SETTLES, Shi, "13"),
    rule("特殊医学用途", SETTLES, Shi, "11"),
    rule("道地药材", SPECIFIC, Shi, "13"),
    rule("药用植物", SPECIFIC, Shi, "13"),
    rule("保健食品", SPECIFIC, Shi, "11"),
    rule("营养食品", SPECIFIC, Shi, "11"),
    rule("功能食品", SPECIFIC, Shi, "11"),
    rule("绿色食品", SPECIFIC, Shi, ""),
    rule("有机食品", SPECIFIC, Shi, ""),
    rule("健康食品", SPECIFIC, Shi, ""),
    rule("药食同源", SPECIFIC, Shi, ""),
    rule("饮用水", SPECIFIC, Shi, ""),
    rule("矿泉水", SPECIFIC, Shi, ""),
    rule("茶产业", SPECIFIC, Shi, ""),
    rule("中药材", PLAIN, Shi, "13"),
    rule("种植基地", PLAIN, Shi, ""),
    rule("食品", PLAIN, Shi, ""),
    rule("茶叶", PLAIN, Shi, ""),
    rule("茶园", PLAIN, Shi, ""),
    rule("食用菌", PLAIN, Shi, ""),
    rule("富硒", PLAIN, Shi, ""),
    rule("林下经济", PLAIN, Shi, ""),
    rule("种植", HINT, Shi, ""),
    rule("农产品", HINT, Shi, ""),
];

/// Phrases that hold a keyword without meaning it; a keyword inside one is
/// not evidence (a mask inside a longer keyword masks nothing: 健康养老).
const MASKS: &[&str] = &[
    "健康养",   // 健康养生, 健康养殖: 健康 + 养…, not 康养
    "食品药品", // the regulator's pair (食品药品监管), neither food nor medicine
    "整体检",   // 整体检查, not 体检
];

/// One occurrence of a rule's keyword, in bytes of the normalised text.
#[derive(Clone, Copy)]
struct Hit {
    rule: &'static Rule,
    start: usize,
    end: usize,
}

impl Hit {
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// Rank within a segment: weight, then keyword length, then earliness.
    fn rank(&self) -> (u8, usize, Reverse<usize>) {
        (self.rule.weight, self.rule.keyword.chars().count(), Reverse(self.start))
    }
}

/// The text as the rules see it: unit lines removed, blanks squashed (plans
/// break words across lines), full-width ASCII made half-width (＋ → +).
fn normalise(text: &str) -> String {
    let groups = find_groups(text);
    let kept: String = text
        .chars()
        .enumerate()
        .filter(|(i, _)| !groups.iter().any(|g| g.start <= *i && *i < g.end))
        .map(|(_, c)| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect();
    squash(&kept)
}

/// Whether the keyword ending at `end` is part of a department's name.
fn is_department(text: &str, end: usize) -> bool {
    matches!(text[end..].chars().next(), Some('局' | '委' | '厅'))
}

/// For each of `spans`, whether one of `by` holds it and is longer. Sorts
/// `by` once and answers each span by binary search: O((n + m) log m), where
/// comparing every pair made a long text's thousands of hits quadratic.
fn held_by_longer(spans: &[(usize, usize)], by: &[(usize, usize)]) -> Vec<bool> {
    let mut by = by.to_vec();
    // By start; within a start, the longest first.
    by.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    // The furthest end among the first i spans.
    let mut furthest = Vec::with_capacity(by.len() + 1);
    furthest.push(0usize);
    for &(_, end) in &by {
        furthest.push(furthest.last().copied().unwrap_or(0).max(end));
    }
    spans
        .iter()
        .map(|&(start, end)| {
            // One starting earlier and reaching as far is longer.
            let earlier = by.partition_point(|s| s.0 < start);
            let from_earlier = earlier > 0 && furthest[earlier] >= end;
            // One starting here is longer only if it reaches further.
            let here = by.get(earlier).is_some_and(|s| s.0 == start && s.1 > end);
            from_earlier || here
        })
        .collect()
}

/// Tags `text` with its Big Health segment and, where the deciding keyword
/// settles it, its 健康产业统计分类 division. `None` when no keyword of the
/// table occurs: such text (组织领导, 要素保障, 大健康产业 in general) is not
/// about one segment. See the keyword table's comment for how ties are broken.
pub fn classify(text: &str) -> Option<Tag> {
    let text = normalise(text);
    let hits: Vec<Hit> = RULES
        .iter()
        .flat_map(|rule| {
            text.match_indices(rule.keyword).map(move |(start, k)| Hit { rule, start, end: start + k.len() })
        })
        .collect();
    let hit_spans: Vec<(usize, usize)> = hits.iter().map(Hit::span).collect();
    let all_masks: Vec<(usize, usize)> =
        MASKS.iter().flat_map(|m| text.match_indices(m).map(|(start, m)| (start, start + m.len()))).collect();
    // A mask inside a longer keyword masks nothing.
    let masks: Vec<(usize, usize)> = all_masks
        .iter()
        .zip(held_by_longer(&all_masks, &hit_spans))
        .filter(|(_, held)| !held)
        .map(|(m, _)| *m)
        .collect();
    let in_longer_hit = held_by_longer(&hit_spans, &hit_spans);
    let in_mask = held_by_longer(&hit_spans, &masks);
    let hits: Vec<Hit> = hits
        .iter()
        .enumerate()
        .filter(|(i, h)| !in_longer_hit[*i] && !in_mask[*i] && !is_department(&text, h.end))
        .map(|(_, h)| *h)
        .collect();

    let best = Segment::ALL
        .into_iter()
        .filter_map(|segment| {
            let mine = hits.iter().filter(|h| h.rule.segment == segment);
            let total: u32 = mine.clone().map(|h| u32::from(h.rule.weight)).sum();
            let top = mine.max_by_key(|h| h.rank())?;
            Some((top, total))
        })
        .max_by_key(|(top, total)| {
            let (weight, len, first) = top.rank();
            (weight, len, *total, first)
        })?
        .0;
    Some(Tag {
        segment: best.rule.segment,
        division: Division::get(best.rule.division),
        keyword: best.rule.keyword,
        weight: best.rule.weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (segment char, division code or "", deciding keyword) of a text.
    fn tag(text: &str) -> Option<(&'static str, &'static str, &'static str)> {
        classify(text).map(|t| (t.segment.as_char(), t.division.map_or("", |d| d.code), t.keyword))
    }

    #[test]
    fn spans_held_by_longer_ones_are_found_as_comparing_every_pair_would() {
        let spans = [(0, 4), (1, 3), (1, 4), (5, 7), (5, 7), (6, 9), (2, 2)];
        let slow: Vec<bool> =
            spans.iter().map(|&(s, e)| spans.iter().any(|&(os, oe)| os <= s && e <= oe && oe - os > e - s)).collect();
        assert_eq!(held_by_longer(&spans, &spans), slow);
        // A text of one keyword repeated: linear in its hits, and still tagged.
        let long = "医院建设，".repeat(20_000);
        assert!(classify(&long).is_some());
    }

    #[test]
    fn segment_chars_round_trip_through_parse_and_serde() {
        for seg in Segment::ALL {
            assert_eq!(Segment::parse(seg.as_char()), Some(seg));
            let json = serde_json::to_string(&seg).unwrap();
            assert_eq!(json, format!("\"{}\"", seg.as_char()));
            assert_eq!(serde_json::from_str::<Segment>(&json).unwrap(), seg);
        }
        assert_eq!(Segment::parse("医疗"), None);
        assert_eq!(Segment::Food.name(), "健康食品");
        assert_eq!(Segment::ElderlyCare.to_string(), "养");
    }

    #[test]
    fn divisions_are_the_thirteen_in_code_order() {
        for (i, d) in DIVISIONS.iter().enumerate() {
            assert_eq!(d.code, format!("{:02}", i + 1));
        }
        assert_eq!(Division::get("09").map(|d| d.name), Some("医药制造"));
        assert_eq!(Division::get("14"), None);
    }

    #[test]
    fn keyword_table_is_consistent() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(r.division.is_empty() || Division::get(r.division).is_some(), "{}", r.keyword);
            assert!((HINT..=SETTLES).contains(&r.weight), "{}", r.keyword);
            assert!(RULES[..i].iter().all(|o| o.keyword != r.keyword), "{} twice", r.keyword);
        }
    }

    #[test]
    fn text_without_keywords_gets_no_tag() {
        assert_eq!(tag("加强组织领导"), None);
        assert_eq!(tag("强化要素保障，优化发展环境"), None);
        assert_eq!(tag("推动大健康产业高质量发展"), None);
        assert_eq!(tag(""), None);
        assert_eq!(tag("发展健康养殖"), None);
        assert_eq!(tag("强化食品药品安全监管"), None);
    }

    #[test]
    fn compounds_beat_the_words_inside_them() {
        assert_eq!(tag("大力推进医养结合"), Some(("养", "04", "医养结合")));
        assert_eq!(tag("建设中药材种植基地"), Some(("食", "13", "中药材种植")));
        assert_eq!(tag("发展医疗器械产业"), Some(("药", "10", "医疗器械")));
        assert_eq!(tag("打造康养旅游目的地"), Some(("游", "04", "康养旅游")));
        assert_eq!(tag("发展森林康养"), Some(("游", "04", "森林康养")));
        assert_eq!(tag("推进“互联网+医疗健康”发展"), Some(("管", "06", "互联网+医疗健康")));
    }

    #[test]
    fn construction_of_medical_facilities_is_division_12() {
        assert_eq!(tag("县人民医院建设项目"), Some(("医", "12", "医院建设")));
        assert_eq!(tag("推进乡镇卫生院建设"), Some(("医", "12", "卫生院建设")));
        assert_eq!(tag("区中医院迁建项目"), Some(("医", "12", "医院迁建")));
        assert_eq!(tag("中心医院住院综合楼项目"), Some(("医", "12", "住院综合楼")));
    }

    #[test]
    fn plain_terms_name_their_segment() {
        assert_eq!(tag("深入推进分级诊疗制度建设"), Some(("医", "01", "分级诊疗")));
        assert_eq!(tag("大力发展体育产业"), Some(("健", "04", "体育产业")));
        assert_eq!(tag("举办各类体育活动"), Some(("健", "04", "体育")));
        assert_eq!(tag("开展健康体检和慢病管理"), Some(("管", "01", "健康体检")));
        assert_eq!(tag("打造温泉小镇"), Some(("游", "04", "温泉")));
        assert_eq!(tag("发展绿色食品和天然饮用水"), Some(("食", "", "绿色食品")));
        assert_eq!(tag("培育生物医药龙头企业"), Some(("药", "09", "生物医药")));
        assert_eq!(tag("建设医药物流配送中心"), Some(("药", "07", "医药物流")));
    }

    #[test]
    fn weight_beats_order_and_count() {
        // 医疗机构 (specific) outweighs 养老 named first.
        assert_eq!(tag("养老和医疗机构协作"), Some(("医", "01", "医疗机构")));
        // One 医养结合 settles it against two medical words.
        assert_eq!(tag("支持医院、卫生院开展医养结合"), Some(("养", "04", "医养结合")));
    }

    #[test]
    fn equipment_is_a_hint_that_a_hospital_outweighs() {
        assert_eq!(tag("县医院购置医疗设备"), Some(("医", "01", "医院")));
        assert_eq!(tag("发展医疗设备制造"), Some(("药", "10", "医疗设备")));
    }

    #[test]
    fn masks_do_not_hide_the_keyword_around_them() {
        assert_eq!(tag("发展健康养老"), Some(("养", "04", "健康养老")));
        assert_eq!(tag("发展健康养生"), Some(("养", "04", "养生")));
    }

    #[test]
    fn ties_go_to_the_longer_keyword_then_more_evidence_then_the_first() {
        // Same weight: the longer keyword wins.
        assert_eq!(tag("温泉体检中心"), Some(("管", "01", "体检中心")));
        // Same weight and length: the segment with more evidence wins.
        assert_eq!(tag("配套建设医院、养老、托养设施"), Some(("养", "04", "养老")));
        // Everything equal: the one named first wins.
        assert_eq!(tag("养老与旅游"), Some(("养", "04", "养老")));
        assert_eq!(tag("旅游与养老"), Some(("游", "04", "旅游")));
    }

    #[test]
    fn unit_lines_and_department_names_are_not_evidence() {
        assert_eq!(tag("加强组织领导（牵头单位：区体育局；责任单位：区文化旅游委、区卫生健康委）"), None);
        assert_eq!(tag("由市体育局统筹推进"), None);
        assert_eq!(
            tag("大力发展健康养老服务业（牵头单位：州民政局，责任单位：州旅游发展委）"),
            Some(("养", "04", "健康养老"))
        );
    }

    #[test]
    fn words_split_across_lines_still_match() {
        assert_eq!(tag("发展医养\n结合服务"), Some(("养", "04", "医养结合")));
        assert_eq!(tag("建设中药　材种植基地"), Some(("食", "13", "中药材种植")));
    }
}
