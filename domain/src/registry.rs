//! What each module adds to the shared machinery, listed once: the kinds the review
//! queue decides and the handlers that hear events. Neither `review` nor `events`
//! knows a module above it; a new kind or handler is its own module plus a line here.

use crate::{catalog, commerce, creators, events::Handlers, ratings, review::Subjects, users};

/// Every kind of thing reviewers decide, with what a decision does to it.
pub fn review_subjects() -> Subjects {
    Subjects::default()
        .with(creators::verification::Review)
        .with(catalog::listing::Review)
        .with(catalog::certification::Review)
        .with(creators::portfolio::Review)
        .with(ratings::moderate::Review)
}

/// Every event handler, each with the events it hears.
pub fn event_handlers() -> Handlers {
    Handlers::default()
        .with(users::mail::AccountMail)
        .with(crate::review::mail::ReviewMail)
        .with(crate::ratings::maker_notices::RatingNotices)
        .with(commerce::orders::notices::OrderNotices)
        .with(crate::ledger::payout_notices::PayoutNotices)
        .with(crate::analytics::facts::StoreFacts)
        .with(crate::analytics::alerts::AlertNotices)
        .with(crate::analytics::summary::SummaryMail)
        .with(crate::webhooks::fanout::WebhookFanout)
        .with(crate::notifications::deliveries::Deliverer)
}

#[cfg(test)]
mod tests {
    use types::review::ReviewKind;

    use super::*;
    use types::TextEnum;

    #[test]
    fn every_review_kind_has_exactly_one_subject() {
        let subjects = review_subjects();
        for &kind in ReviewKind::ALL {
            assert_eq!(subjects.kinds().filter(|k| *k == kind).count(), 1, "{kind:?}");
        }
    }

    #[test]
    fn handler_names_are_unique() {
        let handlers = event_handlers();
        let mut names: Vec<&str> = handlers.names().collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
