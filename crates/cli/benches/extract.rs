//! `cargo bench -p bighealth --bench extract`: how long reading a plan takes.
//!
//! In-process: `bighealth_reader::read_bytes` on each seed (the bytes already
//! in memory). Whole process: `bighealth extract SEED --out FILE` on seed 002,
//! start to exit. Prints the median and the fastest of many runs; the figures
//! go in BENCHMARKS.md. No timing is asserted.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn seeds() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seeds");
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("fixtures/seeds").filter_map(Result::ok).map(|e| e.path()).collect();
    v.sort();
    v
}

/// Runs `f` until `budget` is spent (at least `min` times); returns the sorted times.
fn measure(budget: Duration, min: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..3 {
        f();
    }
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < min || start.elapsed() < budget {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes --bench; under `cargo test --all-targets` the
    // bench runs once, quickly, as a smoke test.
    let quick = !std::env::args().any(|a| a == "--bench");
    let budget = Duration::from_millis(if quick { 0 } else { 2000 });
    let min = if quick { 1 } else { 20 };
    println!("{:<32} {:>8} {:>6} {:>12} {:>12}", "in-process read_bytes", "KB", "runs", "median", "fastest");
    for path in seeds() {
        let bytes = std::fs::read(&path).expect("seed");
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let times = measure(budget, min, || {
            let r = bighealth_reader::read_bytes(&name, &bytes).expect("reads");
            std::hint::black_box(r);
        });
        println!(
            "{:<32} {:>8.1} {:>6} {:>12} {:>12}",
            &name[..name.len().min(32)],
            bytes.len() as f64 / 1024.0,
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[0])
        );
    }
    let seed2 = seeds()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|f| f.to_string_lossy().starts_with("002")))
        .expect("seed 002");
    let out = std::env::temp_dir().join(format!("bighealth-bench-{}.json", std::process::id()));
    let exe = env!("CARGO_BIN_EXE_bighealth");
    let times = measure(budget, min, || {
        let status =
            Command::new(exe).arg("extract").arg(&seed2).arg("--out").arg(&out).status().expect("runs bighealth");
        assert!(status.success());
    });
    let _ = std::fs::remove_file(&out);
    println!(
        "{:<32} {:>8} {:>6} {:>12} {:>12}",
        "process: bighealth extract 002",
        "",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0])
    );
}
