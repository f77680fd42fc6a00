//! `certdesk`: the one binary — web server, workers, migrations and operator commands.

mod channels;
mod cli;
mod config;
mod demo;
mod logging;
mod serve;
mod storage;
mod users;

use clap::Parser;
use std::process::ExitCode;

/// A request allocates and frees many small buffers on two threads at once; glibc's malloc
/// spent ~10% of the server's CPU in a rush profile, mimalloc's thread-local free lists far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("certdesk: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // API.md: a non-zero exit with a one-line reason; secrets are never part of it.
            eprintln!("certdesk: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

async fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Serve(args) => serve::serve(&cli.global, args).await,
        cli::Command::Worker => serve::worker(&cli.global).await,
        cli::Command::Migrate => storage::migrate(&cli.global).await,
        cli::Command::User(cli::UserCommand::Add(args)) => users::add(&cli.global, args).await,
    }
}

/// The error and its causes on one line: `opening the database: unable to open file`.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string().replace('\n', " "))
        .collect::<Vec<_>>()
        .join(": ")
}
