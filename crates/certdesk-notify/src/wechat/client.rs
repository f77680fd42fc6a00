//! Sends official-account template messages
//! (`POST /cgi-bin/message/template/send`, PROTOCOLS.md "WeChat").

use std::sync::Arc;

use certdesk_domain::Clock;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::config::WeChatConfig;
use super::error::{Step, WeChatError};
use super::token::{AccessToken, REQUEST_TIMEOUT, TokenCache, TokenSource};

/// One template message to one follower.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateMessage {
    pub openid: String,
    pub template_id: String,
    /// Where tapping the message leads (optional).
    pub url: Option<String>,
    /// Keyword → value, e.g. `("thing1", "CAA-101 云架构师")`; each value within its
    /// keyword's limits (see [`super::fields`]), else the vendor answers 47003.
    pub data: Vec<(String, String)>,
    /// The vendor sends one message per openid + client_msg_id within about 10 minutes, so a
    /// job retried after a lost answer does not notify twice. Use the job's id.
    pub client_msg_id: Option<String>,
}

/// The vendor took the message; the delivery result comes later as the
/// `TEMPLATESENDJOBFINISH` event carrying this id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeChatAccepted {
    pub msgid: String,
}

/// The WeChat channel's client. Cheap to clone; every clone shares one token cache, so build
/// one per process and hand clones to the workers.
#[derive(Debug, Clone)]
pub struct WeChatClient {
    http: reqwest::Client,
    api_base: Arc<str>,
    tokens: Arc<TokenCache>,
}

#[derive(Serialize)]
struct SendBody<'a> {
    touser: &'a str,
    template_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_msg_id: Option<&'a str>,
    data: Map<String, Value>,
}

#[derive(Deserialize)]
struct SendAnswer {
    errcode: Option<i64>,
    errmsg: Option<String>,
    msgid: Option<Value>,
}

impl WeChatClient {
    /// `clock` decides when the token is refreshed; in production the real clock
    /// (`certdesk_domain::SystemClock`), since the token's lifetime is counted by the vendor.
    pub fn new(config: WeChatConfig, http: reqwest::Client, clock: Arc<dyn Clock>) -> WeChatClient {
        let api_base: Arc<str> = config.api_base.trim_end_matches('/').into();
        let source = TokenSource {
            http: http.clone(),
            api_base: api_base.to_string(),
            app_id: config.app_id,
            app_secret: config.app_secret,
        };
        WeChatClient {
            http,
            api_base,
            tokens: Arc::new(TokenCache::new(source, clock)),
        }
    }

    /// The shared token cache (for callers that want to warm it at start-up).
    pub fn tokens(&self) -> &TokenCache {
        &self.tokens
    }

    /// Sends `msg`. A token the vendor rejects (40001/40014/42001) is replaced and the send
    /// tried once more within this call; anything else is returned as it came, sorted by
    /// [`WeChatError::is_retryable`].
    pub async fn send_template(
        &self,
        msg: &TemplateMessage,
    ) -> Result<WeChatAccepted, WeChatError> {
        let token = self.tokens.get().await?;
        match self.post(&token, msg).await {
            Err(rejected) if rejected.is_token_rejected() => {
                tracing::info!(
                    errcode = rejected.errcode(),
                    "wechat rejected the access token; refreshing and sending again"
                );
                self.tokens.invalidate(&token).await;
                let fresh = self.tokens.get().await?;
                // A second rejection stays a retryable `Api` error: the job runner tries later.
                self.post(&fresh, msg).await
            }
            other => other,
        }
    }

    async fn post(
        &self,
        token: &AccessToken,
        msg: &TemplateMessage,
    ) -> Result<WeChatAccepted, WeChatError> {
        let data = msg
            .data
            .iter()
            .map(|(keyword, value)| (keyword.clone(), json!({ "value": value })))
            .collect();
        let body = SendBody {
            touser: &msg.openid,
            template_id: &msg.template_id,
            url: msg.url.as_deref(),
            client_msg_id: msg.client_msg_id.as_deref(),
            data,
        };
        let answer = self
            .http
            .post(format!("{}/cgi-bin/message/template/send", self.api_base))
            .query(&[("access_token", token.expose())])
            .json(&body)
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| WeChatError::transport(Step::Send, e))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(WeChatError::Status {
                step: Step::Send,
                status: status.as_u16(),
            });
        }
        let bytes = answer
            .bytes()
            .await
            .map_err(|e| WeChatError::transport(Step::Send, e))?;
        let malformed = |message: String| WeChatError::Malformed {
            step: Step::Send,
            message,
        };
        let answer: SendAnswer =
            serde_json::from_slice(&bytes).map_err(|e| malformed(e.to_string()))?;
        match answer.errcode.unwrap_or(0) {
            0 => match answer.msgid {
                Some(Value::Number(n)) => Ok(WeChatAccepted {
                    msgid: n.to_string(),
                }),
                Some(Value::String(s)) if !s.is_empty() => Ok(WeChatAccepted { msgid: s }),
                _ => Err(malformed("应答缺少 msgid / answer without msgid".into())),
            },
            errcode => Err(WeChatError::from_send_errcode(
                errcode,
                answer.errmsg.unwrap_or_default(),
            )),
        }
    }
}
