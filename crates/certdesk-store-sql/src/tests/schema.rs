//! The two migration folders stay in step: the same file names, and, migrated, the same
//! tables, columns, NOT NULLs, unique keys (partial or not), foreign keys and CHECK
//! constraints (compared by the columns each one constrains, since each database spells an
//! expression its own way). Types differ on purpose (`INTEGER PRIMARY KEY AUTOINCREMENT` vs
//! `GENERATED ALWAYS AS IDENTITY`, BLOB vs BYTEA), so they are not compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sqlx::Row as _;

use super::{postgres_pool, postgres_store, sqlite_pools, sqlite_store};

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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let postgres = names(&root.join("postgres"));
    let sqlite = names(&root.join("sqlite"));
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

/// One table's shape, as both databases can be asked for it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column → NOT NULL (a primary key column counts as NOT NULL).
    columns: BTreeMap<String, bool>,
    /// Unique keys besides the primary key: (columns in order, partial?).
    unique: BTreeSet<(Vec<String>, bool)>,
    /// Foreign keys: (column, referenced table).
    references: BTreeSet<(String, String)>,
    /// CHECK constraints, each as the set of the table's columns it mentions (a multiset).
    checks: Vec<BTreeSet<String>>,
}

type Schema = BTreeMap<String, Table>;

/// The table's columns an SQL expression mentions (string literals and comments ignored).
fn columns_in(expression: &str, columns: &BTreeMap<String, bool>) -> BTreeSet<String> {
    let mut code = String::new();
    let mut in_string = false;
    for c in expression.chars() {
        match (c, in_string) {
            ('\'', _) => in_string = !in_string,
            (_, true) => {}
            (c, false) => code.push(c),
        }
    }
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| columns.contains_key(*word))
        .map(str::to_owned)
        .collect()
}

/// The CHECK clauses of an SQLite `CREATE TABLE` statement, each with its parentheses.
fn sqlite_checks(create: &str) -> Vec<String> {
    let without_comments: String = create
        .lines()
        .map(|line| line.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let upper = without_comments.to_ascii_uppercase();
    let bytes = without_comments.as_bytes();
    let mut checks = Vec::new();
    let mut from = 0;
    while let Some(found) = upper[from..].find("CHECK") {
        let at = from + found;
        let start = at + "CHECK".len();
        // The keyword, not a part of a name such as `checked_in_at`.
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = upper[start..].trim_start();
        if before.is_some_and(word) || !after.starts_with('(') {
            from = start;
            continue;
        }
        let open = start + upper[start..].find('(').expect("CHECK (");
        let mut depth = 0;
        let mut end = open;
        for (i, b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        checks.push(without_comments[open..=end].to_owned());
        from = end + 1;
    }
    checks
}

async fn sqlite_schema(pool: &sqlx::SqlitePool) -> Schema {
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut schema = Schema::new();
    for row in tables {
        let name: String = row.get("name");
        let create: String = row.get("sql");
        let mut table = Table::default();
        for column in sqlx::query("SELECT name, \"notnull\" AS nn, pk FROM pragma_table_info($1)")
            .bind(&name)
            .fetch_all(pool)
            .await
            .expect("columns")
        {
            let not_null = column.get::<i64, _>("nn") == 1 || column.get::<i64, _>("pk") > 0;
            table.columns.insert(column.get("name"), not_null);
        }
        for index in sqlx::query(
            "SELECT name, partial FROM pragma_index_list($1) WHERE \"unique\" = 1 AND origin <> 'pk'",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("indexes")
        {
            let index_name: String = index.get("name");
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index_name)
                    .fetch_all(pool)
                    .await
                    .expect("index columns");
            table
                .unique
                .insert((columns, index.get::<i64, _>("partial") == 1));
        }
        for fk in sqlx::query(
            "SELECT \"from\" AS col, \"table\" AS target FROM pragma_foreign_key_list($1)",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("foreign keys")
        {
            table.references.insert((fk.get("col"), fk.get("target")));
        }
        table.checks = sqlite_checks(&create)
            .iter()
            .map(|check| columns_in(check, &table.columns))
            .collect();
        table.checks.sort();
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(pool: &sqlx::PgPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        for column in sqlx::query(
            "SELECT column_name::TEXT AS name, is_nullable = 'NO' AS not_null
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("columns")
        {
            table
                .columns
                .insert(column.get("name"), column.get("not_null"));
        }
        for index in sqlx::query(
            "SELECT ARRAY(SELECT a.attname::TEXT FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                          ORDER BY k.n) AS columns,
                    i.indpred IS NOT NULL AS partial
             FROM pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique AND NOT i.indisprimary",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("indexes")
        {
            table
                .unique
                .insert((index.get("columns"), index.get("partial")));
        }
        for fk in sqlx::query(
            "SELECT a.attname::TEXT AS col, c.confrelid::regclass::TEXT AS target
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             WHERE c.conrelid = $1::regclass AND c.contype = 'f'",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("foreign keys")
        {
            table.references.insert((fk.get("col"), fk.get("target")));
        }
        let checks: Vec<String> = sqlx::query_scalar(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = $1::regclass AND contype = 'c'",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("checks");
        table.checks = checks
            .iter()
            .map(|check| columns_in(check, &table.columns))
            .collect();
        table.checks.sort();
        schema.insert(name, table);
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_agree() {
    let Some(postgres) = postgres_store("sqlite_and_postgres_schemas_agree").await else {
        return;
    };
    let sqlite = sqlite_store().await;
    let lite = sqlite_schema(&sqlite_pools(&sqlite).writer).await;
    let pg = postgres_schema(postgres_pool(&postgres)).await;
    assert!(
        lite.contains_key("registrations") && lite.len() > 15,
        "{lite:#?}"
    );
    assert_eq!(
        lite.keys().collect::<Vec<_>>(),
        pg.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (name, table) in &lite {
        assert_eq!(
            Some(table),
            pg.get(name),
            "table {name}: SQLite (left) vs PostgreSQL (right)"
        );
    }
}

#[test]
fn check_clauses_are_read_with_their_columns() {
    let create = "CREATE TABLE t (
        checked_at BIGINT,
        a INTEGER NOT NULL CHECK (a >= 0), -- a's note (with a paren
        b TEXT CHECK (b IN ('a', 'c')),
        CHECK ((a > 0) = (b = 'x'))
    )";
    let checks = sqlite_checks(create);
    assert_eq!(checks.len(), 3, "{checks:?}");
    let columns = BTreeMap::from([("a".to_owned(), true), ("b".to_owned(), false)]);
    let sets: Vec<BTreeSet<String>> = checks.iter().map(|c| columns_in(c, &columns)).collect();
    assert_eq!(sets[0], BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        sets[1],
        BTreeSet::from(["b".to_owned()]),
        "literals are not columns"
    );
    assert_eq!(sets[2], BTreeSet::from(["a".to_owned(), "b".to_owned()]));
}
