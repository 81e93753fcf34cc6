//! The Chinese names of the codes users see: the reader's finding kinds,
//! fields of records, states, audit actions and outcomes, object kinds.
//! Pages show these names, never the codes; a code missing here shows as
//! “其他”, which a page test catches.

use crate::access::{Action, Role};
use crate::refusal::{Lang, Object, Reason};

/// A finding kind of the reader (`total_mismatch` → 合计不符).
pub fn finding_kind(code: &str) -> &'static str {
    match code {
        "total_mismatch" => "合计不符",
        "subtotal_mismatch" => "小计不符",
        "count_mismatch" => "项目个数不符",
        "annex_number_mismatch" => "正文与附件数字不一致",
        "annex_structure_mismatch" => "正文与附件结构不一致",
        "annex_title_mismatch" => "正文与附件标题不一致",
        "annex_wording_mismatch" => "正文与附件措辞不一致",
        "annex_only_item" => "仅见于附件的条目",
        "text_only_item" => "仅见于正文的条目",
        "duplicate_item" => "重复条目",
        "duplicate_project" => "重复项目",
        "unit_near_miss" => "单位名称疑似笔误",
        "unit_two_forms" => "单位名称两种写法",
        "no_structure" => "未识别出规划结构",
        "no_numbering" => "缺少编号",
        "read_problem" => "读取问题",
        "not_checked" => "未做检查",
        "too_many_headings" => "标题过多",
        _ => "其他问题",
    }
}

/// The finding codes [`finding_kind`] names.
pub const FINDING_KINDS: [&str; 18] = [
    "total_mismatch",
    "subtotal_mismatch",
    "count_mismatch",
    "annex_number_mismatch",
    "annex_structure_mismatch",
    "annex_title_mismatch",
    "annex_wording_mismatch",
    "annex_only_item",
    "text_only_item",
    "duplicate_item",
    "duplicate_project",
    "unit_near_miss",
    "unit_two_forms",
    "no_structure",
    "no_numbering",
    "read_problem",
    "not_checked",
    "too_many_headings",
];

/// A field of a task, target, project, unit, finding, account or proposal.
pub fn field(name: &str) -> &'static str {
    match name {
        "value" => "目标值",
        "value_max" => "区间上限",
        "unit" => "计量单位",
        "year" => "目标年份",
        "baseline_value" => "基期值",
        "baseline_year" => "基期年份",
        "indicator" => "指标名称",
        "comparator" => "要求",
        "qualifier" => "限定",
        "owner_unit" => "责任单位",
        "segment" => "板块",
        "division" => "健康产业分类",
        "deadline" => "完成时限",
        "lead" => "牵头单位",
        "responsible" => "责任单位",
        "state" => "状态",
        "note" => "备注",
        "deleted" => "已删除",
        "confirmed" => "已确认",
        "merged_into" => "合并到",
        "name" => "名称",
        "investment_wan" => "总投资（万元）",
        "status" => "状态",
        "category" => "类别",
        "nature" => "建设性质",
        "funding" => "资金来源",
        "roles" => "角色",
        "units" => "所属单位",
        "disabled" => "停用",
        "locked" => "锁定",
        "password" => "密码",
        "policy" => "密码策略",
        "reason" => "理由",
        "file" => "规划文件",
        "region" => "行政区划",
        "parent" => "上级规划",
        "into" => "要合并到的单位",
        "username" => "用户名",
        "display_name" => "姓名",
        "old_password" => "当前密码",
        "new_password" => "新密码",
        "new_password_again" => "再次输入新密码",
        _ => "其他字段",
    }
}

/// The fields that hold a unit's id: pages show the unit's name instead.
pub const UNIT_FIELDS: [&str; 3] = ["owner_unit", "merged_into", "similar_to"];

/// A state of a finding or a proposal.
pub fn state(code: &str) -> &'static str {
    match code {
        "open" => "待处理",
        "resolved" => "已解决",
        "accepted" => "已接受",
        "pending" => "待审批",
        "approved" => "已批准",
        "rejected" => "已驳回",
        _ => "其他状态",
    }
}

