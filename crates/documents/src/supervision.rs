//! The two supervision documents, filled from templates the office can
//! edit: the 督办通知 of one item ([`notice`]) and the monthly 督办情况通报
//! of a plan ([`bulletin`]), each a [`Gongwen`] with the 督办事项清单 as
//! its attachment.
//!
//! A template is [minijinja] text, one output line per paragraph; the
//! shipped ones are [`NOTICE_TEMPLATE`] and [`BULLETIN_TEMPLATE`]. Once
//! filled, its lines are read this way: the first non-empty line is the
//! title; a line ending with `：` right after it is the 主送机关; a line
//! opening with a Chinese numeral and `、` (`一、`) is a first-level
//! heading, one opening with `（一）` a second-level heading; a line
//! opening with `附件：` belongs to the 附件说明; every other line is a
//! paragraph and empty lines are dropped. The 署名 and the 成文日期 come
//! from the [`Letterhead`], not from the template.
//!
//! A name the template does not know is an error, not an empty string:
//! [`check_template`] fills a template with sample data and says in
//! Chinese, with its line, what is wrong (`第 3 行：未知的变量 foo`).
//!
//! The notice knows these names: `plan` (the plan's name), `issuer`,
//! `today` (2026年6月3日), `contact` (empty when none) and `item` with
//! `number`, `title`, `body`, `requirement`, `source` (`rule`,
//! `instruction` …), `source_label`, `reference`, `level` (`yellow` …),
//! `level_label` (黄色 …), `urgency_label`, `state_label`, `lead_unit`,
//! `helpers` (joined with 、), `leader`, `opened_on`, `sign_due`,
//! `plan_due`, `due` (dates as 2026年9月30日), `overdue` (true or false),
//! `days_overdue` (in the days the office counts, working or calendar)
//! and `period`.
//! The bulletin knows `plan`, `month` (2026年6月), `issuer`, `today`,
//! `contact`, `counts` (`total`, `new`, `closed`, `open`, `overdue`,
//! `yellow`, `orange`, `red`: the last three of the open items), `flagged`
//! (the open items overdue or red) and `items` (all), each item as above.

use crate::gongwen::{Annex, Block, Gongwen, Table};
use bighealth_rules::calendar::date_of;
use bighealth_rules::supervision::workflow::State;
use bighealth_rules::supervision::{Level, Light, RuleKind, Source, date_zh};
use bighealth_store::supervision::items::{Item, UnitName, urgency_label};
use jiff::civil::Date;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;
use serde_json::Value;

/// The shipped 督办通知单 of one item.
pub const NOTICE_TEMPLATE: &str = r#"关于{{ item.title }}的督办通知
{{ item.lead_unit }}{% if item.helpers %}、{{ item.helpers }}{% endif %}：
{% if item.source == "rule" %}
经{{ plan }}月度调度数据比对，{{ item.lead_unit }}承办的以下事项进展滞后，触发督办预警。为确保各项任务按期完成，现予以{{ item.level_label }}督办，有关事项通知如下。
{% else %}
根据{{ item.source_label }}{% if item.reference %}（{{ item.reference }}）{% endif %}，为确保{{ plan }}各项任务落实到位，现将以下事项予以{{ item.level_label }}督办，有关事项通知如下。
{% endif %}
一、督办事项
{{ item.title }}（督办编号：{{ item.number }}，紧急程度：{{ item.urgency_label }}）。
{{ item.body }}
{% if item.overdue %}
该事项已逾期{{ item.days_overdue }}日，请高度重视。
{% endif %}
二、办理要求
{% if item.requirement %}
{{ item.requirement }}
{% else %}
请对照督办事项认真分析原因，制定整改措施，明确责任人和完成时限，确保按期办结。
{% endif %}
{% if item.helpers %}
{{ item.helpers }}作为协办单位，要积极配合{{ item.lead_unit }}做好相关工作。
{% endif %}
{% if item.leader %}
本事项责任领导为{{ item.leader }}同志。
{% endif %}
三、办理时限和反馈要求
（一）签收时限
请于{{ item.sign_due }}前签收本通知。
（二）整改方案
请于{{ item.plan_due }}前报送整改方案，列明问题、措施、责任人和完成时限。
（三）办结时限
请于{{ item.due }}前办结，并报送办理结果和佐证材料。确需延期的，应在办结时限前提出申请，说明理由和拟完成日期，经同意后方可延期；未经同意逾期的，按原时限认定逾期。
{% if contact %}
联系人：{{ contact }}
{% endif %}
附件：督办事项清单
"#;

