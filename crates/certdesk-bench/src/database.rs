//! A fresh database for one run: a temp SQLite file, or a PostgreSQL database it drops after.

use crate::{Args, Backend};
use sqlx::Connection;

pub struct BenchDatabase {
    url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl BenchDatabase {
    pub async fn create(args: &Args) -> anyhow::Result<BenchDatabase> {
        match args.database {
            Backend::Sqlite => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite:{}", dir.path().join("rush.db").display());
                Ok(BenchDatabase {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let name = format!("certdesk_rush_{}", std::process::id());
                let mut admin = sqlx::PgConnection::connect(&args.postgres_admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                    .execute(&mut admin)
                    .await?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await?;
                let base = args
                    .postgres_admin_url
                    .rsplit_once('/')
                    .map_or(args.postgres_admin_url.as_str(), |(b, _)| b);
                let url = format!("{base}/{name}");
                Ok(BenchDatabase {
                    url,
                    _dir: None,
                    postgres: Some((args.postgres_admin_url.clone(), name)),
                })
            }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn drop_if_postgres(&self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await;
        }
    }
}
