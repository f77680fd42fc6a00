//! `--demo`: a living programme for a newcomer — the catalogue (seeded at every start),
//! an operator and verified candidates. Later issues add periods, venues and an institution.

use crate::serve::app_error;
use certdesk_app::{App, SignUpInput};
use certdesk_domain::Role;

/// Demo accounts: (email, password, real name, synthetic ID number). The ID numbers are
/// SYNTHETIC (valid GB 11643 checksums, real region codes, fictitious people).
pub const CANDIDATES: &[(&str, &str, &str, &str)] = &[
    ("lilei@demo.certdesk.cn", "demo-candidate-1", "李雷", "110101199003071233"),
    ("hanmeimei@demo.certdesk.cn", "demo-candidate-2", "韩梅梅", "31011520000229046X"),
];
pub const OPERATOR: (&str, &str) = ("admin@demo.certdesk.cn", "demo-operator-1");

pub async fn load(app: &App) -> anyhow::Result<()> {
    app.add_user(OPERATOR.0, OPERATOR.1, Role::Admin, None).await.map_err(app_error)?;
    for (email, password, name, id_number) in CANDIDATES {
        let account = app
            .sign_up(SignUpInput { email: (*email).into(), password: (*password).into(), phone: None })
            .await
            .map_err(app_error)?;
        app.submit_identity(&account, name, id_number).await.map_err(app_error)?;
    }
    tracing::info!("demo programme loaded");
    Ok(())
}

pub fn print_credentials() {
    println!("demo programme — sign in with:");
    println!("  operator   {}  password {}", OPERATOR.0, OPERATOR.1);
    for (email, password, name, _) in CANDIDATES {
        println!("  candidate  {email}  password {password}  ({name}, identity verified)");
    }
}
