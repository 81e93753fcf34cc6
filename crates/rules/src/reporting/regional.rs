//! Units that stand for every region below a plan's. A 州 plan writes
//! "牵头单位：各县（市）人民政府" or "责任单位：各县市区": one collective name
//! for each county's government. Where a county's own plan implements the
//! 州's, its office (大健康办) answers for the county: it reports such an
//! item in the 州's plan, or adds its part where the collective name is
//! one of the item's responsible units.

/// The characters of a level of regions and what joins them
/// ("县（市、区）", "区、县级市", "市州").
fn is_level_text(c: char) -> bool {
    matches!(c, '省' | '市' | '州' | '盟' | '县' | '区' | '旗' | '乡' | '镇' | '级' | '、') || is_bracket(c)
}

/// A bracket round a level ("县（市）", "县〔市〕", "县<市>").
fn is_bracket(c: char) -> bool {
    matches!(c, '（' | '）' | '(' | ')' | '〔' | '〕' | '<' | '>' | '〈' | '〉' | '[' | ']' | '［' | '］')
}

/// What may follow the levels: nothing, their governments or party
/// committees, or one department of each ("各县（市）卫生健康局").
fn is_each_ones(rest: &str) -> bool {
    let rest = rest.trim();
    rest.is_empty()
        || ["人民政府", "政府", "党委", "大健康办"].iter().any(|p| rest.starts_with(p))
        || ["局", "委", "办", "厅", "中心", "管委会"].iter().any(|s| rest.ends_with(s))
}

/// Whether unit name `name` stands for each region below the plan's:
/// "各县（市）人民政府", "各县市区", "各区、县级市", "各县（市）卫生健康局" do;
/// "各有关部门", "各级各部门", "各市场主体", "相关县〔市〕人民政府" (some, not
/// each) do not.
pub fn each_region_below(name: &str) -> bool {
    let Some(rest) = name.trim().strip_prefix('各') else { return false };
    let levels: String = rest.chars().take_while(|c| is_level_text(*c)).collect();
    let has_level = levels.chars().any(|c| !matches!(c, '级' | '、') && !is_bracket(c));
    has_level && is_each_ones(&rest[levels.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collective_names_of_each_region_below_are_told_from_other_collectives() {
        for name in [
            "各县(市)人民政府",
            "各县〔市〕人民政府",
            "各县<市>人民政府",
            "各县（市、区）人民政府",
            "各县市区",
            "各区、县级市",
            "各市（州）人民政府",
            "各县（市）卫生健康局",
            "各乡镇",
        ] {
            assert!(each_region_below(name), "{name} stands for each region below");
        }
        for name in
            ["各有关部门", "各级各部门", "各市场主体", "相关县〔市〕人民政府", "州卫生健康局", "各成员单位", "各级"]
        {
            assert!(!each_region_below(name), "{name} does not");
        }
    }
}
