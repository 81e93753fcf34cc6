//! A task's deadline (完成时限) from its own words: a 时限 it names
//! (`完成时限：2025年底前`), else the last date it must be done by
//! (`2026年6月底前`, `年底前`, `2025年前`, `上半年`), else a standing duty
//! (`长期坚持`, `持续推进`). Linear in the length of the text.

use regex::Regex;
use std::sync::LazyLock;

/// `时限：…` up to the end of its clause.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:完成时限|时限要求|时间节点|完成时间|时限)\s*[：:]\s*([^）)；;。，,\n]{1,30})")
        .expect("deadline label")
});

/// A date something is to be done by, or a standing duty.
static BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:19|20)\d{2})?年(?:底|末)前|(?:(?:19|20)\d{2}年)?(?:1[0-2]|[1-9])月(?:底|末)前|(?:19|20)\d{2}年(?:(?:1[0-2]|[1-9])月(?:\d{1,2}日)?)?(?:以)?前|(?:(?:19|20)\d{2}年)?(?:上|下)半年|(?:长期坚持|持续推进|持续实施|长期推进)(?:[）)；;。]|$)",
    )
    .expect("deadline words")
});

/// The deadline a task's words give, as they print it.
pub fn of(text: &str) -> Option<String> {
    if let Some(m) = NAMED.captures_iter(text).last() {
        let named = m[1].trim();
        if !named.is_empty() {
            return Some(named.to_string());
        }
    }
    // A standing duty counts where it closes a clause ("…，长期坚持。"),
    // not as a verb ("持续推进医养结合").
    BY.find_iter(text).last().map(|m| m.as_str().trim_end_matches(['）', ')', '；', ';', '。']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_as_plans_write_them() {
        let cases = [
            ("建成区域医疗中心。（牵头单位：区卫生健康委；完成时限：2025年底前）", Some("2025年底前")),
            ("2026年6月底前完成改造。", Some("2026年6月底前")),
            ("力争年底前投入使用。", Some("年底前")),
            ("6月底前出台实施方案，12月底前全面完成。", Some("12月底前")),
            ("2025年前建成3个康养基地。", Some("2025年前")),
            ("上半年完成规划编制。", Some("上半年")),
            ("加强行业监管，长期坚持。", Some("长期坚持")),
            ("到2025年，全区健康产业增加值达到50亿元。", None),
            ("推进医养结合，建设养老服务中心。", None),
            ("持续推进医养结合，建设养老服务中心。", None),
            ("（牵头单位：区民政局；持续推进）", Some("持续推进")),
        ];
        for (text, want) in cases {
            assert_eq!(of(text).as_deref(), want, "{text}");
        }
    }
}
