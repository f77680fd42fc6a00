//! Accounts, sessions and the login throttle (`AccountStore`).

use async_trait::async_trait;
use certdesk_domain::{AccountId, Email, InstitutionId, Phone, Role};
use certdesk_store::{
    Account, AccountStore, Conflict, ContactUpdate, LoginThrottle, NewAccount, NewJob, NewSession,
    Page, PageRequest, Session, SessionKind, StoreError, StoreResult,
};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row as _;
use sqlx::postgres::PgRow;

use crate::PostgresStore;
use crate::convert::{
    after, corrupt, fetch_limit, from_json, from_ts, from_ts_opt, into_page, to_json, to_u32, ts,
};
use crate::error::{DbResultExt as _, db_error, is_foreign_key_violation, is_unique_violation};

const ACCOUNT_COLUMNS: &str =
    "id, email, phone, password_hash, roles, institution_id, wechat_openid, opted_out, created_at";
/// `ACCOUNT_COLUMNS` of the accounts table aliased `a`, for joins.
const A_ACCOUNT_COLUMNS: &str = "a.id, a.email, a.phone, a.password_hash, a.roles, a.institution_id, a.wechat_openid, a.opted_out, a.created_at";

pub(crate) fn account_from_row(row: &PgRow) -> StoreResult<Account> {
    let id: i64 = row.try_get("id").db()?;
    let phone: Option<String> = row.try_get("phone").db()?;
    let email: String = row.try_get("email").db()?;
    Ok(Account {
        id: AccountId(id),
        email: Email::parse(&email).map_err(|_| corrupt(format!("email of account {id}")))?,
        phone: phone
            .map(|p| Phone::parse(&p))
            .transpose()
            .map_err(|_| corrupt(format!("phone of account {id}")))?,
        password_hash: row.try_get("password_hash").db()?,
        roles: from_json::<Vec<Role>>(&row.try_get::<String, _>("roles").db()?, "roles")?,
        institution_id: row
            .try_get::<Option<i64>, _>("institution_id")
            .db()?
            .map(InstitutionId),
        wechat_openid: row.try_get("wechat_openid").db()?,
        opted_out: from_json(&row.try_get::<String, _>("opted_out").db()?, "opt-outs")?,
        created_at: from_ts(row.try_get("created_at").db()?)?,
    })
}

fn throttle_from_row(row: &PgRow) -> StoreResult<LoginThrottle> {
    Ok(LoginThrottle {
        key: row.try_get("login_key").db()?,
        failures: to_u32(row.try_get("failures").db()?, "failures")?,
        first_failure_at: from_ts(row.try_get("first_failure_at").db()?)?,
        locked_until: from_ts_opt(row.try_get("locked_until").db()?)?,
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
impl AccountStore for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.db()?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM accounts) AS has_accounts, EXISTS (SELECT 1 FROM certifications) AS has_certs",
        )
        .fetch_one(&self.pool)
        .await
        .db()?;
        Ok(!row.try_get::<bool, _>("has_accounts").db()?
            && !row.try_get::<bool, _>("has_certs").db()?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn commit_account(&self, account: NewAccount, jobs: Vec<NewJob>) -> StoreResult<Account> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
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
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e, "accounts_email_key_unique") {
                StoreError::Conflict(Conflict::EmailTaken)
            } else {
                db_error(e)
            }
        })?;
        crate::jobs::enqueue(&mut tx, &jobs, Some(account.created_at)).await?;
        tx.commit().await.db()?;
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
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(&self.pool)
            .await
            .db()?;
        account_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    async fn find_account_by_email(&self, email: &Email) -> StoreResult<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email_key = $1");
        let row = sqlx::query(&sql)
            .bind(email_key(email))
            .fetch_optional(&self.pool)
            .await
            .db()?;
        row.as_ref().map(account_from_row).transpose()
    }

    async fn list_accounts(&self, page: PageRequest) -> StoreResult<Page<Account>> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id > $1 ORDER BY id LIMIT $2");
        let rows = sqlx::query(&sql)
            .bind(after(page))
            .bind(fetch_limit(page))
            .fetch_all(&self.pool)
            .await
            .db()?;
        let items = rows
            .iter()
            .map(account_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |a| a.id.get()))
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
        let row = sqlx::query(&sql)
            .bind(id.get())
            .bind(contacts.phone.as_ref().map(Phone::e164))
            .bind(&contacts.wechat_openid)
            .bind(to_json(&contacts.opted_out)?)
            .fetch_optional(&self.pool)
            .await
            .db()?;
        account_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %session.account_id))]
    async fn create_session(&self, session: NewSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.token_hash)
        .bind(session.account_id.get())
        .bind(kind_str(session.kind))
        .bind(ts(session.created_at))
        .bind(ts(session.expires_at))
        .execute(&self.pool)
        .await
        .map_err(|e| if is_foreign_key_violation(&e) { StoreError::NotFound } else { db_error(e) })?;
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
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(ts(now))
            .fetch_optional(&self.pool)
            .await
            .db()?;
        let Some(row) = row else { return Ok(None) };
        let account = account_from_row(&row)?;
        let kind = match row.try_get::<String, _>("session_kind").db()?.as_str() {
            "api" => SessionKind::Api,
            "web" => SessionKind::Web,
            _ => return Err(corrupt("session kind".to_owned())),
        };
        let session = Session {
            token_hash: row.try_get("token_hash").db()?,
            account_id: account.id,
            kind,
            created_at: from_ts(row.try_get("session_created_at").db()?)?,
            expires_at: from_ts(row.try_get("expires_at").db()?)?,
        };
        Ok(Some((session, account)))
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await;
        Ok(done.db()?.rows_affected())
    }

    async fn find_login_throttle(&self, key: &str) -> StoreResult<Option<LoginThrottle>> {
        let row = sqlx::query(
            "SELECT login_key, failures, first_failure_at, locked_until FROM login_throttle WHERE login_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .db()?;
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
        let row = sqlx::query(RECORD_FAILURE)
            .bind(key)
            .bind(ts(now))
            .bind(micros(window))
            .bind(i64::from(max_failures))
            .bind(micros(lockout))
            .fetch_one(&self.pool)
            .await
            .db()?;
        throttle_from_row(&row)
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_throttle WHERE login_key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }
}

fn micros(d: SignedDuration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}