/// The shipped monthly 督办情况通报 of a plan.
pub const BULLETIN_TEMPLATE: &str = r#"{{ plan }}督办情况通报（{{ month }}）
各有关单位：
为推动{{ plan }}各项任务落地见效，现将{{ month }}督办事项办理情况通报如下。
一、总体情况
{{ month }}，新交办督办事项{{ counts.new }}项，办结{{ counts.closed }}项。截至目前，在办督办事项{{ counts.open }}项，其中黄色督办{{ counts.yellow }}项、橙色督办{{ counts.orange }}项、红色督办{{ counts.red }}项；逾期未办结{{ counts.overdue }}项。
二、逾期和红色督办事项
{% for i in flagged %}
{{ loop.index }}.{{ i.number }}“{{ i.title }}”，承办单位：{{ i.lead_unit }}，{{ i.level_label }}督办，{% if i.overdue %}已逾期{{ i.days_overdue }}日{% else %}尚未逾期{% endif %}。
{% else %}
本月无逾期和红色督办事项。
{% endfor %}
三、下步工作要求
（一）抓紧办理逾期事项
各承办单位要对逾期和红色督办事项逐项分析原因，明确整改措施和完成时限，确保尽快办结。
（二）按时签收和反馈
各承办单位要按时签收督办通知，按时报送整改方案和办理进展；确需延期的，须在办结时限前提出申请。
（三）强化结果运用
督办事项办理情况纳入年度考核，对多次逾期、整改不力的单位予以约谈和通报。
{% if contact %}
联系人：{{ contact }}
{% endif %}
附件：督办事项清单
"#;

/// The kind of the 督办通知单 template.
const NOTICE: &str = "supervision_notice";
/// The kind of the 督办情况通报 template.
const BULLETIN: &str = "supervision_bulletin";
/// The title of the attachment of both documents.
const SHEET: &str = "督办事项清单";

/// Who issues a document and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// 发文机关标志 (printed in red at the top).
    pub issuer: String,
    /// 署名 (and 印发机关).
    pub signature: String,
    /// 成文日期 (and 印发日期).
    pub date: Date,
    /// 联系人 and telephone, when the office gives one.
    pub contact: Option<String>,
}

impl Letterhead {
    /// A document of this office: its 版头, 署名, dates and 版记 filled in.
    pub fn gongwen(&self, number: &str, title: String, addressee: Option<String>) -> Gongwen {
        Gongwen {
            issuer: self.issuer.clone(),
            number: number.to_string(),
            title,
            addressee,
            signature: self.signature.clone(),
            date: date_zh(self.date),
            printer: self.signature.clone(),
            printed: date_zh(self.date),
            ..Gongwen::default()
        }
    }
}

/// The shipped text of template `kind` (`supervision_notice` or
/// `supervision_bulletin`); empty for another kind.
pub fn shipped(kind: &str) -> &'static str {
    match kind {
        NOTICE => NOTICE_TEMPLATE,
        BULLETIN => BULLETIN_TEMPLATE,
        _ => "",
    }
}

/// The 督办通知 of `item` of plan `plan_name`, from `template` (the shipped
/// one when `None`). The message says in Chinese what is wrong with the
/// template.
pub fn notice(template: Option<&str>, plan_name: &str, item: &Item, head: &Letterhead) -> Result<Gongwen, String> {
    let view = ItemView::of(item);
    let sheet = item_sheet(&view);
    let ctx = NoticeContext { plan: plan_name, common: Common::of(head), item: view };
    let lines = fill(template.unwrap_or(NOTICE_TEMPLATE), &ctx)?;
    let doc = document(&lines, head, &item.number)?;
    Ok(with_sheet(doc, sheet))
}

