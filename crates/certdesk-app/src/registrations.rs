//! A2/E3: a candidate's registrations — they belong to the identity (every verified account of
//! the person sees them) — with their deadlines computed by the functions that enforce them.
//! Orders and refunds belong to the paying account: only it sees the money, and only it holds
//! the refund right (so `refund_until` shows on its view alone).

use certdesk_domain::{
    ErrorCode, IdentityId, IdentityStatus, OrderId, RegistrationDeadlines, RegistrationFacts,
    RegistrationId, registration_deadlines,
};
use certdesk_store::{
    Account, AdmissionTicket, ExamPeriod, Order, Refund, Registration, StoreError,
};

use crate::App;
use crate::error::AppResult;

/// A registration as "my exams" shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationView {
    pub registration: Registration,
    /// The paid order, when the actor is the account that paid it.
    pub order: Option<Order>,
    /// O10: the refund of that order, once refunded.
    pub refund: Option<Refund>,
    /// E3: refund / reschedule / retake deadlines (absent where the right does not exist).
    pub deadlines: RegistrationDeadlines,
    /// The sitting it is on (official channel).
    pub period: Option<ExamPeriod>,
    /// O4: its admission ticket once issued, with the signed text of its QR code; only while
    /// the registration is live (a cancelled one's ticket admits nobody).
    pub ticket: Option<(AdmissionTicket, String)>,
}

impl App {
    /// The actor's verified identity; `None` for an unverified account (a pending submission
    /// must never reveal the registrations of the person it claims to be, E2).
    async fn verified_identity(&self, actor: &Account) -> AppResult<Option<IdentityId>> {
        Ok(self
            .store
            .find_identity(actor.id)
            .await?
            .filter(|i| i.status == IdentityStatus::Verified)
            .map(|i| i.identity_id))
    }

    /// A2: the registrations of the actor's person, newest first; none without a verified
    /// identity.
    pub async fn list_my_registrations(&self, actor: &Account) -> AppResult<Vec<RegistrationView>> {
        let Some(identity) = self.verified_identity(actor).await? else {
            return Ok(Vec::new());
        };
        let mut views = Vec::new();
        for registration in self.store.list_registrations(identity).await? {
            views.push(self.registration_view(actor, registration).await?);
        }
        Ok(views)
    }

    /// One registration of the actor's person; anyone else's is `not_found` (E2).
    pub async fn get_my_registration(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<RegistrationView> {
        let registration = self.my_registration(actor, id).await?;
        self.registration_view(actor, registration).await
    }

    /// The record of one registration of the actor's person: `not_found` for an unverified
    /// actor, an unknown id or another person's registration alike (E2).
    pub(crate) async fn my_registration(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<Registration> {
        let identity = self
            .verified_identity(actor)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        let registration = self.store.get_registration(id).await?;
        if registration.identity_id != identity {
            return Err(ErrorCode::NotFound.into());
        }
        Ok(registration)
    }

    /// One of the actor's orders; anyone else's is `not_found` (E2).
    pub async fn get_my_order(&self, actor: &Account, id: OrderId) -> AppResult<Order> {
        let order = self.store.get_order(id).await?;
        if order.account_id != actor.id {
            return Err(ErrorCode::NotFound.into());
        }
        Ok(order)
    }

    /// E3: the registration's deadlines, by the same functions that enforce them (O7, O10).
    /// `order` is its paid order when the viewer paid it; without it there is no refund right
    /// to show (the refund belongs to the paying account). Every caller — the view of "my
    /// exams" and a placed order alike — comes through here, so the web never recomputes them.
    pub(crate) fn deadlines(
        &self,
        registration: &Registration,
        order: Option<&Order>,
    ) -> RegistrationDeadlines {
        let facts = RegistrationFacts {
            channel: registration.channel,
            status: registration.status,
            attempt: registration.attempt,
            order: order.map(|o| (o.paid_at, o.status)),
            reschedules_used: registration.reschedules_used,
            current_start: registration.official_start(),
            // O8: the retake this attempt gave, once taken (or held).
            retake_used: registration.retake_id.is_some(),
        };
        registration_deadlines(&facts, &self.policy)
    }

    pub(crate) async fn registration_view(
        &self,
        actor: &Account,
        registration: Registration,
    ) -> AppResult<RegistrationView> {
        let order = match registration.order_id {
            Some(id) => Some(self.store.get_order(id).await?),
            None => None,
        }
        .filter(|o| o.account_id == actor.id);
        let refund = match &order {
            Some(o) => self.store.find_refund(o.id).await?,
            None => None,
        };
        let period = match registration.period_id {
            Some(id) => match self.store.get_exam_period(id).await {
                Ok(p) => Some(p),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let ticket = if registration.status.is_live() {
            self.store.find_ticket(registration.id).await?.map(|t| {
                let code = self.ticket_code(&t.number);
                (t, code)
            })
        } else {
            None
        };
        Ok(RegistrationView {
            deadlines: self.deadlines(&registration, order.as_ref()),
            registration,
            order,
            refund,
            period,
            ticket,
        })
    }
}
