//! The management page's forms, each authorized by the token in its path (opened again by
//! the use case) and guarded by the CSRF layer (see `manage.rs`):
//! `POST /manage/{token}/appointment` books or moves (I3, I5), `POST /manage/{token}/retake`
//! books the free retake (I6), `POST /manage/{token}/resend` sends the link again (I1).
//! Success comes back to the page with a banner; a refusal shows the page again with its E1
//! message beside the form.

use axum::extract::State;
use axum::response::Response;
use certdesk_domain::{Refusal, RegistrationId, SlotId};
use serde::Deserialize;

use super::manage::{Link, expired_page, open};
use super::manage_view::{ManageExtras, render_manage};
use crate::error::WebResult;
use crate::extract::{Ctx, Form, Path};
use crate::input::parse_form_id;
use crate::pages::account_certificates::{ADDRESS_FIELDS, AddressForm};
use crate::pages::{FormErrors, form_refusal, see_other};
use crate::state::AppState;

/// One slot's button: which attempt (the first or its retake), which slot, and the centre
/// being looked at (to list it again after a refusal).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct BookForm {
    registration_id: String,
    slot_id: String,
    centre: String,
}

/// The retake's slot.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RetakeForm {
    slot_id: String,
}

/// The address to send the link to again.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResendForm {
    email: String,
}

/// `POST /manage/{token}/mailing-address`: O9/I7, where the paper certificate goes; a refused
/// field is named beside it.
pub(crate) async fn submit_mailing_address(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(form): Form<AddressForm>,
) -> WebResult<Response> {
    let first = match open(&state, &token).await? {
        Link::Open(r) => *r,
        Link::Expired(r) => return expired_page(&ctx, &token, &r, false),
    };
    let refusal = match state
        .app
        .put_mailing_address_by_link(&token, form.input())
        .await
    {
        Ok(_) => {
            let to = format!("/manage/{token}?address=1#mailing-address");
            return Ok(see_other(&ctx, &to));
        }
        Err(e) => form_refusal(e)?,
    };
    let errors = FormErrors::from_refusal(&refusal, ctx.locale, &ADDRESS_FIELDS);
    let extras = ManageExtras {
        address: Some((form, errors, refusal)),
        ..ManageExtras::default()
    };
    render_manage(&state, &ctx, &token, first, extras).await
}

/// `POST /manage/{token}/appointment`: I3/I5 by the candidate.
pub(crate) async fn submit_appointment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(form): Form<BookForm>,
) -> WebResult<Response> {
    let first = match open(&state, &token).await? {
        Link::Open(r) => *r,
        Link::Expired(r) => return expired_page(&ctx, &token, &r, false),
    };
    let ids = parse_form_id(&form.registration_id, "registration_id")
        .and_then(|id| Ok((id, parse_form_id(&form.slot_id, "slot_id")?)));
    let result = match ids {
        Ok((id, slot)) => state
            .app
            .book_appointment(&token, RegistrationId(id), SlotId(slot))
            .await
            .map(|_| ()),
        Err(r) => Err(r.into()),
    };
    let error = match result {
        Ok(()) => return Ok(see_other(&ctx, &format!("/manage/{token}?booked=1#slots"))),
        Err(e) => form_refusal(e)?,
    };
    let extras = ManageExtras {
        centre: form.centre.trim().parse().ok(),
        error: Some(error),
        ..ManageExtras::default()
    };
    render_manage(&state, &ctx, &token, first, extras).await
}

/// `POST /manage/{token}/retake`: I6, the free retake of the first attempt, booked at once.
pub(crate) async fn submit_retake(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(form): Form<RetakeForm>,
) -> WebResult<Response> {
    let first = match open(&state, &token).await? {
        Link::Open(r) => *r,
        Link::Expired(r) => return expired_page(&ctx, &token, &r, false),
    };
    let result = match parse_form_id(&form.slot_id, "slot_id") {
        Ok(slot) => state
            .app
            .institution_retake(&token, first.registration.id, SlotId(slot))
            .await
            .map(|_| ()),
        Err(r) => Err(r.into()),
    };
    let error: Refusal = match result {
        Ok(()) => return Ok(see_other(&ctx, &format!("/manage/{token}?retaken=1"))),
        Err(e) => form_refusal(e)?,
    };
    let extras = ManageExtras {
        retake_error: Some(error),
        ..ManageExtras::default()
    };
    render_manage(&state, &ctx, &token, first, extras).await
}

/// The registration a token names. Read only once `open` has checked the token's signature
/// (an expired link is still one this deployment signed).
fn signed_registration(token: &str) -> Option<RegistrationId> {
    token.split_once('.')?.0.parse().ok().map(RegistrationId)
}

/// `POST /manage/{token}/resend`: I1, the link sent again to the registration's email when
/// `email` is that email. The answer is the same whatever was typed, so the form tells
/// nobody whose registration it is.
pub(crate) async fn submit_resend(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(form): Form<ResendForm>,
) -> WebResult<Response> {
    let id = match open(&state, &token).await? {
        Link::Open(r) => Some(r.registration.id),
        Link::Expired(_) => signed_registration(&token),
    };
    if let Some(id) = id {
        state.app.resend_manage_link(id, &form.email).await?;
    }
    Ok(see_other(&ctx, &format!("/manage/{token}?resent=1")))
}
