//! Checkout as the customer walks it: an address, the review of what each creator
//! will ship and what it costs, then the card.

use serde::{Deserialize, Serialize};

use crate::{
    ErrorCode,
    cart::CartView,
    ids::{AddressId, CheckoutId},
    orders::ShipTo,
};

/// Where a checkout saga stands. `Completed` and `Failed` are final.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CheckoutState {
    Reserved,
    Authorizing,
    AwaitingConfirmation,
    Authorized,
    Capturing,
    Compensating,
    Completed,
    Failed,
}

impl CheckoutState {
    pub fn is_final(self) -> bool {
        matches!(self, CheckoutState::Completed | CheckoutState::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: AddressId,
    pub address: ShipTo,
}

/// Everything the checkout page shows before the customer pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutPage {
    pub cart: CartView,
    pub addresses: Vec<SavedAddress>,
    /// Sent back with the order: the same key makes the same checkout, so a double
    /// click, a second tab or a retry never pays twice.
    pub key: String,
}

/// How a checkout ended, or that it is waiting for the card network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum CheckoutOutcome {
    /// Paid: the order is confirmed.
    Completed { checkout: CheckoutId, order_number: String },
    /// The card network confirms later; the order shows as awaiting payment until it does.
    Pending { checkout: CheckoutId, order_number: String },
    /// Nothing was bought; the cart is as it was. `reason` says why (sold out, card
    /// declined, payment provider unreachable, took too long).
    Failed { checkout: CheckoutId, reason: ErrorCode },
}

/// A sandbox test card and what it does, as the checkout page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestCard {
    pub number: &'static str,
    pub behaviour: TestCardBehaviour,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestCardBehaviour {
    Succeeds,
    Declined,
    NetworkDown,
    ConfirmsLater,
    DeclinedLater,
}

/// The sandbox provider's documented cards (any future expiry, any 3-digit CVC).
/// Other valid card numbers succeed, like an ordinary card.
pub const TEST_CARDS: [TestCard; 5] = [
    TestCard { number: "4242 4242 4242 4242", behaviour: TestCardBehaviour::Succeeds },
    TestCard { number: "4000 0000 0000 0002", behaviour: TestCardBehaviour::Declined },
    TestCard { number: "4000 0000 0000 0119", behaviour: TestCardBehaviour::NetworkDown },
    TestCard { number: "4000 0000 0000 3220", behaviour: TestCardBehaviour::ConfirmsLater },
    TestCard { number: "4000 0000 0000 3238", behaviour: TestCardBehaviour::DeclinedLater },
];

/// What a test card number does; `None` for an ordinary card.
pub fn test_card_behaviour(digits: &str) -> Option<TestCardBehaviour> {
    TEST_CARDS.iter().find(|c| c.number.replace(' ', "") == digits).map(|c| c.behaviour)
}

/// Whether the digits pass the Luhn check every card number carries.
pub fn luhn_valid(digits: &str) -> bool {
    if !(12..=19).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_form_never_prints_its_number_or_code() {
        let card =
            CardForm { card_number: "4242 4242 4242 4242".into(), card_expiry: "12/30".into(), card_cvc: "123".into() };
        let printed = format!("{card:?}");
        assert!(printed.contains("…4242") && !printed.contains("4242 4242") && !printed.contains("123"), "{printed}");
    }

    #[test]
    fn every_documented_test_card_is_a_valid_card_number() {
        for card in TEST_CARDS {
            assert!(luhn_valid(&card.number.replace(' ', "")), "{}", card.number);
        }
        assert!(!luhn_valid("4242424242424241"));
        assert!(!luhn_valid("4242"));
        assert!(!luhn_valid("4242a24242424242"));
    }
}

/// The card fields of the checkout form, as typed. Never printed: its `Debug` shows
/// only the last four digits.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardForm {
    pub card_number: String,
    pub card_expiry: String,
    pub card_cvc: String,
}

impl std::fmt::Debug for CardForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits: String = self.card_number.chars().filter(char::is_ascii_digit).collect();
        let last4 = &digits[digits.len().saturating_sub(4)..];
        f.debug_struct("CardForm").field("card_number", &format_args!("…{last4}")).finish_non_exhaustive()
    }
}
