//! The catalogue of refusals: every "no" the store or the server can say.
//!
//! A [`Reason`] is a code with its arguments (`target_year_before_base {
//! year, base }`); a [`Refusal`] is a reason about a field (`year`,
//! `lead[1]`, `file`). The catalogue below words each code once in Chinese
//! and once in English and gives its [`Kind`] (which HTTP status answers
//! it). Callers never match on the words: pages show
//! [`Refusal::message`] in Chinese, the API answers `{"error": {code,
//! message, field, args}}` in the client's language ([`Lang`]).

use crate::access::{Action, Role};
use serde::{Deserialize, Serialize};

/// The language of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 中文 (the default: the platform's users read Chinese).
    #[default]
    Zh,
    /// English, for integrations that ask for it.
    En,
}

impl Lang {
    /// The language an `Accept-Language` header prefers among Chinese and
    /// English: the one with the highest `q` (the first on a tie); Chinese
    /// when the header names neither.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.unwrap_or("").split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag == "zh" || tag.starts_with("zh-") {
                Lang::Zh
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// What kind of refusal a code is; the server answers each with its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 400: the request cannot be parsed.
    BadRequest,
    /// 401: no live session.
    Unauthenticated,
    /// 403: the actor may not do this.
    Forbidden,
    /// 404: no such record.
    NotFound,
    /// 409: the change conflicts with what is stored.
    Conflict,
    /// 413: too large.
    TooLarge,
    /// 415: a body of the wrong type.
    UnsupportedMediaType,
    /// 422: a value is wrong.
    Invalid,
    /// 423: the account is locked.
    Locked,
    /// 429: too many attempts; wait.
    TooManyRequests,
    /// 408: the request took longer than the server allows.
    Timeout,
    /// 503: the server is at its limit; try again shortly.
    Unavailable,
    /// 500: the platform failed; nothing was changed.
    Internal,
}

impl Kind {
    /// The HTTP status that answers it.
    pub fn status(self) -> u16 {
        match self {
            Kind::BadRequest => 400,
            Kind::Unauthenticated => 401,
            Kind::Timeout => 408,
            Kind::Unavailable => 503,
            Kind::Forbidden => 403,
            Kind::NotFound => 404,
            Kind::Conflict => 409,
            Kind::TooLarge => 413,
            Kind::UnsupportedMediaType => 415,
            Kind::Invalid => 422,
            Kind::Locked => 423,
            Kind::TooManyRequests => 429,
            Kind::Internal => 500,
        }
    }
}

/// A kind of record, as a refusal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Object {
    /// 规划
    #[default]
    Plan,
    /// 章节
    Section,
    /// 任务
    Task,
    /// 目标
    Target,
    /// 项目
    Project,
    /// 单位
    Unit,
    /// 问题 (a finding of the reader)
    Finding,
    /// 账号
    User,
    /// 地区
    Region,
    /// 变更申请
    Proposal,
    /// 账号变更申请
    AccountRequest,
    /// 佐证材料 (a report's attachment)
    Attachment,
    /// 督办事项
    SupervisionItem,
    /// A quarterly analysis (季度运行分析).
    AnalysisReport,
    /// 统计指标
    Indicator,
    /// 重点企业
    Enterprise,
    /// 考核结果 (a plan's year assessed)
    Assessment,
    /// 考核记分 (an entry of the office: points, a bonus, a deduction, a veto)
    AssessmentEntry,
    /// 自评
    SelfAssessment,
    /// 评估发现 (a finding of a third-party evaluation)
    EvaluationFinding,
}

impl Object {
    /// Every kind.
    pub const ALL: [Object; 20] = [
        Object::Plan,
        Object::Section,
        Object::Task,
        Object::Target,
        Object::Project,
        Object::Unit,
        Object::Finding,
        Object::User,
        Object::Region,
        Object::Proposal,
        Object::AccountRequest,
        Object::Attachment,
        Object::SupervisionItem,
        Object::AnalysisReport,
        Object::Indicator,
        Object::Enterprise,
        Object::Assessment,
        Object::AssessmentEntry,
        Object::SelfAssessment,
        Object::EvaluationFinding,
    ];

    /// The identifier (`plan`, `task` …), as the audit log and the history use it.
    pub fn as_str(self) -> &'static str {
        match self {
            Object::Plan => "plan",
            Object::Section => "section",
            Object::Task => "task",
            Object::Target => "target",
            Object::Project => "project",
            Object::Unit => "unit",
            Object::Finding => "finding",
            Object::User => "user",
            Object::Region => "region",
            Object::Proposal => "proposal",
            Object::AccountRequest => "account_request",
            Object::Attachment => "attachment",
            Object::SupervisionItem => "supervision_item",
            Object::AnalysisReport => "analysis_report",
            Object::Indicator => "indicator",
            Object::Enterprise => "enterprise",
            Object::Assessment => "assessment",
            Object::AssessmentEntry => "assessment_entry",
            Object::SelfAssessment => "self_assessment",
            Object::EvaluationFinding => "evaluation_finding",
        }
    }

    /// The kind of an identifier.
    pub fn parse(s: &str) -> Option<Object> {
        Object::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Its name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Object::Plan, Lang::Zh) => "规划",
            (Object::Section, Lang::Zh) => "章节",
            (Object::Task, Lang::Zh) => "任务",
            (Object::Target, Lang::Zh) => "目标",
            (Object::Project, Lang::Zh) => "项目",
            (Object::Unit, Lang::Zh) => "单位",
            (Object::Finding, Lang::Zh) => "问题",
            (Object::User, Lang::Zh) => "账号",
            (Object::Region, Lang::Zh) => "地区",
            (Object::Proposal, Lang::Zh) => "变更申请",
            (Object::AccountRequest, Lang::Zh) => "账号变更申请",
            (Object::Attachment, Lang::Zh) => "佐证材料",
            (Object::SupervisionItem, Lang::Zh) => "督办事项",
            (Object::AnalysisReport, Lang::Zh) => "季度运行分析",
            (Object::Indicator, Lang::Zh) => "统计指标",
            (Object::Enterprise, Lang::Zh) => "重点企业",
            (Object::Assessment, Lang::Zh) => "考核结果",
            (Object::AssessmentEntry, Lang::Zh) => "考核记分",
            (Object::SelfAssessment, Lang::Zh) => "自评",
            (Object::EvaluationFinding, Lang::Zh) => "评估发现",
            (o, Lang::En) => o.as_str(),
        }
    }
}

/// A field of a form or a record, as a message names it: 目标值 in Chinese,
/// `value` in English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldName(pub String);

impl From<&str> for FieldName {
    fn from(s: &str) -> Self {
        FieldName(s.into())
    }
}

/// A value a message shows, worded in either language.
pub trait Arg {
    /// The value as the message in `lang` shows it.
    fn show(&self, lang: Lang) -> String;
}