/// An action of the audit log (`update_target` → 修改目标).
pub fn audit_action(action: &str) -> String {
    if let Some(entity) = action.strip_prefix("update_") {
        return format!("修改{}", object_kind(entity));
    }
    match action {
        "access" => "访问受限功能".into(),
        "login" => "登录".into(),
        "logout" => "退出登录".into(),
        "create_unit" => "登记单位".into(),
        "create_user" => "创建账号".into(),
        "import_plan" => "导入规划".into(),
        "import_table" => "导入附表".into(),
        "propose" => "提交变更申请".into(),
        "decide_proposal" => "审批变更申请".into(),
        "refused" => "操作被拒绝".into(),
        "request_account_change" => "申请变更管理员账号".into(),
        "approve_account_change" => "批准变更管理员账号".into(),
        "reject_account_change" => "驳回变更管理员账号".into(),
        "change_password" => "修改密码".into(),
        "set_reporting_schedule" => "设置报送日历".into(),
        "save_report" => "保存月报".into(),
        "submit_report" => "报送月报".into(),
        "return_report" => "退回月报".into(),
        "approve_report" => "审核通过月报".into(),
        "accept_report" => "上级接收月报".into(),
        "save_report_parts" => "填报配合任务进展".into(),
        "reopen_period" => "重新开放报送期".into(),
        "relock_period" => "重新锁定报送期".into(),
        "remind" => "催报".into(),
        "attach" => "上传佐证材料".into(),
        "set_unit_contacts" => "设置单位联系邮箱".into(),
        "set_supervision_settings" => "设置督办规则".into(),
        "run_supervision_rules" => "运行督办规则".into(),
        "open_supervision_item" => "交办督办事项".into(),
        "supervision_step" => "办理督办事项".into(),
        "attach_supervision_file" => "上传督办材料".into(),
        "escalate_supervision_item" => "督办事项逾期升级".into(),
        "set_holiday_calendar" => "导入节假日日历".into(),
        "set_document_template" => "修改公文模板".into(),
        "set_analysis_settings" => "设置进度状态判定标准".into(),
        "save_quarter_narrative" => "保存季度运行分析文字".into(),
        "issue_quarter_report" => "印发季度运行分析".into(),
        "create_indicator" => "新增统计指标".into(),
        "update_indicator" => "修改统计指标".into(),
        "link_target" => "关联目标与统计指标".into(),
        "import_indicator_values" => "导入统计数据".into(),
        "create_enterprise" => "新增重点企业".into(),
        "save_enterprise_figures" => "填报企业数据".into(),
        "import_enterprise_figures" => "导入企业数据".into(),
        "save_scoring_scheme" => "保存考核方案".into(),
        "add_assessment_entry" => "录入考核记分".into(),
        "withdraw_assessment_entry" => "撤销考核记分".into(),
        "submit_self_assessment" => "提交自评".into(),
        "review_self_assessment" => "复核自评".into(),
        "publish_assessment" => "发布考核结果".into(),
        "withdraw_assessment" => "撤回考核结果".into(),
        "attach_assessment_file" => "上传考核佐证".into(),
        "set_disclosure" => "设置公开内容".into(),
        "grant_evaluator" => "授权第三方评估".into(),
        "add_evaluation_finding" => "登记评估发现".into(),
        "answer_evaluation_finding" => "答复评估发现".into(),
        _ => "其他操作".into(),
    }
}

