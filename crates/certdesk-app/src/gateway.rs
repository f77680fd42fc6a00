//! O5: payment gateways behind one trait. The sandbox gateway signs its callbacks with
//! HMAC-SHA256 (`X-Sandbox-Signature: t=<unix>,v1=<hex>` over `"{t}.{body}"`), like real
//! gateways do; real ones plug in later behind the same trait, registered by name.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use certdesk_domain::{Clock, ErrorCode, Fen, LocalizedText, PaymentId, Refusal, SystemClock};
use certdesk_store::Payment;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

use crate::crypto::derive;
use crate::secret::SecretKey;

type HmacSha256 = Hmac<Sha256>;

/// The label that derives the sandbox's signing key from the server's secret key.
const SANDBOX_KEY_LABEL: &[u8] = b"certdesk sandbox gateway v1";
/// The sandbox's name in routes (`/api/v1/payments/sandbox/callback`) and on payments.
pub const SANDBOX_GATEWAY: &str = "sandbox";
/// The header carrying the sandbox's signature.
pub const SANDBOX_SIGNATURE_HEADER: &str = "X-Sandbox-Signature";
/// A signature older or newer than this (wall clock, T3) is refused: a captured callback
/// cannot be replayed later (and a replay would change nothing anyway: callbacks are idempotent).
pub const SIGNATURE_TOLERANCE_SECS: i64 = 300;

/// A callback's headers as (name, value) pairs; names are matched case-insensitively.
pub type Headers = [(String, String)];

/// What a verified gateway callback says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayReport {
    pub payment_id: PaymentId,
    /// True when the money was taken; false when the payment failed or was abandoned.
    pub paid: bool,
    /// The gateway's own transaction reference.
    pub gateway_ref: String,
    /// The amount the gateway says it took (checked against the payment).
    pub amount: Fen,
}

/// A payment gateway: starts a payment in the browser and verifies its signed callbacks.
#[async_trait]
pub trait PaymentGateway: Send + Sync + fmt::Debug {
    /// Its name in routes and on payments (`sandbox`).
    fn name(&self) -> &str;
    /// Where the candidate's browser goes to pay `payment`.
    async fn start(&self, payment: &Payment) -> anyhow::Result<String>;
    /// The report a callback carries, once its signature checks out: `unauthenticated`
    /// (field `signature`) for a missing, stale or wrong signature, `invalid_input` for a
    /// body that is not a report.
    fn verify(&self, headers: &Headers, body: &[u8]) -> Result<GatewayReport, Refusal>;
    /// I8: reports a refund of `amount` of `payment` to the gateway, which pays it back.
    /// `reference` is the same for every try of one refund, so a gateway that already took it
    /// answers its first reference again; answers the gateway's refund reference.
    async fn refund(
        &self,
        payment: &Payment,
        amount: Fen,
        reference: &str,
    ) -> anyhow::Result<String>;
}

/// I8: a refund the sandbox gateway was told of (it pays nothing back: no money moved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxRefund {
    pub payment_id: PaymentId,
    pub amount: Fen,
    pub reference: String,
}

/// The gateways the app knows, by name.
#[derive(Debug, Clone, Default)]
pub struct GatewayRegistry {
    gateways: BTreeMap<String, Arc<dyn PaymentGateway>>,
}

impl GatewayRegistry {
    /// Registers (or replaces) a gateway under its name.
    pub fn register(&mut self, gateway: Arc<dyn PaymentGateway>) {
        self.gateways.insert(gateway.name().to_owned(), gateway);
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn PaymentGateway>> {
        self.gateways.get(name)
    }

    /// The gateway new top-ups go through: a real one when registered, else the sandbox
    /// (when enabled); `None` when there is none.
    pub fn for_top_ups(&self) -> Option<&Arc<dyn PaymentGateway>> {
        self.gateways
            .iter()
            .find(|(name, _)| name.as_str() != SANDBOX_GATEWAY)
            .or_else(|| self.gateways.iter().next())
            .map(|(_, gateway)| gateway)
    }
}

/// The sandbox gateway: no money moves; the sandbox pay page (or the test route) makes it
/// report a payment through the same signed callback a real gateway would send.
pub struct SandboxGateway {
    key: SecretBox<[u8; 32]>,
    /// T3: request signatures use the real wall clock, even on a test-clock server.
    wall: Arc<dyn Clock>,
    /// I8: the refunds reported, once each by reference (the demo and tests read them).
    refunds: std::sync::Mutex<Vec<SandboxRefund>>,
}

/// The sandbox's callback body.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SandboxBody {
    payment_id: i64,
    paid: bool,
    amount_fen: i64,
    gateway_ref: String,
}