impl Arg for i64 {
    fn show(&self, _: Lang) -> String {
        self.to_string()
    }
}

impl Arg for f64 {
    fn show(&self, _: Lang) -> String {
        if self.fract() == 0.0 && self.abs() < 1e15 { format!("{}", *self as i64) } else { format!("{self}") }
    }
}

impl Arg for String {
    fn show(&self, _: Lang) -> String {
        self.clone()
    }
}

impl Arg for Object {
    fn show(&self, lang: Lang) -> String {
        self.label(lang).into()
    }
}

impl Arg for FieldName {
    fn show(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => crate::labels::field(&self.0).into(),
            Lang::En => self.0.clone(),
        }
    }
}

impl Arg for Action {
    fn show(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.label().into(),
            Lang::En => self.as_str().replace('_', " "),
        }
    }
}

impl Arg for Vec<Role> {
    fn show(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
            Lang::En => self.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "),
        }
    }
}

/// One code of the catalogue, for walking it (tests, documentation).
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The code (`target_year_before_base`).
    pub code: &'static str,
    /// Its kind.
    pub kind: Kind,
    /// The names of its arguments.
    pub args: &'static [&'static str],
    /// The Chinese wording, `{arg}` standing for an argument.
    pub zh: &'static str,
    /// The English wording.
    pub en: &'static str,
}

/// Puts the arguments into a wording.
fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}:?}}"), &format!("{value:?}")).replace(&format!("{{{name}}}"), value);
    }
    out
}

macro_rules! catalogue {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $code:literal $kind:ident { $($arg:ident : $ty:ty),* $(,)? }
            $zh:literal
            $en:literal;
    )*) => {
        /// Why something was refused: a code and its arguments. Serialized as
        /// `{"code": …, "args": {…}}`.
        #[allow(missing_docs)]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "code", content = "args")]
        pub enum Reason {
            $( $(#[doc = $doc])* #[serde(rename = $code)] $variant { $($arg: $ty),* }, )*
        }

        /// Every code with its wordings.
        pub const CATALOGUE: &[Entry] = &[
            $( Entry { code: $code, kind: Kind::$kind, args: &[$(stringify!($arg)),*], zh: $zh, en: $en }, )*
        ];

        impl Reason {
            /// One reason of every code, its arguments at their defaults:
            /// for walking the catalogue in tests.
            pub fn examples() -> Vec<Reason> {
                vec![$( Reason::$variant { $($arg: Default::default()),* }, )*]
            }

            /// The code (`target_year_before_base`).
            pub fn code(&self) -> &'static str {
                match self { $( Reason::$variant { .. } => $code, )* }
            }

            /// Its kind, which gives the HTTP status.
            pub fn kind(&self) -> Kind {
                match self { $( Reason::$variant { .. } => Kind::$kind, )* }
            }

            /// The message in `lang`.
            #[allow(unused_variables)]
            pub fn message(&self, lang: Lang) -> String {
                match self {
                    $( Reason::$variant { $($arg),* } => fill(
                        match lang { Lang::Zh => $zh, Lang::En => $en },
                        &[$((stringify!($arg), Arg::show($arg, lang))),*],
                    ), )*
                }
            }
        }
    };
}

