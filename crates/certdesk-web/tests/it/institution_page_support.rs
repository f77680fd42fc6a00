//! Helpers of the institution channel's page tests: reading a rendered page by its
//! `data-testid`s, the management token out of a redirect, a page in English.

use axum::http::{Method, StatusCode};

use crate::support::{Browser, Res};

/// Whether the page has an element with `data-testid=id`.
pub fn has(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

/// The text inside the element with `data-testid=id`, up to its first tag.
pub fn text_of<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!(r#"data-testid="{id}""#);
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {id} in {body}"));
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    let len = rest[start..].find('<').unwrap();
    &rest[start..start + len]
}

/// The value of `attr` on the element with `data-testid=id`.
pub fn attr_of<'a>(body: &'a str, id: &str, attr: &str) -> &'a str {
    let marker = format!(r#"data-testid="{id}""#);
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {id} in {body}"));
    // The element's opening tag: back to its `<`, on to its `>`.
    let open = body[..at].rfind('<').unwrap();
    let end = at + body[at..].find('>').unwrap();
    let tag = &body[open..end];
    let key = format!(r#" {attr}=""#);
    let from = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {attr} on {id}: {tag}"))
        + key.len();
    let len = tag[from..].find('"').unwrap();
    &tag[from..from + len]
}

/// The redirect's target.
pub fn location(res: &Res) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").expect("a Location").to_owned()
}

/// The management token of a `/manage/{token}…` address.
pub fn token_in(location: &str) -> String {
    let rest = location
        .strip_prefix("/manage/")
        .unwrap_or_else(|| panic!("not a management link: {location}"));
    rest.split(['/', '?', '#']).next().unwrap().to_owned()
}

/// A page read in English.
pub async fn english(b: &mut Browser<'_>, path: &str) -> String {
    let page = b
        .request(Method::GET, path, None, &[("accept-language", "en")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}