/// The 督办情况通报 of plan `plan_name` for the month `month_label`
/// (`2026年6月`) over `items` (the plan's items as they stood at the end
/// of the month), numbered `number`, from `template` (the shipped one when
/// `None`).
pub fn bulletin(
    template: Option<&str>,
    plan_name: &str,
    month_label: &str,
    items: &[Item],
    head: &Letterhead,
    number: &str,
) -> Result<Gongwen, String> {
    let month = parse_month(month_label)?;
    let views: Vec<ItemView> = items.iter().map(ItemView::of).collect();
    let ctx = BulletinContext {
        plan: plan_name,
        month: month_label,
        common: Common::of(head),
        counts: Counts::of(items, month),
        flagged: views.iter().filter(|v| v.flagged).cloned().collect(),
        items: views.clone(),
    };
    let lines = fill(template.unwrap_or(BULLETIN_TEMPLATE), &ctx)?;
    let doc = document(&lines, head, number)?;
    Ok(with_sheet(doc, ledger_sheet(&views)))
}

/// Refuses a template of `kind` (`supervision_notice` or
/// `supervision_bulletin`) that does not fill: the message says in Chinese
/// on which line and what is wrong.
pub fn check_template(kind: &str, text: &str) -> Result<(), String> {
    let head = sample_head();
    match kind {
        NOTICE => notice(Some(text), "健康城市建设三年行动", &sample_item(), &head).map(drop),
        BULLETIN => {
            let mut other = sample_item();
            other.number = "健督〔2026〕18号".into();
            other.level = Level::Yellow;
            other.overdue = vec![];
            other.days_left = 4;
            let items = [sample_item(), other];
            bulletin(Some(text), "健康城市建设三年行动", "2026年6月", &items, &head, "健督通〔2026〕6号").map(drop)
        }
        _ => Err(format!("未知的模板类型 {kind}")),
    }
}

/// An item as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct ItemView {
    number: String,
    title: String,
    body: String,
    requirement: String,
    source: &'static str,
    source_label: &'static str,
    reference: String,
    level: &'static str,
    level_label: &'static str,
    urgency_label: &'static str,
    state_label: &'static str,
    lead_unit: String,
    helpers: String,
    leader: String,
    opened_on: String,
    sign_due: String,
    plan_due: String,
    due: String,
    overdue: bool,
    days_overdue: i64,
    period: String,
    /// Open and overdue or red: listed in the bulletin's 二.
    #[serde(skip)]
    flagged: bool,
}

impl ItemView {
    fn of(item: &Item) -> ItemView {
        let open = !item.state.finished();
        let overdue = open && !item.overdue.is_empty();
        ItemView {
            number: item.number.clone(),
            title: item.title.clone(),
            body: item.body.clone(),
            requirement: item.requirement.clone().unwrap_or_default(),
            source: item.source.as_str(),
            source_label: item.source.label(),
            reference: item.reference.clone().unwrap_or_default(),
            level: item.level.as_str(),
            level_label: item.level.label(),
            urgency_label: urgency_label(&item.urgency),
            state_label: item.state.label(),
            lead_unit: item.lead_unit.name.clone(),
            helpers: item.helpers.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、"),
            leader: item.leader_name.clone().unwrap_or_default(),
            opened_on: zh(&item.opened_on),
            sign_due: zh(&item.sign_due),
            plan_due: zh(&item.plan_due),
            due: zh(&item.due),
            overdue,
            days_overdue: if overdue { (-item.days_left).max(0) } else { 0 },
            period: item.period.clone().unwrap_or_default(),
            flagged: open && (overdue || item.level == Level::Red),
        }
    }
}

/// What both documents know of their issuer.
#[derive(Serialize)]
struct Common {
    issuer: String,
    today: String,
    contact: String,
}

