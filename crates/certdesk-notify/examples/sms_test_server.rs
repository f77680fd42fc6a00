//! Runs the SMS test server until killed, printing its URL and account on the first line, so
//! a client in another language (the vendor's Python SDK, `tests/sdk/`) can be pointed at it.
//! It listens on 127.0.0.1 only.

use certdesk_notify::testing::sms_server::SmsServer;

#[tokio::main]
async fn main() {
    let secret_id = "AKIDcertdeskSDKCHECK0000000000000000";
    let secret_key = "certdesk-sdk-check-secret-key-32";
    let app_id = "1400006666";
    let server = SmsServer::start(secret_id, secret_key, app_id).await;
    println!("{} {secret_id} {secret_key} {app_id}", server.base_url());
    let mut seen = 0;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        for accepted in server.accepted().iter().skip(seen) {
            println!("accepted {accepted:?}");
            seen += 1;
        }
    }
}
