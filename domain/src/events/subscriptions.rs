//! Which handler hears which event. A handler is a name in this table and a match
//! arm in the dispatcher: adding one is two lines, and the compiler checks both.

use super::EventType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handler {
    /// Verification, welcome, password-reset and security mails.
    AccountMail,
    /// Tells creators by mail what reviewers decided.
    ReviewMail,
    /// Tells customers by mail at each step of their order.
    OrderMail,
}

impl Handler {
    pub const ALL: [Handler; 3] = [Handler::AccountMail, Handler::ReviewMail, Handler::OrderMail];

    pub fn name(self) -> &'static str {
        match self {
            Handler::AccountMail => "account_mail",
            Handler::ReviewMail => "review_mail",
            Handler::OrderMail => "order_mail",
        }
    }

    pub fn parse(name: &str) -> Option<Handler> {
        Handler::ALL.into_iter().find(|h| h.name() == name)
    }

    fn events(self) -> &'static [EventType] {
        match self {
            Handler::AccountMail => &[
                EventType::UserRegistered,
                EventType::UserVerified,
                EventType::UserRegistrationDuplicate,
                EventType::UserPasswordResetRequested,
                EventType::UserVerificationRequested,
                EventType::UserPasswordChanged,
                EventType::UserRolesChanged,
            ],
            Handler::ReviewMail => &[EventType::CreatorSubmissionApproved, EventType::CreatorSubmissionRejected],
            Handler::OrderMail => &[
                EventType::OrderPaid,
                EventType::OrderShipped,
                EventType::OrderDelivered,
                EventType::OrderCancelled,
                EventType::PaymentRefunded,
            ],
        }
    }
}

/// The handlers that must receive an event of this type.
pub fn subscribers(event_type: EventType) -> Vec<Handler> {
    Handler::ALL.into_iter().filter(|h| h.events().contains(&event_type)).collect()
}
