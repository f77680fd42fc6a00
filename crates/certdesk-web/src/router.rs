//! One flat route list: JSON under `/api/v1`, pages under `/`, probes and static files,
//! wrapped in the layers of `middleware` (outermost first: request id, trace, metrics, load,
//! transport, security headers, body limit, context, idempotency, CSRF).

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use certdesk_app::App;
use certdesk_domain::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;

use crate::WebConfig;
use crate::controllers::{self as api, admin};
use crate::csrf::{self, CsrfKey};
use crate::error::WebError;
use crate::middleware::metrics::Metrics;
use crate::middleware::{
    context, idempotency, load, metrics, request_id, security_headers, trace, transport,
};
use crate::pages;
use crate::state::AppState;
use crate::{health, openapi, static_files};

/// One route of the JSON API: what the OpenAPI document must list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoute {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// axum/OpenAPI path syntax: `/api/v1/certifications/{code}`.
    pub path: &'static str,
}

pub(crate) type Table = Vec<(&'static str, &'static str, MethodRouter<AppState>)>;

/// The API routes whose bodies may be as large as `WebConfig::upload_limit_bytes`: results
/// files (O6, I7). Every other body is held to `body_limit_bytes`. Their operations are
/// marked `x-upload` in the OpenAPI document (a test holds the two together).
pub(crate) const UPLOAD_ROUTES: [&str; 2] =
    ["/api/v1/admin/results", "/api/v1/institution/results"];

/// The page whose form uploads a results file, as large as the API's.
pub(crate) const UPLOAD_PAGE: &str = "/admin/results";

/// The largest body the route `matched` (its template) takes.
pub(crate) fn body_limit_of(config: &WebConfig, matched: Option<&str>) -> usize {
    match matched {
        Some(path) if UPLOAD_ROUTES.contains(&path) || path == UPLOAD_PAGE => {
            config.upload_limit_bytes
        }
        _ => config.body_limit_bytes,
    }
}