/// The identifiers [`audit_action`] names, for the filter on the audit page.
pub const AUDIT_ACTIONS: [&str; 66] = [
    "request_account_change",
    "approve_account_change",
    "reject_account_change",
    "change_password",
    "login",
    "logout",
    "access",
    "refused",
    "import_plan",
    "import_table",
    "create_unit",
    "create_user",
    "update_plan",
    "update_task",
    "update_target",
    "update_project",
    "update_unit",
    "update_finding",
    "update_user",
    "update_policy",
    "update_proposal",
    "propose",
    "decide_proposal",
    "update_section",
    "set_reporting_schedule",
    "save_report",
    "submit_report",
    "return_report",
    "approve_report",
    "accept_report",
    "save_report_parts",
    "reopen_period",
    "relock_period",
    "remind",
    "attach",
    "set_unit_contacts",
    "set_supervision_settings",
    "run_supervision_rules",
    "open_supervision_item",
    "supervision_step",
    "attach_supervision_file",
    "escalate_supervision_item",
    "set_holiday_calendar",
    "set_document_template",
    "set_analysis_settings",
    "save_quarter_narrative",
    "issue_quarter_report",
    "create_indicator",
    "update_indicator",
    "link_target",
    "import_indicator_values",
    "create_enterprise",
    "save_enterprise_figures",
    "import_enterprise_figures",
    "save_scoring_scheme",
    "add_assessment_entry",
    "withdraw_assessment_entry",
    "submit_self_assessment",
    "review_self_assessment",
    "publish_assessment",
    "withdraw_assessment",
    "attach_assessment_file",
    "set_disclosure",
    "grant_evaluator",
    "add_evaluation_finding",
    "answer_evaluation_finding",
];

/// The audit actions raised to the auditor: changes that make or reopen an
/// administrator's account.
pub const RAISED_ACTIONS: [&str; 3] = ["request_account_change", "approve_account_change", "reject_account_change"];

/// Whether an audit row is raised to the auditor: a request or decision on
/// an administrator's account, or any change that names an administrator's
/// role (an account made on the server's machine, roles granted).
pub fn raised(action: &str, detail: &str) -> bool {
    RAISED_ACTIONS.contains(&action)
        || (matches!(action, "create_user" | "update_user")
            && ["system_admin", "security_admin", "auditor", "系统管理员", "安全管理员", "审计员"]
                .iter()
                .any(|r| detail.contains(r)))
}

/// An outcome of the audit log.
pub fn outcome(code: &str) -> &'static str {
    match code {
        "ok" => "成功",
        "denied" => "拒绝",
        "failed" => "失败",
        _ => "其他",
    }
}

/// A kind of record (`task` → 任务); also the history's and the audit
/// log's entities (`policy` → 密码策略).
pub fn object_kind(kind: &str) -> &'static str {
    match Object::parse(kind) {
        Some(o) => o.label(Lang::Zh),
        None if kind == "policy" => "密码策略",
        None => "记录",
    }
}

/// An audit object (`task:12` → 任务 12; `user:?` → 未知账号).
pub fn object(object: &str) -> String {
    match object.split_once(':') {
        Some(("user", "?")) => "未知账号".into(),
        Some((kind, id)) => format!("{} {id}", object_kind(kind)),
        None if object.is_empty() => String::new(),
        None => object_kind(object).into(),
    }
}

/// A right, as the audit log keeps it (`manage_plans` or `ManagePlans`).
pub fn right(code: &str) -> &'static str {
    Action::parse(code).map(Action::label).unwrap_or("其他权限")
}

/// A role identifier.
pub fn role(code: &str) -> &'static str {
    Role::parse(code).map(Role::label).unwrap_or("其他角色")
}

/// A number as a clerk writes it: no trailing ".0", at most four decimals.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A value of history, a proposal or the audit log, for people: nothing as
/// “（空）”, yes and no as 是 and 否, numbers as written, lists joined with
/// 、, a unit (`[id, "name"]` or `{"name": …}`) as its name.
pub fn value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "（空）".into(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Number(n) => n.as_f64().map(number).unwrap_or_else(|| n.to_string()),
        Value::String(s) if s.is_empty() => "（空）".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "（空）".into(),
        Value::Array(pair) if pair.len() == 2 && pair[0].is_i64() && pair[1].is_string() => value(&pair[1]),
        Value::Array(items) => items.iter().map(value).collect::<Vec<_>>().join("、"),
        Value::Object(map) => {
            if let Some(name) = map.get("name").and_then(Value::as_str) {
                name.to_string()
            } else {
                map.iter().map(|(k, v)| format!("{}：{}", field(k), value(v))).collect::<Vec<_>>().join("；")
            }
        }
    }
}

