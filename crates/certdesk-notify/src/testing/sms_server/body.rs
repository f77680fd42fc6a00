//! The `SendSms` body as the vendor reads it.

use super::{Refusal, refuse};
use serde_json::Value;

pub(super) struct SendRequest {
    pub phones: Vec<String>,
    pub template_id: String,
    pub params: Vec<String>,
    pub session_context: String,
    pub sign_name: String,
}

/// The body fields as the vendor checks them: required ones present and of the right type,
/// the account's SDK AppID, at most 200 numbers, a context under 512 bytes.
pub(super) fn read(sdk_app_id_of_account: &str, body: &[u8]) -> Result<SendRequest, Refusal> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return refuse("InvalidParameter", "the body is not a JSON object");
    };
    let text = |name: &str, required: bool| -> Result<String, Refusal> {
        match fields.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) if !required => Ok(String::new()),
            None | Some(Value::Null) => refuse("MissingParameter", format!("{name} is required")),
            Some(_) => refuse("InvalidParameter", format!("{name} must be a string")),
        }
    };
    let texts = |name: &str| -> Result<Vec<String>, Refusal> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => refuse("InvalidParameter", format!("{name} holds strings only")),
                })
                .collect(),
            Some(_) => refuse("InvalidParameter", format!("{name} must be an array")),
        }
    };
    let phones = texts("PhoneNumberSet")?;
    let sdk_app_id = text("SmsSdkAppId", true)?;
    let template_id = text("TemplateId", true)?;
    let sign_name = text("SignName", false)?;
    let params = texts("TemplateParamSet")?;
    let session_context = text("SessionContext", false)?;
    if phones.is_empty() {
        return refuse(
            "MissingParameter.EmptyPhoneNumberSet",
            "PhoneNumberSet is empty",
        );
    }
    if phones.len() > 200 {
        return refuse("LimitExceeded.PhoneNumberCountLimit", "at most 200 numbers");
    }
    if sdk_app_id != sdk_app_id_of_account {
        return refuse(
            "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
            format!("SmsSdkAppId {sdk_app_id} is not this account's"),
        );
    }
    if template_id.is_empty() || !template_id.chars().all(|c| c.is_ascii_digit()) {
        return refuse(
            "FailedOperation.TemplateIncorrectOrUnapproved",
            format!("template {template_id} is not approved"),
        );
    }
    // Mainland numbers need the approved signature text.
    if sign_name.is_empty() {
        return refuse(
            "FailedOperation.SignatureIncorrectOrUnapproved",
            "SignName is required for mainland numbers",
        );
    }
    if session_context.len() >= 512 {
        return refuse(
            "InvalidParameterValue",
            "SessionContext is 512 bytes or more",
        );
    }
    Ok(SendRequest {
        phones,
        template_id,
        params,
        session_context,
        sign_name,
    })
}

/// `+86` then 11 digits `1[3-9]…`; the vendor also takes the bare 11 digits, `86…`, `0086…`.
pub(super) fn is_mainland_mobile(phone: &str) -> bool {
    let national = phone
        .strip_prefix("+86")
        .or_else(|| phone.strip_prefix("0086"))
        .or_else(|| {
            (phone.len() == 13)
                .then(|| phone.strip_prefix("86"))
                .flatten()
        })
        .unwrap_or(phone);
    national.len() == 11
        && national.bytes().all(|b| b.is_ascii_digit())
        && national.as_bytes()[0] == b'1'
        && (b'3'..=b'9').contains(&national.as_bytes()[1])
}
