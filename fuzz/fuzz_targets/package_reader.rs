//! Fuzzes the `.docx`/`.xlsx`/`.html` readers through `load`: hostile
//! packages must give an error, never a panic, a hang or a huge allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.docx", "fuzz.xlsx", "fuzz.html"] {
        if let Ok(source) = bighealth_reader::load(name, data) {
            let _ = bighealth_reader::analyse(name, data, &source);
        }
    }
});