/// The detail of an audit row, for people: a change as 字段：旧值 → 新值,
/// a refusal as its message, a right asked for by its name, a proposal
/// with its fields and reason; anything else as written.
pub fn audit_detail(action: &str, detail: &str) -> String {
    use serde_json::Value;
    if action == "access" {
        return format!("所需权限：{}", right(detail));
    }
    if let Some(words) = supervision_detail(action, detail) {
        return words;
    }
    match serde_json::from_str::<Value>(detail) {
        Ok(v) if v.get("field").is_some_and(Value::is_string) => {
            format!("{}：{} → {}", field(v["field"].as_str().unwrap_or_default()), value(&v["old"]), value(&v["new"]))
        }
        Ok(v) if v.get("code").is_some() => match serde_json::from_value::<Reason>(v) {
            Ok(reason) => reason.message(Lang::Zh),
            Err(_) => detail.to_string(),
        },
        Ok(v) if v.get("proposal").is_some() => {
            let fields: Vec<String> = v["patch"]
                .as_object()
                .map(|m| m.iter().map(|(k, val)| format!("{}：{}", field(k), value(val))).collect())
                .unwrap_or_default();
            format!("变更申请 {}：{}；理由：{}", value(&v["proposal"]), fields.join("；"), value(&v["reason"]))
        }
        _ => older_change(detail).unwrap_or_else(|| detail.to_string()),
    }
}

