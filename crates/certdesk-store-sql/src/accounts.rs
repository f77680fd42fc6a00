//! Accounts, sessions and the login throttle (`AccountStore`).

use async_trait::async_trait;
use certdesk_domain::{AccountId, Email, InstitutionId, Phone, Role};
use certdesk_store::{
    Account, AccountStore, Conflict, ContactUpdate, LoginThrottle, NewAccount, NewJob, NewSession,
    Page, PageRequest, Session, SessionKind, StoreError, StoreResult,
};
use jiff::{SignedDuration, Timestamp};

use crate::SqlStore;
use crate::convert::{
    after, corrupt, fetch_limit, from_json, from_ts, from_ts_opt, into_page, to_json, to_u32, ts,
};
use crate::db::{Row, query};

const ACCOUNT_COLUMNS: &str =
    "id, email, phone, password_hash, roles, institution_id, wechat_openid, opted_out, created_at";
/// `ACCOUNT_COLUMNS` of the accounts table aliased `a`, for joins.
const A_ACCOUNT_COLUMNS: &str = "a.id, a.email, a.phone, a.password_hash, a.roles, a.institution_id, a.wechat_openid, a.opted_out, a.created_at";

pub(crate) fn account_from_row(row: &Row) -> StoreResult<Account> {
    let id: i64 = row.get("id")?;
    let phone: Option<String> = row.get("phone")?;
    let email: String = row.get("email")?;
    Ok(Account {
        id: AccountId(id),
        email: Email::parse(&email).map_err(|_| corrupt(format!("email of account {id}")))?,
        phone: phone
            .map(|p| Phone::parse(&p))
            .transpose()
            .map_err(|_| corrupt(format!("phone of account {id}")))?,
        password_hash: row.get("password_hash")?,
        roles: from_json::<Vec<Role>>(&row.get::<String>("roles")?, "roles")?,
        institution_id: row.get::<Option<i64>>("institution_id")?.map(InstitutionId),
        wechat_openid: row.get("wechat_openid")?,
        opted_out: from_json(&row.get::<String>("opted_out")?, "opt-outs")?,
        created_at: from_ts(row.get("created_at")?)?,
    })
}

fn throttle_from_row(row: &Row) -> StoreResult<LoginThrottle> {
    Ok(LoginThrottle {
        key: row.get("login_key")?,
        failures: to_u32(row.get("failures")?, "failures")?,
        first_failure_at: from_ts(row.get("first_failure_at")?)?,
        locked_until: from_ts_opt(row.get("locked_until")?)?,
    })
}

fn kind_str(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Api => "api",
        SessionKind::Web => "web",
    }
}

fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

/// One atomic upsert: inside the window (`now < first + window`) failures accumulate, after it
/// the count restarts at 1; reaching `max` locks from `now`; a running lock is never shortened.
const RECORD_FAILURE: &str = "
INSERT INTO login_throttle (login_key, failures, first_failure_at, locked_until)
VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 END)
ON CONFLICT (login_key) DO UPDATE SET
    failures = CASE WHEN login_throttle.first_failure_at + $3 > $2
                    THEN login_throttle.failures + 1 ELSE 1 END,
    first_failure_at = CASE WHEN login_throttle.first_failure_at + $3 > $2
                    THEN login_throttle.first_failure_at ELSE $2 END,
    locked_until = CASE
        WHEN (CASE WHEN login_throttle.first_failure_at + $3 > $2
                   THEN login_throttle.failures + 1 ELSE 1 END) >= $4 THEN $2 + $5
        WHEN login_throttle.locked_until > $2 THEN login_throttle.locked_until
        ELSE NULL END
RETURNING login_key, failures, first_failure_at, locked_until";

