//! Fuzzes the plain-text reader: any bytes, read as a `.txt` plan, must give
//! a reading or a `ReadError` — never a panic or a hang — and every span
//! must lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = bighealth_reader::load("fuzz.txt", data) {
        let n = source.text.len_chars();
        let reading = bighealth_reader::analyse("fuzz.txt", data, &source);
        for t in &reading.tasks {
            assert!(t.span.start <= t.span.end && t.span.end <= n);
        }
        for t in &reading.targets {
            assert!(t.span.start <= t.span.end && t.span.end <= n);
        }
    }
});
