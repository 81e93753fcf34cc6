//! The floors of ARCHITECTURE.md hold: each crate imports only the
//! bighealth crates below it (its `[dependencies]`, not its tests').

use std::collections::BTreeSet;
use std::path::Path;

/// The bighealth crates a crate's `[dependencies]` name.
fn imports(krate: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("Cargo.toml");
    let toml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut section = String::new();
    let mut out = BTreeSet::new();
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
        } else if section == "[dependencies]"
            && let Some(name) = line.split(['=', '.', ' ']).next().filter(|n| n.starts_with("bighealth-"))
        {
            out.insert(name.to_string());
        }
    }
    out
}

#[test]
fn each_floor_imports_only_the_floors_below_it() {
    let floors: [(&str, &[&str]); 6] = [
        ("reader", &[]),
        ("rules", &["bighealth-reader"]),
        ("store", &["bighealth-reader", "bighealth-rules"]),
        ("documents", &["bighealth-reader", "bighealth-rules", "bighealth-store"]),
        ("server", &["bighealth-reader", "bighealth-rules", "bighealth-store", "bighealth-documents"]),
        ("cli", &["bighealth-reader", "bighealth-rules", "bighealth-server", "bighealth-store", "bighealth-documents"]),
    ];
    for (krate, allowed) in floors {
        let allowed: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
        let found = imports(krate);
        assert!(
            found.is_subset(&allowed),
            "crates/{krate} imports {:?}, beyond {allowed:?}",
            found.difference(&allowed).collect::<Vec<_>>()
        );
    }
    assert!(imports("store").contains("bighealth-rules"), "the test reads the manifests");
}
