//! The document as this server serves it: the routes it has (the test-clock routes only with
//! `--test-clock`, T3), and on every operation the refusals that come from its shape rather
//! than its handler — the body limit (413), a body that is not JSON of its schema (422
//! `invalid_json`), a query parameter given twice or not of its type (422 `invalid_input`),
//! paging parameters out of bounds (422 `invalid_field`), a path id that is no number (404
//! `not_found`: it names nothing), no or a stale bearer token (401), and on every unsafe
//! operation the idempotency layer covers (`middleware::idempotency::covers`) the
//! `Idempotency-Key` header with its refusals (422 `invalid_field`, 422
//! `idempotency_key_reused`, 409 `idempotency_key_in_flight`).
//! Derived from the operation itself, so a new route cannot forget them.

use serde_json::{Value, json};

use crate::WebConfig;
use crate::middleware::idempotency;

/// Paths whose routes only exist with the test clock (T3).
const TEST_PATHS: &str = "/api/v1/test/";
/// Set by an operation's `#[utoipa::path(extensions(...))]` when the router gives it the
/// upload body limit (`upload_limit_bytes`) rather than the ordinary one; the conformance
/// test sends one byte past the limit stated, so a route marked wrongly is caught.
const UPLOAD_MARK: &str = "x-upload";
/// Where an operation states its body limit, in bytes, for clients and the conformance check.
pub(crate) const BODY_LIMIT_KEY: &str = "x-body-limit-bytes";
const IDEMPOTENCY_HEADER: &str = certdesk_domain::IdempotencyKey::HEADER;

/// `doc` as the server configured with `config` serves it.
pub(crate) fn document(doc: utoipa::openapi::OpenApi, config: &WebConfig) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_else(|e| {
        // The document is built from our own types: failing to serialize it is a defect.
        tracing::error!(error = %e, "serializing the OpenAPI document");
        json!({})
    });
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        if config.test_clock.is_none() {
            paths.retain(|path, _| !path.starts_with(TEST_PATHS));
        }
        for (path, item) in paths.iter_mut() {
            for (method, op) in item.as_object_mut().into_iter().flatten() {
                let limit = if op[UPLOAD_MARK] == true {
                    config.upload_limit_bytes
                } else {
                    config.body_limit_bytes
                };
                if idempotency::covers(method, path) {
                    add_idempotency(op);
                }
                add_shape_refusals(op, limit);
            }
        }
    }
    if config.test_clock.is_none()
        && let Some(tags) = doc.get_mut("tags").and_then(Value::as_array_mut)
    {
        tags.retain(|t| t["name"] != "test");
    }
    doc
}

/// Makes sure `op` lists status `status` naming `code` (with `why`).
fn answers(op: &mut Value, status: &str, code: &str, why: &str) {
    let responses = &mut op["responses"];
    let named = format!("`{code}`");
    match responses.get_mut(status) {
        Some(res) => {
            let text = res["description"].as_str().unwrap_or("").to_owned();
            if !text.contains(&named) {
                res["description"] = Value::from(format!("{text}; {named} {why}"));
            }
        }
        None => {
            responses[status] = json!({
                "description": format!("{named} {why}"),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
            });
        }
    }
}

/// The `Idempotency-Key` header of an operation the idempotency layer covers, and what it
/// answers (`middleware::idempotency`).
fn add_idempotency(op: &mut Value) {
    let has_header = op["parameters"].as_array().is_some_and(|ps| {
        ps.iter()
            .any(|p| p["in"] == "header" && p["name"] == IDEMPOTENCY_HEADER)
    });
    if !has_header {
        let schema = serde_json::to_value(super::constraints::idempotency_key())
            .unwrap_or_else(|_| json!({"type": "string"}));
        let param = json!({
            "name": IDEMPOTENCY_HEADER,
            "in": "header",
            "required": false,
            "description": "The same key and request (method, path and query, content type, \
                body) within 24 h answer the first answer, byte for byte, with \
                `Idempotent-Replayed: true`, and do nothing twice (the first answer below 500; \
                a 5xx frees the key for a retry). Keys are the caller's own: the signed-in \
                account's, a bearer token's, or the anonymous callers'.",
            "schema": schema,
        });
        match op["parameters"].as_array_mut() {
            Some(ps) => ps.push(param),
            None => op["parameters"] = json!([param]),
        }
    }
    answers(
        op,
        "422",
        "invalid_field",
        "(`Idempotency-Key` not 1 to 255 visible ASCII characters, or sent twice)",
    );
    answers(
        op,
        "422",
        "idempotency_key_reused",
        "(the `Idempotency-Key` was used with another request within 24 h)",
    );
    answers(
        op,
        "409",
        "idempotency_key_in_flight",
        "(the first request under this `Idempotency-Key` has not answered yet; retry after \
         `Retry-After` seconds)",
    );
}