/// The JSON API, one line per route.
fn api_table(test_clock: bool) -> Table {
    let mut t: Table = vec![
        (
            "POST",
            "/api/v1/accounts",
            post(api::accounts::create_account),
        ),
        (
            "POST",
            "/api/v1/sessions",
            post(api::sessions::create_session),
        ),
        (
            "DELETE",
            "/api/v1/sessions",
            delete(api::sessions::delete_session),
        ),
        ("GET", "/api/v1/me", get(api::me::get_me)),
        (
            "PUT",
            "/api/v1/me/identity",
            put(api::identity::submit_identity),
        ),
        ("PUT", "/api/v1/me/contacts", put(api::me::update_contacts)),
        (
            "GET",
            "/api/v1/me/messages",
            get(api::messages::list_messages),
        ),
        (
            "POST",
            "/api/v1/me/messages/{id}/read",
            post(api::messages::mark_message_read),
        ),
        (
            "GET",
            "/api/v1/certifications",
            get(api::certifications::list_certifications),
        ),
        (
            "GET",
            "/api/v1/certifications/{code}",
            get(api::certifications::get_certification),
        ),
        (
            "POST",
            "/api/v1/admin/certifications",
            post(admin::certifications::create_certification),
        ),
        (
            "PUT",
            "/api/v1/admin/certifications/{code}",
            put(admin::certifications::update_certification),
        ),
        (
            "POST",
            "/api/v1/admin/certifications/{code}/retire",
            post(admin::certifications::retire_certification),
        ),
        (
            "POST",
            "/api/v1/admin/certifications/{code}/unretire",
            post(admin::certifications::unretire_certification),
        ),
        (
            "GET",
            "/api/v1/admin/identities",
            get(admin::identities::list_identities),
        ),
        (
            "POST",
            "/api/v1/admin/identities/{account_id}/decision",
            post(admin::identities::decide_identity),
        ),
        (
            "GET",
            "/api/v1/admin/settings/verification-mode",
            get(admin::settings::get_verification_mode),
        ),
        (
            "PUT",
            "/api/v1/admin/settings/verification-mode",
            put(admin::settings::set_verification_mode),
        ),
        ("GET", "/api/v1/admin/audit", get(admin::audit::list_audit)),
        ("GET", "/api/v1/admin/jobs", get(admin::jobs::list_jobs)),
        (
            "POST",
            "/api/v1/admin/jobs/{id}/retry",
            post(admin::jobs::retry_job),
        ),
        (
            "GET",
            "/api/v1/admin/accounts",
            get(admin::accounts::list_accounts),
        ),
        (
            "GET",
            "/api/v1/exam-periods",
            get(api::periods::list_exam_periods),
        ),
        ("POST", "/api/v1/orders", post(api::orders::create_order)),
        ("GET", "/api/v1/orders/{id}", get(api::orders::get_order)),
        (
            "GET",
            "/api/v1/orders/{id}/refund-preview",
            get(api::orders::preview_refund),
        ),
        (
            "POST",
            "/api/v1/orders/{id}/refund",
            post(api::orders::refund_order),
        ),
        (
            "GET",
            "/api/v1/registrations",
            get(api::registrations::list_registrations),
        ),
        (
            "GET",
            "/api/v1/registrations/{id}",
            get(api::registrations::get_registration),
        ),
        (
            "POST",
            "/api/v1/registrations/{id}/reschedule",
            post(api::registrations::reschedule_registration),
        ),
        (
            "POST",
            "/api/v1/registrations/{id}/retake",
            post(api::retake::retake_registration),
        ),
        ("GET", "/api/v1/me/wallet", get(api::wallet::get_wallet)),
        ("GET", "/api/v1/me/ledger", get(api::wallet::list_ledger)),
        (
            "POST",
            "/api/v1/me/top-ups",
            post(api::wallet::start_top_up),
        ),
        (
            "POST",
            "/api/v1/payments/{gateway}/callback",
            post(api::payments::payment_callback),
        ),
        (
            "POST",
            "/api/v1/admin/exam-periods",
            post(admin::periods::create_exam_period),
        ),
        (
            "GET",
            "/api/v1/admin/exam-periods",
            get(admin::periods::list_exam_periods),
        ),
        (
            "GET",
            "/api/v1/certificates/{number}",
            get(api::certificates::verify_certificate),
        ),
        (
            "GET",
            "/api/v1/me/certificates",
            get(api::certificates::list_my_certificates),
        ),
        (
            "GET",
            "/api/v1/me/certificates/{number}/credential",
            get(api::certificates::get_credential),
        ),
        (
            "PUT",
            "/api/v1/me/mailing-address",
            put(api::certificates::put_mailing_address),
        ),
        (
            "GET",
            "/.well-known/did.json",
            get(api::certificates::did_document),
        ),
        (
            "POST",
            "/api/v1/admin/certificates/{number}/revocation",
            post(admin::certificates::revoke_certificate),
        ),
        (
            "GET",
            "/api/v1/admin/paper-certificates",
            get(admin::certificates::list_paper_certificates),
        ),
        (
            "POST",
            "/api/v1/admin/paper-certificates/{id}/shipment",
            post(admin::certificates::ship_paper_certificate),
        ),
        (
            "POST",
            "/api/v1/admin/venues",
            post(admin::venues::create_venue),
        ),
        (
            "GET",
            "/api/v1/admin/venues",
            get(admin::venues::list_venues),
        ),
        (
            "POST",
            "/api/v1/admin/check-ins",
            post(admin::venues::check_in),
        ),
        (
            "POST",
            "/api/v1/admin/accounts/{id}/credits",
            post(admin::wallet::credit_account),
        ),
        (
            "POST",
            "/api/v1/admin/vouchers",
            post(admin::wallet::issue_voucher),
        ),
        (
            "GET",
            "/api/v1/admin/promises",
            get(admin::wallet::list_promises),
        ),
        (
            "GET",
            "/api/v1/admin/promises/overdue",
            get(admin::wallet::list_overdue_promises),
        ),
        (
            "POST",
            "/api/v1/admin/results",
            // O6: a results file may be far larger than any other body (`UPLOAD_ROUTES`).
            post(admin::results::import_results),
        ),
        ("GET", "/api/v1/openapi.json", get(openapi::openapi_json)),
    ];
    t.extend(support_api());
    t.extend(crate::institution_routes::institution_api());
    if test_clock {
        // T3: without the flag the route does not exist (404 like any unknown path).
        t.push((
            "PUT",
            "/api/v1/test/clock",
            put(api::test_clock::set_test_clock),
        ));
        t.push((
            "POST",
            "/api/v1/test/payments/{payment_id}/succeed",
            post(api::payments::succeed_payment),
        ));
    }
    t
}

