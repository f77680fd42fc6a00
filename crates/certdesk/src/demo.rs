//! `--demo`: a living programme for a newcomer — the catalogue (seeded at every start), an
//! operator, verified candidates with balances and a voucher, and exam periods relative to
//! today in five cities: open, closing within days, not yet open, and a specialty period with
//! its own window (O2). No venues (O4) or institution (I1–I9) yet: no use case creates them.

use crate::serve::app_error;
use certdesk_app::{App, PeriodInput, SignUpInput};
use certdesk_domain::{CityDraft, RawAmount, Role, time};
use jiff::{SignedDuration, Timestamp, ToSpan};

/// Demo accounts: (email, password, real name, synthetic ID number). The ID numbers are
/// SYNTHETIC (valid GB 11643 checksums, real region codes, fictitious people).
pub const CANDIDATES: &[(&str, &str, &str, &str)] = &[
    (
        "lilei@demo.certdesk.cn",
        "demo-candidate-1",
        "李雷",
        "110101199003071233",
    ),
    (
        "hanmeimei@demo.certdesk.cn",
        "demo-candidate-2",
        "韩梅梅",
        "31011520000229046X",
    ),
];
pub const OPERATOR: (&str, &str) = ("admin@demo.certdesk.cn", "demo-operator-1");

/// (certification, days from today to the exam, the window of a specialty period in days
/// from today).
type DemoPeriod = (&'static str, i64, Option<(i64, i64)>);

const CITIES: &[(&str, i64)] = &[
    ("北京", 60),
    ("上海", 60),
    ("广州", 40),
    ("深圳", 40),
    ("成都", 2),
];

/// 09:00 Beijing time, `days` from today.
fn exam_day(now: Timestamp, days: i64) -> anyhow::Result<Timestamp> {
    let date = time::local_date(now).checked_add(days.days())?;
    Ok(date
        .at(9, 0, 0, 0)
        .to_zoned(time::programme_zone())?
        .timestamp())
}

fn cities() -> Vec<CityDraft> {
    CITIES
        .iter()
        .map(|(city, capacity)| CityDraft {
            city: (*city).into(),
            capacity: *capacity,
        })
        .collect()
}

pub async fn load(app: &App) -> anyhow::Result<()> {
    let now = app.now();
    let operator = app
        .add_user(OPERATOR.0, OPERATOR.1, Role::Admin, None)
        .await
        .map_err(app_error)?;

    let periods: [DemoPeriod; 4] = [
        ("TCCA-ARC-A", 45, None),             // O1 window open: closes in 35 days
        ("TCCA-DEV-P", 13, None),             // closes within days (start − 10 days)
        ("TCCA-OPS-A", 120, None),            // not open yet: opens start − 3 months
        ("TCCS-BIGDATA", 30, Some((-1, 23))), // O2: the operator's own window
    ];
    for (code, days, window) in periods {
        let starts_at = exam_day(now, days)?;
        let (opens, closes) = match window {
            Some((opens, closes)) => (Some(exam_day(now, opens)?), Some(exam_day(now, closes)?)),
            None => (None, None),
        };
        app.create_exam_period(
            &operator,
            PeriodInput {
                certification: code.into(),
                starts_at,
                ends_at: starts_at + SignedDuration::from_hours(2),
                cities: cities(),
                registration_opens_at: opens,
                registration_closes_at: closes,
            },
        )
        .await
        .map_err(app_error)?;
    }

    for (email, password, name, id_number) in CANDIDATES {
        let account = app
            .sign_up(SignUpInput {
                email: (*email).into(),
                password: (*password).into(),
                phone: None,
            })
            .await
            .map_err(app_error)?;
        app.submit_identity(&account, name, id_number)
            .await
            .map_err(app_error)?;
        app.credit_account(
            &operator,
            account.id,
            "cash",
            RawAmount::from(300_000),
            "演示账户初始现金余额",
        )
        .await
        .map_err(app_error)?;
        app.credit_account(
            &operator,
            account.id,
            "gift",
            RawAmount::from(50_000),
            "新用户赠送金",
        )
        .await
        .map_err(app_error)?;
        app.issue_voucher(
            &operator,
            account.id,
            RawAmount::from(10_000),
            RawAmount::from(50_000),
            exam_day(now, 60)?,
        )
        .await
        .map_err(app_error)?;
    }
    // Deliver the welcome, identity and balance notices now, so the inbox is not empty.
    app.job_runner().run_until_idle().await?;
    tracing::info!("demo programme loaded");
    Ok(())
}

pub fn print_credentials() {
    println!("demo programme — sign in with:");
    println!("  operator   {}  password {}", OPERATOR.0, OPERATOR.1);
    for (email, password, name, _) in CANDIDATES {
        println!(
            "  candidate  {email}  password {password}  ({name}: identity verified, ¥3,000 cash, ¥500 gift credit, a ¥100 voucher)"
        );
    }
}
