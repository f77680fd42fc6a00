//! Every SQL text of the store exists once: the string literals of `src/` (tests aside) that
//! are statements, whitespace-normalised, must all differ. `scripts/sql-texts` prints the list
//! (`cargo test -p certdesk-store-sql sql_texts -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The words a statement (or a statement's start, completed by `format!`) begins with.
const STATEMENT: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The contents of the plain string literals of Rust source (comments skipped).
fn string_literals(source: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            // A char literal such as '"' or '\''; lifetimes ('a) have no closing quote nearby.
            '\'' => {
                let mut ahead = chars.clone();
                let literal = match (ahead.next(), ahead.next(), ahead.next()) {
                    (Some('\\'), Some(_), Some('\'')) => 3,
                    (Some(_), Some('\''), _) => 2,
                    _ => 0,
                };
                for _ in 0..literal {
                    chars.next();
                }
            }
            '"' => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            // A line continuation or an escape; the text matters, not its value.
                            if let Some(next) = chars.next() {
                                literal.push(if next == '\n' { ' ' } else { next });
                            }
                        }
                        '"' => break,
                        c => literal.push(c),
                    }
                }
                literals.push(literal);
            }
            _ => {}
        }
    }
    literals
}

fn normalised(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every statement text of the store: normalised text → the files it appears in.
fn sql_texts() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("read source");
        let name = file
            .strip_prefix(&src)
            .unwrap_or(&file)
            .display()
            .to_string();
        for literal in string_literals(&source) {
            let text = normalised(&literal);
            let first = text.split(' ').next().unwrap_or_default();
            if STATEMENT.contains(&first) {
                texts.entry(text).or_default().push(name.clone());
            }
        }
    }
    texts
}

#[test]
fn sql_texts_each_exist_once() {
    let texts = sql_texts();
    for (text, files) in &texts {
        let shown: String = text.chars().take(110).collect();
        println!("{:<32} {shown}", files.join(", "));
    }
    assert!(texts.len() > 60, "found only {} SQL texts", texts.len());
    assert!(
        texts.keys().any(|t| t.starts_with("INSERT INTO accounts")),
        "accounts.rs's INSERT is seen"
    );
    let twice: Vec<_> = texts.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(twice.is_empty(), "SQL written more than once: {twice:#?}");
}

#[test]
fn literals_are_read_through_escapes_and_comments() {
    let source = r#"
        // "SELECT in a comment"
        let q = '"'; let l: &'static str = "SELECT a \
            FROM b WHERE c = 'd\"'";
        let e = "UPDATE t SET x = 1";
    "#;
    let literals: Vec<String> = string_literals(source)
        .iter()
        .map(|l| normalised(l))
        .collect();
    assert_eq!(
        literals,
        vec![
            "SELECT a FROM b WHERE c = 'd\"'".to_owned(),
            "UPDATE t SET x = 1".to_owned()
        ]
    );
}