/// O11: support tickets, the candidate's own and the operators' queue.
fn support_api() -> Table {
    use api::support as me;
    vec![
        ("POST", "/api/v1/me/tickets", post(me::open_ticket)),
        ("GET", "/api/v1/me/tickets", get(me::list_my_tickets)),
        ("GET", "/api/v1/me/tickets/{id}", get(me::get_my_ticket)),
        (
            "POST",
            "/api/v1/me/tickets/{id}/messages",
            post(me::reply_to_my_ticket),
        ),
        (
            "POST",
            "/api/v1/me/tickets/{id}/close",
            post(me::close_my_ticket),
        ),
        (
            "GET",
            "/api/v1/admin/tickets",
            get(admin::support::list_tickets),
        ),
        (
            "GET",
            "/api/v1/admin/tickets/{id}",
            get(admin::support::get_ticket),
        ),
        (
            "POST",
            "/api/v1/admin/tickets/{id}/messages",
            post(admin::support::reply_to_ticket),
        ),
    ]
}

/// The JSON API routes a router built with (`test_clock`) serves.
pub fn api_routes(test_clock: bool) -> Vec<ApiRoute> {
    api_table(test_clock)
        .into_iter()
        .map(|(method, path, _)| ApiRoute { method, path })
        .collect()
}