/// The detail of a supervision row, for people (its codes worded).
fn supervision_detail(action: &str, detail: &str) -> Option<String> {
    use crate::supervision::workflow::{State, Step};
    use crate::supervision::{RuleKind, Source};
    let v: serde_json::Value = serde_json::from_str(detail).ok()?;
    let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
    Some(match action {
        "supervision_step" => {
            let step = Step::parse(&text("step")).map(Step::label).unwrap_or("办理");
            let state = State::parse(&text("state")).map(State::label).unwrap_or("");
            let note = v.get("note").and_then(serde_json::Value::as_str).map(|n| format!("；{n}")).unwrap_or_default();
            format!("{}：{step}（{state}）{note}", text("number"))
        }
        "open_supervision_item" => {
            let source = Source::parse(&text("source")).map(Source::label).unwrap_or("");
            let rule = RuleKind::parse(&text("rule")).map(|r| format!("，{}", r.label())).unwrap_or_default();
            format!("{}：{}（{source}{rule}）", text("number"), text("title"))
        }
        "run_supervision_rules" => format!(
            "报送期 {}：新开 {} 项，提级 {} 项，已有 {} 项",
            text("period"),
            value(&v["opened"]),
            value(&v["raised"]),
            value(&v["seen"])
        ),
        "set_supervision_settings" => {
            let on: Vec<&str> = v["new"]["rules"]
                .as_array()
                .map(|rules| {
                    rules
                        .iter()
                        .filter(|r| r["enabled"].as_bool() == Some(true))
                        .filter_map(|r| r["rule"].as_str().and_then(RuleKind::parse).map(RuleKind::label))
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "代字：{}；启用的规则：{}",
                value(&v["new"]["prefix"]),
                if on.is_empty() { "无".into() } else { on.join("、") }
            )
        }
        "set_document_template" => {
            let kind = if text("kind") == "supervision_bulletin" { "督办情况通报" } else { "督办通知单" };
            let how = if v["new"].is_null() { "恢复为默认模板" } else { "修改模板" };
            format!("{kind}：{how}")
        }
        "set_holiday_calendar" => format!("{} 年节假日日历：{} 天", value(&v["year"]), value(&v["days"])),
        "escalate_supervision_item" => format!("{}：超过办结时限 {}", text("number"), text("due")),
        "attach_supervision_file" => format!("督办事项 {}：{}", value(&v["item"]), text("file")),
        "set_analysis_settings" => format!(
            "落后序时 {} 个百分点起黄色预警，{} 个百分点起红色警示，{} 月起可判红色",
            value(&v["new"]["yellow_behind"]),
            value(&v["new"]["red_behind"]),
            value(&v["new"]["red_from_month"])
        ),
        "save_quarter_narrative" => format!("{} 的分析文字", text("quarter")),
        "issue_quarter_report" => format!("{}：{}", text("quarter"), text("number")),
        "create_indicator" => format!("{} {}", text("code"), text("name")),
        "update_indicator" => format!("{} {}", value(&v["new"]["code"]), value(&v["new"]["name"])),
        "link_target" => format!("统计指标：{} → {}", value(&v["old"]), value(&v["new"])),
        "import_indicator_values" => format!("{} 个数值，其中替换 {} 个", value(&v["values"]), value(&v["replaced"])),
        "save_report" | "submit_report" => {
            let why = v["reason"].as_str().map(|r| format!("；修改原因：{r}")).unwrap_or_default();
            format!("{} 报送期，单位 {}：{} 项{why}", text("period"), value(&v["unit"]), value(&v["entries"]))
        }
        "return_report" | "approve_report" | "accept_report" => {
            let why = v["reason"].as_str().map(|r| format!("；意见：{r}")).unwrap_or_default();
            format!("{} 报送期，单位 {}，第 {} 版{why}", text("period"), value(&v["unit"]), value(&v["version"]))
        }
        "save_report_parts" => {
            format!("{} 报送期，单位 {}：{} 项配合任务", text("period"), value(&v["unit"]), value(&v["tasks"]))
        }
        "save_enterprise_figures" => {
            let n = v["changed"].as_array().map(Vec::len).unwrap_or(0);
            format!("{} 的数据，{n} 项有变化", text("period"))
        }
        "import_enterprise_figures" => format!("{} 行，{} 项数据", value(&v["rows"]), value(&v["figures"])),
        "save_scoring_scheme" => format!(
            "{} 年度考核方案第 {} 版：{} 个考核项目",
            value(&v["year"]),
            value(&v["version"]),
            v["scheme"]["items"].as_array().map(Vec::len).unwrap_or(0)
        ),
        "add_assessment_entry" => {
            let what = match serde_json::from_value::<crate::scoring::score::Entry>(v["entry"].clone()) {
                Ok(crate::scoring::score::Entry::Points { points, .. }) => format!("评分 {}", number(points)),
                Ok(crate::scoring::score::Entry::Bonus { level }) => format!("加分（{}）", level.label()),
                Ok(crate::scoring::score::Entry::Deduction { points }) => format!("扣分 {}", number(points)),
                Ok(crate::scoring::score::Entry::Veto {}) => "一票否决".into(),
                Err(_) => "记分".into(),
            };
            format!("{} 年度，单位 {}：{what}；理由：{}", value(&v["year"]), value(&v["unit"]), text("reason"))
        }
        "withdraw_assessment_entry" | "withdraw_assessment" => format!("理由：{}", text("reason")),
        "submit_self_assessment" => format!("{} 年度自评 {} 分", value(&v["year"]), value(&v["total"])),
        "review_self_assessment" => format!("复核意见：{}", text("review_note")),
        "publish_assessment" => format!(
            "{} 年度考核结果：{}，限期整改 {} 项",
            value(&v["year"]),
            text("number"),
            v["rectification"].as_array().map(Vec::len).unwrap_or(0)
        ),
        "attach_assessment_file" => format!("{}（SHA-256 {}）", text("name"), text("sha256")),
        "set_disclosure" => format!("公开：{}", if v["new"]["public"].as_bool() == Some(true) { "是" } else { "否" }),
        "grant_evaluator" => format!(
            "{}（账号 {}）评估规划 {}，至 {}",
            text("body"),
            text("user"),
            value(&v["plan"]),
            text("valid_until")
        ),
        "add_evaluation_finding" => format!("评估发现：{}", text("finding")),
        "answer_evaluation_finding" => format!("答复：{}", text("answer")),
        _ => return None,
    })
}

/// A change as rows written before details were JSON kept it: `field: old → new`.
fn older_change(detail: &str) -> Option<String> {
    let (name, rest) = detail.split_once(": ")?;
    let (old, new) = rest.split_once(" → ")?;
    if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let parse = |s: &str| serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.into()));
    Some(format!("{}：{} → {}", field(name), value(&parse(old)), value(&parse(new))))
}

