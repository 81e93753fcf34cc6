//! Bytes to text: which encoding a plain-text file is in.
//!
//! Chinese government files are often GBK (GB2312, GB18030). The order of
//! trust: a byte-order mark; valid UTF-8; a charset named in an HTML head;
//! GB18030 when it decodes without a single malformed sequence and yields
//! plausible text.
//!
//! The text is kept as decoded, with two exceptions that text-mode reading
//! (Python's `open`, most editors) makes too, so that spans count the same
//! characters everywhere: line breaks `\r\n` and `\r` become `\n`, and a
//! UTF-8 byte-order mark stays as the character U+FEFF at offset 0.

use crate::error::ReadError;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Decodes `bytes`; returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        // A UTF-8 mark is a character of the text as text-mode reading sees it.
        let skip = if enc == UTF_8 { 0 } else { bom };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[skip..]);
        if had_errors {
            return Err(ReadError::UnknownEncoding);
        }
        return check_plausible(text.into_owned(), enc.name());
    }
    if looks_utf16(bytes) {
        let enc = if bytes.len() > 1 && bytes[0] == 0 { UTF_16BE } else { UTF_16LE };
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return check_plausible(text.into_owned(), enc.name());
        }
    }
    if bytes.contains(&0) {
        return Err(ReadError::Binary("it holds NUL bytes".into()));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_plausible(s.to_string(), UTF_8.name());
    }
    if let Some(enc) = html_charset(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return check_plausible(text.into_owned(), enc.name());
        }
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::UnknownEncoding);
    }
    check_plausible(text.into_owned(), GB18030.name())
}

/// UTF-16 without a BOM: every other byte is zero in ASCII-heavy text.
fn looks_utf16(bytes: &[u8]) -> bool {
    let n = bytes.len().min(512) & !1;
    if n < 4 {
        return false;
    }
    let even = bytes[..n].iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = bytes[1..n].iter().step_by(2).filter(|&&b| b == 0).count();
    // ASCII characters put their zero byte on one side; CJK ones rarely have one.
    (odd >= 3 && even * 3 < odd) || (even >= 3 && odd * 3 < even)
}

/// `<meta charset="gbk">` or `content="text/html; charset=gb2312"` near the top.
fn html_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let pos = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = &lower[pos..];
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))?;
    Encoding::for_label(&rest[..end])
}

/// Rejects text that decoded but is mostly control characters (a binary
/// file that happened to be valid in some encoding).
fn check_plausible(text: String, name: &'static str) -> Result<(String, &'static str), ReadError> {
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
        return Err(ReadError::Empty);
    }
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(20_000) {
        total += 1;
        let odd = (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            || c == '\u{fffd}'
            || ('\u{e000}'..='\u{f8ff}').contains(&c);
        if odd {
            bad += 1;
        }
    }
    if bad * 20 > total {
        return Err(ReadError::Binary(format!("{bad} of its first {total} characters are control characters")));
    }
    Ok((text, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (bytes, _, _) = GB18030.encode("一、总体要求（牵头单位：州卫生计生委）");
        let (text, enc) = decode(&bytes).expect("decodes");
        assert_eq!(text, "一、总体要求（牵头单位：州卫生计生委）");
        assert_eq!(enc, "gb18030");
    }

    #[test]
    fn utf8_bom_stays_a_character_and_line_breaks_become_newlines() {
        let (text, enc) = decode("\u{feff}一、目标\r\n二、任务\r三".as_bytes()).expect("decodes");
        assert_eq!((text.as_str(), enc), ("\u{feff}一、目标\n二、任务\n三", "UTF-8"));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let bytes: Vec<u8> = "plan 一、目标\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let (text, _) = decode(&bytes).expect("decodes");
        assert_eq!(text, "plan 一、目标\n");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(decode(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), Err(ReadError::Binary(_))));
    }

    #[test]
    fn blank_text_is_empty() {
        assert!(matches!(decode(b" \n\t "), Err(ReadError::Empty)));
    }
}
