//! Requests from the document's operations: every parameter and body drawn from its schema,
//! valid throughout, or broken in exactly one place (a parameter's value, a repeated query
//! parameter, the body: refused by its schema, not JSON, missing, or past the body limit).

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, header};
use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;

use super::generate::Gen;
use super::schema::{errors, types};

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    pub path: String,
    pub op: Value,
}

impl Operation {
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            out.push(Operation {
                method: method.to_ascii_uppercase().parse().expect("a method"),
                path: path.clone(),
                op: op.clone(),
            });
        }
    }
    out
}

/// A request to send, and whether the document says it is valid.
#[derive(Debug)]
pub struct Case {
    pub valid: bool,
    /// What was broken, for the report.
    pub broken: Option<String>,
    pub method: Method,
    pub uri: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<(String, Vec<u8>)>,
    /// The body is JSON the document accepts (a 422 `invalid_json` then is drift).
    pub json_body_valid: bool,
    /// The parameters and top-level body properties sent.
    pub given: Vec<String>,
}

impl Case {
    pub fn request(&self, token: Option<&str>) -> Request<Body> {
        let mut b = Request::builder()
            .method(self.method.clone())
            .uri(&self.uri);
        if let Some(token) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (k, v) in &self.headers {
            b = b.header(
                k.as_str(),
                HeaderValue::from_bytes(v).expect("a header value"),
            );
        }
        match &self.body {
            Some((ct, bytes)) => b
                .header(header::CONTENT_TYPE, ct.as_str())
                .body(Body::from(bytes.clone()))
                .expect("a request"),
            None => b.body(Body::empty()).expect("a request"),
        }
    }
}

