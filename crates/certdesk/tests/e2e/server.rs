//! Starts the real binary on a free port and stops it when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_certdesk")
}

/// A running `certdesk serve` with its own database in a temp dir.
pub struct Server {
    child: Child,
    pub base_url: String,
    /// Everything the server printed on stdout before it listened (demo credentials…).
    pub banner: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Server {
    pub fn start(extra_args: &[&str]) -> Server {
        Server::start_in(tempfile::tempdir().expect("temp dir"), extra_args)
    }

    /// Starts with extra environment variables (the notification channels' settings).
    pub fn start_with_env(extra_args: &[&str], env: &[(&str, String)]) -> Server {
        Server::start_in_with_env(tempfile::tempdir().expect("temp dir"), extra_args, env)
    }

    /// Starts on `dir/certdesk.db`, which may already hold data (and its key file).
    pub fn start_in(dir: tempfile::TempDir, extra_args: &[&str]) -> Server {
        Server::start_in_with_env(dir, extra_args, &[])
    }

    fn start_in_with_env(
        dir: tempfile::TempDir,
        extra_args: &[&str],
        env: &[(&str, String)],
    ) -> Server {
        let db_path = dir.path().join("certdesk.db");
        Server::spawn(
            dir,
            &format!("sqlite:{}", db_path.display()),
            extra_args,
            env,
        )
    }

    /// A node on a shared database (PostgreSQL: many nodes, one database).
    pub fn start_on(database_url: &str, extra_args: &[&str], env: &[(&str, String)]) -> Server {
        Server::spawn(
            tempfile::tempdir().expect("temp dir"),
            database_url,
            extra_args,
            env,
        )
    }

    fn spawn(
        dir: tempfile::TempDir,
        database_url: &str,
        extra_args: &[&str],
        env: &[(&str, String)],
    ) -> Server {
        let mut child = Command::new(binary())
            .arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--database-url")
            .arg(database_url)
            .args(extra_args)
            .env_remove("CERTDESK_SECRET_KEY")
            .env_remove("CERTDESK_DATABASE_URL")
            .env("CERTDESK_LOG", "warn")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start certdesk");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut banner = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("certdesk listening on ") {
                    let _ = tx.send(Ok((addr.to_string(), banner.clone())));
                    banner.clear();
                } else {
                    banner.push(line);
                }
            }
            let _ = tx.send(Err(banner));
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok((base_url, banner))) => Server {
                child,
                base_url,
                banner,
                _dir: dir,
            },
            Ok(Err(banner)) => {
                let status = child.wait().ok();
                panic!("certdesk exited before listening ({status:?}); stdout: {banner:?}")
            }
            Err(_) => {
                let _ = child.kill();
                panic!("certdesk did not listen within 60 s")
            }
        }
    }

    /// Stops the server and hands back its directory (database and key file), to start it
    /// again on the same data.
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
