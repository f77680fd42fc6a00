//! The API as the end-to-end tests call it.

use serde_json::{Value, json};

use crate::server::Server;

/// Sends an API request; answers its JSON body, failing the test on any other status than 2xx.
pub async fn api(req: reqwest::RequestBuilder) -> Value {
    let res = req.send().await.expect("the API answers");
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// A bearer token for the account.
pub async fn token(http: &reqwest::Client, node: &Server, email: &str, password: &str) -> String {
    let body = json!({"email": email, "password": password});
    let session = api(http.post(node.url("/api/v1/sessions")).json(&body)).await;
    session["token"].as_str().unwrap().to_owned()
}

/// A valid resident ID number from its first 17 digits (GB 11643-1999).
pub fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}
