//! Fixtures shared by the tests: the seed documents and their gold readings.

use std::path::PathBuf;

/// The repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The seed document whose name starts with `n` ("001").
pub fn seed(n: &str) -> PathBuf {
    let dir = fixtures().join("seeds");
    std::fs::read_dir(&dir)
        .expect("fixtures/seeds")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|f| f.to_string_lossy().starts_with(n)))
        .unwrap_or_else(|| panic!("no seed {n} in {}", dir.display()))
}

/// The reading of seed `n`.
pub fn read_seed(n: &str) -> bighealth_reader::Reading {
    bighealth_reader::read_path(&seed(n)).expect("the seed reads")
}
