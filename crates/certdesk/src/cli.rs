//! Command-line interface (API.md "Running certdesk"): flags win over environment variables.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "certdesk",
    version,
    about = "Runs a professional certification programme, from catalogue to certificate."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// `sqlite:PATH` (created if missing) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "CERTDESK_DATABASE_URL",
        default_value = "sqlite:certdesk.db"
    )]
    pub database_url: String,
    /// Where certdesk is reached from outside, e.g. `https://certs.example.com`: certificates'
    /// verification links, the issuer's `did:web` and notification links name it, and when it
    /// is `https://` every cookie is `Secure` and `__Host-` named and every answer carries
    /// HSTS. Default: `http://` and the listen address.
    #[arg(long, global = true, env = "CERTDESK_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// P2: how long a worker holds a job it claimed; a job whose worker died is taken over
    /// by another this long after it was claimed. Longer than any provider call.
    #[arg(
        long,
        global = true,
        env = "CERTDESK_JOB_LEASE_SECS",
        default_value_t = 300,
        value_parser = clap::value_parser!(u32).range(5..=3600)
    )]
    pub job_lease_secs: u32,
}

/// An `http(s)://host[:port]` URL with no path, query or credentials; the trailing slash
/// dropped.
fn public_url(value: &str) -> Result<String, String> {
    let v = value.trim().trim_end_matches('/');
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or("give an http:// or https:// URL")?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err("give the scheme and host only, e.g. https://certs.example.com".into());
    }
    Ok(v.to_owned())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Web UI, API and workers in one process (migrates SQLite on start).
    Serve(ServeArgs),
    /// Workers only (notifications and scheduled jobs); run as many as you like on PostgreSQL.
    Worker,
    /// Applies database migrations and exits.
    Migrate,
    /// Manages accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address of the web UI and API.
    #[arg(long, env = "CERTDESK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Load the demo programme if the database is empty.
    #[arg(long, env = "CERTDESK_DEMO", value_parser = clap::builder::FalseyValueParser::new())]
    pub demo: bool,
    /// Enable the test-clock routes (SPEC T3). Never in production. Implies
    /// `--sandbox-payments`.
    #[arg(long, env = "CERTDESK_TEST_CLOCK", value_parser = clap::builder::FalseyValueParser::new())]
    pub test_clock: bool,
    /// Offer the sandbox payment gateway: top-ups are "paid" with one click on its checkout
    /// page. Never in production. `--demo` and `--test-clock` imply it.
    #[arg(long, env = "CERTDESK_SANDBOX_PAYMENTS", value_parser = clap::builder::FalseyValueParser::new())]
    pub sandbox_payments: bool,
    /// Require `Authorization: Bearer <token>` on `/metrics` (otherwise anyone who reaches
    /// the port reads it). Prefer the environment variable: flags show in `ps`.
    #[arg(long, env = "CERTDESK_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The proxies in front of certdesk, as addresses or CIDR ranges (`10.0.0.0/8, ::1`), or
    /// `none`: only from these is `X-Forwarded-For` believed (the client address the log-in
    /// throttle counts) and `X-Forwarded-Proto: https` (`Secure` cookies and HSTS). Default:
    /// loopback, i.e. a proxy on the same machine.
    #[arg(
        long,
        env = "CERTDESK_TRUSTED_PROXIES",
        default_value = "127.0.0.0/8, ::1"
    )]
    pub trusted_proxies: certdesk_web::TrustedProxies,
    /// O11: the contact email for registration and exam questions, shown on `/help`.
    #[arg(long, env = "CERTDESK_CONTACT_EXAMS_EMAIL", value_parser = contact_email)]
    pub contact_exams_email: Option<String>,
    /// O11: the contact email for results and certificates, shown on `/help`.
    #[arg(long, env = "CERTDESK_CONTACT_CERTIFICATES_EMAIL", value_parser = contact_email)]
    pub contact_certificates_email: Option<String>,
}

/// A contact email as `/help` shows it: a valid address, kept as typed (trimmed).
fn contact_email(s: &str) -> Result<String, String> {
    certdesk_domain::Email::parse(s.trim())
        .map(|_| s.trim().to_owned())
        .map_err(|_| format!("not an email address: {s:?}"))
}

impl ServeArgs {
    /// Whether the sandbox gateway is on: asked for, or implied by the demo or the test clock.
    pub fn sandbox(&self) -> bool {
        self.sandbox_payments || self.demo || self.test_clock
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates an operator or institution staff account; the password is read from stdin.
    Add(UserAddArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    InstitutionStaff,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// The institution a staff account works for.
    #[arg(long)]
    pub institution: Option<i64>,
    /// Read the password from standard input (the only way: it never appears in `ps`).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandbox(args: &[&str]) -> bool {
        let cli = Cli::try_parse_from(args).expect("valid arguments");
        match cli.command {
            Command::Serve(serve) => serve.sandbox(),
            other => panic!("not serve: {other:?}"),
        }
    }

    /// O5: the sandbox gateway pays top-ups with no money, so it is off unless asked for or
    /// implied by the demo or the test clock.
    #[test]
    fn the_sandbox_gateway_is_off_unless_asked_for() {
        // Environment variables would win over the defaults under test.
        for var in [
            "CERTDESK_SANDBOX_PAYMENTS",
            "CERTDESK_DEMO",
            "CERTDESK_TEST_CLOCK",
        ] {
            assert!(std::env::var_os(var).is_none(), "{var} is set");
        }
        assert!(!sandbox(&["certdesk", "serve"]));
        assert!(sandbox(&["certdesk", "serve", "--sandbox-payments"]));
        assert!(sandbox(&["certdesk", "serve", "--demo"]));
        assert!(sandbox(&["certdesk", "serve", "--test-clock"]));
    }

    fn proxies(args: &[&str]) -> Result<certdesk_web::TrustedProxies, clap::Error> {
        match Cli::try_parse_from(args)?.command {
            Command::Serve(serve) => Ok(serve.trusted_proxies),
            other => panic!("not serve: {other:?}"),
        }
    }

    /// Forwarded headers are believed from a proxy on this machine unless told otherwise.
    #[test]
    fn trusted_proxies_default_to_loopback_and_parse_lists() {
        assert!(std::env::var_os("CERTDESK_TRUSTED_PROXIES").is_none());
        let default = proxies(&["certdesk", "serve"]).unwrap();
        assert_eq!(default, certdesk_web::TrustedProxies::default());
        assert!(default.contains("127.0.0.1".parse().unwrap()));
        assert!(!default.contains("10.0.0.1".parse().unwrap()));
        let none = proxies(&["certdesk", "serve", "--trusted-proxies", "none"]).unwrap();
        assert!(!none.contains("127.0.0.1".parse().unwrap()));
        let list = proxies(&[
            "certdesk",
            "serve",
            "--trusted-proxies",
            "10.0.0.0/8,fd00::/8",
        ])
        .unwrap();
        assert!(list.contains("10.9.8.7".parse().unwrap()));
        assert!(proxies(&["certdesk", "serve", "--trusted-proxies", "10.0.0.0/99"]).is_err());
    }
}
