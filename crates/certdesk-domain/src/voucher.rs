//! O5: vouchers (代金券) — their codes, an operator's terms, and whether one may pay an order
//! (face value, minimum spend, expiry, single use, owner).

use crate::ids::AccountId;
use crate::money::Fen;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use crate::wallet::{RawAmount, parse_amount, parse_positive_amount};
use jiff::Timestamp;
use std::fmt;

/// Crockford's base32: digits and upper-case letters without I, L, O and U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "CD";
const SYMBOLS: usize = 8;

/// O5: a voucher's code, `CD-7K3M-Q9XA`: `CD`, then 8 Crockford base32 symbols (40 bits) in
/// two groups. Parsing is case-insensitive, ignores hyphens and spaces, and reads the
/// look-alikes as Crockford does (`O` → `0`, `I`/`L` → `1`); the code is kept normalised.
///
/// A code is a handle, not a bearer secret: a voucher pays only for its owner (O5). 40 bits
/// collide now and then among many vouchers, so the store keeps codes unique and draws again
/// on a clash.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct VoucherCode(String);

impl VoucherCode {
    /// A fresh code from the caller's randomness (this crate reads no RNG): the 80 bits are
    /// folded to 40 (byte i XOR byte i + 5), uniform when the input is.
    pub fn from_random_bytes(bytes: &[u8; 10]) -> VoucherCode {
        let bits = bytes[..5]
            .iter()
            .zip(&bytes[5..])
            .fold(0u64, |acc, (a, b)| (acc << 8) | u64::from(a ^ b));
        let symbols: Vec<u8> = (0..SYMBOLS)
            .rev()
            .map(|k| ALPHABET[usize::try_from((bits >> (5 * k)) & 31).unwrap_or(0)])
            .collect();
        VoucherCode::from_symbols(&symbols)
    }

    fn from_symbols(symbols: &[u8]) -> VoucherCode {
        let s = String::from_utf8_lossy(symbols);
        VoucherCode(format!("{PREFIX}-{}-{}", &s[..4], &s[4..]))
    }

    /// A candidate's code. Anything that is not a code is refused exactly as a code that
    /// matches no voucher is ([`voucher_not_found`]).
    pub fn parse(input: &str) -> Result<VoucherCode, Refusal> {
        if input.len() > 64 {
            return Err(voucher_not_found());
        }
        let compact: Vec<u8> = input
            .trim()
            .bytes()
            .filter(|b| !matches!(b, b'-' | b' '))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        let Some(body) = compact.strip_prefix(PREFIX.as_bytes()) else {
            return Err(voucher_not_found());
        };
        if body.len() != SYMBOLS {
            return Err(voucher_not_found());
        }
        let mut symbols = Vec::with_capacity(SYMBOLS);
        for &b in body {
            let canonical = match b {
                b'O' => b'0',
                b'I' | b'L' => b'1',
                other => other,
            };
            if !ALPHABET.contains(&canonical) {
                return Err(voucher_not_found());
            }
            symbols.push(canonical);
        }
        Ok(VoucherCode::from_symbols(&symbols))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VoucherCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for VoucherCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        VoucherCode::parse(&s).map_err(|_| serde::de::Error::custom("not a voucher code"))
    }
}

/// O5: what an operator issues (`POST /api/v1/admin/vouchers`): face value > 0, minimum spend
/// ≥ 0 (either may exceed the other), an expiry still ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoucherTerms {
    face_value: Fen,
    min_spend: Fen,
    expires_at: Timestamp,
}