catalogue! {
    // ---- requests ----
    /// A login is needed.
    LoginRequired "login_required" Unauthenticated {}
        "请先登录；会话在无操作超过密码策略规定的时间后结束"
        "log in first (POST /api/session); a session ends after the idle time of the password policy";
    /// Wrong name or password (not told apart).
    BadCredentials "bad_credentials" Unauthenticated {}
        "用户名或密码不正确；连续多次错误后账号会被临时锁定，请稍后再试或联系安全管理员"
        "wrong username or password (after several failures in a row the account is locked for a while)";
    /// The account is disabled.
    AccountDisabled "account_disabled" Forbidden {}
        "该账号已停用，请联系安全管理员"
        "this account is disabled; ask the security administrator (安全管理员)";
    /// Too many failed logins from one address.
    LoginsThrottled "logins_throttled" TooManyRequests { seconds: i64 }
        "登录失败次数过多，请 {seconds} 秒后再试"
        "too many failed logins from this address: try again in {seconds} seconds";
    /// A request that took longer than the server allows.
    RequestTimedOut "request_timed_out" Timeout { seconds: i64 }
        "请求超过 {seconds} 秒仍未完成，服务器已中止它，未保存任何内容；请检查网络后重试"
        "the request took longer than {seconds} s and was stopped; nothing was stored: check the connection and try again";
    /// More connections than the server keeps open at once.
    TooManyConnections "too_many_connections" Unavailable { max: i64 }
        "服务器同时打开的连接已达上限（{max} 个），请几秒后再试"
        "the server has {max} connections open, its limit: try again in a few seconds";
    /// The CSRF header is missing or wrong.
    CsrfMissing "csrf_missing" Forbidden {}
        "请求缺少或带错了 CSRF 令牌；请刷新页面后重试（API：在 X-CSRF-Token 头中发送会话的 csrf_token）"
        "the CSRF token is missing or wrong: send the csrf_token of your session (GET /api/session) in the X-CSRF-Token header";
    /// A change sent from another site.
    CrossSite "cross_site" Forbidden {}
        "来自其他网站的请求不能修改任何数据"
        "cross-site requests may not change anything";
    /// A role without the right.
    RoleMayNot "role_may_not" Forbidden { roles: Vec<Role>, action: Action }
        "您的角色（{roles}）无权{action}"
        "your role ({roles}) may not {action}";
    /// A reporter acting on a unit not theirs.
    NotYourUnit "not_your_unit" Forbidden { unit: i64 }
        "单位 {unit} 不是您所在的单位"
        "unit {unit} is not one of your units";
    /// A reporter changing a record not of their units.
    NotYourRecord "not_your_record" Forbidden { object: Object, id: i64 }
        "{object} {id} 不由您所在的单位牵头或负责；只有其单位的填报员或系统管理员可以操作"
        "{object} {id} is not led by or assigned to a unit of yours; only its units' reporters or a system administrator may act on it";
    /// The issued plan is the office's to change.
    PlanIsOffices "plan_is_offices" Forbidden { object: Object, id: i64 }
        "{object} {id} 的规划内容由大健康办（系统管理员）修改；填报员请提交变更申请并说明理由"
        "what the plan says of {object} {id} is changed by the office (system administrator); a reporter proposes a change with a reason";
    /// Only the office deletes or restores.
    DeleteIsOffices "delete_is_offices" Forbidden { object: Object, id: i64 }
        "只有系统管理员可以删除或恢复{object} {id}"
        "only a system administrator may delete or restore {object} {id}";
    /// Local commands and accounts only.
    AccountRequired "account_required" Forbidden {}
        "请登录后再修改自己的密码"
        "log in to change your password";
    /// No such endpoint.
    NoEndpoint "no_endpoint" NotFound { path: String }
        "没有这个地址：{path}"
        "no such endpoint: {path}";
    /// No such record.
    NotFound "not_found" NotFound { object: Object, id: String }
        "{object} {id} 不存在"
        "{object} {id} does not exist";
    /// A body over its limit.
    BodyTooLarge "body_too_large" TooLarge { limit: String }
        "提交的内容超过 {limit}"
        "the request body is larger than {limit}";
    /// A body that could not be read off the connection.
    BodyUnreadable "body_unreadable" BadRequest { detail: String }
        "请求内容无法读取（{detail}）"
        "the request body could not be read: {detail}";
    /// Malformed JSON.
    JsonMalformed "json_malformed" BadRequest { line: i64, column: i64, detail: String }
        "JSON 格式有误：第 {line} 行第 {column} 列（{detail}）"
        "malformed JSON at line {line} column {column}: {detail}";
    /// A JSON field of the wrong shape.
    JsonField "json_field" Invalid { detail: String }
        "字段的值不符合要求（{detail}）"
        "the field does not fit: {detail}";
    /// A query parameter of the wrong shape.
    QueryParameter "query_parameter" BadRequest { name: String, detail: String }
        "查询参数 {name} 有误（{detail}）"
        "query parameter {name}: {detail}";
    /// A number expected in a page's address.
    ParamNotANumber "param_not_a_number" BadRequest { name: String, raw: String }
        "参数 {name} 应为数字，收到的是“{raw}”"
        "parameter {name} should be a number, not {raw:?}";
    /// A body that is not JSON.
    NotJson "not_json" UnsupportedMediaType {}
        "请以 JSON 提交（Content-Type: application/json）"
        "send the body as JSON with Content-Type: application/json";
    /// An id that is not a positive whole number.
    IdMalformed "id_malformed" BadRequest { raw: String }
        "“{raw}”不是记录编号（应为正整数）"
        "{raw:?} is not an id (a positive whole number)";
    /// An upload without bytes.
    UploadEmpty "upload_empty" BadRequest {}
        "请选择要上传的文件（请求体为空）"
        "send the file's bytes as the request body";
    /// A form over its limit.
    FormTooLarge "form_too_large" BadRequest {}
        "表单内容过多（超过 1 MiB）"
        "the form is larger than 1 MiB";
    /// A page address naming no kind of record.
    NoSuchHistory "no_such_history" NotFound { kind: String }
        "没有“{kind}”这类记录"
        "there is no kind of record called {kind}";
    /// The platform failed.
    Internal "internal" Internal {}
        "系统出错，未做任何修改；请重试，如仍出错请告知系统管理员"
        "the platform failed; nothing was changed. Try again, and tell the administrator if it persists";

    // ---- values ----
    /// A required value left empty.
    Empty "empty" Invalid {}
        "不能为空"
        "cannot be empty";
    /// A text over its length.
    TooLong "too_long" Invalid { max: i64 }
        "不能超过 {max} 个字符"
        "at most {max} characters";
    /// A list over its length.
    TooMany "too_many" Invalid { max: i64 }
        "最多 {max} 项"
        "at most {max} entries";
    /// A number that is not finite.
    NotANumber "not_a_number" Invalid {}
        "应为数字"
        "must be a finite number";
    /// A number below zero.
    Negative "negative" Invalid {}
        "不能为负数"
        "cannot be negative";
    /// A year out of range.
    NotAPlanYear "not_a_plan_year" Invalid { year: i64 }
        "{year} 不是规划年份（应在 1949–2100 之间）"
        "{year} is not a plan year (1949–2100)";
    /// Target year before the plan's base year.
    TargetYearBeforeBase "target_year_before_base" Invalid { year: i64, base: i64 }
        "目标年份 {year} 早于规划的基期年份 {base}"
        "the target year {year} is before the plan's base year {base}";
    /// Target year before its baseline year.
    TargetYearBeforeBaseline "target_year_before_baseline" Invalid { year: i64, baseline: i64 }
        "目标年份 {year} 早于基期年份 {baseline}"
        "the target year {year} is before the baseline year {baseline}";
    /// The top of a range below its value.
    RangeBelowValue "range_below_value" Invalid { max: f64, value: f64 }
        "区间上限 {max} 小于目标值 {value}"
        "{max} is below the value {value}";
    /// A value not among the allowed ones.
    NotOneOf "not_one_of" Invalid { value: String, allowed: String }
        "“{value}”不是可选值；可选：{allowed}"
        "{value:?} is not allowed; use one of {allowed}";
    /// A referenced record that does not exist.
    Missing "missing" Invalid { object: Object, id: i64 }
        "{object} {id} 不存在"
        "{object} {id} does not exist";
    /// A record that is deleted.
    Deleted "deleted" Conflict { object: Object, id: i64 }
        "{object} {id} 已删除，请先恢复"
        "{object} {id} is deleted; restore it first";
    /// A region code of the wrong shape.
    RegionMalformed "region_malformed" Invalid { code: String }
        "“{code}”不是行政区划代码（GB/T 2260，六位数字，如 522600）"
        "{code:?} is not a GB/T 2260 region code (six digits, such as 522600)";
    /// A region code not in the list.
    RegionUnknown "region_unknown" Invalid { code: String }
        "行政区划代码 {code} 不在 GB/T 2260 代码表中"
        "{code} is not in the GB/T 2260 list of regions bighealth knows";
    /// A parent plan of a region neither the same nor above.
    ParentRegion "parent_region" Invalid { parent: i64, parent_region: String, region: String }
        "规划 {parent} 属于{parent_region}，不是{region}或其上级地区；规划只能落实本地区或上级地区的规划"
        "plan {parent} is for {parent_region}, which is not {region} or above it; a plan implements one of its own region or a higher one";

    // ---- documents ----
    /// A document read but holding nothing of a plan.
    NotAPlan "not_a_plan" Invalid { name: String }
        "文件 {name} 已读取，但其中没有编号的任务、目标或项目表，看起来不是规划文件"
        "{name} was read, but holds no numbered tasks, targets or project table: it does not look like a plan";
    /// A reading that took longer than an import may take.
    ImportTimedOut "import_timed_out" Invalid { name: String, seconds: i64 }
        "文件 {name} 的读取超过 {seconds} 秒的时限，已取消，未保存任何内容；请去掉与规划无关的部分（或拆成几个文件）后重试"
        "reading {name} took longer than the {seconds} s an import may take; it was cancelled and nothing was stored: remove what is not part of the plan (or split the file) and try again";
    /// The same bytes imported before as a plan now deleted.
    AlreadyImportedDeleted "already_imported_deleted" Conflict { plan: i64 }
        "此文件已导入为规划 {plan}，该规划已删除；请先恢复它（POST /api/plans/{plan}/restore）"
        "this file was imported as plan {plan}, which is deleted; restore it first (POST /api/plans/{plan}/restore)";
    /// An upload that broke off.
    UploadBroken "upload_broken" BadRequest { detail: String }
        "上传的内容无法读取（{detail}），请重新选择文件上传"
        "the upload could not be read ({detail}); send the file again";
    /// Nothing picked from a list.
    PickFromList "pick_from_list" Invalid { field: FieldName }
        "请从列表中选择{field}"
        "pick the {field} from the list";
    /// A required form field left empty.
    Required "required" Invalid { field: FieldName }
        "请填写{field}"
        "fill in the {field}";
    /// A letter where a number goes.
    TypedNotANumber "typed_not_a_number" Invalid { raw: String }
        "应为数字（如 85 或 3.5），“{raw}”不是数字"
        "should be a number (such as 85 or 3.5), not {raw:?}";
    /// Not a four-digit year.
    TypedNotAYear "typed_not_a_year" Invalid { raw: String }
        "应为四位年份（如 2025），“{raw}”不是年份"
        "should be a four-digit year (such as 2025), not {raw:?}";
    /// No file chosen.
    FileMissing "file_missing" Invalid {}
        "请选择要上传的规划文件"
        "choose the plan's file to upload";
    /// An upload over the size limit.
    FileTooBig "file_too_big" Invalid { limit: String }
        "文件过大：不能超过 {limit}"
        "the file is too large: at most {limit}";
    /// An upload of a kind not read.
    FileType "file_type" Invalid { name: String }
        "不支持“{name}”：只能上传 .docx、.txt、.html 或 .xlsx 文件"
        "{name} is not a .docx, .txt, .html or .xlsx file";
    /// A region given by a name or code not found.
    RegionNotFound "region_not_found" Invalid { given: String }
        "“{given}”不是有效的地区：请输入地区名称或六位行政区划代码，并从列表中选择"
        "{given:?} is no region: type a region's name or its six-digit code and pick it from the list";
    /// A region name that several regions have.
    RegionAmbiguous "region_ambiguous" Invalid { given: String, choices: String }
        "“{given}”对应多个地区：{choices}；请选择带代码的一项"
        "{given:?} names several regions: {choices}; pick the one with its code";
    /// A table file without a project or division table.
    NoTable "no_table" Invalid { name: String }
        "{name} 中没有项目表（项目名称、总投资……）或任务分工表（重点任务、牵头单位……）"
        "{name} holds no project table (项目名称, 总投资…) or division table (重点任务, 牵头单位…)";
    /// The file could not be read.
    FileUnreadable "file_unreadable" Invalid { name: String, detail: String }
        "文件 {name} 无法读取（{detail}）"
        "{name} cannot be read: {detail}";
    /// An empty file.
    FileEmpty "file_empty" Invalid { name: String }
        "文件 {name} 是空的"
        "{name} is empty";
    /// A binary file.
    FileBinary "file_binary" Invalid { name: String, detail: String }
        "文件 {name} 不是规划文件（{detail}）；请上传 .txt、.docx、.html 或 .xlsx 文件"
        "{name} is a binary file, not a plan document ({detail}); give a .txt, .docx, .html or .xlsx file";
    /// Text in an unknown encoding.
    FileEncoding "file_encoding" Invalid { name: String }
        "文件 {name} 的编码无法识别（不是 UTF-8、UTF-16 或 GB18030/GBK）；请另存为 UTF-8 后重试"
        "{name} is in an unknown encoding (not UTF-8, UTF-16 or GB18030/GBK); save it as UTF-8 and try again";
    /// A format recognised but not read.
    FileUnsupported "file_unsupported" Invalid { name: String, detail: String }
        "文件 {name} 的格式不受支持（{detail}）"
        "{name}: {detail}";
    /// A damaged package.
    FileCorrupt "file_corrupt" Invalid { name: String, format: String, detail: String }
        "{format} 文件 {name} 已损坏或不完整（{detail}）；请用 Word/WPS/Excel 打开后重新保存"
        "the {format} file {name} is damaged or truncated: {detail}; open it in Word/WPS/Excel and save it again";
    /// Over a reading limit.
    FileTooLarge "file_too_large" Invalid { name: String, what: String, limit: String }
        "文件 {name} 超出限制：{what} 超过 {limit}；规划文件远小于此"
        "{name}: {what} exceeds the limit of {limit}; a plan document is far smaller";
    /// XML with entities.
    FileEntities "file_entities" Invalid { name: String, part: String }
        "文件 {name} 的 {part} 声明了 XML 实体（DOCTYPE），出于安全不予展开；请用 Word/Excel 重新保存"
        "{name}: {part} declares XML entities (a DOCTYPE), which bighealth never expands; save the document again from Word/Excel";

    // ---- units ----
    /// A unit name already standing for another unit.
    AliasTaken "alias_taken" Conflict { alias: String, other: i64, region: String }
        "名称“{alias}”在 {region} 已对应单位 {other}；请改为合并这两个单位"
        "the name {alias} already stands for unit {other} in region {region}; merge the two units instead";
    /// Merging a unit into itself.
    MergeIntoSelf "merge_into_self" Invalid {}
        "单位不能合并到自身"
        "a unit cannot be merged into itself";
    /// Merging into a merged or deleted unit.
    MergeIntoDead "merge_into_dead" Invalid { into: i64 }
        "单位 {into} 本身已被合并或删除；请合并到有效的单位"
        "unit {into} is itself merged or deleted; merge into a live unit";
    /// Undoing a merge that is not there.
    NotMerged "not_merged" Conflict { unit: i64 }
        "单位 {unit} 未被合并"
        "unit {unit} is not merged";
    /// A reporter naming a unit the registry does not know.
    UnitUnknownName "unit_unknown_name" Invalid { name: String }
        "单位名录中没有“{name}”；请从名录中选择，新单位由大健康办登记"
        "{name} is not in the unit registry; pick a registered unit (the office registers new ones)";

    // ---- findings and proposals ----
    /// A proposal already decided.
    ProposalDecided "proposal_decided" Conflict { id: i64 }
        "变更申请 {id} 已处理，不能再次审批"
        "proposal {id} is already decided";
    /// A proposal that changes nothing.
    ProposalEmpty "proposal_empty" Invalid {}
        "变更申请没有提出任何修改"
        "the proposal changes nothing";

    // ---- accounts ----
    /// A password too short.
    PasswordTooShort "password_too_short" Invalid { length: i64, min: i64 }
        "密码只有 {length} 个字符，密码策略要求至少 {min} 个"
        "has {length} characters; the policy asks for at least {min}";
    /// A password of too few kinds of characters.
    PasswordTooSimple "password_too_simple" Invalid { classes: i64, min: i64 }
        "密码只含 {classes} 类字符，密码策略要求小写字母、大写字母、数字、符号中至少 {min} 类"
        "mixes {classes} kinds of characters; the policy asks for {min} of: lower case, upper case, digits, symbols";
    /// A policy value out of its range.
    OutOfRange "out_of_range" Invalid { value: i64, min: i64, max: i64 }
        "{value} 超出范围 {min}–{max}"
        "{value} is out of range {min}–{max}";
    /// Two administrative roles on one account.
    RolesSeparate "roles_separate" Invalid {}
        "系统管理员、安全管理员和审计员必须是不同的账号（三员分立）"
        "系统管理员, 安全管理员 and 审计员 must be different accounts (三员分立); give each its own";
    /// An administrative role with another.
    RoleAlone "role_alone" Invalid {}
        "管理员或审计员账号只能有这一个角色（三员分立）"
        "an administrator or auditor account holds that one role only (三员分立)";
    /// No role.
    NoRole "no_role" Invalid {}
        "请至少选择一个角色"
        "give at least one role";
    /// A malformed username.
    UsernameMalformed "username_malformed" Invalid {}
        "用户名应为 3–64 个字母、数字、“_”、“-”或“.”"
        "use 3–64 letters, digits, '_', '-' or '.'";
    /// A username in use.
    UsernameTaken "username_taken" Conflict { username: String }
        "用户名 {username} 已被使用"
        "the username {username} is taken";
    /// A reporter without units.
    ReporterNeedsUnit "reporter_needs_unit" Invalid {}
        "填报员至少要对应一个单位"
        "a 填报员 reports for at least one unit";
    /// Disabling oneself.
    DisableSelf "disable_self" Invalid {}
        "不能停用自己的账号"
        "you cannot disable your own account";
    /// The old password is wrong.
    WrongOldPassword "wrong_old_password" Invalid {}
        "当前密码不正确"
        "is not the current password";
    /// The new password is the old one.
    SamePassword "same_password" Invalid {}
        "新密码不能与当前密码相同"
        "is the same as the current one";
    /// The new password typed twice differently.
    PasswordsDiffer "passwords_differ" Invalid {}
        "两次输入的新密码不一致"
        "the new password and its repetition differ";
    /// Approving one's own request.
    OwnRequest "own_request" Forbidden {}
        "申请须由另一名安全管理员批准，不能批准自己的申请"
        "a second security administrator approves a request, not the one who made it";
    /// A change waiting for a second 安全管理员.
    AwaitingApproval "awaiting_approval" Conflict { id: i64 }
        "此项变更已作为申请 {id} 提交，须由另一名安全管理员批准后生效"
        "the change waits as request {id} for a second security administrator";
    /// A request already decided.
    RequestDecided "request_decided" Conflict { id: i64 }
        "申请 {id} 已处理"
        "request {id} is already decided";
    /// Changing one's own roles.
    OwnRoles "own_roles" Forbidden {}
        "不能修改自己的角色"
        "nobody changes their own roles";

    // ---- monthly dispatch (月调度) ----
    /// A line of a holiday calendar that is not `date<TAB>休|班<TAB>name`.
    CalendarLine "calendar_line" Invalid { line: i64, text: String }
        "节假日文件第 {line} 行“{text}”格式不对：应为“日期<Tab>休或班<Tab>节日名”，如 2026-10-01	休	国庆节"
        "line {line} of the holiday calendar (\"{text}\") should be date<TAB>休 or 班<TAB>name, as 2026-10-01	休	国庆节";
    /// A period key that is not one of the plan's calendar.
    PeriodKey "period_key" Invalid { key: String, cycle: String }
        "“{key}”不是本规划{cycle}的报送期：月报写作 2026-03，季报写作 2026-Q1，年报写作 2026"
        "\"{key}\" is not a period of this plan's {cycle}: a month is 2026-03, a quarter 2026-Q1, a year 2026";
    /// A reporter's form for a unit not theirs.
    NotYourForm "not_your_form" Forbidden {}
        "只能填报本单位的报表"
        "you report only for your own units";
    /// A step the form's state does not allow.
    FormStep "form_step" Conflict { step: String, state: String }
        "报表当前为“{state}”，不能{step}"
        "a form that is {state} cannot be given the step {step}";
    /// Accepting the month of a plan that implements no parent plan.
    NoParentPlan "no_parent_plan" Conflict {}
        "本规划没有上级规划，审核通过即完成，无需上级接收"
        "this plan implements no parent plan: approval ends its review, nothing to accept";
    /// A report missing what it needs.
    ReportNeeds "report_needs" Invalid { what: String }
        "请填写{what}后再报送"
        "fill in {what} before submitting";
    /// A share outside 0–100.
    ShareRange "share_range" Invalid {}
        "完成进度应为 0–100 之间的数"
        "a share done is a number from 0 to 100";
    /// A cumulative value below the one reported before.
    CumulativeFalls "cumulative_falls" Invalid { previous: f64 }
        "累计值不能小于上期已报的 {previous}；如上期有误，请在说明中写明原因并联系办公室"
        "a cumulative value cannot fall below the {previous} reported before; if that was wrong, say why in the note and ask the office";
    /// A value in a unit that does not convert to the target's.
    UnitMismatch "unit_mismatch" Invalid { given: String, unit: String }
        "数值单位“{given}”不能换算为目标的单位“{unit}”；请按“{unit}”填写"
        "\"{given}\" does not convert to the target's unit \"{unit}\": give the value in {unit}";
    /// Investment above a project's total.
    OverTotal "over_total" Invalid { total: f64, reached: f64 }
        "累计完成投资将达 {reached} 万元，超过项目总投资 {total} 万元；请核对本月完成投资"
        "the investment completed would reach {reached} 万元, above the project's total of {total} 万元: check this month's figure";
    /// Text where a date goes.
    NotADate "not_a_date" Invalid { value: String }
        "“{value}”不是日期，请写作 2026-03-18"
        "\"{value}\" is not a date: write 2026-03-18";
    /// A period not yet open.
    PeriodNotOpen "period_not_open" Conflict { period: String, opens: String }
        "{period}尚未开放填报（{opens} 开放）"
        "{period} opens for reporting on {opens}";
    /// A period locked after its deadline.
    PeriodLocked "period_locked" Conflict { period: String }
        "{period}已过报送期限并锁定；如需补报或修改，请联系办公室为本单位重新开放"
        "{period} is locked after its deadline: ask the office to reopen it for your unit";
    /// An item the unit does not report.
    NotYourItem "not_your_item" Forbidden { kind: String, id: i64 }
        "本单位不负责报送{kind} {id}；请只填写本表列出的事项"
        "your unit does not report {kind} {id}: fill in only the items the form lists";
    /// The same item twice in one form.
    DuplicateItem "duplicate_item" Invalid { kind: String, id: i64 }
        "{kind} {id} 在报表中出现了两次"
        "{kind} {id} appears twice in the form";
    /// A value far outside the unit's history, not confirmed.
    ConfirmUnusual "confirm_unusual" Invalid { value: f64, median: f64 }
        "{value} 与本单位以往数值（中位数 {median}）相差很大；请核对，确认无误后勾选“数值已核对”再报送"
        "{value} is far from your unit's earlier values (median {median}): check it, then confirm it and submit again";
    /// An Excel form of another plan, period or unit.
    FormFileOther "form_file_other" Invalid { what: String, expected: String, found: String }
        "这份 Excel 填报表是{found}的，不是{expected}的（{what}不符）；请下载本期本单位的填报表填写后上传"
        "this Excel form is for {found}, not {expected} (another {what}): download this period's form of your unit, fill it in and upload that";
    /// An Excel form whose layout was changed.
    FormFileLayout "form_file_layout" Invalid { sheet: String, detail: String }
        "Excel 填报表的格式被改动（{sheet}：{detail}）；请不要增删行列或改动表头，重新下载填报表后填写"
        "the layout of the Excel form was changed ({sheet}: {detail}): do not add or remove rows or columns or change headers; download the form again";
    /// Cells of an Excel form that are wrong, each named.
    FormFileCells "form_file_cells" Invalid { count: i64, cells: String }
        "Excel 填报表有 {count} 处错误，未保存任何内容：{cells}"
        "the Excel form has {count} errors and nothing was stored: {cells}";
    /// Not a web address.
    NotAnAddress "not_an_address" Invalid { value: String }
        "“{value}”不是网址，应以 https:// 或 http:// 开头"
        "\"{value}\" is not a web address: it starts with https:// or http://";
    /// Not an e-mail address.
    NotAnEmail "not_an_email" Invalid { value: String }
        "“{value}”不是电子邮箱地址，应写作 name@example.gov.cn"
        "\"{value}\" is not an e-mail address: write name@example.gov.cn";
    /// An attachment of a type not taken.
    AttachmentType "attachment_type" Invalid { name: String }
        "“{name}”不是可上传的佐证材料：请上传 PDF、JPG、PNG 图片或 Word（.docx）、Excel（.xlsx）文件"
        "\"{name}\" is not a type of evidence taken: upload a PDF, a JPG or PNG image, or a Word (.docx) or Excel (.xlsx) file";
    // ---- supervision (督查督办) ----
    /// A 代字 with brackets, 号 or spaces.
    PrefixMalformed "prefix_malformed" Invalid { value: String }
        "代字“{value}”不能含有〔〕、括号、“号”或空格；只写代字本身，如“健督”，编号自动写作 健督〔2026〕1号"
        "the prefix \"{value}\" takes no brackets, 号 or spaces: write the prefix alone, as 健督";
    /// The same rule set twice.
    DuplicateRule "duplicate_rule" Invalid { rule: String }
        "规则“{rule}”设置了两次，请只保留一条"
        "the rule {rule} is set twice: keep one";
    /// A step the item's state does not allow.
    ItemStep "item_step" Conflict { step: String, state: String }
        "督办事项当前为“{state}”，不能{step}"
        "an item that is {state} cannot be given the step {step}";
    /// A reporter acting on an item of other units.
    NotYourSupervision "not_your_supervision" Forbidden {}
        "只能办理本单位承办或协办的督办事项"
        "you handle only the items your units lead or help with";
    /// A helping unit taking a step only the lead unit takes.
    LeadUnitOnly "lead_unit_only" Forbidden { step: String }
        "只有牵头（承办）单位能{step}；协办单位可报送进展"
        "only the lead unit can take the step {step}; a helping unit reports progress";
    /// An extension asked for on or after the deadline.
    ExtensionLate "extension_late" Conflict { due: String }
        "延期须在办结时限（{due}）之前申请；已逾期的事项按原时限计算"
        "an extension is asked for before the deadline ({due}); an item already late is judged against it";
    /// A new deadline not after the old one.
    DateNotAfter "date_not_after" Invalid { date: String, after: String }
        "日期 {date} 应晚于 {after}"
        "the date {date} must be after {after}";
    /// An account that is not a leader's, named as an item's leader.
    NotALeader "not_a_leader" Invalid { id: i64 }
        "账号 {id} 不是领导账号，不能作为责任领导"
        "account {id} is not a leader's and cannot be an item's leader";
    /// A holiday file listing a day of another year.
    CalendarYear "calendar_year" Invalid { date: String, year: i64 }
        "节假日文件中的 {date} 不是 {year} 年的日期；每个文件只放一年"
        "{date} in the holiday file is not in {year}: one file holds one year";
    /// A PDF that cannot be typeset here (no CJK font on the server).
    PdfUnavailable "pdf_unavailable" Unavailable { detail: String }
        "暂时无法生成 PDF：{detail}；Word 版可照常下载"
        "the PDF cannot be made here: {detail}; the Word file can be downloaded as usual";
    /// A template with a placeholder it does not know, or broken.
    TemplateBroken "template_broken" Invalid { detail: String }
        "模板有误：{detail}"
        "the template is broken: {detail}";
    /// A period reopened or locked again in vain.
    PeriodAlready "period_already" Conflict { period: String, state: String }
        "{period}对该单位已经是“{state}”状态"
        "{period} is already {state} for this unit";
    // ---- analysis (季分析) ----
    /// Status thresholds in the wrong order.
    ThresholdsOrder "thresholds_order" Invalid { yellow: String, red: String }
        "黄色预警线（落后 {yellow} 个百分点）应小于红色警示线（落后 {red} 个百分点），且都大于 0"
        "the yellow line ({yellow} points behind) must be below the red line ({red} points behind), both above 0";
    /// An indicator code of other characters.
    IndicatorCodeMalformed "indicator_code_malformed" Invalid { code: String }
        "“{code}”不能作指标代码：只用字母、数字和 _ . -，不超过 32 个字符，如 YL01"
        "{code:?} cannot be an indicator code: use letters, digits, _ . and - (at most 32), such as YL01";
    /// An indicator code not defined.
    IndicatorUnknown "indicator_unknown" Invalid { code: String }
        "没有代码为 {code} 的统计指标；请先在指标体系中新增该指标，或核对代码"
        "no indicator has the code {code}: add it to the indicator system first, or check the code";
    /// An indicator code already used.
    IndicatorCodeTaken "indicator_code_taken" Conflict { code: String }
        "指标代码 {code} 已被使用；请换一个代码，或修改已有的指标"
        "the indicator code {code} is taken: choose another, or change the indicator that has it";
    /// A formula that cannot be read.
    FormulaMalformed "formula_malformed" Invalid { formula: String, detail: String }
        "公式“{formula}”无法识别：{detail}；可写 share(A, B)、ratio(A, B, 1000)、per_capita(A, POP, 1000)、growth(A)"
        "the formula {formula:?} cannot be read ({detail}): write share(A, B), ratio(A, B, 1000), per_capita(A, POP, 1000) or growth(A)";
    /// A formula with a way of adding up regions other than by its parts, or the other way round.
    FormulaAggregate "formula_aggregate" Invalid {}
        "按公式计算的指标，地区汇总方式应为“按公式（分子分母分别汇总）”；没有公式的指标不能选此方式"
        "an indicator with a formula adds up regions by its formula (ratio_of_sums), and only such an indicator does";
    /// A class not in the 2019 classification.
    IndustryClassUnknown "industry_class_unknown" Invalid { code: String }
        "“{code}”不是健康产业统计分类（2019）的大类代码（01—13）"
        "{code:?} is not a division code of the 2019 health industry classification (01–13)";
    /// A statistics period that cannot be read.
    PeriodMalformed "period_malformed" Invalid { raw: String }
        "“{raw}”不是统计期别；可写 2026-06、2026年6月、2026年二季度 或 2026年"
        "{raw:?} is not a period: write 2026-06, 2026年6月, 2026Q2 or 2026";
    /// A period that does not fit the indicator's periodicity.
    PeriodNotOfIndicator "period_not_of_indicator" Invalid { period: String, periodicity: String }
        "{period} 不是{periodicity}指标的期别（季度指标填季末月份或季度，年度指标填年份）"
        "{period} is not a period of a {periodicity} indicator (a quarter's last month or the quarter; a year)";
    /// A statistics file whose layout is not the template's.
    StatisticsFileLayout "statistics_file_layout" Invalid { detail: String }
        "统计数据文件格式不对：{detail}；请下载导入模板，按模板的表头填写"
        "the statistics file does not have the template's layout ({detail}): download the template and fill it in";
    /// Cells of a statistics file that are wrong, each named.
    StatisticsFileCells "statistics_file_cells" Invalid { count: i64, cells: String }
        "统计数据文件有 {count} 处错误，未导入任何数据：{cells}"
        "the statistics file has {count} errors and nothing was imported: {cells}";
    /// A value typed for an indicator computed by its formula.
    FormulaNotImported "formula_not_imported" Invalid { code: String }
        "指标 {code} 按公式计算，不能导入数值；请导入公式中各项指标的数值"
        "{code} is computed by its formula: import the values of its parts instead";
    /// The same indicator, region and period twice in one file.
    DuplicateValue "duplicate_value" Invalid { first: String }
        "与 {first} 所在行的指标、地区和期别相同，同一数值只能填一行"
        "the same indicator, region and period as the row of {first}: give each value once";
    /// A credit code of the wrong shape.
    CreditCodeMalformed "credit_code_malformed" Invalid { code: String }
        "“{code}”不是统一社会信用代码：应为 18 位数字或大写字母（不含 I、O、S、V、Z）"
        "{code:?} is not a unified social credit code: 18 digits or capitals (no I, O, S, V or Z)";
    /// A credit code whose check character is wrong.
    CreditCodeCheck "credit_code_check" Invalid { code: String, expected: String }
        "统一社会信用代码 {code} 的校验码不对（按 GB 32100 第 18 位应为 {expected}）；请核对营业执照上的代码"
        "the check character of the credit code {code} is wrong (GB 32100 calls for {expected}): check the code on the business licence";
    /// A credit code already in the registry.
    EnterpriseTaken "enterprise_taken" Conflict { code: String, id: i64 }
        "统一社会信用代码 {code} 的企业已在名录中（重点企业 {id}）"
        "the enterprise with the credit code {code} is in the registry already (enterprise {id})";
    /// A credit code not in the registry.
    EnterpriseUnknown "enterprise_unknown" Invalid { code: String }
        "统一社会信用代码 {code} 的企业不在重点企业名录中；请先把它加入名录"
        "no enterprise of the registry has the credit code {code}: add it to the registry first";
    /// An enterprise's account reaching for another enterprise's figures.
    NotYourEnterprise "not_your_enterprise" Forbidden {}
        "只能查看和填报本企业的数据"
        "you read and report only your own enterprise's figures";
    /// A scoring scheme without an item.
    SchemeEmpty "scheme_empty" Invalid {}
        "考核方案至少要有一个考核项目"
        "a scoring scheme needs at least one item";
    /// A scheme item's key given twice.
    SchemeItemTwice "scheme_item_twice" Invalid { key: String }
        "考核项目代码“{key}”重复；每个项目的代码只能用一次"
        "the item key {key:?} is given twice: each item needs its own key";
    /// Points outside what the field allows.
    PointsRange "points_range" Invalid { points: String, max: String }
        "分值 {points} 不在允许的范围内：应在 0 到 {max} 之间（考核项目的分值和扣分应大于 0）"
        "{points} is out of range: between 0 and {max} (an item's points and a deduction above 0)";
    /// Grade bands out of order.
    BandsOrder "bands_order" Invalid { excellent: String, good: String, pass: String }
        "等次分数线应为 优秀 > 良好 > 合格 ≥ 0，现为 优秀 {excellent}、良好 {good}、合格 {pass}"
        "grade bands must run excellent > good > pass >= 0; they are {excellent}, {good}, {pass}";
    /// A key that names no item of the scheme.
    SchemeItemUnknown "scheme_item_unknown" Invalid { key: String }
        "考核方案中没有代码为“{key}”的项目"
        "the scheme has no item {key:?}";
    /// An item scored by a rule, given points by hand.
    SchemeItemNotManual "scheme_item_not_manual" Invalid { key: String }
        "考核项目“{key}”按规则从报送和督办数据计分，不能手工评分；手工评分只用于对照佐证评分的项目"
        "the item {key:?} is scored by its rule from the reports and items: only checklist items take points by hand";
    /// A year whose result is published: its scheme and entries stand.
    AssessmentPublished "assessment_published" Conflict { year: i64 }
        "{year} 年度考核结果已发布，考核方案和记分不能再改；如需调整，请由办公室撤回发布后重新考核"
        "the {year} assessment is published: its scheme and entries stand";
    /// A unit that is not assessed in the plan.
    NotAssessed "not_assessed" Invalid { unit: i64 }
        "单位 {unit} 不是本规划的考核对象（未承担任务、目标、项目或报送）"
        "unit {unit} is not assessed under this plan (it reports nothing in it)";
    /// A scheme file whose layout is not the template's.
    SchemeFileLayout "scheme_file_layout" Invalid { detail: String }
        "考核方案文件格式不对：{detail}；请下载考核方案模板，按模板的表头填写"
        "the scheme file does not have the template's layout ({detail}): download the template and fill it in";
    /// Cells of a scheme file that are wrong, each named.
    SchemeFileCells "scheme_file_cells" Invalid { count: i64, cells: String }
        "考核方案文件有 {count} 处错误，未导入：{cells}"
        "the scheme file has {count} errors and nothing was imported: {cells}";
    /// A third-party evaluator's account past its end.
    EvaluatorExpired "evaluator_expired" Forbidden { until: String }
        "第三方评估账号的有效期已于 {until} 结束；如需延长，请联系规划办公室"
        "the evaluator's account expired on {until}: ask the plan's office to extend it";
    /// A third-party evaluator's account no plan was granted to.
    EvaluatorNotGranted "evaluator_not_granted" Forbidden {}
        "第三方评估账号尚未获得规划办公室授权评估的规划，暂不能登录"
        "the evaluator's account has not been granted a plan by the office yet";
    /// A third-party evaluator reaching beyond its plan.
    NotYourPlan "not_your_plan" Forbidden { plan: i64 }
        "第三方评估账号只能查看受托评估的规划（规划 {plan} 不在其中）"
        "an evaluator reads only the plan it evaluates (not plan {plan})";
}