fn add_shape_refusals(op: &mut Value, body_limit: usize) {
    let params: Vec<(String, String)> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or("").to_owned();
            (s("in"), s("name"))
        })
        .collect();
    let numeric_path_id = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["in"] == "path" && p["schema"]["type"] == "integer");
    if op.get("requestBody").is_some() {
        op[BODY_LIMIT_KEY] = Value::from(body_limit);
        let why = format!("(the body is larger than {body_limit} bytes)");
        answers(op, "413", "payload_too_large", &why);
        if op["requestBody"]["content"]
            .get("application/json")
            .is_some()
        {
            let why = "(not JSON of this schema — `field` names the first wrong one — or not sent \
                       as `application/json`)";
            answers(op, "422", "invalid_json", why);
        }
    }
    if params.iter().any(|(place, _)| place == "query") {
        let why = "(a query parameter given twice, or not text)";
        answers(op, "422", "invalid_input", why);
    }
    if params
        .iter()
        .any(|(place, name)| place == "query" && name == "limit")
    {
        let why = "(`limit` outside its bounds or empty, `cursor` not one this list gave)";
        answers(op, "422", "invalid_field", why);
    }
    if numeric_path_id {
        // `extract::Path`: an id that does not parse names nothing that exists.
        answers(
            op,
            "404",
            "not_found",
            "(also a path id that is not a number)",
        );
    }
    if op.get("security").is_some() {
        answers(
            op,
            "401",
            "unauthenticated",
            "(no bearer token, or one that has expired)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The operations marked `x-upload` are the routes the router gives the upload limit.
    #[test]
    fn upload_marks_are_the_upload_routes() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(crate::openapi::ApiDoc::openapi()).unwrap();
        let mut marked: Vec<&str> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, item)| {
                item.as_object()
                    .unwrap()
                    .values()
                    .any(|op| op[UPLOAD_MARK] == true)
            })
            .map(|(path, _)| path.as_str())
            .collect();
        marked.sort_unstable();
        let mut routes = crate::router::UPLOAD_ROUTES.to_vec();
        routes.sort_unstable();
        assert_eq!(marked, routes);
    }

    #[test]
    fn idempotency_header_and_refusals_are_added_once() {
        let mut op = json!({
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"201": {"description": "made"}},
        });
        add_idempotency(&mut op);
        let again = op.clone();
        add_idempotency(&mut op);
        assert_eq!(op, again, "idempotent");
        let params = op["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0]["name"], "Idempotency-Key");
        assert_eq!(params[0]["in"], "header");
        assert_eq!(params[0]["schema"]["maxLength"], 255);
        let d422 = op["responses"]["422"]["description"].as_str().unwrap();
        assert!(d422.contains("`invalid_field`") && d422.contains("`idempotency_key_reused`"));
        let d409 = op["responses"]["409"]["description"].as_str().unwrap();
        assert!(d409.contains("`idempotency_key_in_flight`"));
    }

    #[test]
    fn shape_refusals_are_added_once() {
        let mut op = json!({
            "parameters": [{"in": "query", "name": "limit"},
                           {"in": "path", "name": "id", "schema": {"type": "integer"}}],
            "requestBody": {"content": {"application/json": {}}},
            "security": [{"bearer": []}],
            "responses": {"422": {"description": "`invalid_field` (reason)"}},
        });
        add_shape_refusals(&mut op, 100);
        let again = op.clone();
        add_shape_refusals(&mut op, 100);
        assert_eq!(op, again, "idempotent");
        let r = &op["responses"];
        let d422 = r["422"]["description"].as_str().unwrap();
        for code in ["`invalid_field`", "`invalid_json`", "`invalid_input`"] {
            assert_eq!(d422.matches(code).count(), 1, "{d422}");
        }
        assert!(
            r["413"]["description"]
                .as_str()
                .unwrap()
                .contains("100 bytes")
        );
        assert!(r["401"].is_object());
        assert!(
            r["404"]["description"]
                .as_str()
                .unwrap()
                .contains("`not_found`")
        );
        assert_eq!(op[BODY_LIMIT_KEY], 100);
    }
}
