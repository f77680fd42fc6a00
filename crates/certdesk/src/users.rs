//! `certdesk user add`: operator and institution staff accounts from the command line.

use crate::cli::{GlobalArgs, RoleArg, UserAddArgs};
use anyhow::{Context, bail};
use certdesk_domain::{InstitutionId, Role};
use std::io::Read;

pub async fn add(global: &GlobalArgs, args: UserAddArgs) -> anyhow::Result<()> {
    let role = match args.role {
        RoleArg::Admin => Role::Admin,
        RoleArg::InstitutionStaff => Role::InstitutionStaff,
    };
    if role == Role::InstitutionStaff && args.institution.is_none() {
        bail!("--institution is required for institution_staff");
    }
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from stdin")?;
    // One trailing newline comes from `echo`/a terminal, not from the password.
    let password = password
        .strip_suffix('\n')
        .map(|p| p.strip_suffix('\r').unwrap_or(p))
        .unwrap_or(&password);

    let app = crate::serve::build_app(global, None, false).await?;
    let account = app
        .add_user(
            &args.email,
            password,
            role,
            args.institution.map(InstitutionId),
        )
        .await
        .map_err(|e| anyhow::anyhow!(describe(e)))?;
    println!(
        "created account {} ({}) with role {}",
        account.id, account.email, role
    );
    Ok(())
}

fn describe(e: certdesk_app::AppError) -> String {
    match e {
        certdesk_app::AppError::Refused(r) => {
            let field = r
                .field
                .as_deref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default();
            format!(
                "{}{field}: {}",
                r.code.as_str(),
                r.message(certdesk_domain::Locale::En)
            )
        }
        certdesk_app::AppError::Internal(e) => format!("{e:#}"),
    }
}