/// The sign before a target's value (`>=` → ≥); none for an exact value or a range.
pub fn comparator(code: &str) -> &'static str {
    match code {
        ">=" => "≥",
        "<=" => "≤",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_code(s: &str) -> bool {
        s.split(|c: char| !(c.is_ascii_lowercase() || c == '_')).any(|w| w.contains('_') && w.len() > 2)
    }

    #[test]
    fn supervision_rows_are_worded_without_codes() {
        let step = r#"{"number":"健督〔2026〕3号","step":"ask_close","state":"closing","note":"已完成","data":{}}"#;
        assert_eq!(audit_detail("supervision_step", step), "健督〔2026〕3号：申请办结（申请办结）；已完成");
        let opened = r#"{"number":"健督〔2026〕4号","source":"rule","rule":"task_lagging","title":"任务滞后"}"#;
        assert!(!has_code(&audit_detail("open_supervision_item", opened)));
        let settings =
            r#"{"old":{},"new":{"prefix":"健督","rules":[{"rule":"task_lagging","enabled":true,"threshold":4}]}}"#;
        assert_eq!(audit_detail("set_supervision_settings", settings), "代字：健督；启用的规则：任务滞后或逾期未启动");
        let template = r#"{"kind":"supervision_notice","old":null,"new":"x"}"#;
        assert!(!has_code(&audit_detail("set_document_template", template)));
    }

    #[test]
    fn every_known_code_has_a_chinese_name() {
        for k in FINDING_KINDS {
            assert_ne!(finding_kind(k), "其他问题", "{k}");
        }
        for a in AUDIT_ACTIONS {
            let l = audit_action(a);
            assert!(!l.contains("其他") && !l.contains("记录") && !has_code(&l), "{a} → {l}");
        }
        for o in ["ok", "denied", "failed"] {
            assert_ne!(outcome(o), "其他");
        }
        for a in Action::ALL {
            assert_ne!(right(a.as_str()), "其他权限");
        }
        assert_eq!(object("task:12"), "任务 12");
        assert_eq!(object("user:?"), "未知账号");
        assert_eq!(right("ManagePlans"), "管理规划数据");
    }

    #[test]
    fn audit_details_read_in_chinese() {
        let change = serde_json::json!({"field": "value", "old": 4.0, "new": 3.0}).to_string();
        assert_eq!(audit_detail("update_target", &change), "目标值：4 → 3");
        assert_eq!(audit_detail("update_target", "value: 4.0 → 3.0"), "目标值：4 → 3");
        let refused = serde_json::to_string(&Reason::PlanIsOffices { object: Object::Task, id: 7 }).unwrap();
        assert!(
            audit_detail("refused", &refused).starts_with("任务 7 的规划内容"),
            "{}",
            audit_detail("refused", &refused)
        );
        assert_eq!(audit_detail("access", "manage_plans"), "所需权限：管理规划数据");
        assert_eq!(audit_detail("login", "密码错误"), "密码错误");
    }

    #[test]
    fn values_read_as_people_write_them() {
        use serde_json::json;
        assert_eq!(value(&json!(null)), "（空）");
        assert_eq!(value(&json!(3.0)), "3");
        assert_eq!(value(&json!(2.5)), "2.5");
        assert_eq!(value(&json!(true)), "是");
        assert_eq!(value(&json!(["州卫生健康委", "州民政局"])), "州卫生健康委、州民政局");
        assert_eq!(value(&json!([{"id": 3, "name": "州民政局"}])), "州民政局");
        assert_eq!(value(&json!([[3, "区卫生健康委"], [9, "区医保局"]])), "区卫生健康委、区医保局");
        assert_eq!(value(&json!(0.123456)), "0.1235");
    }
}