#[async_trait]
impl AccountStore for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        query("SELECT 1").execute(self.read()).await?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let row = query(
            "SELECT EXISTS (SELECT 1 FROM accounts) AS has_accounts, EXISTS (SELECT 1 FROM certifications) AS has_certs",
        )
        .fetch_one(self.read())
        .await?;
        Ok(!row.get::<bool>("has_accounts")? && !row.get::<bool>("has_certs")?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn commit_account(&self, account: NewAccount, jobs: Vec<NewJob>) -> StoreResult<Account> {
        let mut tx = self.begin().await?;
        let id = query(
            "INSERT INTO accounts (email, email_key, phone, password_hash, roles, institution_id, opted_out, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, '[]', $7) RETURNING id",
        )
        .bind(account.email.as_str())
        .bind(email_key(&account.email))
        .bind(account.phone.as_ref().map(Phone::e164))
        .bind(&account.password_hash)
        .bind(to_json(&account.roles)?)
        .bind(account.institution_id.map(InstitutionId::get))
        .bind(ts(account.created_at))
        .fetch_one(&mut tx)
        .await
        .map_err(|e| {
            if e.is_unique_violation("accounts_email_key_unique") {
                StoreError::Conflict(Conflict::EmailTaken)
            } else {
                StoreError::from(e)
            }
        })?
        .int("id")?;
        crate::jobs::enqueue(&mut tx, &jobs, Some(account.created_at)).await?;
        tx.commit().await?;
        tracing::debug!(account_id = id, "account created");
        Ok(Account {
            id: AccountId(id),
            email: account.email,
            phone: account.phone,
            password_hash: account.password_hash,
            roles: account.roles,
            institution_id: account.institution_id,
            wechat_openid: None,
            opted_out: Vec::new(),
            created_at: account.created_at,
        })
    }

    async fn get_account(&self, id: AccountId) -> StoreResult<Account> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        let row = query(&sql)
            .bind(id.get())
            .fetch_optional(self.read())
            .await?;
        account_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    async fn find_account_by_email(&self, email: &Email) -> StoreResult<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email_key = $1");
        let row = query(&sql)
            .bind(email_key(email))
            .fetch_optional(self.read())
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    async fn list_accounts(&self, page: PageRequest) -> StoreResult<Page<Account>> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id > $1 ORDER BY id LIMIT $2");
        let rows = query(&sql)
            .bind(after(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(account_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |a| a.id.get()))
    }

    async fn accounts_with_role(&self, role: Role, limit: u32) -> StoreResult<Vec<AccountId>> {
        // Roles are a JSON array of names; the name in its quotes matches that role only.
        let rows = query("SELECT id FROM accounts WHERE roles LIKE $1 ORDER BY id LIMIT $2")
            .bind(format!("%\"{}\"%", role.as_str()))
            .bind(i64::from(limit))
            .fetch_all(self.read())
            .await?;
        rows.iter()
            .map(|row| Ok(AccountId(row.int("id")?)))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %id))]
    async fn update_contacts(
        &self,
        id: AccountId,
        contacts: ContactUpdate,
    ) -> StoreResult<Account> {
        let sql = format!(
            "UPDATE accounts SET phone = $2, wechat_openid = $3, opted_out = $4 WHERE id = $1 RETURNING {ACCOUNT_COLUMNS}"
        );
        let row = query(&sql)
            .bind(id.get())
            .bind(contacts.phone.as_ref().map(Phone::e164))
            .bind(&contacts.wechat_openid)
            .bind(to_json(&contacts.opted_out)?)
            .fetch_optional(self.write())
            .await?;
        account_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %session.account_id))]
    async fn create_session(&self, session: NewSession) -> StoreResult<()> {
        query(
            "INSERT INTO sessions (token_hash, account_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.token_hash)
        .bind(session.account_id.get())
        .bind(kind_str(session.kind))
        .bind(ts(session.created_at))
        .bind(ts(session.expires_at))
        .execute(self.write())
        .await
        .map_err(|e| if e.is_foreign_key_violation() { StoreError::NotFound } else { StoreError::from(e) })?;
        Ok(())
    }

    async fn find_session(
        &self,
        token_hash: &[u8],
        now: Timestamp,
    ) -> StoreResult<Option<(Session, Account)>> {
        let sql = format!(
            "SELECT {A_ACCOUNT_COLUMNS}, s.token_hash, s.kind AS session_kind, s.created_at AS session_created_at,
                    s.expires_at
             FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let row = query(&sql)
            .bind(token_hash)
            .bind(ts(now))
            .fetch_optional(self.read())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let account = account_from_row(&row)?;
        let kind = match row.get::<String>("session_kind")?.as_str() {
            "api" => SessionKind::Api,
            "web" => SessionKind::Web,
            _ => return Err(corrupt("session kind".to_owned())),
        };
        let session = Session {
            token_hash: row.get("token_hash")?,
            account_id: account.id,
            kind,
            created_at: from_ts(row.get("session_created_at")?)?,
            expires_at: from_ts(row.get("expires_at")?)?,
        };
        Ok(Some((session, account)))
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.write())
            .await?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(self.write())
            .await;
        Ok(done?)
    }

    async fn find_login_throttle(&self, key: &str) -> StoreResult<Option<LoginThrottle>> {
        let row = query(
            "SELECT login_key, failures, first_failure_at, locked_until FROM login_throttle WHERE login_key = $1",
        )
        .bind(key)
        .fetch_optional(self.read())
        .await?;
        row.as_ref().map(throttle_from_row).transpose()
    }

    async fn record_login_failure(
        &self,
        key: &str,
        now: Timestamp,
        window: SignedDuration,
        max_failures: u32,
        lockout: SignedDuration,
    ) -> StoreResult<LoginThrottle> {
        let row = query(RECORD_FAILURE)
            .bind(key)
            .bind(ts(now))
            .bind(micros(window))
            .bind(i64::from(max_failures))
            .bind(micros(lockout))
            .fetch_one(self.write())
            .await?;
        throttle_from_row(&row)
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        query("DELETE FROM login_throttle WHERE login_key = $1")
            .bind(key)
            .execute(self.write())
            .await?;
        Ok(())
    }

    async fn delete_stale_login_throttles(
        &self,
        first_failure_until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<u64> {
        Ok(query(
            "DELETE FROM login_throttle
             WHERE first_failure_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(ts(first_failure_until))
        .bind(ts(now))
        .execute(self.write())
        .await?)
    }
}

fn micros(d: SignedDuration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}