/// The web pages.
fn page_routes(r: Router<AppState>, upload_limit: usize) -> Router<AppState> {
    use pages::*;
    let r = r
        .route("/", get(home::show_home))
        .route(
            "/certifications/{code}",
            get(certification::show_certification),
        )
        .route(
            "/signup",
            get(signup::show_signup).post(signup::submit_signup),
        )
        .route("/login", get(login::show_login).post(login::submit_login))
        .route("/logout", post(logout::submit_logout))
        .route("/lang/{tag}", get(lang::switch_language))
        .route(
            "/identity",
            get(identity::show_identity).post(identity::submit_identity),
        )
        .route("/account", get(account::show_account))
        .route("/account/contacts", post(account::update_contacts))
        .route(
            "/account/messages/{id}/read",
            post(account::mark_message_read),
        )
        .route(
            "/checkout",
            get(checkout::show_checkout).post(checkout::submit_checkout),
        )
        .route("/checkout/plan", get(checkout::show_plan))
        .route("/exams", get(exams::show_exams))
        .route("/exams/{id}", get(exams::show_exam))
        .route(
            "/exams/{id}/reschedule",
            post(reschedule::submit_reschedule),
        )
        .route("/exams/{id}/retake", post(retake::submit_retake))
        .route("/exams/{id}/confirmation", get(exams::show_confirmation))
        .route(
            "/exams/{id}/refund",
            get(refund::show_refund).post(refund::submit_refund),
        )
        .route("/wallet", get(wallet::show_wallet))
        .route("/wallet/top-ups", post(wallet::submit_top_up))
        .route("/sandbox/payments/{id}", get(sandbox::show_payment))
        .route("/sandbox/payments/{id}/pay", post(sandbox::pay))
        .route("/sandbox/payments/{id}/cancel", post(sandbox::cancel))
        .route("/admin", get(admin::show_admin))
        .route(
            "/admin/certifications",
            get(admin::catalogue::show_catalogue).post(admin::catalogue::create_certification),
        )
        .route(
            "/admin/certifications/{code}/edit",
            get(admin::catalogue_edit::show_edit).post(admin::catalogue_edit::submit_edit),
        )
        .route(
            "/admin/certifications/{code}/retire",
            post(admin::catalogue_edit::retire),
        )
        .route(
            "/admin/certifications/{code}/unretire",
            post(admin::catalogue_edit::unretire),
        )
        .route(
            "/admin/exam-periods",
            get(admin::periods::show_periods).post(admin::periods::create_period),
        )
        .route(
            "/admin/credits",
            get(admin::wallet::show_credits).post(admin::wallet::submit_credit),
        )
        .route(
            "/admin/vouchers",
            get(admin::wallet::show_vouchers).post(admin::wallet::submit_voucher),
        )
        .route("/admin/promises", get(admin::promises::show_promises))
        .route(
            "/admin/promises/overdue",
            get(admin::promises::show_overdue),
        )
        .route(
            UPLOAD_PAGE,
            get(admin::results::show_results)
                .post(admin::results::submit_results)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/admin/identities", get(admin::identities::show_queue))
        .route(
            "/admin/identities/{account_id}/decision",
            post(admin::identities::decide),
        )
        .route(
            "/admin/settings",
            get(admin::settings::show_settings).post(admin::settings::update_settings),
        )
        .route("/admin/audit", get(admin::audit::show_audit))
        .route("/admin/jobs", get(admin::jobs::show_jobs))
        .route("/admin/jobs/{id}/retry", post(admin::jobs::retry_job))
        .route(
            "/admin/notifications",
            get(admin::notifications::show_notifications),
        )
        .merge(certificate_pages())
        .merge(support_pages())
        .merge(pages::institution::routes());
    document_routes(r)
}

/// O4/O9 documents and the operators' venue desk: admission tickets (calendar file, PDF),
/// certificate PDFs, venues and check-in.
fn document_routes(r: Router<AppState>) -> Router<AppState> {
    use pages::*;
    r.route("/exams/{id}/ticket.ics", get(ticket::download_ticket_ics))
        .route("/exams/{id}/ticket.pdf", get(ticket::download_ticket_pdf))
        .route(
            "/certificates/{number}/certificate.pdf",
            get(certificate_pdf::download_certificate_pdf),
        )
        .route(
            "/admin/venues",
            get(admin::venues::show_venues).post(admin::venues::submit_venue),
        )
        .route(
            "/admin/check-in",
            get(admin::check_in::show_check_in).post(admin::check_in::submit_check_in),
        )
}

/// O9's pages: public verification, the holder's credential download and mailing address,
/// the operators' revocation and paper shipping.
fn certificate_pages() -> Router<AppState> {
    use pages::{account_certificates, admin, certificates};
    Router::new()
        .route("/certificates", get(certificates::show_lookup))
        .route(
            "/certificates/{number}",
            get(certificates::show_certificate),
        )
        .route(
            "/account/certificates/{number}/credential.jwt",
            get(certificates::download_credential),
        )
        .route(
            "/account/mailing-address",
            post(account_certificates::submit_mailing_address),
        )
        .route(
            "/admin/certificates",
            get(admin::certificates::show_certificates),
        )
        .route(
            "/admin/certificates/revocation",
            post(admin::certificates::submit_revocation),
        )
        .route("/admin/paper-certificates", get(admin::paper::show_paper))
        .route(
            "/admin/paper-certificates/{id}/shipment",
            post(admin::paper::submit_shipment),
        )
}

/// O11's pages: the candidate's tickets and help page, the operators' queue.
fn support_pages() -> Router<AppState> {
    use pages::{admin, help, support};
    Router::new()
        .route("/help", get(help::show_help))
        .route(
            "/support",
            get(support::show_support).post(support::submit_ticket),
        )
        .route("/support/{id}", get(support::show_ticket))
        .route("/support/{id}/messages", post(support::submit_reply))
        .route("/support/{id}/close", post(support::submit_close))
        .route("/admin/tickets", get(admin::support::show_queue))
        .route("/admin/tickets/{id}", get(admin::support::show_ticket))
        .route(
            "/admin/tickets/{id}/messages",
            post(admin::support::submit_reply),
        )
}

fn panic_response(panic: Box<dyn std::any::Any + Send>) -> Response {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = what, "handler panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

async fn not_found() -> WebError {
    WebError::code(ErrorCode::NotFound)
}

/// The whole web layer: the binary serves exactly this.
pub fn router(app: Arc<App>, config: WebConfig) -> Router {
    let body_limit = config.body_limit_bytes;
    let state = AppState {
        csrf: CsrfKey::from_bytes(app.form_key()),
        https_site: app.public_url().starts_with("https://"),
        app,
        metrics: Arc::new(Metrics::new()),
        config: Arc::new(config),
    };
    let mut r = Router::new();
    let upload_limit = state.config.upload_limit_bytes;
    for (_, path, handler) in api_table(state.config.test_clock.is_some()) {
        let handler = if UPLOAD_ROUTES.contains(&path) {
            handler.layer(DefaultBodyLimit::max(upload_limit))
        } else {
            handler
        };
        r = r.route(path, handler);
    }
    page_routes(r, upload_limit)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/static/{name}", get(static_files::serve))
        .route("/favicon.ico", get(static_files::favicon))
        .fallback(not_found)
        // A panic is a defect: answered 500 (rendered E1 by the context layer), never a
        // dropped connection.
        .layer(CatchPanicLayer::custom(
            panic_response as fn(Box<dyn std::any::Any + Send>) -> Response,
        ))
        .layer(from_fn_with_state(state.clone(), csrf::protect))
        .layer(from_fn_with_state(state.clone(), idempotency::idempotency))
        .layer(from_fn_with_state(state.clone(), context::context))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn(security_headers::security_headers))
        .layer(from_fn_with_state(state.clone(), transport::transport))
        .layer(from_fn_with_state(state.config.load.clone(), load::count))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(trace::layer())
        .layer(from_fn(request_id::request_id))
        .with_state(state)
}