impl Reason {
    /// The arguments as JSON (`{"year": 2019, "base": 2020}`).
    pub fn args(&self) -> serde_json::Value {
        serde_json::to_value(self)
            .ok()
            .and_then(|mut v| v.get_mut("args").map(serde_json::Value::take))
            .unwrap_or_default()
    }

    /// The reason a document could not be read, for the file `name`.
    pub fn of_read_error(name: &str, e: &bighealth_reader::ReadError) -> Reason {
        use bighealth_reader::ReadError as E;
        let name = name.to_string();
        match e {
            E::Io(e) => Reason::FileUnreadable { name, detail: e.to_string() },
            E::Empty => Reason::FileEmpty { name },
            E::Binary(d) => Reason::FileBinary { name, detail: d.clone() },
            E::UnknownEncoding => Reason::FileEncoding { name },
            E::Unsupported(d) => Reason::FileUnsupported { name, detail: d.clone() },
            E::Corrupt { kind, detail } => {
                Reason::FileCorrupt { name, format: kind.to_string(), detail: detail.clone() }
            }
            E::TooLarge { what, limit } => Reason::FileTooLarge { name, what: what.clone(), limit: limit.clone() },
            E::XmlEntities { part } => Reason::FileEntities { name, part: part.clone() },
        }
    }

