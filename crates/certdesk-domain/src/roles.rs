//! Roles of an account and the status of a real-name verification (A4).

use std::fmt;
use std::str::FromStr;

/// What an account may do. Every account is a candidate; operators are `admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Candidate,
    Admin,
    InstitutionStaff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Admin => "admin",
            Role::InstitutionStaff => "institution_staff",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "candidate" => Ok(Role::Candidate),
            "admin" => Ok(Role::Admin),
            "institution_staff" => Ok(Role::InstitutionStaff),
            other => Err(format!("unknown role {other:?}")),
        }
    }
}

/// A4: where an account's real-name verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityStatus {
    Pending,
    Verified,
    Rejected,
}

impl IdentityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityStatus::Pending => "pending",
            IdentityStatus::Verified => "verified",
            IdentityStatus::Rejected => "rejected",
        }
    }
}

impl FromStr for IdentityStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(IdentityStatus::Pending),
            "verified" => Ok(IdentityStatus::Verified),
            "rejected" => Ok(IdentityStatus::Rejected),
            other => Err(format!("unknown identity status {other:?}")),
        }
    }
}