impl Common {
    fn of(head: &Letterhead) -> Common {
        Common {
            issuer: head.issuer.clone(),
            today: date_zh(head.date),
            contact: head.contact.clone().unwrap_or_default(),
        }
    }
}

/// What the notice template knows.
#[derive(Serialize)]
struct NoticeContext<'a> {
    plan: &'a str,
    #[serde(flatten)]
    common: Common,
    item: ItemView,
}

/// What the bulletin template knows.
#[derive(Serialize)]
struct BulletinContext<'a> {
    plan: &'a str,
    month: &'a str,
    #[serde(flatten)]
    common: Common,
    counts: Counts,
    flagged: Vec<ItemView>,
    items: Vec<ItemView>,
}

/// The counts of a bulletin.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
struct Counts {
    /// Every item given.
    total: usize,
    /// Opened in the month.
    new: usize,
    /// Closed in the month.
    closed: usize,
    /// Not finished.
    open: usize,
    /// Not finished and overdue.
    overdue: usize,
    /// Open yellow items.
    yellow: usize,
    /// Open orange items.
    orange: usize,
    /// Open red items.
    red: usize,
}

impl Counts {
    fn of(items: &[Item], (year, month): (i16, i8)) -> Counts {
        let in_month = |d: Date| d.year() == year && d.month() == month;
        let mut c = Counts { total: items.len(), ..Counts::default() };
        for i in items {
            c.new += usize::from(i.opened_on.parse::<Date>().is_ok_and(in_month));
            c.closed += usize::from(i.closed_at.is_some_and(|at| in_month(date_of(at))));
            if i.state.finished() {
                continue;
            }
            c.open += 1;
            c.overdue += usize::from(!i.overdue.is_empty());
            match i.level {
                Level::Yellow => c.yellow += 1,
                Level::Orange => c.orange += 1,
                Level::Red => c.red += 1,
            }
        }
        c
    }
}

/// The year and month of a label like `2026年6月`.
fn parse_month(label: &str) -> Result<(i16, i8), String> {
    let bad = || format!("月份“{label}”无法识别，应写作“2026年6月”");
    let (year, rest) = label.split_once('年').ok_or_else(bad)?;
    let month = rest.strip_suffix('月').ok_or_else(bad)?;
    let year: i16 = year.trim().parse().map_err(|_| bad())?;
    let month: i8 = month.trim().parse().map_err(|_| bad())?;
    if (1..=12).contains(&month) { Ok((year, month)) } else { Err(bad()) }
}

/// An ISO date as a document writes it (2026年9月30日); anything else as it is.
fn zh(iso: &str) -> String {
    iso.parse::<Date>().map(date_zh).unwrap_or_else(|_| iso.to_string())
}

/// The environment templates fill in: an unknown name is an error, no
/// escaping, block tags leave no line of their own.
fn environment<'a>() -> Environment<'a> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_debug(true);
    env
}

/// `template` filled with `ctx`, as its non-empty lines, trimmed.
fn fill(template: &str, ctx: &impl Serialize) -> Result<Vec<String>, String> {
    let env = environment();
    let tmpl = env.template_from_named_str("template", template).map_err(|e| explain(&e, template))?;
    let known = serde_json::to_value(ctx).map_err(|e| format!("模板数据有误：{e}"))?;
    unknown_names(&tmpl.undeclared_variables(true), &known, template)?;
    let text = tmpl.render(minijinja::Value::from_serialize(&known)).map_err(|e| explain(&e, template))?;
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect())
}

/// Refuses the first name the template uses that the data does not have,
/// in any branch (filling only sees the branches taken).
fn unknown_names(names: &std::collections::HashSet<String>, known: &Value, template: &str) -> Result<(), String> {
    let mut unknown: Vec<(usize, &str)> =
        names.iter().filter(|n| !is_known(n, known)).map(|n| (line_of(template, n).unwrap_or(0), n.as_str())).collect();
    unknown.sort();
    match unknown.first() {
        Some((0, name)) => Err(format!("模板有误：未知的变量 {name}")),
        Some((line, name)) => Err(format!("第 {line} 行：未知的变量 {name}")),
        None => Ok(()),
    }
}

