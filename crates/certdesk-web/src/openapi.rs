//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, generated from the handlers'
//! `#[utoipa::path]` annotations and the DTOs' schemas (bounds from the constants that
//! enforce them, `constraints`), finished for the running server (`common`). A test checks
//! every API route of the router is in it; another sends generated requests to every
//! operation and holds the answers to it (`tests/it/conformance`).

mod common;
pub(crate) mod constraints;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use axum::extract::State;

use crate::controllers::{self, admin};
use crate::extract::Json;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "certdesk API", version = "1", description = "认证服务中心 — certification programme API. Errors follow SPEC E1. No text holds the NUL character (U+0000): a body with one is refused (422 `invalid_json`)."),
    paths(
        controllers::accounts::create_account,
        controllers::sessions::create_session,
        controllers::sessions::delete_session,
        controllers::me::get_me,
        controllers::me::update_contacts,
        controllers::identity::submit_identity,
        controllers::messages::list_messages,
        controllers::messages::mark_message_read,
        controllers::certifications::list_certifications,
        controllers::certifications::get_certification,
        admin::certifications::create_certification,
        admin::certifications::update_certification,
        admin::certifications::retire_certification,
        admin::certifications::unretire_certification,
        admin::identities::list_identities,
        admin::identities::decide_identity,
        admin::settings::get_verification_mode,
        admin::settings::set_verification_mode,
        admin::audit::list_audit,
        admin::jobs::list_jobs,
        admin::jobs::retry_job,
        admin::accounts::list_accounts,
        controllers::periods::list_exam_periods,
        controllers::orders::create_order,
        controllers::orders::get_order,
        controllers::orders::preview_refund,
        controllers::orders::refund_order,
        controllers::registrations::list_registrations,
        controllers::registrations::get_registration,
        controllers::registrations::reschedule_registration,
        controllers::retake::retake_registration,
        controllers::wallet::get_wallet,
        controllers::wallet::list_ledger,
        controllers::wallet::start_top_up,
        controllers::payments::payment_callback,
        admin::periods::create_exam_period,
        admin::periods::list_exam_periods,
        controllers::certificates::verify_certificate,
        controllers::certificates::list_my_certificates,
        controllers::certificates::get_credential,
        controllers::certificates::put_mailing_address,
        controllers::certificates::did_document,
        admin::certificates::revoke_certificate,
        admin::certificates::list_paper_certificates,
        admin::certificates::ship_paper_certificate,
        admin::venues::create_venue,
        admin::venues::list_venues,
        admin::venues::check_in,
        admin::wallet::credit_account,
        admin::wallet::issue_voucher,
        admin::wallet::list_promises,
        admin::wallet::list_overdue_promises,
        admin::results::import_results,
        controllers::support::open_ticket,
        controllers::support::list_my_tickets,
        controllers::support::get_my_ticket,
        controllers::support::reply_to_my_ticket,
        controllers::support::close_my_ticket,
        admin::support::list_tickets,
        admin::support::get_ticket,
        admin::support::reply_to_ticket,
        controllers::institution::list_institutions,
        controllers::institution::get_agreement,
        controllers::institution::list_test_centres,
        controllers::institution::list_slots,
        controllers::institution::register,
        controllers::institution::resend_manage_link,
        controllers::institution::book_appointment,
        controllers::institution_staff::list_own_centres,
        controllers::institution_staff::publish_slot,
        controllers::institution_staff::list_registrations,
        controllers::institution_staff::get_registration,
        controllers::institution_staff::move_appointment,
        controllers::institution_staff::refund,
        controllers::institution_staff::list_refunds,
        controllers::institution_staff::list_official_applications,
        controllers::institution_staff::check_in,
        admin::results::record_institution_results,
        admin::institutions::create_institution,
        admin::institutions::publish_agreement,
        admin::institutions::create_test_centre,
        controllers::test_clock::set_test_clock,
        controllers::payments::succeed_payment,
        openapi_json,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::dto::results::ResultItem)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Accounts, sessions, identity (A1–A4), inbox"),
        (name = "catalogue", description = "The catalogue (C1)"),
        (name = "official", description = "Official channel: exam periods, orders, registrations, reschedules, retakes, refunds (O1–O10)"),
        (name = "wallet", description = "Wallet: balances, ledger, vouchers, top-ups and gateway callbacks (O5)"),
        (name = "support", description = "Support tickets (工单) of the signed-in candidate (O11)"),
        (name = "institution", description = "Institution channel: institutions, agreements, test centres, slots, registration without an account, appointments through the management token (I1–I9)"),
        (name = "institution staff", description = "Institution staff, for their own institution only (I3, I5, I8)"),
        (name = "operators", description = "Operators (role admin)"),
        (name = "test", description = "Only with --test-clock (T3)"),
        (name = "meta", description = "This document"),
    ),
)]
pub(crate) struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This document, as this server serves it (the test-clock routes only with `--test-clock`).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 JSON", body = Object)))]
pub(crate) async fn openapi_json(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(common::document(ApiDoc::openapi(), &state.config))
}
