//! Who is calling: `CurrentAccount` (401 otherwise), `CurrentAdmin` (401, then 403 for a
//! non-admin), `MaybeAccount` for pages that anyone may see. The session itself was looked
//! up once by the context layer (bearer token for the API, cookie for pages).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use certdesk_domain::{ErrorCode, InstitutionId, Role};
use certdesk_store::Account;

use crate::error::WebError;
use crate::middleware::context::{Authenticated, RequestContext};

fn auth_of(parts: &Parts) -> Option<Arc<Authenticated>> {
    parts
        .extensions
        .get::<RequestContext>()
        .and_then(|c| c.auth.clone())
}

/// A signed-in account (any role).
#[derive(Debug, Clone)]
pub(crate) struct CurrentAccount(pub Arc<Authenticated>);

impl CurrentAccount {
    pub(crate) fn account(&self) -> &Account {
        &self.0.account
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentAccount {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        auth_of(parts)
            .map(CurrentAccount)
            .ok_or(WebError::code(ErrorCode::Unauthenticated))
    }
}

/// A signed-in operator (role `admin`).
#[derive(Debug, Clone)]
pub(crate) struct CurrentAdmin(pub Arc<Authenticated>);

impl CurrentAdmin {
    pub(crate) fn account(&self) -> &Account {
        &self.0.account
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentAdmin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let auth = auth_of(parts).ok_or(WebError::code(ErrorCode::Unauthenticated))?;
        if auth.account.has_role(Role::Admin) {
            Ok(CurrentAdmin(auth))
        } else {
            Err(WebError::code(ErrorCode::Forbidden))
        }
    }
}

/// A signed-in member of an institution's staff (role `institution_staff`, bound to an
/// institution): 401, then 403 for anyone else — operators included, who act for
/// institutions through the API and the admin pages, not the staff portal.
#[derive(Debug, Clone)]
pub(crate) struct CurrentStaff {
    auth: Arc<Authenticated>,
    pub institution: InstitutionId,
}

impl CurrentStaff {
    pub(crate) fn account(&self) -> &Account {
        &self.auth.account
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentStaff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let auth = auth_of(parts).ok_or(WebError::code(ErrorCode::Unauthenticated))?;
        match auth.account.institution_id {
            Some(institution) if auth.account.has_role(Role::InstitutionStaff) => {
                Ok(CurrentStaff { auth, institution })
            }
            _ => Err(WebError::code(ErrorCode::Forbidden)),
        }
    }
}

/// The signed-in account, if any.
#[derive(Debug, Clone)]
pub(crate) struct MaybeAccount(pub Option<Arc<Authenticated>>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAccount {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeAccount(auth_of(parts)))
    }
}

/// I1: the bearer token of an institution registration's management link
/// (`<registration id>.<32 hex digits>`), when the caller sent one instead of a session. Its
/// signature and validity are checked by the use case.
#[derive(Debug, Clone)]
pub(crate) struct ManageToken(pub Option<String>);

impl ManageToken {
    fn looks_like(token: &str) -> bool {
        token.split_once('.').is_some_and(|(id, mac)| {
            !id.is_empty()
                && id.len() <= 19
                && id.bytes().all(|b| b.is_ascii_digit())
                && mac.len() == 32
                && mac.bytes().all(|b| b.is_ascii_hexdigit())
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ManageToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let token = crate::middleware::context::bearer(&parts.headers)
            .filter(|t| ManageToken::looks_like(t))
            .map(str::to_owned);
        Ok(ManageToken(token))
    }
}
