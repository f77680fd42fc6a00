//! C1: the catalogue — reading it, operators' create/edit/retire (audited), and the default
//! seed. Editing never changes whether a certification is on sale: a retired one stays retired
//! through edits and comes back only through the explicit, audited `unretire_certification`.

use certdesk_domain::{CertCode, ErrorCode, Role};
use certdesk_store::{
    Account, Certification, CertificationData, Conflict, NewAuditEntry, StoreError,
};

use crate::App;
use crate::catalogue_defaults::default_catalogue;
use crate::certification_input::{CertificationInput, invalid, parse_certification};
use crate::error::{AppResult, require};

fn audit(
    actor: Option<&Account>,
    action: &str,
    code: &CertCode,
    before: Option<&CertificationData>,
    after: &CertificationData,
    at: jiff::Timestamp,
) -> NewAuditEntry {
    let json =
        |d: &CertificationData| serde_json::to_value(d).expect("certification data serialises");
    NewAuditEntry {
        actor: actor.map(|a| a.id),
        action: action.into(),
        target_kind: "certification".into(),
        target_id: code.to_string(),
        before: before.map(json),
        after: Some(json(after)),
        at,
    }
}

impl App {
    /// The catalogue, for everyone; retired ones only when asked.
    pub async fn list_certifications(
        &self,
        include_retired: bool,
    ) -> AppResult<Vec<Certification>> {
        Ok(self.store.list_certifications(include_retired).await?)
    }

    /// One certification by code (retired ones too: their certificates stay valid); a code
    /// that cannot exist is simply not found.
    pub async fn get_certification(&self, code: &str) -> AppResult<Certification> {
        let code = CertCode::parse(code).map_err(|_| ErrorCode::NotFound)?;
        Ok(self
            .store
            .find_certification(&code)
            .await?
            .ok_or(ErrorCode::NotFound)?)
    }

    /// Operators add a certification (on sale at once); audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn create_certification(
        &self,
        actor: &Account,
        input: CertificationInput,
    ) -> AppResult<Certification> {
        require(actor.has_role(Role::Admin))?;
        let data = parse_certification(&input, false)?;
        let entry = audit(
            Some(actor),
            "certification.create",
            &data.code,
            None,
            &data,
            self.now(),
        );
        Ok(self.store.commit_certification_create(data, entry).await?)
    }

    /// Operators edit every field but the code; the retired flag is kept as it is. Audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn update_certification(
        &self,
        actor: &Account,
        code: &str,
        input: CertificationInput,
    ) -> AppResult<Certification> {
        require(actor.has_role(Role::Admin))?;
        let current = self.get_certification(code).await?;
        let data = parse_certification(&input, current.data.retired)?;
        if data.code != current.data.code {
            return Err(invalid(
                "code",
                "认证代码不能修改。",
                "A certification's code cannot change.",
            )
            .into());
        }
        self.commit_update(actor, "certification.update", current.data, data)
            .await
    }

    /// C1: a retired certification can no longer be bought; its certificates stay valid.
    /// Retiring a retired one changes nothing (and logs nothing).
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn retire_certification(
        &self,
        actor: &Account,
        code: &str,
    ) -> AppResult<Certification> {
        self.set_retired(actor, code, true).await
    }

    /// Puts a retired certification back on sale: deliberate, separate and audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn unretire_certification(
        &self,
        actor: &Account,
        code: &str,
    ) -> AppResult<Certification> {
        self.set_retired(actor, code, false).await
    }

    async fn set_retired(
        &self,
        actor: &Account,
        code: &str,
        retired: bool,
    ) -> AppResult<Certification> {
        require(actor.has_role(Role::Admin))?;
        let current = self.get_certification(code).await?;
        if current.data.retired == retired {
            return Ok(current);
        }
        let action = if retired {
            "certification.retire"
        } else {
            "certification.unretire"
        };
        let data = CertificationData {
            retired,
            ..current.data.clone()
        };
        self.commit_update(actor, action, current.data, data).await
    }

    async fn commit_update(
        &self,
        actor: &Account,
        action: &str,
        before: CertificationData,
        after: CertificationData,
    ) -> AppResult<Certification> {
        let entry = audit(
            Some(actor),
            action,
            &before.code,
            Some(&before),
            &after,
            self.now(),
        );
        let code = before.code;
        Ok(self
            .store
            .commit_certification_update(&code, after, entry)
            .await?)
    }

    /// C1: inserts the 13 default certifications that are missing; idempotent, run at every
    /// start. An operator's edits and retirements are never overwritten. Returns how many
    /// were inserted.
    pub async fn seed_default_catalogue(&self) -> AppResult<usize> {
        let now = self.now();
        let present: Vec<CertCode> = self
            .store
            .list_certifications(true)
            .await?
            .into_iter()
            .map(|c| c.data.code)
            .collect();
        let mut inserted = 0;
        for data in default_catalogue()
            .into_iter()
            .filter(|d| !present.contains(&d.code))
        {
            let entry = audit(None, "certification.seed", &data.code, None, &data, now);
            match self.store.commit_certification_create(data, entry).await {
                Ok(_) => inserted += 1,
                // Another process seeded it between our read and our write.
                Err(StoreError::Conflict(Conflict::CertCodeTaken)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if inserted > 0 {
            tracing::info!(inserted, "default catalogue seeded");
        }
        Ok(inserted)
    }
}
