//! O9: certificates. A pass released by a results import enqueues `issue_certificates`, which
//! issues every passed registration's e-certificate (numbered at random, valid for the
//! certification's months, C1) with its paper copy queued — keeping the e-certificate promise
//! and recording the paper shipment's (P1). Anyone can verify a certificate by its number: the
//! public answer carries an Ed25519 signature over its RFC 8785 canonical JSON, checkable
//! offline against the issuer's key in `/.well-known/did.json`; the holder downloads it as an
//! Open Badges 3.0 credential signed as a compact JWS.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use certdesk_domain::time::format_rfc3339;
use certdesk_domain::{
    CertificateNumber, CertificateStatus, ErrorCode, IdentityId, LocalizedText, Refusal, Role,
    certificate_expiry, certificate_status, rules::paper_certificate_due,
};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, Certificate, Conflict, Job, JobFailure, JobHandler, NewAuditEntry, NewCertificate,
    NewInboxMessage, NewJob, StoreError,
};
use ed25519_dalek::{Signer as _, SigningKey};
use jiff::Timestamp;
use rand::Rng as _;
use serde_json::{Map, Value, json};

use crate::App;
use crate::certificate_views::PublicCertificateView;
use crate::error::{AppResult, require};

/// The job kind that issues due certificates.
pub const ISSUE_CERTIFICATES_KIND: &str = "issue_certificates";
/// O9: the longest revocation reason (after trimming); the API document states it too.
pub const MAX_REVOCATION_REASON_CHARS: usize = 200;
/// Passed registrations certified per commit.
const BATCH: usize = 500;
/// Draws of fresh numbers when one collides (the space is 10^12: a collision is rare, two in a
/// row rarer still).
const DRAWS: usize = 3;

/// How long a public answer is given again without reading the store. A revocation through
/// this app drops the number's answer at once; one made elsewhere (another app node on the same
/// PostgreSQL, another process) shows within this time, as does a renamed certification.
const PUBLIC_ANSWER_TTL: Duration = Duration::from_secs(2);
/// Public answers kept at most (a few MB).
const PUBLIC_ANSWERS_MAX: usize = 10_000;

/// O9: the signed public answers recently given, by certificate number. Verification is the
/// one public read anyone may repeat at will; answering it from here costs neither a store
/// read nor an Ed25519 signature (measured: a fifth of `/healthz`'s throughput without it; see
/// docs/performance.md). An answer is reused only while it is younger than
/// [`PUBLIC_ANSWER_TTL`] and, if it says `valid`, while the certificate has not expired.
#[derive(Debug, Default)]
pub(crate) struct PublicAnswers {
    entries: Mutex<HashMap<String, CachedAnswer>>,
    /// Bumped by every revocation through this app: an answer read from the store before a
    /// revocation is not kept if the revocation's bump came in between.
    generation: AtomicU64,
}

#[derive(Debug)]
struct CachedAnswer {
    answer: Arc<Value>,
    read_at: Instant,
    /// When the answer's status changes by itself (a valid certificate expires).
    changes_at: Option<Timestamp>,
}

impl PublicAnswers {
    fn get(&self, number: &str, now: Timestamp) -> Option<Arc<Value>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let cached = entries.get(number)?;
        let fresh = cached.read_at.elapsed() < PUBLIC_ANSWER_TTL
            && cached.changes_at.is_none_or(|at| now < at);
        fresh.then(|| cached.answer.clone())
    }

    fn put(&self, number: String, cached: CachedAnswer, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if entries.len() >= PUBLIC_ANSWERS_MAX {
            entries.retain(|_, c| c.read_at.elapsed() < PUBLIC_ANSWER_TTL);
            if entries.len() >= PUBLIC_ANSWERS_MAX {
                entries.clear();
            }
        }
        entries.insert(number, cached);
    }

    fn forget(&self, number: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.remove(number);
    }
}