/// Whether the dotted `name` is in `known`, or a function every template has.
fn is_known(name: &str, known: &Value) -> bool {
    let mut parts = name.split('.');
    let root = parts.next().unwrap_or_default();
    if ["range", "dict", "namespace", "debug", "loop"].contains(&root) {
        return true;
    }
    let mut at = known.get(root);
    for part in parts {
        match at {
            Some(Value::Object(map)) => at = map.get(part),
            Some(_) => return true,
            None => return false,
        }
    }
    at.is_some()
}

/// The first line (from 1) where `name` stands as a whole name.
fn line_of(template: &str, name: &str) -> Option<usize> {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    template
        .lines()
        .position(|l| {
            l.match_indices(name).any(|(at, _)| {
                let before = l[..at].chars().next_back();
                let after = l[at + name.len()..].chars().next();
                !before.is_some_and(|c| part(c) || c == '.') && !after.is_some_and(part)
            })
        })
        .map(|i| i + 1)
}

/// A minijinja error in Chinese, with its line.
fn explain(e: &minijinja::Error, template: &str) -> String {
    let expr = e.range().and_then(|r| expression(template, r));
    let detail = e.detail().unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::SyntaxError => format!("语法错误，{}（{detail}）", syntax_zh(detail)),
        ErrorKind::UndefinedError => format!("未知的变量 {}", expr.unwrap_or(detail)),
        ErrorKind::UnknownFilter => format!("未知的过滤器（{detail}）"),
        ErrorKind::UnknownFunction => format!("未知的函数（{detail}）"),
        ErrorKind::UnknownTest => format!("未知的判断（{detail}）"),
        ErrorKind::UnknownMethod => format!("未知的方法（{detail}）"),
        ErrorKind::TooManyArguments | ErrorKind::MissingArgument => format!("参数个数不对（{detail}）"),
        _ => format!("无法填写（{}）", if detail.is_empty() { e.kind().to_string() } else { detail.to_string() }),
    };
    match e.line() {
        Some(line) => format!("第 {line} 行：{what}"),
        None => format!("模板有误：{what}"),
    }
}

/// The expression at `range` of `template`, widened left to the whole
/// dotted name (minijinja points at the failing attribute only).
fn expression(template: &str, range: std::ops::Range<usize>) -> Option<&str> {
    let before = template.get(..range.start)?;
    let name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let start = before.trim_end_matches(name).len();
    Some(template.get(start..range.end)?.trim()).filter(|s| !s.is_empty())
}

/// What a syntax error's detail means, in Chinese.
fn syntax_zh(detail: &str) -> &'static str {
    if detail.contains("expected expression") {
        "缺少表达式（例如 if 后面没有条件）"
    } else if detail.contains("unexpected end of input") {
        "模板没有写完（缺少 endif 或 endfor 等结束标签）"
    } else if detail.contains("unknown statement") {
        "未知的语句"
    } else if detail.contains("unexpected end of block") {
        "标签内容不完整（例如 if 后面没有条件）"
    } else if detail.contains("unclosed") || detail.contains("unterminated") {
        "标签或字符串没有闭合"
    } else {
        "无法识别的写法"
    }
}

/// The document of the filled lines, signed and dated by `head`.
fn document(lines: &[String], head: &Letterhead, number: &str) -> Result<Gongwen, String> {
    let mut rest = lines.iter().map(String::as_str).peekable();
    let title = rest.next().ok_or("模板有误：填写后没有内容，第一行应是标题")?;
    let addressee = rest.next_if(|l| l.ends_with('：')).map(String::from);
    let mut doc = head.gongwen(number, title.to_string(), addressee);
    for l in rest {
        if l.starts_with("附件：") {
            doc.attachments_note.push(l.to_string());
        } else {
            doc.body.push(block(l));
        }
    }
    Ok(doc)
}

