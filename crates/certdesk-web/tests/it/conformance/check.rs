//! What an answer must be under the document: a documented status, the refusal's code named
//! for that status, a body of the documented media type fitting the documented schema; never
//! a 5xx; never a success for a request the document refuses; never a refusal as malformed
//! (or as a wrong value of a field the schema alone decides) for one it accepts.

use axum::http::{StatusCode, header};
use serde_json::Value;

use super::request::{Case, Operation};
use super::schema;
use crate::support::Res;

/// The media type of a response, without parameters.
fn media_type(res: &Res) -> String {
    res.header(header::CONTENT_TYPE.as_str())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Fields a good value of which a rule of the stored state may still refuse, so a refusal
/// naming them says nothing about their schema: a credit that would lift the balance past
/// the largest amount the ledger holds (O5, `certdesk_domain::balance_after`).
const STATEFUL: [(&str, &str); 1] = [("POST /api/v1/admin/accounts/{id}/credits", "amount_fen")];

/// The schema of parameter or top-level body property `name` of `op`, when it alone decides
/// which values are good: a number, a boolean, an enum, or text with a pattern (parameters
/// only: a body's text fields carry rules a pattern cannot say, such as a check character).
fn fully_described(doc: &Value, op: &Operation, name: &str) -> Option<Value> {
    let complete = |s: &Value, text_too: bool| {
        let s = schema::resolve(doc, s);
        let ts = schema::types(s);
        s.get("enum").is_some()
            || ts
                .iter()
                .any(|t| matches!(*t, "integer" | "number" | "boolean"))
            || (text_too && s.get("pattern").is_some())
    };
    let params = op.op["parameters"].as_array().into_iter().flatten();
    if let Some(p) = params.into_iter().find(|p| p["name"] == name) {
        return complete(&p["schema"], true).then(|| p["schema"].clone());
    }
    let body = op.op["requestBody"]["content"]["application/json"]["schema"].clone();
    let prop = schema::resolve(doc, &body)["properties"][name].clone();
    (!prop.is_null() && complete(&prop, false)).then_some(prop)
}

/// What is wrong with `res` as an answer to `case` under `op`'s documentation.
pub fn mismatches(doc: &Value, op: &Operation, case: &Case, res: &Res) -> Vec<String> {
    let mut out = Vec::new();
    let status = res.status.as_u16().to_string();
    if res.status.is_server_error() {
        out.push(format!("answered {status}: {}", res.body));
    }
    if !case.valid && res.status.is_success() {
        out.push(format!(
            "accepted a request the document refuses ({status})"
        ));
    }
    let error = serde_json::from_str::<Value>(&res.body)
        .ok()
        .map(|v| v["error"].clone());
    let code = error
        .as_ref()
        .and_then(|e| e["code"].as_str().map(str::to_owned));
    let field = error
        .as_ref()
        .and_then(|e| e["field"].as_str().map(str::to_owned));
    // A value its schema fully describes (a number or boolean in bounds, one of an enum, text
    // of a pattern) refused as the wrong value: the schema's bounds are not the server's.
    if case.valid
        && matches!(code.as_deref(), Some("invalid_field" | "invalid_amount"))
        && !STATEFUL.contains(&(op.name().as_str(), field.as_deref().unwrap_or("")))
        && let Some(schema) = field
            .as_deref()
            .filter(|f| case.given.iter().any(|g| g == f))
            .and_then(|f| fully_described(doc, op, f))
    {
        out.push(format!(
            "refused {field:?}, valid per {schema}: {}",
            res.body
        ));
    }
    if case.valid && res.status == StatusCode::UNPROCESSABLE_ENTITY {
        match code.as_deref() {
            Some("invalid_json") if case.json_body_valid => out.push(format!(
                "refused a body the document accepts as invalid_json: {}",
                res.body
            )),
            Some("invalid_input") => out.push(format!(
                "refused parameters the document accepts as invalid_input: {}",
                res.body
            )),
            _ => {}
        }
    }
    let Some(spec) = op.op["responses"].get(&status) else {
        out.push(format!("status {status} is not documented ({})", res.body));
        return out;
    };
    // The refusal's code is named where its status is documented: a code answered under
    // another status than the document gives it is drift too.
    let described = spec["description"].as_str().unwrap_or("");
    if let Some(code) = code.filter(|_| res.status.is_client_error())
        && !described.contains(&format!("`{code}`"))
    {
        out.push(format!(
            "{status} `{code}` is not named for {status}: {described:?}"
        ));
    }
    match spec.get("content").and_then(Value::as_object) {
        None if !res.bytes.is_empty() => {
            out.push(format!(
                "{status} is documented without a body, got {}",
                res.body
            ));
        }
        None => {}
        Some(content) => {
            let mt = media_type(res);
            match content.get(&mt) {
                None => out.push(format!(
                    "{status} answered {mt:?}, documented {:?}",
                    content.keys()
                )),
                Some(c) if mt == "application/json" => match serde_json::from_str(&res.body) {
                    Ok(body) => out.extend(
                        schema::errors(doc, &c["schema"], &body)
                            .into_iter()
                            .map(|e| format!("{status} body: {e}")),
                    ),
                    Err(e) => out.push(format!("{status} body is not JSON ({e})")),
                },
                Some(_) => {}
            }
        }
    }
    out
}
