//! The document as this server serves it: the routes it has (the test-clock routes only with
//! `--test-clock`, T3), and on every operation the refusals that come from its shape rather
//! than its handler — the body limit (413), a body that is not JSON of its schema (422
//! `invalid_json`), a query parameter given twice or not of its type (422 `invalid_input`),
//! paging parameters out of bounds (422 `invalid_field`), a path id that is no number (404
//! `not_found`: it names nothing), no or a stale bearer token (401).
//! Derived from the operation itself, so a new route cannot forget them.

use serde_json::{Value, json};

use crate::WebConfig;

/// Paths whose routes only exist with the test clock (T3).
const TEST_PATHS: &str = "/api/v1/test/";
/// Set by an operation's `#[utoipa::path(extensions(...))]` when the router gives it the
/// upload body limit (`upload_limit_bytes`) rather than the ordinary one; the conformance
/// test sends one byte past the limit stated, so a route marked wrongly is caught.
const UPLOAD_MARK: &str = "x-upload";
/// Where an operation states its body limit, in bytes, for clients and the conformance check.
pub(crate) const BODY_LIMIT_KEY: &str = "x-body-limit-bytes";

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
        for item in paths.values_mut() {
            for op in item
                .as_object_mut()
                .into_iter()
                .flat_map(|i| i.values_mut())
            {
                let limit = if op[UPLOAD_MARK] == true {
                    config.upload_limit_bytes
                } else {
                    config.body_limit_bytes
                };
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