    /// A record that does not exist.
    pub fn not_found(object: Object, id: impl ToString) -> Reason {
        Reason::NotFound { object, id: id.to_string() }
    }
}

/// A refusal: why, and about which field (`year`, `lead[1]`, `file`, a
/// query parameter…).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Why.
    pub reason: Reason,
    /// The field concerned, as the caller named it.
    pub field: Option<String>,
}

impl Refusal {
    /// The same refusal, about `field`.
    pub fn on(mut self, field: impl Into<String>) -> Refusal {
        self.field = Some(field.into());
        self
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.reason.message(lang)
    }
}

impl From<Reason> for Refusal {
    fn from(reason: Reason) -> Refusal {
        Refusal { reason, field: None }
    }
}

impl Reason {
    /// This reason about `field`.
    pub fn on(self, field: impl Into<String>) -> Refusal {
        Refusal::from(self).on(field)
    }
}

/// In Chinese, with the field: what a log or a terminal shows.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message(Lang::Zh)),
            None => f.write_str(&self.message(Lang::Zh)),
        }
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}'))
            .map(|(name, _)| name.trim_end_matches(":?").into())
            .collect()
    }

    fn is_chinese(c: char) -> bool {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
    }

    #[test]
    fn every_code_is_worded_in_both_languages_with_all_its_arguments() {
        let mut codes = BTreeSet::new();
        for e in CATALOGUE {
            assert!(codes.insert(e.code), "{} is in the catalogue twice", e.code);
            assert!(e.code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", e.code);
            assert!(e.zh.chars().any(is_chinese), "{}: the Chinese wording has no Chinese: {}", e.code, e.zh);
            assert!(!e.en.is_empty(), "{}: no English wording", e.code);
            let args: BTreeSet<String> = e.args.iter().map(|a| a.to_string()).collect();
            assert_eq!(placeholders(e.zh), args, "{}: the Chinese wording shows other arguments", e.code);
            assert_eq!(placeholders(e.en), args, "{}: the English wording shows other arguments", e.code);
        }
    }

    #[test]
    fn the_english_wording_uses_the_debug_mark_only_as_a_plain_placeholder() {
        // `{raw:?}` in a wording is filled like `{raw}`: quote marks are the
        // wording's own.
        let r = Reason::IdMalformed { raw: "abc".into() };
        assert_eq!(r.message(Lang::Zh), "“abc”不是记录编号（应为正整数）");
        assert_eq!(r.message(Lang::En), "\"abc\" is not an id (a positive whole number)");
    }

    #[test]
    fn every_reason_round_trips_and_fills_every_placeholder() {
        let examples = Reason::examples();
        assert_eq!(examples.len(), CATALOGUE.len());
        for r in examples {
            let json = serde_json::to_value(&r).unwrap();
            assert_eq!(json["code"], r.code());
            assert_eq!(serde_json::from_value::<Reason>(json).unwrap(), r, "{} reads back", r.code());
            for lang in [Lang::Zh, Lang::En] {
                let m = r.message(lang);
                assert!(!m.contains('{') && !m.contains('}'), "{}: a placeholder is left in {m}", r.code());
            }
        }
    }

    #[test]
    fn a_reason_fills_its_arguments_and_serialises_them() {
        let r = Reason::TargetYearBeforeBase { year: 2019, base: 2020 };
        assert_eq!(r.code(), "target_year_before_base");
        assert_eq!(r.kind().status(), 422);
        assert_eq!(r.message(Lang::Zh), "目标年份 2019 早于规划的基期年份 2020");
        assert_eq!(r.message(Lang::En), "the target year 2019 is before the plan's base year 2020");
        assert_eq!(r.args(), serde_json::json!({"year": 2019, "base": 2020}));
        let r = Reason::RoleMayNot { roles: vec![Role::Reporter], action: Action::ManagePlans };
        assert!(r.message(Lang::Zh).contains("填报员"), "{}", r.message(Lang::Zh));
        assert!(!r.message(Lang::Zh).contains("manage"), "{}", r.message(Lang::Zh));
        assert_eq!(Reason::Internal {}.args(), serde_json::json!({}));
    }

    #[test]
    fn numbers_show_without_a_needless_fraction() {
        let r = Reason::RangeBelowValue { max: 3.0, value: 4.5 };
        assert_eq!(r.message(Lang::Zh), "区间上限 3 小于目标值 4.5");
    }

    #[test]
    fn accept_language_picks_english_only_when_preferred() {
        assert_eq!(Lang::from_accept_language(None), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("fr, en;q=0.5, zh;q=0.7")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("de")), Lang::Zh);
    }
}
