//! Charts in the official documents: a horizontal bar chart, set natively
//! by typst in the PDF ([`Chart::typst`]) and drawn as a picture for Word
//! ([`Chart::png`]: SVG rasterised by resvg with the machine's Chinese font,
//! as the PDF finds it). Every chart's figures are in the text or an
//! annex beside it, and in the `.xlsx`.

use std::sync::{Arc, OnceLock};

/// A bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it counts (`红色警示`).
    pub label: String,
    /// Its value.
    pub value: f64,
    /// Its colour (`#c0392b`).
    pub colour: String,
}

/// A horizontal bar chart with its title and unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The title (`各类事项推进状态`).
    pub title: String,
    /// The unit of the values (`项`, `万元`).
    pub unit: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// The default colour of a bar.
pub const BLUE: &str = "#1f6f8b";

/// A value as the chart prints it: up to two decimals, no trailing zeros.
fn shown(v: f64) -> String {
    bighealth_rules::labels::number((v * 100.0).round() / 100.0)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A colour as `#rrggbb`, or the default.
fn colour(c: &str) -> &str {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok { c } else { BLUE }
}

const WIDTH: u32 = 640;
const ROW: u32 = 30;
const TOP: u32 = 44;

impl Chart {
    fn top(&self) -> f64 {
        self.bars.iter().map(|b| b.value).fold(0.0, f64::max).max(f64::MIN_POSITIVE)
    }

    /// Its size in pixels (width, height).
    pub fn size(&self) -> (u32, u32) {
        (WIDTH, TOP + ROW * self.bars.len() as u32 + 12)
    }

    /// The chart as SVG, its text in `family`.
    pub fn svg(&self, family: &str) -> String {
        let (w, h) = self.size();
        let label_w = 200.0;
        let room = f64::from(w) - label_w - 110.0;
        let family = escape(family);
        let mut out = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#ffffff"/><text x="{}" y="26" font-family="{family}" font-size="17" text-anchor="middle" fill="#222222">{}</text>"##,
            w / 2,
            escape(&format!("{}（{}）", self.title, self.unit))
        );
        for (i, b) in self.bars.iter().enumerate() {
            let y = f64::from(TOP + ROW * i as u32);
            let len = (b.value.max(0.0) / self.top() * room).max(if b.value > 0.0 { 1.0 } else { 0.0 });
            out.push_str(&format!(
                r##"<text x="{}" y="{}" font-family="{family}" font-size="14" text-anchor="end" fill="#333333">{}</text><rect x="{label_w}" y="{}" width="{len:.1}" height="18" fill="{}"/><text x="{:.1}" y="{}" font-family="{family}" font-size="13" fill="#333333">{}</text>"##,
                label_w - 8.0,
                y + 14.0,
                escape(&b.label.chars().take(14).collect::<String>()),
                y + 1.0,
                colour(&b.colour),
                label_w + len + 6.0,
                y + 14.0,
                escape(&shown(b.value)),
            ));
        }
        out.push_str("</svg>");
        out
    }

    /// The chart as a PNG at twice its size (for print), with its size in
    /// pixels; none where the machine has no Chinese font.
    pub fn png(&self) -> Option<(Vec<u8>, u32, u32)> {
        use resvg::{tiny_skia, usvg};
        let family = crate::pdf::cjk_family()?;
        let mut options = usvg::Options { fontdb: font_database(), ..usvg::Options::default() };
        options.font_family = family.clone();
        let tree = usvg::Tree::from_str(&self.svg(&family), &options).ok()?;
        let (w, h) = self.size();
        let mut pixmap = tiny_skia::Pixmap::new(w * 2, h * 2)?;
        resvg::render(&tree, tiny_skia::Transform::from_scale(2.0, 2.0), &mut pixmap.as_mut());
        Some((pixmap.encode_png().ok()?, w * 2, h * 2))
    }

    /// The chart as typst markup data: `(title: …, unit: …, bars: ((label, value, colour), …))`.
    pub fn typst(&self) -> String {
        let bars: Vec<String> = self
            .bars
            .iter()
            .map(|b| {
                format!(
                    "({}, {}, {}, {})",
                    crate::pdf::literal(&b.label),
                    b.value.max(0.0) / self.top(),
                    crate::pdf::literal(&shown(b.value)),
                    crate::pdf::literal(colour(&b.colour))
                )
            })
            .collect();
        format!(
            "(title: {}, bars: ({}{}))",
            crate::pdf::literal(&format!("{}（{}）", self.title, self.unit)),
            bars.join(", "),
            if bars.len() == 1 { "," } else { "" }
        )
    }
}

/// The machine's fonts for resvg, loaded once.
fn font_database() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        if let Some(dir) = std::env::var_os(crate::pdf::FONTS_VARIABLE) {
            db.load_fonts_dir(dir);
        }
        db.load_system_fonts();
        Arc::new(db)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_svg_and_typst_data_with_its_bars_scaled() {
        let c = Chart {
            title: "推进状态".into(),
            unit: "项".into(),
            bars: vec![
                Bar { label: "绿<色>".into(), value: 8.0, colour: "#3a9d5d".into() },
                Bar { label: "红色".into(), value: 2.0, colour: "javascript:".into() },
            ],
        };
        let svg = c.svg("WenQuanYi Zen Hei");
        assert!(svg.contains("绿&lt;色&gt;") && svg.contains("fill=\"#1f6f8b\""), "escaped, a bad colour replaced");
        let t = c.typst();
        assert!(t.contains(", 1, \"8\", \"#3a9d5d\")") && t.contains(", 0.25, \"2\","), "{t}");
    }
}