/// The block a line is: `一、` a heading, `（一）` a subheading, else a paragraph.
fn block(line: &str) -> Block {
    let numeral = |c: char| "一二三四五六七八九十百".contains(c);
    let after = |s: &str| s.trim_start_matches(numeral).len() < s.len();
    let heading = line.trim_start_matches(numeral);
    if heading.len() < line.len() && heading.starts_with('、') {
        Block::Heading(line.to_string())
    } else if line.strip_prefix('（').is_some_and(|s| after(s) && s.trim_start_matches(numeral).starts_with('）')) {
        Block::Subheading(line.to_string())
    } else {
        Block::Paragraph(line.to_string())
    }
}

/// `doc` with `sheet` as its attachment, when its 附件说明 names one.
fn with_sheet(mut doc: Gongwen, sheet: Table) -> Gongwen {
    if !doc.attachments_note.is_empty() {
        doc.annexes.push(Annex { title: SHEET.to_string(), table: sheet });
    }
    doc
}

/// The notice's 督办事项清单: the item, one line per particular.
fn item_sheet(v: &ItemView) -> Table {
    let or_none = |s: &str| if s.is_empty() { "无".to_string() } else { s.to_string() };
    let source = if v.reference.is_empty() {
        v.source_label.to_string()
    } else {
        format!("{}（{}）", v.source_label, v.reference)
    };
    let rows = [
        ("督办编号", v.number.clone()),
        ("督办事项", v.title.clone()),
        ("事项来源", source),
        ("督办级别", format!("{}督办", v.level_label)),
        ("紧急程度", v.urgency_label.to_string()),
        ("承办单位", v.lead_unit.clone()),
        ("协办单位", or_none(&v.helpers)),
        ("责任领导", or_none(&v.leader)),
        ("交办日期", v.opened_on.clone()),
        ("签收时限", v.sign_due.clone()),
        ("整改方案报送时限", v.plan_due.clone()),
        ("办结时限", v.due.clone()),
        ("办理要求", or_none(&v.requirement)),
    ];
    Table {
        headers: vec!["项目".into(), "内容".into()],
        rows: rows.into_iter().map(|(k, v)| vec![k.to_string(), v]).collect(),
    }
}

/// The bulletin's 督办事项清单: one row per item.
fn ledger_sheet(items: &[ItemView]) -> Table {
    let headers = ["序号", "督办编号", "督办事项", "承办单位", "协办单位", "级别", "状态", "办结时限", "是否逾期"];
    let rows = items.iter().enumerate().map(|(i, v)| {
        let late = if v.overdue { format!("是（{}日）", v.days_overdue) } else { "否".to_string() };
        vec![
            (i + 1).to_string(),
            v.number.clone(),
            v.title.clone(),
            v.lead_unit.clone(),
            v.helpers.clone(),
            v.level_label.to_string(),
            v.state_label.to_string(),
            v.due.clone(),
            late,
        ]
    });
    Table { headers: headers.map(String::from).to_vec(), rows: rows.collect() }
}

/// The letterhead of the sample documents [`check_template`] fills.
fn sample_head() -> Letterhead {
    Letterhead {
        issuer: "某市大健康产业发展工作领导小组办公室".into(),
        signature: "某市大健康产业发展工作领导小组办公室".into(),
        date: Date::constant(2026, 6, 3),
        contact: Some("张明，0951-1234567".into()),
    }
}

