//! `--demo`: a living programme for a newcomer — the catalogue (seeded at every start), an
//! operator, verified candidates with balances and a voucher, venues in five cities (O4), a
//! past exam with its results (one candidate holds a certificate, the other may retake), and
//! exam periods relative to today: open (twice, so a candidate can move, O7), closing within
//! days, not yet open, a specialty period with its own window (O2), and the retake's; and an
//! authorised institution with two test centres, slots over the coming weeks, a staff
//! account and one candidate who bought through it (I1–I9, `institution.rs`).

mod institution;
mod past;

use crate::serve::app_error;
use certdesk_app::{App, PeriodInput, SignUpInput};
use certdesk_domain::{CityDraft, RawAmount, Role};
use certdesk_store::Account;
use jiff::Timestamp;
use past::exam_day;

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
    // Accounts, venues and the past exam are made at a clock 60 days back, so their dates
    // read as a real history does.
    let (history, clock) = past::history(app)?;
    let operator = history
        .add_user(OPERATOR.0, OPERATOR.1, Role::Admin, None)
        .await
        .map_err(app_error)?;
    past::venues(&history, &operator).await?;
    let candidates = candidates(&history).await?;
    past::replay(&history, &clock, &operator, &candidates).await?;
    fund(app, &operator, &candidates, now).await?;

    let periods: [DemoPeriod; 6] = [
        (past::CERTIFICATION, 25, None), // the failed candidate's free retake (O8)
        ("TCCA-ARC-A", 45, None),        // O1 window open: closes in 35 days
        ("TCCA-ARC-A", 75, None),        // …and a later sitting to move to (O7)
        ("TCCA-DEV-P", 13, None),        // closes within days (start − 10 days)
        ("TCCA-OPS-A", 120, None),       // not open yet: opens start − 3 months
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
                ends_at: None, // the certification's exam duration
                cities: cities(),
                registration_opens_at: opens,
                registration_closes_at: closes,
            },
        )
        .await
        .map_err(app_error)?;
    }

    support_ticket(app, &operator, &candidates).await?;
    let manage = institution::load(app, &operator).await?;
    println!(
        "  {}: 王芳 (wangfang@demo.certdesk.cn) registered through it, paid and booked a slot; her management link (I1): {manage}",
        institution::INSTITUTION,
    );

    // Deliver the welcome, identity and balance notices now, so the inbox is not empty.
    app.job_runner().run_until_idle().await?;
    tracing::info!("demo programme loaded");
    Ok(())
}

/// O11: 韩梅梅 asked about her retake and the operator answered, so both sides of a support
/// thread are there to read (`/support`, `/admin/tickets`).
async fn support_ticket(
    app: &App,
    operator: &Account,
    candidates: &[Account],
) -> anyhow::Result<()> {
    let Some(han) = candidates.get(1) else {
        return Ok(());
    };
    let ticket = app
        .open_support_ticket(
            han,
            certdesk_app::NewTicketInput {
                category: "results_certificate".into(),
                subject: "补考怎么报名？".into(),
                message: "我上次考试没有通过，请问免费补考在哪里报名？需要再缴费吗？".into(),
                registration_id: None,
                order_id: None,
            },
        )
        .await
        .map_err(app_error)?;
    app.answer_support_ticket(
        operator,
        ticket.id,
        "您好！在“我的考试”中打开未通过的那次考试，页面下方有“补考”一栏，选择考期和城市即可，无需缴费。补考申请截止时间也显示在那里。",
        None,
    )
    .await
    .map_err(app_error)?;
    Ok(())
}

/// The demo candidates, their identity verified.
async fn candidates(app: &App) -> anyhow::Result<Vec<Account>> {
    let mut accounts = Vec::new();
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
        accounts.push(account);
    }
    Ok(accounts)
}

/// Today's balances and a voucher for each demo candidate.
async fn fund(
    app: &App,
    operator: &Account,
    candidates: &[Account],
    now: Timestamp,
) -> anyhow::Result<()> {
    for account in candidates {
        app.credit_account(
            operator,
            account.id,
            "cash",
            RawAmount::from(300_000),
            "演示账户初始现金余额",
        )
        .await
        .map_err(app_error)?;
        app.credit_account(
            operator,
            account.id,
            "gift",
            RawAmount::from(50_000),
            "新用户赠送金",
        )
        .await
        .map_err(app_error)?;
        app.issue_voucher(
            operator,
            account.id,
            RawAmount::from(10_000),
            RawAmount::from(50_000),
            exam_day(now, 60)?,
        )
        .await
        .map_err(app_error)?;
    }
    Ok(())
}

/// A restart over a database the demo filled: the logins still work, but balances and
/// registrations are whatever was done since, so no figures are printed.
pub fn print_kept() {
    println!("demo programme kept from an earlier start (its data as you left it) — sign in with:");
    println!("  operator   {}  password {}", OPERATOR.0, OPERATOR.1);
    println!(
        "  institution staff  {}  password {}",
        institution::STAFF.0,
        institution::STAFF.1
    );
    for (email, password, name, _) in CANDIDATES {
        println!("  candidate  {email}  password {password}  ({name})");
    }
}

pub fn print_credentials() {
    println!("demo programme — sign in with:");
    println!("  operator   {}  password {}", OPERATOR.0, OPERATOR.1);
    println!(
        "  institution staff  {}  password {}  ({}: two test centres, slots on the business days of the next four weeks)",
        institution::STAFF.0,
        institution::STAFF.1,
        institution::INSTITUTION
    );
    for (email, password, name, _) in CANDIDATES {
        println!(
            "  candidate  {email}  password {password}  ({name}: identity verified, credited ¥3,000 cash and ¥500 gift credit, a ¥100 voucher)"
        );
    }
    let (holder, _, name, _) = CANDIDATES[0];
    let (retaker, _, other, _) = CANDIDATES[1];
    println!(
        "  {name} ({holder}) passed {} 20 days ago: a certificate under 我的账号 / My account; {other} ({retaker}) failed it and may take the free retake",
        past::CERTIFICATION
    );
}