pub fn draw<T: std::fmt::Debug>(runner: &mut TestRunner, s: &BoxedStrategy<T>) -> T {
    s.new_tree(runner)
        .expect("a value from the strategy")
        .current()
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A parameter's text as the schema reads it: numbers and booleans where they parse.
fn coerce(schema: &Value, text: &str) -> Value {
    let ts = types(schema);
    if ts.contains(&"integer") || ts.contains(&"number") {
        if let Ok(n) = text.parse::<i64>() {
            return Value::from(n);
        }
        if let Ok(f) = text.parse::<f64>()
            && let Some(n) = serde_json::Number::from_f64(f)
        {
            return Value::Number(n);
        }
    }
    if ts.contains(&"boolean") && matches!(text, "true" | "false") {
        return Value::Bool(text == "true");
    }
    Value::from(text)
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A parameter value the schema refuses, or `None` when it takes any text.
fn bad_param(values: &Gen, schema: &Value, runner: &mut TestRunner) -> Option<String> {
    let s = super::schema::resolve(&values.doc, schema);
    let mut candidates = vec![
        "",
        "abc",
        "-1",
        "0",
        "1.5",
        "201",
        "99999999999999999999",
        "n o",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    if let Some(bad) = values.invalid(s) {
        candidates.push(as_text(&draw(runner, &bad)));
    }
    candidates.retain(|c| !errors(&values.doc, s, &coerce(s, c)).is_empty());
    let at = draw(runner, &(0..candidates.len().max(1)).boxed());
    candidates.get(at).cloned()
}

/// The name a parameter's hints go by: a path's `{id}` by the collection before it.
fn hint_name<'a>(path: &'a str, name: &'a str) -> &'a str {
    if name != "id" {
        return name;
    }
    let before = path.split("/{id}").next().unwrap_or("");
    before.rsplit('/').next().unwrap_or(name)
}

fn good_param(values: &Gen, path: &str, p: &Value, runner: &mut TestRunner) -> String {
    let name = hint_name(path, p["name"].as_str().expect("a parameter name"));
    loop {
        let text = as_text(&draw(runner, &values.valid(&p["schema"], Some(name))));
        // A value only valid as JSON (e.g. the number 7 for a string) must stay valid as text.
        if errors(&values.doc, &p["schema"], &coerce(&p["schema"], &text)).is_empty() {
            return text;
        }
    }
}

/// Where a broken case breaks the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    Param(usize),
    Body,
}

/// A case for `op`: valid, or broken in one place (`None` when nothing of it can be broken).
pub fn case(values: &Gen, op: &Operation, runner: &mut TestRunner, valid: bool) -> Option<Case> {
    let params: Vec<Value> = op.op["parameters"].as_array().cloned().unwrap_or_default();
    let body_spec = op.op.get("requestBody");
    let mut sites: Vec<Site> = (0..params.len()).map(Site::Param).collect();
    sites.extend(body_spec.map(|_| Site::Body));
    let broken_site = if valid {
        None
    } else {
        let at = draw(runner, &(0..sites.len().max(1)).boxed());
        Some(*sites.get(at)?)
    };
    let mut path = op.path.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers = Vec::new();
    let mut broken = None;
    let mut given = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let name = p["name"].as_str().expect("a parameter name").to_owned();
        let place = p["in"].as_str().expect("a parameter place");
        let required = p["required"].as_bool().unwrap_or(false);
        let breaks_here = broken_site == Some(Site::Param(i));
        if !required && !breaks_here && draw(runner, &proptest::bool::ANY.boxed()) {
            continue;
        }
        let mut value = good_param(values, &op.path, p, runner);
        if breaks_here {
            let repeat = place == "query" && draw(runner, &proptest::bool::weighted(0.3).boxed());
            match bad_param(values, &p["schema"], runner) {
                Some(bad) if !(repeat || place == "path" && bad.is_empty()) => value = bad,
                _ if place == "query" => query.push((name.clone(), value.clone())),
                _ => return None,
            }
            broken = Some(format!("{place} parameter {name} = {value:?}"));
        }
        given.push(name.clone());
        match place {
            "path" => path = path.replace(&format!("{{{name}}}"), &encode(&value)),
            "query" => query.push((name, value)),
            "header" => headers.push((name, value.into_bytes())),
            other => panic!("parameters in {other} are not generated"),
        }
    }
    let mut body = None;
    let mut json_body_valid = false;
    if let Some(spec) = body_spec {
        let content = spec["content"].as_object().expect("requestBody.content");
        let types: Vec<&String> = content.keys().collect();
        let ct = types[draw(runner, &(0..types.len()).boxed())].clone();
        let schema = &content[&ct]["schema"];
        let is_json = ct == "application/json";
        let required = spec["required"].as_bool().unwrap_or(false);
        let limit = op.op["x-body-limit-bytes"].as_u64().map(|n| n as usize);
        if broken_site == Some(Site::Body) {
            let how = draw(runner, &(0..8u8).boxed());
            let bad = match (how, is_json.then(|| values.invalid(schema)).flatten()) {
                (0, _) if is_json => Some(b"{\"unterminated\": ".to_vec()),
                (1, _) if required => None,
                // One byte past the limit the operation documents.
                (2, _) if limit.is_some() => Some(vec![b' '; limit.unwrap_or(0) + 1]),
                (_, Some(bad)) => Some(draw(runner, &bad).to_string().into_bytes()),
                _ => return None,
            };
            broken = Some(match &bad {
                None => "no body".to_owned(),
                Some(b) if b.len() > 1024 => "a body past the limit".to_owned(),
                Some(b) => format!("body {}", String::from_utf8_lossy(b)),
            });
            body = bad.map(|b| (ct, b));
        } else {
            let v = draw(runner, &values.valid(schema, None));
            given.extend(v.as_object().into_iter().flatten().map(|(k, _)| k.clone()));
            let bytes = if is_json { v.to_string() } else { as_text(&v) };
            // The document's one rule for every text (its `info`): no NUL character (E2). A
            // body of `oneOf` shapes is the one its caller's credential calls for (a retake:
            // a session's or a management token's), which no schema can say.
            let one_of = super::schema::resolve(&values.doc, schema)
                .get("oneOf")
                .is_some();
            json_body_valid = is_json && !one_of && !bytes.contains("\\u0000");
            body = Some((ct, bytes.into_bytes()));
        }
    }
    let uri = if query.is_empty() {
        path
    } else {
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("{path}?{}", q.join("&"))
    };
    Some(Case {
        valid,
        broken,
        method: op.method.clone(),
        uri,
        headers,
        body,
        json_body_valid,
        given,
    })
}