impl VoucherTerms {
    /// `invalid_amount` (fields `face_value_fen`, `min_spend_fen`) or `invalid_field` (field
    /// `expires_at`, when `expires_at ≤ now`: such a voucher could never be used, T4).
    pub fn parse(
        face_value_fen: impl Into<RawAmount>,
        min_spend_fen: impl Into<RawAmount>,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<VoucherTerms, Refusal> {
        let face_value = parse_positive_amount(face_value_fen, "face_value_fen")?;
        let min_spend = parse_amount(min_spend_fen, "min_spend_fen")?;
        if expires_at <= now {
            return Err(Refusal::new(ErrorCode::InvalidField)
                .field("expires_at")
                .rule("O5")
                .detail(LocalizedText::fixed(
                    "有效期须晚于当前时间。",
                    "The expiry must be in the future.",
                )));
        }
        Ok(VoucherTerms {
            face_value,
            min_spend,
            expires_at,
        })
    }

    pub fn face_value(&self) -> Fen {
        self.face_value
    }

    pub fn min_spend(&self) -> Fen {
        self.min_spend
    }

    /// Exclusive (T4): usable iff now < expires_at.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }
}

/// O5: what the store knows of a voucher when an order names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoucherView {
    pub owner: AccountId,
    pub face_value: Fen,
    pub min_spend: Fen,
    /// Exclusive (T4).
    pub expires_at: Timestamp,
    pub used: bool,
}

fn voucher_invalid(detail: LocalizedText) -> Refusal {
    Refusal::new(ErrorCode::VoucherInvalid)
        .field("voucher_code")
        .rule("O5")
        .detail(detail)
}

/// O5 + T4: a voucher has expired from its expiry instant on — usable iff now < expires_at.
/// [`check_voucher`] refuses an expired voucher by this rule, and the wallet shows it by the
/// same one.
pub fn voucher_expired(expires_at: Timestamp, now: Timestamp) -> bool {
    !crate::rules::before_deadline(now, expires_at)
}

/// O5: where one of the owner's vouchers stands at `now` (the wallet page's `data-state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoucherState {
    Usable,
    /// Single use: spent on an order.
    Used,
    /// T4: now ≥ expires_at.
    Expired,
}

impl VoucherState {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            VoucherState::Usable => "usable",
            VoucherState::Used => "used",
            VoucherState::Expired => "expired",
        }
    }
}

/// O5: a voucher's state for its owner at `now`. Used wins over expired: a voucher spent
/// before its expiry was used, whatever the date. Minimum spend is not judged here, as it
/// depends on the order (see [`check_voucher`]).
pub fn voucher_state(used: bool, expires_at: Timestamp, now: Timestamp) -> VoucherState {
    if used {
        VoucherState::Used
    } else if voucher_expired(expires_at, now) {
        VoucherState::Expired
    } else {
        VoucherState::Usable
    }
}

/// O5: a code that names no voucher — and, word for word, a voucher that is not the buyer's,
/// so a refusal never tells whether someone else's code exists.
pub fn voucher_not_found() -> Refusal {
    voucher_invalid(LocalizedText::fixed(
        "未找到该代金券。",
        "No such voucher was found.",
    ))
}

/// O5: whether `buyer` may pay an order of `price` with the voucher at `now`; `Ok(applied)`,
/// the part of the price it pays: min(face value, price) — a voucher gives no change.
/// Refusals are `voucher_invalid`, field `voucher_code`, rule O5, detail saying why, checked
/// in this order: not the buyer's (as [`voucher_not_found`]), used, expired (T4: usable iff
/// now < expires_at; deadline = expires_at), price below the minimum spend (price ≥ min
/// spend passes; the detail names the minimum in yuan).
pub fn check_voucher(
    v: &VoucherView,
    buyer: AccountId,
    price: Fen,
    now: Timestamp,
) -> Result<Fen, Refusal> {
    if v.owner != buyer {
        return Err(voucher_not_found());
    }
    if v.used {
        return Err(voucher_invalid(LocalizedText::fixed(
            "该代金券已使用。",
            "This voucher has already been used.",
        )));
    }
    if voucher_expired(v.expires_at, now) {
        // The message appends the deadline: "…已过期。截止时间：…之前。"
        return Err(voucher_invalid(LocalizedText::fixed(
            "该代金券已过期。",
            "This voucher has expired.",
        ))
        .deadline(v.expires_at));
    }
    if price < v.min_spend {
        let min = v.min_spend;
        return Err(voucher_invalid(LocalizedText::new(
            format!("订单金额未达到该代金券的最低消费 {min}。"),
            format!("The order is below this voucher's minimum spend of {min}."),
        )));
    }
    Ok(v.face_value.min(price))
}
