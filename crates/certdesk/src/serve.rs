//! `certdesk serve` (web + workers in one process) and `certdesk worker` (workers only).

use crate::cli::{GlobalArgs, ServeArgs};
use anyhow::Context;
use certdesk_app::{App, AppParts};
use certdesk_domain::{Clock, SystemClock, TestClock, policy::Policy};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Opens the database and builds the use-case layer; `test_clock` replaces the wall clock;
/// `sandbox_payments` offers the sandbox gateway (never in production).
pub async fn build_app(
    global: &GlobalArgs,
    test_clock: Option<TestClock>,
    sandbox_payments: bool,
) -> anyhow::Result<Arc<App>> {
    let secret_key = crate::config::secret_key(&global.database_url)?;
    let store = crate::storage::open(&global.database_url).await?;
    let clock: Arc<dyn Clock> = match test_clock {
        Some(clock) => Arc::new(clock),
        None => Arc::new(SystemClock),
    };
    let mut app = App::new(AppParts {
        store,
        clock,
        secret_key,
        policy: Policy::default(),
        sandbox_payments,
    });
    for sender in crate::channels::senders(|name| std::env::var(name).ok())? {
        app = app.with_sender(sender);
    }
    Ok(Arc::new(match &global.public_url {
        Some(url) => app.with_public_url(url),
        None => app,
    }))
}

pub async fn serve(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    let test_clock = args.test_clock.then(|| {
        tracing::warn!("the test clock is enabled: PUT /api/v1/test/clock moves time; never run production like this");
        TestClock::new(SystemClock.now())
    });
    if args.sandbox() {
        tracing::warn!(
            "the sandbox payment gateway is on: top-ups are paid with one click and no money; never run production like this"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let mut global = global.clone();
    if global.public_url.is_none() {
        // Reached where it listens (the port bound, for `:0`); an unspecified address is
        // reached on this machine.
        let mut at = addr;
        if at.ip().is_unspecified() {
            at.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        global.public_url = Some(format!("http://{at}"));
    }
    let app = build_app(&global, test_clock.clone(), args.sandbox()).await?;
    tracing::info!(issuer = %app.issuer_did(), "certificates are signed as this issuer");
    let was_empty = app
        .store()
        .is_empty()
        .await
        .context("reading the database")?;
    let seeded = app.seed_default_catalogue().await.map_err(app_error)?;
    if seeded > 0 {
        tracing::info!(seeded, "default catalogue (C1) loaded");
    }
    if args.demo {
        if was_empty {
            crate::demo::load(&app).await?;
            crate::demo::print_credentials();
        } else {
            tracing::info!("database not empty: the demo programme is not loaded again");
            crate::demo::print_kept();
        }
    }

    if args.metrics_token.is_none() {
        tracing::info!(
            "/metrics is open to anyone who reaches this port; set CERTDESK_METRICS_TOKEN or bind it privately"
        );
    }
    if app.public_url().starts_with("https://") {
        tracing::info!("public URL is https: cookies are Secure and __Host- named, HSTS is on");
    }
    let load = certdesk_web::WebLoad::new();
    let config = certdesk_web::WebConfig {
        test_clock,
        load: load.clone(),
        trusted_proxies: args.trusted_proxies.clone(),
        metrics_token: args.metrics_token.clone().map(Into::into),
        contact: contact_emails(&args),
        ..certdesk_web::WebConfig::default()
    };
    let router = certdesk_web::router(app.clone(), config);

    schedule_recurring_jobs(&app).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    // The worker beside the web gives way to it while it is busy (a rush is answered first,
    // notified right after), but takes a batch at least every second whatever the load.
    let runner = job_runner(&app, &global).giving_way_to(Arc::new(load), GIVE_WAY_AT_MOST);
    let worker = tokio::spawn(async move { runner.run_forever(stop_rx).await });

    // Tests and scripts read this line to find the port when started with --listen …:0.
    println!("certdesk listening on http://{addr}");
    tracing::info!(%addr, "serving web UI and API");
    certdesk_web::serve(listener, router, shutdown_signal())
        .await
        .context("serving HTTP")?;

    tracing::info!("shutting down: letting the worker finish its current job");
    let _ = stop_tx.send(true);
    if tokio::time::timeout(Duration::from_secs(30), worker)
        .await
        .is_err()
    {
        tracing::warn!(
            "worker did not stop within 30 s; its job's lease will expire and another worker will retry it"
        );
    }
    Ok(())
}

/// The longest `serve`'s worker waits for a busy web before taking a batch anyway.
const GIVE_WAY_AT_MOST: Duration = Duration::from_secs(1);

pub async fn worker(global: &GlobalArgs) -> anyhow::Result<()> {
    let app = build_app(global, None, false).await?;
    schedule_recurring_jobs(&app).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let runner = job_runner(&app, global);
    let worker = tokio::spawn(async move { runner.run_forever(stop_rx).await });
    tracing::info!("worker running");
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(30), worker).await;
    Ok(())
}

/// The jobs every process puts back at start: O4's ticket issuing for every future period (a
/// database from before tickets gets them now; existing jobs are kept), and housekeeping.
async fn schedule_recurring_jobs(app: &certdesk_app::App) -> anyhow::Result<()> {
    let periods = app
        .schedule_ticket_issuing()
        .await
        .map_err(app_error)
        .context("scheduling admission tickets")?;
    tracing::debug!(periods, "admission-ticket issuing scheduled");
    // The hourly clean-up of expired sessions and idempotency records (one chain however
    // many processes start).
    app.schedule_housekeeping()
        .await
        .map_err(app_error)
        .context("scheduling housekeeping")?;
    Ok(())
}

/// The app's job runner with the configured lease (P2).
fn job_runner(app: &App, global: &GlobalArgs) -> certdesk_store::JobRunner {
    app.job_runner()
        .with_lease(jiff::SignedDuration::from_secs(i64::from(
            global.job_lease_secs,
        )))
}

pub fn app_error(e: certdesk_app::AppError) -> anyhow::Error {
    match e {
        certdesk_app::AppError::Refused(r) => anyhow::anyhow!(
            "{}: {}",
            r.code.as_str(),
            r.message(certdesk_domain::Locale::En)
        ),
        certdesk_app::AppError::Internal(e) => e,
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish in-flight requests, then stop workers.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// O11: the contact emails of `/help`, each configured one replacing its demo default.
fn contact_emails(args: &ServeArgs) -> certdesk_web::ContactEmails {
    let default = certdesk_web::ContactEmails::default();
    certdesk_web::ContactEmails {
        exams: args.contact_exams_email.clone().unwrap_or(default.exams),
        certificates: args
            .contact_certificates_email
            .clone()
            .unwrap_or(default.certificates),
    }
}
