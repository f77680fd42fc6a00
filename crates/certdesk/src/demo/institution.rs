//! The demo's institution channel (I1–I9): an authorised institution with test centres in
//! two cities, slots on the business days of the coming four weeks (B1: weekends and
//! holidays skipped, make-up working days included), a staff account, and one candidate who
//! registered through it, paid and booked — so the staff portal and a management page have
//! something to show.

use certdesk_app::App;
use certdesk_app::institution::{
    InstitutionInput, InstitutionRegistrationInput, SlotInput, TestCentreInput,
};
use certdesk_domain::time::local_date;
use certdesk_domain::{InstitutionId, Locale, Role};
use certdesk_store::Account;

use crate::serve::app_error;

pub const STAFF: (&str, &str) = ("staff@demo.certdesk.cn", "demo-staff-1");
pub const INSTITUTION: &str = "华南云计算培训中心";
/// The candidate who bought through the institution (a SYNTHETIC ID number).
const CANDIDATE: (&str, &str, &str) = ("wangfang@demo.certdesk.cn", "王芳", "440305199505050021");

const AGREEMENT: &str = "华南云计算培训中心 考试服务协议（第 1 版）\n\n\
1. 本中心为腾讯云认证授权考试机构，代为收取考试费用并安排考试。\n\
2. 考试在本中心考点的工作日时段举行，考生可在考试日前一个工作日结束前自行改约。\n\
3. 首次考试未通过的，可在三个月内于同一考点免费补考一次。\n\
4. 退款由本中心客服办理：客服电话 0755-8888 6666，邮箱 exam@huanan-cloud.demo.certdesk.cn。\n\
5. 您提供的姓名、身份证号码、手机号码和邮箱仅用于考试服务。";

/// Adds the institution, its centres, slots, staff and one booked candidate. Answers the
/// candidate's management link.
pub async fn load(app: &App, operator: &Account) -> anyhow::Result<String> {
    let institution = app
        .create_institution(
            operator,
            InstitutionInput {
                name: INSTITUTION.into(),
                hotline: "0755-8888 6666".into(),
                email: "exam@huanan-cloud.demo.certdesk.cn".into(),
                agreement_text: AGREEMENT.into(),
            },
        )
        .await
        .map_err(app_error)?;
    let mut centres = Vec::new();
    for (city, name, address, contact) in [
        (
            "深圳",
            "福田授权考点",
            "深圳市福田区深南大道 6008 号 12 层",
            "王老师",
        ),
        (
            "广州",
            "天河授权考点",
            "广州市天河区天河路 385 号 8 层",
            "陈老师",
        ),
    ] {
        let centre = app
            .create_test_centre(
                operator,
                TestCentreInput {
                    institution_id: institution.id.get(),
                    name: name.into(),
                    city: city.into(),
                    address: address.into(),
                    contact_name: contact.into(),
                    contact_phone: "0755-8888 6666".into(),
                },
            )
            .await
            .map_err(app_error)?;
        centres.push(centre);
    }
    let staff = app
        .add_user(
            STAFF.0,
            STAFF.1,
            Role::InstitutionStaff,
            Some(InstitutionId(institution.id.get())),
        )
        .await
        .map_err(app_error)?;
    // Slots at 09:00 and 14:00 on every business day of the coming four weeks.
    let today = local_date(app.now());
    // The candidate's appointment: at least a week out, so it can still be moved (I5).
    let mut booked_slot = None;
    for offset in 1..=28 {
        let date = today
            .checked_add(jiff::Span::new().days(offset))
            .map_err(|e| anyhow::anyhow!("demo slot date: {e}"))?;
        if !app.calendar().is_business_day(date) {
            continue;
        }
        for centre in &centres {
            for time in ["09:00", "14:00"] {
                let slot = app
                    .publish_slot(
                        &staff,
                        SlotInput {
                            centre_id: centre.id.get(),
                            date: date.to_string(),
                            starts_at: time.into(),
                            capacity: 8,
                        },
                    )
                    .await
                    .map_err(app_error)?;
                if offset >= 8 {
                    booked_slot.get_or_insert(slot.id);
                }
            }
        }
    }
    let made = app
        .register_with_institution(
            InstitutionRegistrationInput {
                institution_id: institution.id.get(),
                certification: "TCCA-DEV-A".into(),
                agreement_version: i64::from(institution.agreement_version),
                real_name: CANDIDATE.1.into(),
                id_number: CANDIDATE.2.into(),
                phone: "13900139000".into(),
                email: CANDIDATE.0.into(),
            },
            Locale::ZhCn,
        )
        .await
        .map_err(app_error)?;
    app.sandbox_report_payment(made.payment.id, true)
        .await
        .map_err(app_error)?;
    if let Some(slot) = booked_slot {
        app.book_appointment(&made.manage_token, made.registration.registration.id, slot)
            .await
            .map_err(app_error)?;
    }
    Ok(app.site().url(&format!("/manage/{}", made.manage_token)))
}