/// The item of the sample documents [`check_template`] fills: a red item
/// a rule opened, overdue.
fn sample_item() -> Item {
    Item {
        id: 17,
        plan_id: 1,
        number: "健督〔2026〕17号".into(),
        year: 2026,
        source: Source::Rule,
        reference: Some("2026年5月调度".into()),
        rule: Some(RuleKind::TaskLagging),
        cause: Some("task:12".into()),
        item_kind: Some("task".into()),
        item_id: Some(12),
        title: "家庭医生签约服务进度滞后".into(),
        body: "家庭医生签约率5月末为38%，落后序时进度12个百分点，已连续2个月滞后。".into(),
        requirement: Some("加快签约进度，6月底前赶上序时进度。".into()),
        lead_unit: UnitName { id: 3, name: "市卫生健康委员会".into() },
        helpers: vec![UnitName { id: 4, name: "市医疗保障局".into() }, UnitName { id: 5, name: "市财政局".into() }],
        leader_id: Some(9),
        leader_name: Some("王强".into()),
        urgency: "rush".into(),
        level: Level::Red,
        state: State::Handling,
        opened_on: "2026-05-06".into(),
        sign_due: "2026-05-07".into(),
        plan_due: "2026-05-13".into(),
        due: "2026-05-27".into(),
        extension_due: None,
        extension_reason: None,
        period: Some("2026-05".into()),
        signed_at: Some(1_778_040_000_000),
        planned_at: Some(1_778_558_400_000),
        closed_at: None,
        escalated_at: None,
        opened_at: Some(1_777_953_600_000),
        overdue: vec!["fix".into()],
        days_left: -5,
        light: Light::Red,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gongwen::part;

    fn head() -> Letterhead {
        sample_head()
    }

    #[test]
    fn notice_docx_names_the_item_its_unit_and_the_attachment() {
        let doc = notice(None, "健康城市建设三年行动", &sample_item(), &head()).unwrap();
        assert_eq!(doc.title, "关于家庭医生签约服务进度滞后的督办通知");
        assert_eq!(doc.addressee.as_deref(), Some("市卫生健康委员会、市医疗保障局、市财政局："));
        assert_eq!(doc.number, "健督〔2026〕17号");
        assert_eq!(doc.attachments_note, vec!["附件：督办事项清单".to_string()]);
        let xml = part(&doc.to_docx().unwrap(), "word/document.xml");
        for text in [
            "健督〔2026〕17号",
            "市卫生健康委员会",
            "家庭医生签约服务进度滞后",
            "附件",
            "2026年5月27日",
            "2026年6月3日",
        ] {
            assert!(xml.contains(text), "missing {text}");
        }
    }

    #[test]
    fn notice_follows_the_skeleton() {
        let doc = notice(None, "健康城市建设三年行动", &sample_item(), &head()).unwrap();
        let headings: Vec<&str> = doc
            .body
            .iter()
            .filter_map(|b| match b {
                Block::Heading(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(headings, ["一、督办事项", "二、办理要求", "三、办理时限和反馈要求"]);
        assert!(doc.body.contains(&Block::Subheading("（一）签收时限".into())));
        assert!(doc.body.contains(&Block::Paragraph("联系人：张明，0951-1234567".into())));
        assert!(doc.body.contains(&Block::Paragraph("该事项已逾期5日，请高度重视。".into())));
    }

    #[test]
    fn bulletin_counts_the_month_and_lists_the_red_and_overdue() {
        let mut closed = sample_item();
        closed.number = "健督〔2026〕20号".into();
        closed.opened_on = "2026-06-02".into();
        closed.state = State::Closed;
        closed.closed_at = Some(1_781_000_000_000); // 2026-06-09
        let items = [sample_item(), closed];
        let doc = bulletin(None, "健康城市", "2026年6月", &items, &head(), "健督通〔2026〕6号").unwrap();
        assert_eq!(doc.title, "健康城市督办情况通报（2026年6月）");
        assert_eq!(doc.addressee.as_deref(), Some("各有关单位："));
        assert!(
            doc.body.iter().any(|b| matches!(b, Block::Paragraph(t)
            if t.contains("新交办督办事项1项，办结1项") && t.contains("在办督办事项1项") && t.contains("红色督办1项")))
        );
        assert!(doc.body.contains(&Block::Paragraph(
            "1.健督〔2026〕17号“家庭医生签约服务进度滞后”，承办单位：市卫生健康委员会，红色督办，已逾期5日。".into()
        )));
        let sheet = &doc.annexes[0].table;
        assert_eq!(sheet.headers.len(), 9);
        assert_eq!(sheet.rows[1][6], "已办结");
        assert_eq!(sheet.rows[0][8], "是（5日）");
        let xml = part(&doc.to_docx().unwrap(), "word/document.xml");
        for text in ["健督通〔2026〕6号", "健督〔2026〕17号", "市卫生健康委员会", "督办事项清单", "附件", "是否逾期"]
        {
            assert!(xml.contains(text), "missing {text}");
        }
    }

    #[test]
    fn bulletin_without_flagged_items_says_so() {
        let mut calm = sample_item();
        calm.level = Level::Yellow;
        calm.overdue = vec![];
        let doc = bulletin(None, "健康城市", "2026年6月", &[calm], &head(), "健督通〔2026〕6号").unwrap();
        assert!(doc.body.contains(&Block::Paragraph("本月无逾期和红色督办事项。".into())));
    }

    #[test]
    fn bulletin_refuses_a_month_it_cannot_read() {
        let err = bulletin(None, "健康城市", "2026-06", &[], &head(), "1").unwrap_err();
        assert!(err.contains("2026年6月"), "{err}");
    }

    #[test]
    fn shipped_templates_pass_the_check() {
        check_template("supervision_notice", NOTICE_TEMPLATE).unwrap();
        check_template("supervision_bulletin", BULLETIN_TEMPLATE).unwrap();
        assert_eq!(shipped("supervision_notice"), NOTICE_TEMPLATE);
    }

    #[test]
    fn unknown_variable_is_refused_with_its_line() {
        let err = check_template("supervision_notice", "标题\n各单位：\n{{ nonsense }}").unwrap_err();
        assert_eq!(err, "第 3 行：未知的变量 nonsense");
    }

    #[test]
    fn unknown_field_in_an_untaken_branch_is_refused() {
        let text = "标题\n{% if false %}\n{{ item.nonsense }}\n{% endif %}";
        let err = check_template("supervision_notice", text).unwrap_err();
        assert_eq!(err, "第 3 行：未知的变量 item.nonsense");
    }

    #[test]
    fn unknown_field_in_a_loop_is_refused() {
        let text = "标题\n{% for i in items %}\n{{ i.nonsense }}\n{% endfor %}";
        let err = check_template("supervision_bulletin", text).unwrap_err();
        assert!(err.starts_with("第 3 行：未知的变量"), "{err}");
    }

    #[test]
    fn if_without_a_condition_is_refused_with_its_line() {
        let err = check_template("supervision_bulletin", "标题\n\n{% if %}是{% endif %}").unwrap_err();
        assert!(err.starts_with("第 3 行：语法错误，标签内容不完整"), "{err}");
    }

    #[test]
    fn unknown_attribute_of_a_field_is_named_whole() {
        let err = check_template("supervision_notice", "标题\n{{ item.title.nonsense }}").unwrap_err();
        assert_eq!(err, "第 2 行：未知的变量 item.title.nonsense");
    }

    #[test]
    fn unclosed_loop_is_refused() {
        let err = check_template("supervision_bulletin", "标题\n{% for i in items %}\n{{ i.title }}\n").unwrap_err();
        assert!(err.contains("缺少 endif 或 endfor"), "{err}");
    }

    #[test]
    fn unknown_kind_is_refused() {
        assert_eq!(check_template("memo", "x").unwrap_err(), "未知的模板类型 memo");
    }

    #[test]
    fn empty_template_is_refused() {
        assert!(check_template("supervision_notice", "{# 空 #}\n").unwrap_err().contains("标题"));
    }

    #[test]
    fn lines_are_read_by_their_opening() {
        assert_eq!(block("十一、其他"), Block::Heading("十一、其他".into()));
        assert_eq!(block("（十二）其他"), Block::Subheading("（十二）其他".into()));
        assert_eq!(block("一是加强领导"), Block::Paragraph("一是加强领导".into()));
        assert_eq!(block("（注）说明"), Block::Paragraph("（注）说明".into()));
    }
}
