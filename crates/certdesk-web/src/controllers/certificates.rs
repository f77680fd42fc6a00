//! O9: certificates — anyone verifies one by its number (signed, checkable offline against
//! `/.well-known/did.json`); a holder lists theirs (A3) and downloads each as an Open Badges
//! 3.0 credential; a holder gives the mailing address their paper copies go to.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::dto::certificates::{
    MailingAddressBody, MailingAddressDto, MyCertificateDto, PublicCertificateDto,
};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{CurrentAccount, Json, ManageToken, MaybeAccount, Path};
use crate::state::AppState;
use certdesk_domain::ErrorCode;

/// Verifies a certificate by its number: the public fields (the holder's name masked, never
/// the ID number) and an Ed25519 signature over their RFC 8785 canonical JSON.
#[utoipa::path(
    get, path = "/api/v1/certificates/{number}", tag = "certificates",
    params(("number" = String, Path, description = "Certificate number, e.g. TC4821093375160")),
    responses(
        (status = 200, description = "The certificate, signed", body = PublicCertificateDto),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`certificate_invalid` (a mistyped number)", body = ErrorBody),
    ),
)]
pub(crate) async fn verify_certificate(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> WebResult<Json<serde_json::Value>> {
    Ok(Json(state.app.public_certificate(&number).await?))
}

/// The caller's person's certificates (A3: a verified identity), newest first.
#[utoipa::path(
    get, path = "/api/v1/me/certificates", tag = "certificates",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Certificates", body = Vec<MyCertificateDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_my_certificates(
    State(state): State<AppState>,
    who: CurrentAccount,
) -> WebResult<Json<Vec<MyCertificateDto>>> {
    let list = state.app.my_certificates(who.account()).await?;
    Ok(Json(list.iter().map(MyCertificateDto::new).collect()))
}

/// The holder's certificate as an Open Badges 3.0 `OpenBadgeCredential`, a compact JWS
/// (`alg` EdDSA, `kid` `did:web:<host>#key-1`, the payload the credential itself).
#[utoipa::path(
    get, path = "/api/v1/me/certificates/{number}/credential", tag = "certificates",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    responses(
        (status = 200, description = "The signed credential", content_type = "application/vc+jwt", body = String),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found` (not the caller's)", body = ErrorBody),
        (status = 422, description = "`certificate_invalid`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_credential(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let jws = state
        .app
        .certificate_credential(who.account(), &number)
        .await?;
    let mut res = jws.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vc+jwt"),
    );
    Ok(res)
}

/// Where the caller's paper certificates go (O9); replaces any earlier address. An institution
/// candidate calls with their management token as the bearer token (I1, I7).
#[utoipa::path(
    put, path = "/api/v1/me/mailing-address", tag = "certificates",
    security(("bearer" = [])),
    request_body = MailingAddressBody,
    responses(
        (status = 200, description = "Saved", body = MailingAddressDto),
        (status = 401, description = "`unauthenticated` (also a forged management token); `link_expired` (I1)", body = ErrorBody),
        (status = 422, description = "`invalid_field`, `invalid_phone`, `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn put_mailing_address(
    State(state): State<AppState>,
    who: MaybeAccount,
    manage: ManageToken,
    Json(body): Json<MailingAddressBody>,
) -> WebResult<Json<MailingAddressDto>> {
    let saved = match (who.0, manage.0) {
        (Some(auth), _) => {
            state
                .app
                .put_mailing_address(&auth.account, body.into_input())
                .await?
        }
        (None, Some(token)) => {
            state
                .app
                .put_mailing_address_by_link(&token, body.into_input())
                .await?
        }
        (None, None) => return Err(WebError::code(ErrorCode::Unauthenticated)),
    };
    Ok(Json(MailingAddressDto::new(&saved)))
}

/// The issuer's DID document (`did:web`): its Ed25519 key as a JWK under `#key-1` (O9).
#[utoipa::path(
    get, path = "/.well-known/did.json", tag = "certificates",
    responses((status = 200, description = "The DID document", body = Object)),
)]
pub(crate) async fn did_document(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.app.did_document())
}
