//! A JSON Schema (2020-12, as OpenAPI 3.1 uses it) validator for the subset utoipa writes:
//! `$ref` into `components/schemas`, `type` (one or a list), `enum`, `oneOf`/`anyOf`/`allOf`,
//! `properties`/`required`/`additionalProperties`, `items`, the numeric and length bounds,
//! `pattern` and the `date-time`, `email` and integer formats. Stricter than the standard in
//! one way, on purpose: an object whose schema lists `properties` and says nothing about
//! `additionalProperties` may carry no other property, so a field the server answers but the
//! document does not describe is a mismatch (the drift this check exists to catch); under an
//! `allOf`, a property any of its parts describes is described.

use std::collections::BTreeSet;

use regex::Regex;
use serde_json::Value;

/// The schema `schema` stands for, `$ref`s followed.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unsupported $ref {r}"));
            let target = &doc["components"]["schemas"][name];
            assert!(!target.is_null(), "dangling $ref {r}");
            resolve(doc, target)
        }
        None => schema,
    }
}

/// Every way `value` breaks `schema`, each with its JSON path (`$.order.paid_at`).
pub fn errors(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(doc, schema, value, "$", &mut out, &BTreeSet::new());
    out
}

/// The properties `s` and the parts of its `allOf` describe.
fn described(doc: &Value, s: &Value, into: &mut BTreeSet<String>) {
    let s = resolve(doc, s);
    into.extend(
        s.get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys().cloned()),
    );
    for part in s
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        described(doc, part, into);
    }
}

/// The names in a schema's `type`: one, a list, or none.
pub fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_type(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown schema type {other}"),
    }
}

/// `known`: properties an enclosing `allOf` describes.
fn check(
    doc: &Value,
    schema: &Value,
    v: &Value,
    at: &str,
    out: &mut Vec<String>,
    known: &BTreeSet<String>,
) {
    let s = resolve(doc, schema);
    if s.as_bool() == Some(true) || s.as_object().is_some_and(|o| o.is_empty()) {
        return;
    }
    let mut known = known.clone();
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        described(doc, s, &mut known);
        for sub in all {
            check(doc, sub, v, at, out, &known);
        }
    }
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(subs) = s.get(key).and_then(Value::as_array) {
            let fits = subs
                .iter()
                .filter(|sub| errors(doc, sub, v).is_empty())
                .count();
            if fits == 0 || (exactly_one && fits > 1) {
                out.push(format!("{at}: {fits} of the {key} alternatives fit {v}"));
            }
        }
    }
    let ts = types(s);
    if !ts.is_empty() && !ts.iter().any(|t| is_type(t, v)) {
        out.push(format!("{at}: {v} is not of type {ts:?}"));
        return;
    }
    if let Some(options) = s.get("enum").and_then(Value::as_array)
        && !options.contains(v)
    {
        out.push(format!("{at}: {v} is not one of {options:?}"));
    }
    match v {
        Value::Number(n) => number(s, n.as_f64().unwrap_or(f64::NAN), at, out),
        Value::String(text) => string(s, text, at, out),
        Value::Array(items) => array(doc, s, items, at, out),
        Value::Object(map) => object(doc, s, map, at, out, &known),
        _ => {}
    }
}

fn number(s: &Value, n: f64, at: &str, out: &mut Vec<String>) {
    let bound = |k: &str| s.get(k).and_then(Value::as_f64);
    if bound("minimum").is_some_and(|m| n < m) || bound("exclusiveMinimum").is_some_and(|m| n <= m)
    {
        out.push(format!("{at}: {n} is below the minimum"));
    }
    if bound("maximum").is_some_and(|m| n > m) || bound("exclusiveMaximum").is_some_and(|m| n >= m)
    {
        out.push(format!("{at}: {n} is above the maximum"));
    }
    let range = match s.get("format").and_then(Value::as_str) {
        Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
        Some("uint32") => Some((0.0, f64::from(u32::MAX))),
        Some("uint64") => Some((0.0, u64::MAX as f64)),
        _ => None,
    };
    if range.is_some_and(|(lo, hi)| n < lo || n > hi) {
        out.push(format!("{at}: {n} is outside its format's range"));
    }
}

