//! Keyset pagination: `?limit=&cursor=` in, `{items, next_cursor}` out.

use certdesk_domain::{ErrorCode, LocalizedText, Refusal};
use certdesk_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::WebError;
use crate::openapi::constraints::DEFAULT_PAGE_LIMIT;

/// `?limit=&cursor=`; parsed by [`PageQuery::page_request`] so a bad value names its field.
/// A parameter given empty (`?limit=`) is refused like any other value that is not one: only
/// a parameter left out takes the default (issue 11: one reading on every list).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    #[param(schema_with = crate::openapi::constraints::page_limit)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl PageQuery {
    pub(crate) fn page_request(&self) -> Result<PageRequest, WebError> {
        let bad = |field: &'static str, zh: &'static str, en: &'static str| {
            WebError::Refused(
                Refusal::new(ErrorCode::InvalidField)
                    .field(field)
                    .detail(LocalizedText::fixed(zh, en)),
            )
        };
        let limit = match self.limit.as_deref() {
            None => DEFAULT_PAGE_LIMIT,
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=PageRequest::MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    bad(
                        "limit",
                        "每页条数须为 1–200。",
                        "limit must be between 1 and 200.",
                    )
                })?,
        };
        let cursor = match self.cursor.as_deref() {
            None => None,
            Some(s) => Some(
                s.parse::<i64>()
                    .map_err(|_| bad("cursor", "翻页标记无效。", "The cursor is not valid."))?,
            ),
        };
        Ok(PageRequest { limit, cursor })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PageDto<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> PageDto<T> {
    pub(crate) fn from_page<R>(page: Page<R>, f: impl FnMut(R) -> T) -> PageDto<T> {
        PageDto {
            items: page.items.into_iter().map(f).collect(),
            next_cursor: page.next_cursor.map(|c| c.to_string()),
        }
    }
}