impl SandboxGateway {
    pub fn new(key: &SecretKey) -> SandboxGateway {
        SandboxGateway::with_wall_clock(key, Arc::new(SystemClock))
    }

    /// With an injected wall clock (tests of the signature's age).
    pub fn with_wall_clock(key: &SecretKey, wall: Arc<dyn Clock>) -> SandboxGateway {
        SandboxGateway {
            key: SecretBox::new(Box::new(*derive(key, SANDBOX_KEY_LABEL))),
            wall,
            refunds: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// I8: the refunds reported so far, in order.
    pub fn refunds(&self) -> Vec<SandboxRefund> {
        self.refunds
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn mac(&self, t: i64, body: &[u8]) -> HmacSha256 {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(self.key.expose_secret())
            .expect("HMAC takes any key length");
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The signature header value for `body` signed at unix time `t`.
    pub fn sign(&self, t: i64, body: &[u8]) -> String {
        let digest = self.mac(t, body).finalize().into_bytes();
        format!("t={t},v1={}", hex::encode(digest))
    }

    /// The signed callback the sandbox sends when `payment` is paid (or abandoned).
    pub fn callback_for(&self, payment: &Payment, paid: bool) -> (Vec<(String, String)>, Vec<u8>) {
        let body = serde_json::to_vec(&SandboxBody {
            payment_id: payment.id.get(),
            paid,
            amount_fen: payment.amount.get(),
            gateway_ref: format!("sandbox-{}", payment.id),
        })
        .expect("a sandbox body serialises");
        let t = self.wall.now().as_second();
        let headers = vec![(SANDBOX_SIGNATURE_HEADER.to_owned(), self.sign(t, &body))];
        (headers, body)
    }
}

impl fmt::Debug for SandboxGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SandboxGateway([REDACTED])")
    }
}

fn bad_signature(zh: &'static str, en: &'static str) -> Refusal {
    Refusal::new(ErrorCode::Unauthenticated)
        .field("signature")
        .rule("O5")
        .detail(LocalizedText::fixed(zh, en))
}

/// `t=<unix>,v1=<hex>` → (t, signature bytes).
fn parse_signature(value: &str) -> Option<(i64, Vec<u8>)> {
    let mut t = None;
    let mut v1 = None;
    for part in value.split(',') {
        match part.trim().split_once('=') {
            Some(("t", s)) => t = s.parse::<i64>().ok(),
            Some(("v1", s)) => v1 = hex::decode(s).ok(),
            _ => {}
        }
    }
    Some((t?, v1?))
}

#[async_trait]
impl PaymentGateway for SandboxGateway {
    fn name(&self) -> &str {
        SANDBOX_GATEWAY
    }

    async fn start(&self, payment: &Payment) -> anyhow::Result<String> {
        Ok(format!("/sandbox/payments/{}", payment.id))
    }

    async fn refund(
        &self,
        payment: &Payment,
        amount: Fen,
        reference: &str,
    ) -> anyhow::Result<String> {
        let mut refunds = self
            .refunds
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !refunds.iter().any(|r| r.reference == reference) {
            refunds.push(SandboxRefund {
                payment_id: payment.id,
                amount,
                reference: reference.to_owned(),
            });
        }
        Ok(format!("sandbox-refund-{reference}"))
    }

    fn verify(&self, headers: &Headers, body: &[u8]) -> Result<GatewayReport, Refusal> {
        let value = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(SANDBOX_SIGNATURE_HEADER))
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| bad_signature("缺少签名。", "The signature is missing."))?;
        let (t, signature) = parse_signature(value)
            .ok_or_else(|| bad_signature("签名格式不正确。", "The signature is malformed."))?;
        self.mac(t, body)
            .verify_slice(&signature)
            .map_err(|_| bad_signature("签名不正确。", "The signature does not match."))?;
        let age = self.wall.now().as_second().saturating_sub(t);
        if age.abs() > SIGNATURE_TOLERANCE_SECS {
            return Err(bad_signature("签名已过期。", "The signature has expired."));
        }
        let body: SandboxBody = serde_json::from_slice(body).map_err(|_| {
            Refusal::new(ErrorCode::InvalidInput).detail(LocalizedText::fixed(
                "回调内容不正确。",
                "The callback body is not a payment report.",
            ))
        })?;
        let amount = Fen::new(body.amount_fen).map_err(|_| {
            Refusal::new(ErrorCode::InvalidAmount)
                .field("amount_fen")
                .rule("O5")
        })?;
        Ok(GatewayReport {
            payment_id: PaymentId(body.payment_id),
            paid: body.paid,
            gateway_ref: body.gateway_ref,
            amount,
        })
    }
}

#[cfg(test)]
#[path = "gateway_tests.rs"]
mod tests;