/// The issuer: its Ed25519 key (derived from the secret key, so every node signs alike and a
/// restart keeps it) and where certdesk is reached (`did:web` and the verification links).
#[derive(Clone)]
pub(crate) struct Issuer {
    key: Arc<SigningKey>,
    public_url: String,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl Issuer {
    pub(crate) fn new(seed: &[u8; 32], public_url: &str) -> Issuer {
        Issuer {
            key: Arc::new(SigningKey::from_bytes(seed)),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    pub(crate) fn with_public_url(&self, public_url: &str) -> Issuer {
        Issuer {
            key: self.key.clone(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// `did:web:<host>`: the host (and port, its colon percent-encoded) of the public URL.
    pub(crate) fn did(&self) -> String {
        let host = self
            .public_url
            .split_once("://")
            .map_or(self.public_url.as_str(), |(_, rest)| rest);
        let host = host.split('/').next().unwrap_or(host);
        format!("did:web:{}", host.replace(':', "%3A"))
    }

    fn key_id(&self) -> String {
        format!("{}#key-1", self.did())
    }

    pub(crate) fn public_url(&self) -> &str {
        &self.public_url
    }

    fn verify_url(&self, number: &CertificateNumber) -> String {
        format!("{}/certificates/{number}", self.public_url)
    }
}

/// A certificate as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateView {
    pub certificate: Certificate,
    pub status: CertificateStatus,
    pub verify_url: String,
}

/// O9: what anyone verifying a number is answered: the public fields (masked name, never the
/// ID number) with the signature over their canonical form, as one JSON object.
pub type PublicCertificate = Value;

impl App {
    /// O9/A3: the actor's person's certificates (every account of the identity sees them),
    /// newest first; none without a verified identity.
    pub async fn my_certificates(&self, actor: &Account) -> AppResult<Vec<CertificateView>> {
        let Some(identity) = self.verified_identity_of(actor).await? else {
            return Ok(Vec::new());
        };
        let now = self.now();
        Ok(self
            .store
            .list_certificates(identity)
            .await?
            .into_iter()
            .map(|c| self.certificate_view(c, now))
            .collect())
    }

    pub(crate) fn certificate_view(
        &self,
        certificate: Certificate,
        now: Timestamp,
    ) -> CertificateView {
        CertificateView {
            status: certificate_status(certificate.expires_at, certificate.revoked.is_some(), now),
            verify_url: self.issuer.verify_url(&certificate.number),
            certificate,
        }
    }

    async fn verified_identity_of(&self, actor: &Account) -> AppResult<Option<IdentityId>> {
        Ok(self
            .store
            .find_identity(actor.id)
            .await?
            .filter(|i| i.status == certdesk_domain::IdentityStatus::Verified)
            .map(|i| i.identity_id))
    }

    /// A number as typed by anyone: parsed, or `certificate_invalid` on `number`.
    pub(crate) fn certificate_number(input: &str) -> Result<CertificateNumber, Refusal> {
        CertificateNumber::parse(input).map_err(|_| {
            Refusal::new(ErrorCode::CertificateInvalid)
                .field("number")
                .rule("O9")
        })
    }

    /// O9: the public answer for a certificate number, signed; `not_found` for a number
    /// nobody holds.
    pub async fn public_certificate(&self, number: &str) -> AppResult<PublicCertificate> {
        let number = Self::certificate_number(number)?;
        let now = self.now();
        if let Some(answer) = self.public_answers.get(number.as_str(), now) {
            return Ok(Value::clone(&answer));
        }
        let generation = self.public_answers.generation.load(Ordering::SeqCst);
        let read_at = Instant::now();
        let certificate = self
            .store
            .find_certificate(&number)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        // The page and the signed JSON say the same: both are made from one view.
        let v = PublicCertificateView::new(&certificate, now);
        let mut fields = Map::new();
        fields.insert("number".into(), json!(v.number));
        fields.insert("certification".into(), json!(v.certification_code));
        fields.insert(
            "certification_name_zh".into(),
            json!(v.certification_name_zh),
        );
        fields.insert(
            "certification_name_en".into(),
            json!(v.certification_name_en),
        );
        fields.insert("holder_name_masked".into(), json!(v.holder_name_masked));
        fields.insert("issued_at".into(), json!(format_rfc3339(v.issued_at)));
        fields.insert("expires_at".into(), json!(format_rfc3339(v.expires_at)));
        fields.insert("status".into(), json!(v.status.as_str()));
        if let Some((_, reason)) = &v.revoked {
            fields.insert("revoked_reason".into(), json!(reason));
        }
        let signature = self.sign_canonical(&Value::Object(fields.clone()))?;
        fields.insert("signature".into(), json!(signature));
        let answer = Value::Object(fields);
        self.public_answers.put(
            number.as_str().to_owned(),
            CachedAnswer {
                answer: Arc::new(answer.clone()),
                read_at,
                changes_at: (v.status == CertificateStatus::Valid).then_some(v.expires_at),
            },
            generation,
        );
        Ok(answer)
    }

    /// Ed25519 over the RFC 8785 canonical form of `value`, base64url without padding.
    fn sign_canonical(&self, value: &Value) -> AppResult<String> {
        let canonical = serde_json_canonicalizer::to_vec(value)
            .map_err(|e| anyhow::anyhow!("canonical JSON: {e}"))?;
        Ok(URL_SAFE_NO_PAD.encode(self.issuer.key.sign(&canonical).to_bytes()))
    }

    /// `GET /.well-known/did.json`: the issuer's DID document with its Ed25519 key as a JWK.
    pub fn did_document(&self) -> Value {
        let did = self.issuer.did();
        let x = URL_SAFE_NO_PAD.encode(self.issuer.key.verifying_key().to_bytes());
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
            "id": did,
            "verificationMethod": [{
                "id": self.issuer.key_id(),
                "type": "JsonWebKey2020",
                "controller": did,
                "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": x},
            }],
            "assertionMethod": [self.issuer.key_id()],
        })
    }

    /// O9: the holder's certificate as an Open Badges 3.0 `OpenBadgeCredential` (VC data
    /// model 2.0), signed as a compact JWS (`alg` EdDSA, `kid` the issuer's key). Anyone
    /// else's number is `not_found` (E2).
    pub async fn certificate_credential(&self, actor: &Account, number: &str) -> AppResult<String> {
        let number = Self::certificate_number(number)?;
        let certificate = self
            .store
            .find_certificate(&number)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        if self.verified_identity_of(actor).await? != Some(certificate.identity_id) {
            return Err(ErrorCode::NotFound.into());
        }
        let credential = self.open_badge(&certificate);
        let header = json!({"alg": "EdDSA", "kid": self.issuer.key_id(), "typ": "vc+jwt"});
        let encode = |v: &Value| -> AppResult<String> {
            let bytes = serde_json::to_vec(v).map_err(|e| anyhow::anyhow!("JSON: {e}"))?;
            Ok(URL_SAFE_NO_PAD.encode(bytes))
        };
        let signing_input = format!("{}.{}", encode(&header)?, encode(&credential)?);
        let signature = self.issuer.key.sign(signing_input.as_bytes());
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }

    fn open_badge(&self, c: &Certificate) -> Value {
        let did = self.issuer.did();
        let base = &self.issuer.public_url;
        let mut credential = json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ],
            "id": self.issuer.verify_url(&c.number),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "certdesk 认证服务中心", "url": base},
            "validFrom": format_rfc3339(c.issued_at),
            "validUntil": format_rfc3339(c.expires_at),
            "name": format!("{} / {}", c.certification_name_zh, c.certification_name_en),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": false,
                    "identityHash": c.holder_name,
                }],
                "achievement": {
                    "id": format!("{base}/certifications/{}", c.certification_code),
                    "type": ["Achievement"],
                    "name": c.certification_name_zh,
                    "description": c.certification_name_en,
                    "criteria": {"narrative": "Passed the certification exam (SPEC O6, O9)."},
                    "achievementType": "Certificate",
                },
            },
        });
        if let Some((at, reason)) = &c.revoked {
            credential["credentialSubject"]["revoked"] =
                json!({"at": format_rfc3339(*at), "reason": reason});
        }
        credential
    }

    /// The job that issues the certificates of passes released now (a results import
    /// enqueues it in its commit).
    pub(crate) fn issue_certificates_job(&self, now: Timestamp) -> NewJob {
        NewJob {
            kind: ISSUE_CERTIFICATES_KIND.to_owned(),
            payload: json!({}),
            channel: None,
            dedup_key: Some(format!(
                "{ISSUE_CERTIFICATES_KIND}:{}",
                now.as_microsecond()
            )),
            run_at: now,
            max_attempts: self.policy.job_max_attempts,
            keeps_promise: None,
        }
    }

    /// O9: issues every due certificate; answers how many.
    #[tracing::instrument(skip_all)]
    pub async fn issue_due_certificates(&self) -> AppResult<usize> {
        let mut issued = 0;
        loop {
            let due = self.store.list_certificates_due(BATCH).await?;
            if due.is_empty() {
                return Ok(issued);
            }
            let now = self.now();
            let mut written = None;
            for _ in 0..DRAWS {
                let batch: Vec<NewCertificate> =
                    due.iter().map(|d| self.new_certificate(d, now)).collect();
                match self.store.commit_certificates(batch).await {
                    Err(StoreError::Conflict(Conflict::CertificateTaken)) => continue,
                    other => {
                        written = Some(other?);
                        break;
                    }
                }
            }
            let written = written.ok_or_else(|| {
                anyhow::anyhow!("certificate numbers kept colliding; the job retries")
            })?;
            tracing::info!(issued = written, "certificates issued");
            issued += written;
        }
    }

    fn new_certificate(
        &self,
        due: &certdesk_store::CertificateDue,
        now: Timestamp,
    ) -> NewCertificate {
        let mut rng = rand::thread_rng();
        let digits: [u8; 12] = std::array::from_fn(|_| rng.gen_range(0..10));
        let number = CertificateNumber::from_digits(digits);
        let expires_at = certificate_expiry(now, due.validity_months);
        let text = Message::CertificateIssued {
            certification: CertificationNames {
                zh: due.certification_name_zh.clone(),
                en: due.certification_name_en.clone(),
            },
            number: number.to_string(),
            expires_at,
            verify_url: self.issuer.verify_url(&number),
        }
        .render();
        NewCertificate {
            number: number.clone(),
            registration_id: due.registration_id,
            identity_id: due.identity_id,
            certification_id: due.certification_id,
            holder_name: due.holder_name.clone(),
            issued_at: now,
            expires_at,
            paper_due_at: paper_certificate_due(due.exam_ends_at, &self.policy),
            inbox: NewInboxMessage {
                account_id: due.account_id,
                kind: "certificate_issued".to_owned(),
                title_zh: text.title_zh,
                body_zh: text.body_zh,
                title_en: text.title_en,
                body_en: text.body_en,
                source_job: None,
                created_at: now,
                deliveries: self.deliveries(
                    due.account_id,
                    Notice::CertificateIssued {
                        number: number.clone(),
                    },
                    &format!("certificate_issued:{number}"),
                    now,
                ),
            },
        }
    }

    /// O9: an operator revokes a certificate with a reason; the public page says so. Audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn revoke_certificate(
        &self,
        actor: &Account,
        number: &str,
        reason: &str,
    ) -> AppResult<CertificateView> {
        require(actor.has_role(Role::Admin))?;
        let number = Self::certificate_number(number)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REVOCATION_REASON_CHARS {
            return Err(Refusal::new(ErrorCode::InvalidField)
                .field("reason")
                .detail(LocalizedText::fixed(
                    "请填写撤销原因（不超过 200 字）。",
                    "Give a reason (at most 200 characters).",
                ))
                .into());
        }
        let now = self.now();
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "certificate.revoke".into(),
            target_kind: "certificate".into(),
            target_id: number.to_string(),
            before: None,
            after: Some(json!({ "reason": reason })),
            at: now,
        };
        let revoked = self
            .store
            .commit_revocation(&number, reason, now, audit)
            .await;
        // Forgotten whatever the outcome: a commit that failed may still have landed.
        self.public_answers.forget(number.as_str());
        let revoked = revoked?;
        Ok(self.certificate_view(revoked, now))
    }
}

/// The `issue_certificates` job.
#[derive(Debug)]
pub(crate) struct CertificateIssuer {
    pub app: App,
}

#[async_trait]
impl JobHandler for CertificateIssuer {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        self.app
            .issue_due_certificates()
            .await
            .map(|_| ())
            .map_err(|e| JobFailure::retry(format!("issuing certificates failed: {e}")))
    }
}

pub(crate) fn certificate_issuer(app: &App) -> Arc<CertificateIssuer> {
    Arc::new(CertificateIssuer { app: app.clone() })
}