fn string(s: &Value, text: &str, at: &str, out: &mut Vec<String>) {
    let len = text.chars().count() as u64;
    if s.get("minLength")
        .and_then(Value::as_u64)
        .is_some_and(|m| len < m)
    {
        out.push(format!("{at}: {text:?} is shorter than minLength"));
    }
    if s.get("maxLength")
        .and_then(Value::as_u64)
        .is_some_and(|m| len > m)
    {
        out.push(format!("{at}: {text:?} is longer than maxLength"));
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str) {
        let re = Regex::new(p).unwrap_or_else(|e| panic!("pattern {p:?} does not compile: {e}"));
        if !re.is_match(text) {
            out.push(format!("{at}: {text:?} does not match {p:?}"));
        }
    }
    match s.get("format").and_then(Value::as_str) {
        // RFC 3339 with an offset, as T1 says the API speaks.
        Some("date-time") if text.parse::<jiff::Timestamp>().is_err() => {
            out.push(format!("{at}: {text:?} is not an RFC 3339 date-time"));
        }
        Some("date") if text.parse::<jiff::civil::Date>().is_err() => {
            out.push(format!("{at}: {text:?} is not a date"));
        }
        Some("email") if !text.contains('@') => {
            out.push(format!("{at}: {text:?} is not an email address"));
        }
        _ => {}
    }
}

fn array(doc: &Value, s: &Value, items: &[Value], at: &str, out: &mut Vec<String>) {
    let n = items.len() as u64;
    if s.get("minItems")
        .and_then(Value::as_u64)
        .is_some_and(|m| n < m)
    {
        out.push(format!("{at}: fewer than minItems"));
    }
    if s.get("maxItems")
        .and_then(Value::as_u64)
        .is_some_and(|m| n > m)
    {
        out.push(format!("{at}: more than maxItems"));
    }
    if let Some(item) = s.get("items") {
        for (i, v) in items.iter().enumerate() {
            check(doc, item, v, &format!("{at}[{i}]"), out, &BTreeSet::new());
        }
    }
}

fn object(
    doc: &Value,
    s: &Value,
    map: &serde_json::Map<String, Value>,
    at: &str,
    out: &mut Vec<String>,
    known: &BTreeSet<String>,
) {
    for name in s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !map.contains_key(name) {
            out.push(format!("{at}: required property {name:?} is missing"));
        }
    }
    let props = s.get("properties").and_then(Value::as_object);
    let extra = s.get("additionalProperties");
    for (name, v) in map {
        let here = format!("{at}.{name}");
        let none = BTreeSet::new();
        match (props.and_then(|p| p.get(name)), extra) {
            (Some(sub), _) => check(doc, sub, v, &here, out, &none),
            (None, Some(Value::Bool(true))) => {}
            (None, Some(sub @ Value::Object(_))) => check(doc, sub, v, &here, out, &none),
            (None, None) if known.contains(name) => {}
            // Strict on purpose (see the module docs): an undocumented property is drift.
            (None, None) if props.is_none() && known.is_empty() => {}
            (None, _) => out.push(format!("{here}: property not in the schema")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::errors;
    use serde_json::json;

    #[test]
    fn the_validator_itself_catches_what_it_should() {
        let doc = json!({"components": {"schemas": {"P": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "integer", "minimum": 1},
                           "at": {"type": ["string", "null"], "format": "date-time"}}}}}});
        let p = json!({"$ref": "#/components/schemas/P"});
        assert!(errors(&doc, &p, &json!({"id": 3, "at": null})).is_empty());
        assert!(
            errors(
                &doc,
                &p,
                &json!({"id": 3, "at": "2027-03-10T09:00:00+08:00"})
            )
            .is_empty()
        );
        for bad in [
            json!({}),
            json!({"id": 0}),
            json!({"id": "3"}),
            json!({"id": 3, "at": "soon"}),
            json!({"id": 3, "extra": 1}),
        ] {
            assert!(!errors(&doc, &p, &bad).is_empty(), "{bad}");
        }
        let both = json!({"allOf": [{"$ref": "#/components/schemas/P"},
                                    {"type": "object", "properties": {"more": {"type": "boolean"}}}]});
        assert!(errors(&doc, &both, &json!({"id": 3, "more": true})).is_empty());
        assert!(!errors(&doc, &both, &json!({"id": 3, "more": 1})).is_empty());
        assert!(!errors(&doc, &both, &json!({"id": 3, "other": 1})).is_empty());
        let name = json!({"type": "string", "minLength": 1, "pattern": "\\S"});
        assert!(errors(&doc, &name, &json!("李雷")).is_empty());
        assert!(!errors(&doc, &name, &json!("  ")).is_empty());
    }
}
