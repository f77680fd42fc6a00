//! Both backends keep migration folders with identical file names (no drift between them).

use std::path::Path;

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_names() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let postgres = names(&root.join("migrations"));
    let sqlite = names(&root.join("../certdesk-store-sqlite/migrations"));
    assert!(!postgres.is_empty());
    assert_eq!(
        postgres, sqlite,
        "every migration exists for both databases, under the same name"
    );
    for name in &postgres {
        let (version, rest) = name
            .split_once('_')
            .unwrap_or_else(|| panic!("{name}: VERSION_name.sql"));
        assert!(
            version.len() == 14 && version.bytes().all(|b| b.is_ascii_digit()),
            "{name}: 14-digit version"
        );
        assert!(rest.ends_with(".sql"), "{name}");
    }
}
